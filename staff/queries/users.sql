-- Staff accounts. One text for both backends: '?' placeholders are rebound
-- for Postgres at start-up.

-- name: user-insert
INSERT INTO staff_users (email, name, password_hash, is_admin, disabled, created_at, updated_at)
VALUES (?, ?, ?, ?, FALSE, ?, ?)
RETURNING id

-- name: user-by-email
SELECT id, email, name, password_hash, is_admin, disabled, totp_secret, totp_pending, totp_last_step, created_at
FROM staff_users WHERE email = ?

-- name: user-by-id
SELECT id, email, name, password_hash, is_admin, disabled, totp_secret, totp_pending, totp_last_step, created_at
FROM staff_users WHERE id = ?

-- name: user-list
SELECT id, email, name, password_hash, is_admin, disabled, totp_secret, totp_pending, totp_last_step, created_at
FROM staff_users ORDER BY email

-- name: user-set-password
UPDATE staff_users SET password_hash = ?, updated_at = ? WHERE id = ?

-- name: user-set-admin
UPDATE staff_users SET is_admin = ?, updated_at = ? WHERE id = ?

-- name: user-set-disabled
UPDATE staff_users SET disabled = ?, updated_at = ? WHERE id = ?

-- name: admin-count
SELECT COUNT(*) FROM staff_users WHERE is_admin = TRUE AND disabled = FALSE

-- name: setting-get
SELECT value FROM staff_settings WHERE name = ?

-- name: setting-insert
INSERT INTO staff_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING
