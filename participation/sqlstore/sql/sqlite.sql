-- SQLite-only statements.

-- name: insert-event
INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)

-- One writer at a time: commit order is sequence order.
-- name: read-outbox
SELECT seq, tx, type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload
FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?

-- One writer at a time (BEGIN IMMEDIATE): no lock needed.
-- name: lock-participant-supports
SELECT id FROM participants WHERE id = ?

-- One writer at a time: no lock needed.
-- name: lock-process-state
SELECT state, is_template FROM processes WHERE id = ?
