-- One-time links (invitations, password resets), stored as hashes.

-- name: token-insert
INSERT INTO staff_tokens (kind, token_hash, email, user_id, grants, created_by, created_at, expires_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: token-by-hash
SELECT id, kind, email, user_id, grants, created_by, created_at, expires_at, used_at
FROM staff_tokens WHERE token_hash = ? AND kind = ?

-- name: token-use
UPDATE staff_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL

-- name: token-void-resets
UPDATE staff_tokens SET used_at = ? WHERE kind = 'reset' AND user_id = ? AND used_at IS NULL

-- name: token-purge
DELETE FROM staff_tokens WHERE expires_at <= ?
