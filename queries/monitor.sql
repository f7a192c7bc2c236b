-- The live engagement monitor. Every panel reads the dashboard rollups the
-- warehouse maintains with each batch (warehouse/migrations/003_…): their
-- rows are bounded by hours × regions × components, so a panel costs the
-- same at 5,000,000 submissions as at 5,000. In the rollups component_id 0
-- and region_code '' are "all", which is what $component = 0 and
-- $region = '' ask for.

-- name: inputs-by-hour
-- Inputs per UTC hour and kind; the dashboard regroups hours into the
-- process's local hours or days and fills empty buckets with zero.
SELECT bucket, kind, sum(n)::BIGINT AS n
FROM dash_hourly
WHERE process_id = $process
  AND component_id = $component
  AND region_code = $region
  AND bucket >= $from AND bucket < $to
  AND kind IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'survey.completed')
GROUP BY ALL
ORDER BY bucket;

-- name: new-participants-by-hour
-- Participants by the UTC hour of their first action in the process
-- (within the component and region filters), over the whole process: the
-- dashboard needs the ones before $from for the cumulative line.
SELECT bucket, n
FROM dash_new_hourly
WHERE process_id = $process
  AND component_id = $component
  AND region_code = $region
  AND role = 'any'
  AND bucket < $to
ORDER BY bucket;

-- name: active-participants-by-day
-- Distinct participants acting on each process-local day (for "returning"
-- = active - new), a day of margin each side: the dashboard keeps the days
-- of its axis.
SELECT day AS bucket, n
FROM dash_active_daily
WHERE process_id = $process
  AND component_id = $component
  AND region_code = $region
  AND day >= $from - INTERVAL 1 DAY AND day < $to + INTERVAL 1 DAY
ORDER BY bucket;

-- name: active-participants-by-bucket
-- Distinct participants acting in each local hour ($grain), from the facts:
-- hourly views span at most three days, so this reads those days' events.
SELECT date_trunc($grain, (occurred_at AT TIME ZONE 'UTC') AT TIME ZONE $tz) AS bucket,
       count(DISTINCT participant)::BIGINT AS n
FROM events
WHERE process_id = $process
  AND participant <> ''
  AND ($component = 0 OR component_id = $component)
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY ALL
ORDER BY bucket;

-- name: region-engagement
-- Participants per region up to $to against its population.
WITH p AS (
    SELECT region_code, sum(n)::BIGINT AS participants
    FROM dash_new_hourly
    WHERE process_id = $process
      AND component_id = $component
      AND region_code <> ''
      AND role = 'any'
      AND bucket < $to
    GROUP BY region_code
)
SELECT r.code, r.name, r.population, coalesce(p.participants, 0)::BIGINT AS participants
FROM dim_regions r
JOIN dim_processes d ON d.region_set_id = r.region_set_id AND d.process_id = $process
LEFT JOIN p ON p.region_code = r.code
ORDER BY r.name;

-- name: funnel
-- Visitors (daily visitors whose first view falls in the range),
-- participants (anyone who acted) and contributors (who wrote a proposal,
-- a comment or a survey response) since the process began.
SELECT
  (SELECT coalesce(sum(n), 0) FROM dash_visitor_cube
    WHERE process_id = $process AND component_id = $component
      AND bucket >= $from AND bucket < $to)::BIGINT AS visitors,
  (SELECT coalesce(sum(n), 0) FROM dash_new_hourly
    WHERE process_id = $process AND component_id = $component AND region_code = $region
      AND role = 'any' AND bucket < $to)::BIGINT AS participants,
  (SELECT coalesce(sum(n), 0) FROM dash_new_hourly
    WHERE process_id = $process AND component_id = $component AND region_code = $region
      AND role = 'contributor' AND bucket < $to)::BIGINT AS contributors;

-- name: funnel-by-channel
-- Each daily visitor is attributed to the channel of its first view:
-- campaign, else source, else referring site, else direct. Visitors and
-- participants are not linked in the warehouse (by design), so by channel
-- the funnel goes visitors → engaged (opened a participation component) →
-- started (opened a form).
SELECT channel, sum(n)::BIGINT AS visitors,
       coalesce(sum(n) FILTER (WHERE engaged), 0)::BIGINT AS engaged,
       coalesce(sum(n) FILTER (WHERE started), 0)::BIGINT AS started
FROM dash_visitor_cube
WHERE process_id = $process
  AND component_id = $component
  AND bucket >= $from AND bucket < $to
GROUP BY channel
ORDER BY visitors DESC, channel;

-- name: devices
-- Daily visitors by the device of their first view.
SELECT device, sum(n)::BIGINT AS visitors
FROM dash_visitor_cube
WHERE process_id = $process
  AND component_id = $component
  AND bucket >= $from AND bucket < $to
GROUP BY device
ORDER BY visitors DESC, device;

-- name: visit-length
-- Length of engagement: time from the first to the last page of a daily
-- visitor, in bands (1: under 1 min … 5: over 1 h).
SELECT band::BIGINT AS band, sum(n)::BIGINT AS visitors
FROM dash_visitor_cube
WHERE process_id = $process
  AND component_id = $component
  AND bucket >= $from AND bucket < $to
GROUP BY band
ORDER BY band;

-- name: inputs-since
-- Inputs since a moment, for the low-participation alert.
SELECT coalesce(sum(n), 0)::BIGINT AS n
FROM dash_hourly
WHERE process_id = $process AND component_id = 0 AND region_code = '' AND bucket >= $from
  AND kind IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'survey.completed');

-- name: changed-kinds
-- Which kinds of events of a process arrived after a sequence number, so
-- the live monitor refreshes only the panels they touch.
SELECT DISTINCT type
FROM events
WHERE process_id = $process AND seq > $seq;

-- name: max-seq
SELECT coalesce(max(seq), 0)::BIGINT FROM events;
