-- What officials set on their dashboards: alert rules, the alerts raised,
-- and the panels published on the public results page
-- (warehouse/migrations/002_dashboards.sql). The rules and the panels are
-- decisions the store keeps; the ingester writes them here from the outbox.

-- name: alert-rules
SELECT rule_id, process_id, kind, threshold, window_hours
FROM dash_alert_rules
WHERE ($process = 0 OR process_id = $process)
ORDER BY rule_id;

-- name: open-alerts
SELECT rule_id, message, value, raised_at
FROM dash_alerts
WHERE process_id = $process AND cleared_at IS NULL
  -- a deleted rule's alert goes with it
  AND rule_id IN (SELECT rule_id FROM dash_alert_rules WHERE process_id = $process)
ORDER BY raised_at DESC;

-- name: raise-alert
INSERT INTO dash_alerts (rule_id, process_id, message, value, raised_at)
SELECT $rule, $process, $message, $value, $now
WHERE NOT EXISTS (SELECT 1 FROM dash_alerts WHERE rule_id = $rule AND cleared_at IS NULL);

-- name: clear-alert
UPDATE dash_alerts SET cleared_at = $now WHERE rule_id = $rule AND cleared_at IS NULL;

-- name: published-panels
SELECT panel FROM dash_published WHERE process_id = $process ORDER BY position, panel;

