-- name: followers-participants
-- n registered participants, tokens prefix || 1..n.
WITH n AS (SELECT generate_series(1, ?::int) AS i)
INSERT INTO participants (kind, token, region_code, created_at)
SELECT 'registered', ?::text || i, '', ? FROM n

-- name: followers-analyze
-- As autovacuum would after such a load: without statistics the planner
-- takes 200,000 rows for a handful.
ANALYZE participants, profiles, consents
