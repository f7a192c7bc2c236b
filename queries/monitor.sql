-- The live engagement monitor. Counts over time come from the hourly
-- rollup (a panel's cost depends on the hours shown, not on the number of
-- submissions); distinct participants come from participant_first_seen,
-- whose size follows the participants, not their actions.

-- name: inputs-by-hour
-- Inputs per UTC hour and kind; the dashboard regroups hours into the
-- process's local hours or days and fills empty buckets with zero.
SELECT bucket, kind, sum(events)::BIGINT AS n
FROM rollup
WHERE grain = 'hour'
  AND process_id = $process
  AND ($component = 0 OR component_id = $component)
  AND ($region = '' OR region_code = $region)
  AND bucket >= $from AND bucket < $to
  AND kind IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'survey.completed')
GROUP BY ALL
ORDER BY bucket;

-- name: new-participants-by-hour
-- Participants by the UTC hour of their first action in the process
-- (within the component and region filters), over the whole process: the
-- dashboard needs the ones before $from for the cumulative line.
SELECT date_trunc('hour', first_at) AS bucket, count(*)::BIGINT AS n
FROM (
    SELECT min(first_at) AS first_at
    FROM participant_first_seen
    WHERE process_id = $process
      AND ($component = 0 OR component_id = $component)
      AND ($region = '' OR region_code = $region)
    GROUP BY participant
)
WHERE first_at < $to
GROUP BY ALL
ORDER BY bucket;

-- name: active-participants-by-bucket
-- Distinct participants acting in each local hour or day ($grain), for
-- "returning" = active - new.
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
    SELECT region_code, count(DISTINCT participant)::BIGINT AS participants
    FROM participant_first_seen
    WHERE process_id = $process
      AND ($component = 0 OR component_id = $component)
      AND first_at < $to
    GROUP BY region_code
)
SELECT r.code, r.name, r.population, coalesce(p.participants, 0)::BIGINT AS participants
FROM dim_regions r
JOIN dim_processes d ON d.region_set_id = r.region_set_id AND d.process_id = $process
LEFT JOIN p ON p.region_code = r.code
ORDER BY r.name;

-- name: funnel
-- Visitors (distinct daily visitor ids), participants (anyone who acted)
-- and contributors (who wrote a proposal, a comment or a survey response).
SELECT
  (SELECT count(DISTINCT visitor_hash) FROM visits
    WHERE process_id = $process AND ($component = 0 OR component_id = $component)
      AND occurred_at >= $from AND occurred_at < $to)::BIGINT AS visitors,
  (SELECT count(DISTINCT participant) FROM participant_first_seen
    WHERE process_id = $process AND ($component = 0 OR component_id = $component)
      AND ($region = '' OR region_code = $region) AND first_at < $to)::BIGINT AS participants,
  (SELECT count(DISTINCT participant) FROM participant_first_seen
    WHERE process_id = $process AND ($component = 0 OR component_id = $component)
      AND ($region = '' OR region_code = $region) AND first_at < $to
      AND kind IN ('proposal.created', 'comment.created', 'survey.completed', 'survey.answered'))::BIGINT AS contributors;

-- name: funnel-by-channel
-- Each daily visitor is attributed to the channel of its first visit:
-- campaign, else source, else referring site, else direct. Visitors and
-- participants are not linked in the warehouse (by design), so by channel
-- the funnel goes visitors → engaged (opened a participation component) →
-- started (opened a form).
WITH v AS (
    SELECT visitor_hash,
           arg_min(CASE WHEN utm_campaign <> '' THEN 'campaign: ' || utm_campaign
                        WHEN utm_source <> '' THEN 'source: ' || utm_source
                        WHEN referrer <> '' THEN 'site: ' || referrer
                        ELSE 'direct' END, occurred_at) AS channel,
           bool_or(component_id <> 0) AS engaged,
           bool_or(path LIKE '%/new' OR path LIKE '%/survey%') AS started
    FROM visits
    WHERE process_id = $process
      AND ($component = 0 OR component_id = $component)
      AND occurred_at >= $from AND occurred_at < $to
    GROUP BY visitor_hash
)
SELECT channel, count(*)::BIGINT AS visitors,
       count(*) FILTER (WHERE engaged)::BIGINT AS engaged,
       count(*) FILTER (WHERE started)::BIGINT AS started
FROM v
GROUP BY channel
ORDER BY visitors DESC, channel;

-- name: devices
SELECT device, count(DISTINCT visitor_hash)::BIGINT AS visitors
FROM visits
WHERE process_id = $process
  AND ($component = 0 OR component_id = $component)
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY device
ORDER BY visitors DESC, device;

-- name: visit-length
-- Length of engagement: time from the first to the last page of a daily
-- visitor, in bands.
WITH v AS (
    SELECT epoch(max(occurred_at)) - epoch(min(occurred_at)) AS secs
    FROM visits
    WHERE process_id = $process
      AND ($component = 0 OR component_id = $component)
      AND occurred_at >= $from AND occurred_at < $to
    GROUP BY visitor_hash
)
SELECT CASE WHEN secs < 60 THEN 1 WHEN secs < 300 THEN 2 WHEN secs < 900 THEN 3
            WHEN secs < 3600 THEN 4 ELSE 5 END AS band,
       count(*)::BIGINT AS visitors
FROM v
GROUP BY band
ORDER BY band;

-- name: inputs-since
-- Inputs since a moment, for the low-participation alert.
SELECT coalesce(sum(events), 0)::BIGINT AS n
FROM rollup
WHERE grain = 'hour' AND process_id = $process AND bucket >= $from
  AND kind IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'survey.completed');

-- name: changed-kinds
-- Which kinds of events of a process arrived after a sequence number, so
-- the live monitor refreshes only the panels they touch.
SELECT DISTINCT type
FROM events
WHERE process_id = $process AND seq > $seq;

-- name: max-seq
SELECT coalesce(max(seq), 0)::BIGINT FROM events;
