-- Deliveries after the claim (queries/<dialect>/ hold the queue and the
-- claim, which differ by store). Every change after the claim names the
-- lease owner: a sender whose lease expired and was taken over cannot
-- overwrite what the new owner did.

-- name: delivery-sent
UPDATE notify_deliveries
SET state = 'sent', sent_at = ?, address = '', payload = ?, lease_until = NULL, lease_owner = '', last_error = ''
WHERE id = ? AND lease_owner = ?

-- name: delivery-retry
UPDATE notify_deliveries
SET state = 'queued', next_attempt_at = ?, last_error = ?, lease_until = NULL, lease_owner = ''
WHERE id = ? AND lease_owner = ?

-- name: delivery-failed
UPDATE notify_deliveries
SET state = 'failed', address = '', payload = ?, last_error = ?, lease_until = NULL, lease_owner = ''
WHERE id = ? AND lease_owner = ?

-- name: delivery-trying
-- Counts an attempt right before the send, not at the claim: a claim that
-- is released, or whose sender dies before trying it, costs nothing, and a
-- sender that dies mid-send has used the try (so a message that kills its
-- sender gives up after MaxAttempts instead of looping).
UPDATE notify_deliveries
SET attempts = attempts + 1
WHERE id = ? AND lease_owner = ? AND state = 'sending'

-- name: delivery-release
-- A claimed message the sender did not try (it was stopped): back to the
-- queue; no attempt was counted.
UPDATE notify_deliveries
SET state = 'queued', lease_until = NULL, lease_owner = ''
WHERE id = ? AND lease_owner = ? AND state = 'sending'

-- name: delivery-next-queued
SELECT next_attempt_at FROM notify_deliveries
WHERE state = 'queued' ORDER BY next_attempt_at LIMIT 1

-- name: delivery-next-lease
SELECT lease_until FROM notify_deliveries
WHERE state = 'sending' ORDER BY lease_until LIMIT 1

-- name: delivery-by-key
SELECT id, idem_key, kind, channel, participant_id, address_masked, lang, state, attempts,
       next_attempt_at, last_error, created_at, sent_at
FROM notify_deliveries WHERE idem_key = ?

-- name: deliveries-list
-- Newest first, for the staff deliveries page; before = 0 starts at the top.
SELECT id, idem_key, kind, channel, participant_id, address_masked, lang, state, attempts,
       next_attempt_at, last_error, created_at, sent_at
FROM notify_deliveries
WHERE (? = '' OR state = ?) AND (? = 0 OR id < ?)
ORDER BY id DESC LIMIT ?

-- name: deliveries-count
SELECT state, COUNT(*) AS n FROM notify_deliveries GROUP BY state
