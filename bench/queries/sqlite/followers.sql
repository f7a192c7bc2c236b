-- name: followers-participants
-- n registered participants, tokens prefix || 1..n.
INSERT INTO participants (kind, token, region_code, created_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
SELECT 'registered', ? || i, '', ? FROM n
