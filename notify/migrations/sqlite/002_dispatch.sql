-- The event dispatcher (dispatch.go): its place in the participation
-- outbox, one row per dispatcher name, so that a restart resumes where it
-- stopped. Two servers share the row; the idempotency keys of the messages
-- make a replayed event harmless, and the cursor only moves forward.
CREATE TABLE notify_checkpoints (
    name       TEXT PRIMARY KEY,
    tx         BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Digest items: what a participant who asked for a daily digest of a kind
-- will read in tomorrow morning's message. due_at is 07:00 of the next day
-- in the process's time zone, stored in UTC; local_date the day the items
-- are of. Unique like a delivery, so a replayed event adds nothing.
CREATE TABLE notify_digest_items (
    id             INTEGER PRIMARY KEY,
    idem_key       TEXT NOT NULL UNIQUE,
    participant_id BIGINT NOT NULL,
    process_id     BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    lang           TEXT NOT NULL,
    local_date     TEXT NOT NULL,
    due_at         TIMESTAMP NOT NULL,
    payload        TEXT NOT NULL,
    created_at     TIMESTAMP NOT NULL
);
CREATE INDEX notify_digest_items_due ON notify_digest_items (due_at, participant_id, process_id);

-- Officials' alert choices: a row turns one alert rule off (rule_id 0:
-- every alert) for one staff user. No row: the alert reaches them.
CREATE TABLE notify_staff_alerts_off (
    staff_id   BIGINT NOT NULL,
    rule_id    BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (staff_id, rule_id)
);
