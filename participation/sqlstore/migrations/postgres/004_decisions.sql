-- Officials' dashboard decisions (participation.Decisions). They used to
-- live only in the warehouse; now the store holds them and the outbox carries
-- them there, so a rebuilt warehouse has them too (invariant 4).

-- Alert rules on a process's monitor; a deleted rule's row goes (the staff
-- audit log keeps what it was).
CREATE TABLE alert_rules (
    id           BIGSERIAL PRIMARY KEY,
    process_id   BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    threshold    DOUBLE PRECISION NOT NULL,
    window_hours INTEGER NOT NULL,
    staff_id     BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX alert_rules_process ON alert_rules (process_id, id);

-- Panels published on the process's public results page, in page order.
CREATE TABLE panel_publications (
    process_id   BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    panel        TEXT NOT NULL,
    position     INTEGER NOT NULL,
    staff_id     BIGINT NOT NULL DEFAULT 0,
    published_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (process_id, panel)
);

-- Theme renames, merges and splits, replayed in id order by the themes job.
CREATE TABLE theme_edits (
    id         BIGSERIAL PRIMARY KEY,
    process_id BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL,
    scope_id   BIGINT NOT NULL,
    kind       TEXT NOT NULL,
    theme_id   BIGINT NOT NULL,
    other_id   BIGINT NOT NULL DEFAULT 0,
    label      TEXT NOT NULL DEFAULT '',
    staff_id   BIGINT NOT NULL DEFAULT 0,
    made_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX theme_edits_process ON theme_edits (process_id, id);

-- Whether a process counts each campaign once; no row: every copy counts.
CREATE TABLE campaign_counting (
    process_id BIGINT PRIMARY KEY REFERENCES processes (id) ON DELETE CASCADE,
    count_once BOOLEAN NOT NULL,
    staff_id   BIGINT NOT NULL DEFAULT 0,
    set_at     TIMESTAMPTZ NOT NULL
);
