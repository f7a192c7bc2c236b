-- Postgres-only statements.

-- The notification is delivered when the transaction commits, and Postgres
-- folds repeats within one transaction into one.
-- name: insert-event
INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
SELECT ?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB) FROM pg_notify('civicpulse_outbox', '')

-- Rows of transactions still running, and of any that might yet get an xid
-- below the horizon, are left for a later read (see participation.Outbox).
-- name: read-outbox
SELECT seq, tx::text::bigint AS tx, type, process_id, component_id, entity_id, participant_id, region_code,
    occurred_at, payload::text AS payload
FROM outbox
WHERE (tx, seq) > (CAST(CAST(? AS BIGINT) AS TEXT)::xid8, CAST(? AS BIGINT))
  AND tx < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY tx, seq
LIMIT ?
