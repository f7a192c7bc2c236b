-- Per participant and kind: instant, daily or none. No row means instant.

-- name: preference-set
INSERT INTO notify_preferences (participant_id, kind, frequency, updated_at) VALUES (?, ?, ?, ?)
ON CONFLICT (participant_id, kind) DO UPDATE SET frequency = excluded.frequency, updated_at = excluded.updated_at

-- name: preference-get
SELECT frequency FROM notify_preferences WHERE participant_id = ? AND kind = ?

-- name: preferences-of
SELECT kind, frequency FROM notify_preferences WHERE participant_id = ? ORDER BY kind
