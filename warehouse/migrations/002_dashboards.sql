-- What officials set on their dashboards (owned by the dashboards package).
-- Unlike the facts, these are not rebuilt from the outbox: a rebuild of the
-- warehouse starts with no alert rules and nothing published.

-- An alert rule: kind 'inputs_below' (fewer than threshold inputs in the
-- last window_hours) or 'region_rate_below' (a region under threshold
-- participants per 1,000 residents).
CREATE TABLE dash_alert_rules (
    rule_id      BIGINT NOT NULL,
    process_id   BIGINT NOT NULL,
    kind         VARCHAR NOT NULL,
    threshold    DOUBLE NOT NULL,
    window_hours INTEGER NOT NULL,
    created_at   TIMESTAMP NOT NULL
);

-- Alerts raised by the scheduled check; cleared when the rule holds again.
CREATE TABLE dash_alerts (
    rule_id    BIGINT NOT NULL,
    process_id BIGINT NOT NULL,
    message    VARCHAR NOT NULL,
    value      DOUBLE NOT NULL,
    raised_at  TIMESTAMP NOT NULL,
    cleared_at TIMESTAMP
);

-- Panels an official published on the process's public results page.
CREATE TABLE dash_published (
    process_id   BIGINT NOT NULL,
    panel        VARCHAR NOT NULL,
    position     INTEGER NOT NULL,
    published_at TIMESTAMP NOT NULL
);
