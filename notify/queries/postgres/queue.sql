-- Postgres: a batch arrives as one JSON array ($1) and goes in with one
-- statement; a key already present is skipped, which is what makes
-- queueing idempotent.

-- name: delivery-queue-batch
INSERT INTO notify_deliveries (idem_key, kind, channel, participant_id, address, address_masked, lang, payload,
                               state, attempts, next_attempt_at, created_at)
SELECT r.idem_key, r.kind, r.channel, r.participant_id, r.address, r.address_masked, r.lang, r.payload,
       'queued', 0, $2, $2
FROM jsonb_to_recordset($1::jsonb) AS r(idem_key text, kind text, channel text, participant_id bigint,
                                         address text, address_masked text, lang text, payload text)
ON CONFLICT (idem_key) DO NOTHING

-- name: delivery-claim
-- Due queued messages and expired leases of one channel ($3) at $4, at most
-- $5, expired leases first; SKIP LOCKED lets servers claim side by side
-- without waiting on or taking each other's rows. Two index ranges, each
-- stopping at $5, rather than one OR that sorts every due row (340 ms a
-- claim with 175,000 queued).
WITH expired AS (
    SELECT id FROM notify_deliveries
    WHERE channel = $3 AND state = 'sending' AND lease_until < $4
    ORDER BY lease_until, id
    LIMIT $5
    FOR UPDATE SKIP LOCKED
), due AS (
    SELECT id FROM notify_deliveries
    WHERE channel = $3 AND state = 'queued' AND next_attempt_at <= $4
    ORDER BY next_attempt_at, id
    LIMIT $5
    FOR UPDATE SKIP LOCKED
)
UPDATE notify_deliveries
SET state = 'sending', lease_until = $1, lease_owner = $2
WHERE id IN (SELECT id FROM (SELECT id, 0 AS k FROM expired UNION ALL SELECT id, 1 FROM due) c ORDER BY k LIMIT $5)
RETURNING id, idem_key, kind, participant_id, address, lang, payload, attempts
