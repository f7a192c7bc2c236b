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
SET state = 'sending', attempts = attempts + 1, lease_until = ?1, lease_owner = ?2
WHERE id IN (
    SELECT id FROM notify_deliveries
    WHERE channel = ?3
      AND ((state = 'queued' AND next_attempt_at <= ?4) OR (state = 'sending' AND lease_until < ?4))
    ORDER BY next_attempt_at, id
    LIMIT ?5)
RETURNING id, idem_key, kind, participant_id, address, lang, payload, attempts
