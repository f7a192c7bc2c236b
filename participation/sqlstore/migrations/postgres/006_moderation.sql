-- Moderation (issue 13): citizens' reports and moderators' decisions on
-- proposals, comments and open survey answers.

-- One row per contribution that was reported or decided on. status mirrors
-- the proposal's or comment's own status column (which the citizen reads
-- filter on); for an answer this row is its only status. question_id is 0
-- except for answers (entity_id is then the response). open: a moderator
-- has something to decide (pending, or reported since the last decision).
CREATE TABLE moderations (
    kind         TEXT NOT NULL,
    entity_id    BIGINT NOT NULL,
    question_id  BIGINT NOT NULL DEFAULT 0,
    process_id   BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    component_id BIGINT NOT NULL,
    status       TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    staff_id     BIGINT NOT NULL DEFAULT 0,
    reports      INTEGER NOT NULL DEFAULT 0,
    open         BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   TIMESTAMPTZ NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, entity_id, question_id)
);
-- The queue: a process's open items, oldest first.
CREATE INDEX moderations_queue ON moderations (process_id, open, created_at);

-- Reports, one per reporter and contribution (a second one counts once).
CREATE TABLE reports (
    kind           TEXT NOT NULL,
    entity_id      BIGINT NOT NULL,
    question_id    BIGINT NOT NULL DEFAULT 0,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    reason         TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, entity_id, question_id, participant_id)
);

-- How many distinct reporters hide an item until a moderator looks (0: never).
ALTER TABLE processes ADD COLUMN auto_hide_after INTEGER NOT NULL DEFAULT 5;

-- Pre-moderation: new proposals and comments of the component wait as pending.
ALTER TABLE components ADD COLUMN premoderated BOOLEAN NOT NULL DEFAULT FALSE;

-- Official answers: a reply written by staff as the institution.
ALTER TABLE comments ADD COLUMN official_staff_id BIGINT NOT NULL DEFAULT 0;
