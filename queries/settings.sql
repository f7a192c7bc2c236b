-- What officials set on their dashboards: alert rules, the alerts raised,
-- and the panels published on the public results page
-- (warehouse/migrations/002_dashboards.sql).

-- name: alert-rules
SELECT rule_id, process_id, kind, threshold, window_hours
FROM dash_alert_rules
WHERE ($process = 0 OR process_id = $process)
ORDER BY rule_id;

-- name: add-alert-rule
INSERT INTO dash_alert_rules (rule_id, process_id, kind, threshold, window_hours, created_at)
SELECT coalesce(max(rule_id), 0) + 1, $process, $kind, $threshold, $window_hours, $now
FROM dash_alert_rules
RETURNING rule_id;

-- name: delete-alert-rule
DELETE FROM dash_alert_rules WHERE process_id = $process AND rule_id = $rule;

-- name: open-alerts
SELECT rule_id, message, value, raised_at
FROM dash_alerts
WHERE process_id = $process AND cleared_at IS NULL
ORDER BY raised_at DESC;

-- name: raise-alert
INSERT INTO dash_alerts (rule_id, process_id, message, value, raised_at)
SELECT $rule, $process, $message, $value, $now
WHERE NOT EXISTS (SELECT 1 FROM dash_alerts WHERE rule_id = $rule AND cleared_at IS NULL);

-- name: clear-alert
UPDATE dash_alerts SET cleared_at = $now WHERE rule_id = $rule AND cleared_at IS NULL;

-- name: published-panels
SELECT panel FROM dash_published WHERE process_id = $process ORDER BY position, panel;

-- name: publish-panel
INSERT INTO dash_published (process_id, panel, position, published_at)
SELECT $process, $panel, pos, $now
FROM (SELECT coalesce(max(position), 0) + 1 AS pos FROM dash_published WHERE process_id = $process)
WHERE NOT EXISTS (SELECT 1 FROM dash_published WHERE process_id = $process AND panel = $panel);

-- name: unpublish-panel
DELETE FROM dash_published WHERE process_id = $process AND panel = $panel;
