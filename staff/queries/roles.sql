-- Per-process roles. The global admin role is the is_admin flag on the user.

-- name: role-insert
INSERT INTO staff_roles (user_id, process_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (user_id, process_id, role) DO NOTHING

-- name: role-delete
DELETE FROM staff_roles WHERE user_id = ? AND process_id = ? AND role = ?

-- name: roles-of
SELECT process_id, role FROM staff_roles WHERE user_id = ? ORDER BY process_id, role

-- name: roles-on
SELECT role FROM staff_roles WHERE user_id = ? AND process_id = ?

-- name: staff-of-process
SELECT user_id, role FROM staff_roles WHERE process_id = ? ORDER BY user_id, role

-- name: roles-anywhere
SELECT DISTINCT role FROM staff_roles WHERE user_id = ?

-- name: process-staffed
SELECT COUNT(*) FROM staff_roles WHERE process_id = ?
