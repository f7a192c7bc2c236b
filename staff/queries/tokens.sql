-- One-time links (invitations, password resets), stored as hashes.

-- name: token-insert
INSERT INTO staff_tokens (kind, token_hash, email, user_id, grants, created_by, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: token-by-hash
SELECT id, kind, email, user_id, grants, created_by, created_at, expires_at, used_at, revoked_at
FROM staff_tokens WHERE token_hash = ? AND kind = ?

-- name: token-by-id
SELECT id, kind, email, user_id, grants, created_by, created_at, expires_at, used_at, revoked_at
FROM staff_tokens WHERE id = ? AND kind = ?

-- name: token-use
-- A revoked link cannot be used, even by a request that read it just before.
UPDATE staff_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL

-- name: token-pending
-- Invitations not yet accepted, revoked or expired, newest first.
SELECT id, kind, email, user_id, grants, created_by, created_at, expires_at, used_at, revoked_at
FROM staff_tokens
WHERE kind = 'invite' AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
ORDER BY id DESC

-- name: token-revoke
UPDATE staff_tokens SET revoked_at = ?, revoked_by = ?
WHERE id = ? AND kind = 'invite' AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?

-- name: token-void-resets
UPDATE staff_tokens SET used_at = ? WHERE kind = 'reset' AND user_id = ? AND used_at IS NULL

-- name: token-purge
DELETE FROM staff_tokens WHERE expires_at <= ?
