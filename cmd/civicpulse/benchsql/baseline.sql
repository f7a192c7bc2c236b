-- The Postgres-direct baseline of `civicpulse bench dashboards`: each
-- dashboard panel's aggregates computed straight from the participation
-- tables, as an engagement platform without a warehouse computes its
-- statistics. Same view as the panels: process $1, range [$2, $3), buckets
-- in the process's time zone $4. Only the schema's own indexes exist. Page
-- views live only in the outbox (type 'visit'); the bench's outbox holds
-- nothing else, which flatters the baseline.

-- name: inputs
-- Run twice, like the panel: this period and the one before.
WITH x AS (
    SELECT created_at AS at, 'proposal.created' AS kind FROM proposals
     WHERE process_id = $1 AND created_at >= $2 AND created_at < $3
    UNION ALL
    SELECT created_at, 'comment.created' FROM comments
     WHERE process_id = $1 AND created_at >= $2 AND created_at < $3
    UNION ALL
    SELECT v.created_at, 'comment.voted' FROM comment_votes v JOIN comments c ON c.id = v.comment_id
     WHERE c.process_id = $1 AND v.created_at >= $2 AND v.created_at < $3
    UNION ALL
    SELECT s.created_at, 'support.added' FROM supports s JOIN proposals p ON p.id = s.proposal_id
     WHERE p.process_id = $1 AND s.created_at >= $2 AND s.created_at < $3
    UNION ALL
    SELECT completed_at, 'survey.completed' FROM responses
     WHERE process_id = $1 AND completed_at >= $2 AND completed_at < $3
)
SELECT date_trunc('day', at AT TIME ZONE $4) AS bucket, kind, count(*) AS n
FROM x GROUP BY 1, 2 ORDER BY 1, 2;

-- name: participants
-- New participants per day (first action ever in the process) and the
-- distinct participants active per day.
WITH acts AS (
    SELECT participant_id, created_at AS at FROM proposals WHERE process_id = $1
    UNION ALL SELECT participant_id, created_at FROM comments WHERE process_id = $1
    UNION ALL SELECT v.participant_id, v.created_at FROM comment_votes v JOIN comments c ON c.id = v.comment_id WHERE c.process_id = $1
    UNION ALL SELECT s.participant_id, s.created_at FROM supports s JOIN proposals p ON p.id = s.proposal_id WHERE p.process_id = $1
    UNION ALL SELECT participant_id, coalesce(completed_at, updated_at) FROM responses WHERE process_id = $1
),
first AS (SELECT participant_id, min(at) AS first_at FROM acts GROUP BY participant_id),
news AS (SELECT date_trunc('day', first_at AT TIME ZONE $4) AS bucket, count(*) AS n FROM first WHERE first_at < $3 GROUP BY 1),
active AS (SELECT date_trunc('day', at AT TIME ZONE $4) AS bucket, count(DISTINCT participant_id) AS n
           FROM acts WHERE at >= $2 AND at < $3 GROUP BY 1)
SELECT coalesce(a.bucket, n.bucket) AS bucket, coalesce(n.n, 0) AS new, coalesce(a.n, 0) AS active
FROM active a FULL JOIN news n ON n.bucket = a.bucket
ORDER BY 1;

-- name: regions
WITH acts AS (
    SELECT participant_id FROM proposals WHERE process_id = $1 AND created_at < $3
    UNION ALL SELECT participant_id FROM comments WHERE process_id = $1 AND created_at < $3
    UNION ALL SELECT v.participant_id FROM comment_votes v JOIN comments c ON c.id = v.comment_id WHERE c.process_id = $1 AND v.created_at < $3
    UNION ALL SELECT s.participant_id FROM supports s JOIN proposals p ON p.id = s.proposal_id WHERE p.process_id = $1 AND s.created_at < $3
    UNION ALL SELECT participant_id FROM responses WHERE process_id = $1 AND started_at < $3
),
per AS (
    SELECT pa.region_code, count(DISTINCT a.participant_id) AS participants
    FROM acts a JOIN participants pa ON pa.id = a.participant_id
    GROUP BY pa.region_code
)
SELECT r.code, r.name, r.population, coalesce(per.participants, 0) AS participants
FROM regions r
JOIN processes p ON p.region_set_id = r.region_set_id AND p.id = $1
LEFT JOIN per ON per.region_code = r.code
ORDER BY r.name;

-- name: funnel
WITH acts AS (
    SELECT participant_id, true AS contributes FROM proposals WHERE process_id = $1 AND created_at < $3
    UNION ALL SELECT participant_id, true FROM comments WHERE process_id = $1 AND created_at < $3
    UNION ALL SELECT v.participant_id, false FROM comment_votes v JOIN comments c ON c.id = v.comment_id WHERE c.process_id = $1 AND v.created_at < $3
    UNION ALL SELECT s.participant_id, false FROM supports s JOIN proposals p ON p.id = s.proposal_id WHERE p.process_id = $1 AND s.created_at < $3
    UNION ALL SELECT participant_id, true FROM responses WHERE process_id = $1 AND started_at < $3
)
SELECT
  (SELECT count(DISTINCT payload->>'visitor_hash') FROM outbox
    WHERE type = 'visit' AND process_id = $1 AND occurred_at >= $2 AND occurred_at < $3) AS visitors,
  (SELECT count(DISTINCT participant_id) FROM acts) AS participants,
  (SELECT count(DISTINCT participant_id) FROM acts WHERE contributes) AS contributors;

-- name: channels
WITH v AS (
    SELECT payload->>'visitor_hash' AS visitor,
           (array_agg(CASE WHEN payload->>'utm_campaign' <> '' THEN 'campaign: ' || (payload->>'utm_campaign')
                           WHEN payload->>'utm_source' <> '' THEN 'source: ' || (payload->>'utm_source')
                           WHEN payload->>'referrer' <> '' THEN 'site: ' || (payload->>'referrer')
                           ELSE 'direct' END ORDER BY occurred_at))[1] AS channel,
           bool_or(component_id <> 0) AS engaged,
           bool_or(payload->>'path' LIKE '%/new' OR payload->>'path' LIKE '%/survey%') AS started
    FROM outbox
    WHERE type = 'visit' AND process_id = $1 AND occurred_at >= $2 AND occurred_at < $3
    GROUP BY 1
)
SELECT channel, count(*) AS visitors, count(*) FILTER (WHERE engaged) AS engaged,
       count(*) FILTER (WHERE started) AS started
FROM v GROUP BY channel ORDER BY visitors DESC, channel;

-- name: visit-length
WITH v AS (
    SELECT extract(epoch FROM max(occurred_at) - min(occurred_at)) AS secs
    FROM outbox
    WHERE type = 'visit' AND process_id = $1 AND occurred_at >= $2 AND occurred_at < $3
    GROUP BY payload->>'visitor_hash'
)
SELECT CASE WHEN secs < 60 THEN 1 WHEN secs < 300 THEN 2 WHEN secs < 900 THEN 3
            WHEN secs < 3600 THEN 4 ELSE 5 END AS band, count(*) AS visitors
FROM v GROUP BY band ORDER BY band;

-- name: devices
SELECT payload->>'device' AS device, count(DISTINCT payload->>'visitor_hash') AS visitors
FROM outbox
WHERE type = 'visit' AND process_id = $1 AND occurred_at >= $2 AND occurred_at < $3
GROUP BY 1 ORDER BY visitors DESC, device;

-- name: proposal-activity
WITH x AS (
    SELECT created_at AS at, 'proposal.created' AS kind FROM proposals
     WHERE process_id = $1 AND created_at >= $2 AND created_at < $3
    UNION ALL
    SELECT s.created_at, 'support.added' FROM supports s JOIN proposals p ON p.id = s.proposal_id
     WHERE p.process_id = $1 AND s.created_at >= $2 AND s.created_at < $3
)
SELECT date_trunc('day', at AT TIME ZONE $4) AS bucket, kind, count(*) AS n
FROM x GROUP BY 1, 2 ORDER BY 1, 2;

-- name: proposal-ranking
-- From the supports themselves, not the support_count counter: the panel
-- counts supports up to the end of the range.
WITH s AS (
    SELECT s.proposal_id, count(*) AS supports, count(DISTINCT s.participant_id) AS supporters
    FROM supports s JOIN proposals p ON p.id = s.proposal_id
    WHERE p.process_id = $1 AND s.created_at < $3
    GROUP BY s.proposal_id
)
SELECT p.id, p.title, p.region_code, p.budget_minor, coalesce(s.supports, 0) AS supports, coalesce(s.supporters, 0) AS supporters
FROM proposals p LEFT JOIN s ON s.proposal_id = p.id
WHERE p.process_id = $1 AND p.created_at < $3
ORDER BY supports DESC, p.id
LIMIT 20;

-- name: proposal-budget-tags
SELECT t.tag, count(*) AS proposals, sum(p.budget_minor) AS budget_minor, count(DISTINCT p.participant_id) AS authors
FROM proposals p JOIN proposal_tags t ON t.proposal_id = p.id
WHERE p.process_id = $1 AND p.created_at >= $2 AND p.created_at < $3
GROUP BY t.tag ORDER BY budget_minor DESC, t.tag;

-- name: proposal-budget-regions
SELECT coalesce(r.name, p.region_code) AS region, count(*) AS proposals, sum(p.budget_minor) AS budget_minor,
       count(DISTINCT p.participant_id) AS authors
FROM proposals p
JOIN processes pr ON pr.id = p.process_id
LEFT JOIN regions r ON r.region_set_id = pr.region_set_id AND r.code = p.region_code
WHERE p.process_id = $1 AND p.created_at >= $2 AND p.created_at < $3
GROUP BY 1 ORDER BY budget_minor DESC, region;

-- name: proposal-map
-- As the panel: count the located proposals and their extent first; up to
-- 2,000 list each one, else count them per grid cell of the size the panel
-- picks (dashboards.cellSize: the smallest of its steps that covers the
-- larger span in at most 20 cells). One statement where the panel runs
-- two, which favours the baseline by a round trip.
WITH located AS (
    SELECT id, lat, lng, title FROM proposals
    WHERE process_id = $1 AND lat IS NOT NULL AND lng IS NOT NULL AND created_at >= $2 AND created_at < $3
),
stats AS (
    SELECT count(*) AS n, coalesce(greatest(max(lat) - min(lat), max(lng) - min(lng)), 0) AS span FROM located
),
grid AS (
    SELECT n, coalesce((SELECT min(step) FROM unnest('{0.01,0.02,0.05,0.1,0.2,0.25,0.5,1,2,5,10}'::float8[]) AS step
                        WHERE span / step <= 20), 10) AS cell
    FROM stats
)
(SELECT l.lng, l.lat, l.title, NULL::bigint AS cell_row, NULL::bigint AS cell_col, NULL::bigint AS n
 FROM located l, grid WHERE grid.n <= 2000
 ORDER BY l.id LIMIT 2000)
UNION ALL
(SELECT NULL, NULL, NULL, floor(l.lat / grid.cell)::bigint AS cell_row, floor(l.lng / grid.cell)::bigint AS cell_col, count(*)
 FROM located l, grid WHERE grid.n > 2000
 GROUP BY 4, 5
 ORDER BY 6 DESC, 4, 5);
