-- Sign-in throttling, second factor and sessions.

-- name: throttle-count
-- Counting before the password is checked, in one statement with the lock
-- check, means parallel guesses each take their own number: no more than the
-- limit are ever verified per lock window. An expired lock starts a new count.
INSERT INTO staff_login_throttle (email_key, failures, lock_level, updated_at) VALUES (?, 1, 0, ?)
ON CONFLICT (email_key) DO UPDATE SET
    failures = CASE WHEN staff_login_throttle.locked_until <= excluded.updated_at THEN 1
                    ELSE staff_login_throttle.failures + 1 END,
    locked_until = CASE WHEN staff_login_throttle.locked_until <= excluded.updated_at THEN NULL
                        ELSE staff_login_throttle.locked_until END,
    updated_at = excluded.updated_at
RETURNING failures, lock_level, locked_until

-- name: throttle-lock
UPDATE staff_login_throttle SET lock_level = lock_level + 1, locked_until = ?, updated_at = ?
WHERE email_key = ? AND lock_level = ?

-- name: throttle-clear
DELETE FROM staff_login_throttle WHERE email_key = ?

-- name: totp-set-pending
UPDATE staff_users SET totp_pending = ?, updated_at = ? WHERE id = ?

-- name: totp-enable
UPDATE staff_users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = ?, updated_at = ?
WHERE id = ? AND totp_pending IS NOT NULL

-- name: totp-disable
UPDATE staff_users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = 0, updated_at = ? WHERE id = ?

-- name: totp-use-step
UPDATE staff_users SET totp_last_step = ? WHERE id = ? AND totp_last_step < ?

-- name: recovery-delete
DELETE FROM staff_recovery_codes WHERE user_id = ?

-- name: recovery-insert
INSERT INTO staff_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, ?)

-- name: recovery-use
UPDATE staff_recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL

-- name: recovery-remaining
SELECT COUNT(*) FROM staff_recovery_codes WHERE user_id = ? AND used_at IS NULL

-- name: session-insert
INSERT INTO staff_sessions (token_hash, user_id, created_at, last_seen_at, expires_at)
VALUES (?, ?, ?, ?, ?)
RETURNING id

-- name: session-by-hash
SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at FROM staff_sessions WHERE token_hash = ?

-- name: session-by-id
SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at FROM staff_sessions WHERE id = ?

-- name: session-list
SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at FROM staff_sessions
WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ? AND last_seen_at > ?
ORDER BY id DESC

-- name: session-touch
UPDATE staff_sessions SET last_seen_at = ? WHERE id = ? AND revoked_at IS NULL

-- name: session-revoke
UPDATE staff_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL

-- name: session-revoke-all
UPDATE staff_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL

-- name: session-revoke-others
UPDATE staff_sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL

-- name: session-purge
DELETE FROM staff_sessions WHERE expires_at <= ? OR last_seen_at <= ? OR revoked_at IS NOT NULL
