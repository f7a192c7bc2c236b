-- Postgres-only statements.

-- name: insert-event
INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB))

-- Sent after commits by the store's notifier, never inside a write: a NOTIFY
-- in a transaction takes the server's global notification lock at commit.
-- name: notify-outbox
SELECT pg_notify('civicpulse_outbox', '')

-- Rows of transactions still running, and of any that might yet get an xid
-- below the horizon, are left for a later read (see participation.Outbox).
-- ORDER BY names the table's columns, not the bigint aliases, so that the
-- (tx, seq) index serves it: 1 ms instead of a sort of the whole outbox.
-- name: read-outbox
SELECT o.seq, o.tx::text::bigint AS tx, o.type, o.process_id, o.component_id, o.entity_id, o.participant_id,
    o.region_code, o.occurred_at, o.payload::text AS payload
FROM outbox o
WHERE (o.tx, o.seq) > (CAST(CAST(? AS BIGINT) AS TEXT)::xid8, CAST(? AS BIGINT))
  AND o.tx < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY o.tx, o.seq
LIMIT ?

-- Writes fused with their counter and their outbox event: one round trip
-- instead of three, and the counter row stays locked only until the commit
-- that follows at once. The event's entity is the row the statement writes;
-- the other event columns come last, in insert-event's order.

-- name: create-comment-fused
WITH c AS (
    INSERT INTO comments (process_id, component_id, target_kind, target_id, parent_id, participant_id, kind,
        body, proposed_text, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, target_kind, target_id
), section_count AS (
    UPDATE sections SET comment_count = comment_count + 1
    WHERE id = (SELECT target_id FROM c WHERE target_kind = 'section')
), proposal_count AS (
    UPDATE proposals SET comment_count = comment_count + 1
    WHERE id = (SELECT target_id FROM c WHERE target_kind = 'proposal')
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, c.id, ?, ?, ?, CAST(? AS JSONB) FROM c
)
SELECT id FROM c

-- The vote is inserted, or changed only if it is still the previous one the
-- rules read: a concurrent vote by the same participant makes this write
-- nothing (zero rows) instead of counting a change twice.
-- name: vote-fused
WITH v AS (
    INSERT INTO comment_votes (comment_id, participant_id, vote, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (comment_id, participant_id) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at
    WHERE comment_votes.vote = ?
    RETURNING comment_id
), n AS (
    UPDATE comments SET agree = agree + ?, disagree = disagree + ?, pass = pass + ?
    WHERE id = (SELECT comment_id FROM v)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, v.comment_id, ?, ?, ?, CAST(? AS JSONB) FROM v
)
SELECT COUNT(*) FROM v

-- name: support-fused
WITH s AS (
    INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING
    RETURNING proposal_id
), n AS (
    UPDATE proposals SET support_count = support_count + 1 WHERE id = (SELECT proposal_id FROM s)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, s.proposal_id, ?, ?, ?, CAST(? AS JSONB) FROM s
)
SELECT COUNT(*) FROM s

-- name: unsupport-fused
WITH s AS (
    DELETE FROM supports WHERE proposal_id = ? AND participant_id = ? RETURNING proposal_id
), n AS (
    UPDATE proposals SET support_count = support_count - 1 WHERE id = (SELECT proposal_id FROM s)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, s.proposal_id, ?, ?, ?, CAST(? AS JSONB) FROM s
)
SELECT COUNT(*) FROM s
