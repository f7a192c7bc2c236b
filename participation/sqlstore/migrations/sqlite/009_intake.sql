-- Bulk intake (participation.Intake, sqlstore/intake.go): comments the
-- institution received outside the platform (email, paper, other portals)
-- and imported from a file. created_at stays when the row entered the store;
-- received_at is when the institution received it, and is the occurred_at
-- of its comment.created event so that dashboards place it on that day.
ALTER TABLE comments ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN organisation TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN external_id TEXT;
ALTER TABLE comments ADD COLUMN received_at DATETIME;
-- Re-importing a file adds nothing: one comment per external id and component.
CREATE UNIQUE INDEX comments_external ON comments (component_id, external_id) WHERE external_id IS NOT NULL;

-- The one pseudonymous participant of each organisation that wrote to a
-- process, so that its letters count as one participant's and a second
-- import finds it again. Rows without an organisation get a participant of
-- their own and no row here.
CREATE TABLE intake_authors (
    process_id     BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    author_key     TEXT NOT NULL,
    participant_id BIGINT NOT NULL REFERENCES participants (id),
    PRIMARY KEY (process_id, author_key)
);
