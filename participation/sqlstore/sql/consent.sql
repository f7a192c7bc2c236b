-- Data agreements, consent records and retention (issue 14,
-- participation/consent.go).

-- name: list-data-agreements
SELECT process_id, version, text, published_at, purpose, lawful_basis, policy_url, retention_days, access,
    personal_data, hash
FROM privacy_notices WHERE process_id = ? ORDER BY version

-- name: consent-active-for-version
SELECT COUNT(*) FROM consents
WHERE participant_id = ? AND process_id = ? AND notice_version = ? AND withdrawn_at IS NULL

-- name: latest-consent
SELECT id, participant_id, process_id, notice_version, purpose, given_at, withdrawn_at FROM consents
WHERE participant_id = ? AND process_id = ? AND notice_version = ? AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1

-- Withdrawing consent to one process deletes what was given to it alone.
-- name: erase-process-profile
DELETE FROM profiles WHERE participant_id = ? AND process_id = ?

-- name: erase-process-verifications
DELETE FROM verifications WHERE participant_id = ? AND process_id = ?

-- The date arithmetic is done in Go (the dialects differ); the candidates
-- are the closed processes whose latest agreement sets a period.
-- name: retention-candidates
SELECT p.id AS process_id, n.version AS agreement_version, n.retention_days, p.closed_at, p.state
FROM processes p
JOIN privacy_notices n ON n.process_id = p.id
    AND n.version = (SELECT MAX(m.version) FROM privacy_notices m WHERE m.process_id = p.id)
WHERE p.closed_at IS NOT NULL AND n.retention_days > 0
  AND NOT EXISTS (SELECT 1 FROM retention_purges r WHERE r.process_id = p.id)
ORDER BY p.id

-- name: retention-purged
SELECT COUNT(*) FROM retention_purges WHERE process_id = ?

-- name: purge-process-profiles
DELETE FROM profiles WHERE process_id = ?

-- name: purge-process-verifications
DELETE FROM verifications WHERE process_id = ?

-- name: insert-retention-purge
INSERT INTO retention_purges (process_id, agreement_version, retention_days, profiles, purged_at) VALUES (?, ?, ?, ?, ?)

-- name: unaudited-purges
SELECT process_id, agreement_version, retention_days, profiles, purged_at, audited_at FROM retention_purges
WHERE audited_at IS NULL ORDER BY process_id

-- name: mark-purge-audited
UPDATE retention_purges SET audited_at = ? WHERE process_id = ? AND audited_at IS NULL
