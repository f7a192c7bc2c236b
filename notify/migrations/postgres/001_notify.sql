-- Deliveries: one row per message to one recipient. The idempotency key
-- (source event or action, recipient, kind) is unique, so a redelivered
-- event, a restarted server or two servers queueing the same message make
-- one row. The address is kept only until the message is sent or failed;
-- address_masked ("a***@example.org") is what staff pages show.
CREATE TABLE notify_deliveries (
    id              BIGSERIAL PRIMARY KEY,
    idem_key        TEXT NOT NULL UNIQUE,
    kind            TEXT NOT NULL,
    channel         TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    participant_id  BIGINT NOT NULL DEFAULT 0,      -- 0: not a participant (staff)
    address         TEXT NOT NULL,                  -- blanked once sent or failed
    address_masked  TEXT NOT NULL,
    lang            TEXT NOT NULL,
    payload         TEXT NOT NULL,                  -- JSON to render; its secret blanked once sent
    state           TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    lease_until     TIMESTAMP,
    lease_owner     TEXT NOT NULL DEFAULT '',
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMP NOT NULL,
    sent_at         TIMESTAMP
);
-- The sender's claim: due queued rows and expired leases, per channel.
CREATE INDEX notify_deliveries_due ON notify_deliveries (channel, state, next_attempt_at);
CREATE INDEX notify_deliveries_recent ON notify_deliveries (created_at);

-- Preferences: per participant and kind, how often messages come.
CREATE TABLE notify_preferences (
    participant_id BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    frequency      TEXT NOT NULL CHECK (frequency IN ('instant', 'daily', 'none')),
    updated_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (participant_id, kind)
);
