-- Bulk intake (intake.go): comments received outside the platform, loaded
-- from a file. Both stores read the target with the shared statements;
-- SQLite writes row by row with the prepared intake-* statements in large
-- transactions, Postgres COPYs each chunk into a temporary table and writes
-- the participants, comments, counters and outbox events from it in a few
-- statements (intake-pg-*).

-- name: intake-target
SELECT c.kind, p.region_set_id FROM components c JOIN processes p ON p.id = c.process_id
WHERE c.id = ? AND c.process_id = ?

-- The region codes and names a row's region may name: the process's set,
-- or every set when it has none.
-- name: intake-regions
SELECT code, name FROM regions WHERE region_set_id = COALESCE(?, region_set_id) ORDER BY region_set_id, position

-- name: intake-known
SELECT COUNT(*) FROM comments WHERE component_id = ? AND external_id = ?

-- name: intake-author
SELECT participant_id FROM intake_authors WHERE process_id = ? AND author_key = ?

-- name: intake-add-author
INSERT INTO intake_authors (process_id, author_key, participant_id) VALUES (?, ?, ?)

-- name: intake-insert-comment
INSERT INTO comments (process_id, component_id, target_kind, target_id, participant_id, kind, body, created_at,
    channel, organisation, external_id, received_at)
VALUES (?, ?, 'section', ?, ?, 'comment', ?, ?, ?, ?, ?, ?) RETURNING id

-- name: intake-comment-meta
SELECT channel, organisation, external_id, received_at FROM comments WHERE id = ?

-- name: intake-pg-stage
CREATE TEMPORARY TABLE IF NOT EXISTS intake_stage (
    line         INTEGER NOT NULL,
    external_id  TEXT NOT NULL,
    body         TEXT NOT NULL,
    channel      TEXT NOT NULL,
    region_code  TEXT NOT NULL,
    organisation TEXT NOT NULL,
    author_key   TEXT NOT NULL,
    target_id    BIGINT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
) ON COMMIT DROP

-- The chunk's statements read the staged rows several times through their
-- CTEs; at the default work_mem (4 MB) a chunk of 50,000 spills them to
-- temporary files on every pass.
-- name: intake-pg-work-mem
SET LOCAL work_mem = '256MB'

-- The chunk's statements are estimated expensive enough for JIT, whose
-- compilation costs more than it saves on statements this simple.
-- name: intake-pg-no-jit
SET LOCAL jit = off

-- name: intake-pg-copy
COPY intake_stage (line, external_id, body, channel, region_code, organisation, author_key, target_id, received_at) FROM STDIN

-- name: intake-pg-analyze
ANALYZE intake_stage

-- Rows whose external id the component holds already, or that repeat an
-- earlier row of the file, add nothing. The lateral probe looks each staged
-- id up in comments_external: a join would let the planner, misled by the
-- statistics of a table the import is growing, scan every comment of the
-- component on every chunk, which makes a large import quadratic.
-- name: intake-pg-drop-known
DELETE FROM intake_stage
WHERE line IN (SELECT line FROM (SELECT line, row_number() OVER (PARTITION BY external_id ORDER BY line) AS rn FROM intake_stage) r WHERE rn > 1)
   OR line IN (SELECT st.line FROM intake_stage st CROSS JOIN LATERAL (
        SELECT 1 FROM comments c WHERE c.component_id = ? AND c.external_id = st.external_id LIMIT 1) k)

-- One participant per organisation new to the process, with its
-- participant.joined event; ids are drawn first so that every table gets
-- them in one pass.
-- name: intake-pg-new-authors
WITH o AS (
    SELECT DISTINCT ON (author_key) author_key, region_code, received_at FROM intake_stage s
    WHERE author_key <> '' AND NOT EXISTS (SELECT 1 FROM intake_authors a WHERE a.process_id = ? AND a.author_key = s.author_key)
    ORDER BY author_key, line
), n AS (
    SELECT nextval(pg_get_serial_sequence('participants', 'id')) AS id, o.* FROM o
), p AS (
    INSERT INTO participants (id, kind, token, region_code, created_at)
    SELECT id, 'intake', 'intake', region_code, received_at FROM n
), j AS (
    INSERT INTO outbox (type, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT 'participant.joined', id, id, region_code, received_at, '{}'::jsonb FROM n
)
INSERT INTO intake_authors (process_id, author_key, participant_id) SELECT CAST(? AS BIGINT), author_key, id FROM n

-- name: intake-pg-own-authors
SELECT COUNT(*) FROM intake_stage WHERE author_key = ''

-- The comments, a participant for each one without an organisation, the
-- sections' counters and one comment.created event per comment (in file
-- order), occurring when the institution received it.
-- name: intake-pg-insert
WITH s AS (
    SELECT st.*, nextval(pg_get_serial_sequence('comments', 'id')) AS cid,
        CASE WHEN st.author_key = '' THEN nextval(pg_get_serial_sequence('participants', 'id')) END AS own_pid,
        a.participant_id AS author_pid
    FROM intake_stage st
    LEFT JOIN intake_authors a ON st.author_key <> '' AND a.process_id = ? AND a.author_key = st.author_key
), p AS (
    INSERT INTO participants (id, kind, token, region_code, created_at)
    SELECT own_pid, 'intake', 'intake', region_code, received_at FROM s WHERE own_pid IS NOT NULL
), j AS (
    INSERT INTO outbox (type, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT 'participant.joined', own_pid, own_pid, region_code, received_at, '{}'::jsonb FROM s WHERE own_pid IS NOT NULL
), c AS (
    INSERT INTO comments (id, process_id, component_id, target_kind, target_id, participant_id, kind, body, created_at,
        channel, organisation, external_id, received_at)
    SELECT cid, CAST(? AS BIGINT), CAST(? AS BIGINT), 'section', target_id, COALESCE(own_pid, author_pid), 'comment', body, CAST(? AS TIMESTAMPTZ),
        channel, organisation, external_id, received_at FROM s
), k AS (
    UPDATE sections SET comment_count = comment_count + t.n
    FROM (SELECT target_id, COUNT(*) AS n FROM s GROUP BY target_id) t WHERE sections.id = t.target_id
)
INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
SELECT 'comment.created', CAST(? AS BIGINT), CAST(? AS BIGINT), cid, COALESCE(own_pid, author_pid), region_code, received_at,
    jsonb_build_object('target_kind', 'section', 'target_id', target_id, 'parent_id', NULL, 'kind', 'comment',
        'body', body, 'proposed_text', '', 'channel', channel)
FROM s ORDER BY line

-- name: intake-pg-clear
TRUNCATE intake_stage
