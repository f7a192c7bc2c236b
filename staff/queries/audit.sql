-- The append-only audit log. Filters are fixed: a zero value means "any".

-- name: audit-insert
INSERT INTO staff_audit (at, actor_id, action, process_id, target, before_json, after_json)
VALUES (?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: audit-list
SELECT id, at, actor_id, action, process_id, target, before_json, after_json
FROM staff_audit
WHERE (CAST(? AS BIGINT) = 0 OR actor_id = ?)
  AND (CAST(? AS BIGINT) = 0 OR process_id = ?)
  AND (CAST(? AS TEXT) = '' OR action = ?)
  AND at >= ? AND at < ?
  AND (CAST(? AS BIGINT) = 0 OR id < ?)
ORDER BY id DESC
LIMIT ?
