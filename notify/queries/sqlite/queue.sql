-- SQLite: the same statements as on Postgres; one writer at a time (BEGIN
-- IMMEDIATE) stands in for SKIP LOCKED. Numbered parameters keep the
-- argument order of the Postgres text.

-- name: delivery-queue-batch
-- "WHERE true" tells SQLite's parser that ON CONFLICT belongs to the INSERT.
INSERT INTO notify_deliveries (idem_key, kind, channel, participant_id, address, address_masked, lang, payload,
                               state, attempts, next_attempt_at, created_at)
SELECT json_extract(value, '$.idem_key'), json_extract(value, '$.kind'), json_extract(value, '$.channel'),
       json_extract(value, '$.participant_id'), json_extract(value, '$.address'),
       json_extract(value, '$.address_masked'), json_extract(value, '$.lang'), json_extract(value, '$.payload'),
       'queued', 0, ?2, ?2
FROM json_each(?1) WHERE true
ON CONFLICT (idem_key) DO NOTHING

-- name: delivery-claim
UPDATE notify_deliveries
SET state = 'sending', lease_until = ?1, lease_owner = ?2
WHERE id IN (
    -- Two range scans of notify_deliveries_due, each in the index's order
    -- and stopping at ?5 rows: one condition with OR made SQLite read every
    -- row of the channel, sent ones included, and sort them, for each
    -- claim (200,000 rows: ~90 ms a claim of 100, holding the write lock).
    SELECT id FROM (
        SELECT id, next_attempt_at FROM (
            SELECT id, next_attempt_at FROM notify_deliveries
            WHERE channel = ?3 AND state = 'queued' AND next_attempt_at <= ?4
            ORDER BY next_attempt_at, id LIMIT ?5)
        UNION ALL
        SELECT id, next_attempt_at FROM (
            SELECT id, next_attempt_at FROM notify_deliveries
            WHERE channel = ?3 AND state = 'sending' AND lease_until < ?4
            ORDER BY next_attempt_at, id LIMIT ?5))
    ORDER BY next_attempt_at, id
    LIMIT ?5)
RETURNING id, idem_key, kind, participant_id, address, lang, payload, attempts
