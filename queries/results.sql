-- The key figures of the public results page ("what we heard, what we
-- did"), over the whole process, from the same rollups as the live monitor
-- (warehouse/migrations/003_…): inputs of every kind the inputs panel
-- counts, participants (anyone who acted), and the regions where at least
-- $min participants acted out of the process's regions. The page rounds
-- and suppresses the counts.

-- name: results-key-figures
WITH i AS (
    SELECT coalesce(sum(n), 0)::BIGINT AS inputs
    FROM dash_hourly
    WHERE process_id = $process AND component_id = 0 AND region_code = ''
      AND kind IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'survey.completed')
), p AS (
    SELECT coalesce(sum(n), 0)::BIGINT AS participants
    FROM dash_new_hourly
    WHERE process_id = $process AND component_id = 0 AND region_code = '' AND role = 'any'
), per_region AS (
    SELECT r.code, coalesce(sum(h.n), 0) AS n
    FROM dim_regions r
    JOIN dim_processes d ON d.region_set_id = r.region_set_id AND d.process_id = $process
    LEFT JOIN dash_new_hourly h ON h.process_id = $process AND h.component_id = 0 AND h.role = 'any' AND h.region_code = r.code
    GROUP BY r.code
)
SELECT i.inputs, p.participants,
       (SELECT count(*) FROM per_region WHERE n >= $min)::BIGINT AS regions_reached,
       (SELECT count(*) FROM per_region)::BIGINT AS regions
FROM i, p;
