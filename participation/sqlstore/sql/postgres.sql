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
