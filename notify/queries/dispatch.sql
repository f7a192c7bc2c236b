-- The dispatcher's checkpoint, digest items and officials' alert choices
-- (migrations 002_dispatch.sql).

-- name: checkpoint-get
SELECT tx, seq FROM notify_checkpoints WHERE name = ?

-- name: checkpoint-init
INSERT INTO notify_checkpoints (name, tx, seq, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (name) DO NOTHING

-- A cursor only moves forward: two servers, or one that read an older
-- checkpoint, never take it back.
-- name: checkpoint-advance
UPDATE notify_checkpoints SET tx = ?, seq = ?, updated_at = ?
WHERE name = ? AND (tx < ? OR (tx = ? AND seq < ?))

-- name: digest-due-groups
SELECT participant_id, process_id, local_date
FROM notify_digest_items WHERE due_at <= ?
GROUP BY participant_id, process_id, local_date
ORDER BY MIN(due_at), participant_id, process_id
LIMIT ?

-- name: digest-items-of
SELECT id, kind, lang, payload FROM notify_digest_items
WHERE participant_id = ? AND process_id = ? AND local_date = ?
ORDER BY id

-- name: digest-items-delete
DELETE FROM notify_digest_items WHERE participant_id = ? AND process_id = ? AND local_date = ? AND id <= ?

-- name: staff-alert-off
INSERT INTO notify_staff_alerts_off (staff_id, rule_id, updated_at) VALUES (?, ?, ?)
ON CONFLICT (staff_id, rule_id) DO UPDATE SET updated_at = excluded.updated_at

-- name: staff-alert-on
DELETE FROM notify_staff_alerts_off WHERE staff_id = ? AND rule_id = ?

-- name: staff-alerts-off
SELECT rule_id FROM notify_staff_alerts_off WHERE staff_id = ? ORDER BY rule_id
