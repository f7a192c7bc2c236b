-- Proposals overview.

-- name: proposal-activity-by-hour
SELECT bucket, kind, sum(n)::BIGINT AS n
FROM dash_hourly
WHERE process_id = $process
  AND component_id = $component
  AND region_code = $region
  AND bucket >= $from AND bucket < $to
  AND kind IN ('proposal.created', 'support.added', 'support.removed')
GROUP BY ALL
ORDER BY bucket;

-- name: proposal-ranking
-- Proposals by supports to date (additions minus withdrawals) from the
-- per-proposal rollup; titles are read for the first $limit only (20 on
-- the page, every one for a download). Supporters are the people whose
-- support still stands (added more often than withdrawn), counted from the
-- facts of those: a withdrawn support leaves no supporter behind. total is
-- how many proposals the view ranks.
WITH r AS (
    SELECT proposal_id, supports, count(*) OVER () AS total
    FROM dash_proposal_supports
    WHERE process_id = $process
      AND ($component = 0 OR component_id = $component)
      AND ($region = '' OR region_code = $region)
      AND created_at < $to
    ORDER BY supports DESC, proposal_id
    LIMIT $limit
), held AS (
    SELECT proposal_id, count(*) AS supporters
    FROM (SELECT proposal_id, participant
          FROM supports
          WHERE process_id = $process AND proposal_id IN (SELECT proposal_id FROM r)
          GROUP BY ALL HAVING sum(delta) > 0)
    GROUP BY proposal_id
)
SELECT p.proposal_id, p.title, p.region_code, p.budget_minor, r.supports::BIGINT AS supports,
       coalesce(held.supporters, 0)::BIGINT AS supporters, r.total::BIGINT AS total
FROM r JOIN proposals p ON p.proposal_id = r.proposal_id AND p.process_id = $process
LEFT JOIN held ON held.proposal_id = r.proposal_id
ORDER BY r.supports DESC, p.proposal_id;

-- name: supports-after
-- Whether any support came at or after $to: then the rollup (supports to
-- date) is not the ranking at $to, and proposal-ranking-at is used.
SELECT count(*)::BIGINT FROM supports WHERE process_id = $process AND occurred_at >= $to;

-- name: proposal-ranking-at
-- Proposals by supports up to $to, from the facts; $limit and total as
-- in proposal-ranking.
WITH pairs AS (
    SELECT proposal_id, participant, sum(delta) AS d
    FROM supports
    WHERE process_id = $process AND occurred_at < $to
    GROUP BY ALL
), s AS (
    SELECT proposal_id, sum(d)::BIGINT AS supports, count(*) FILTER (WHERE d > 0)::BIGINT AS supporters
    FROM pairs
    GROUP BY proposal_id
)
SELECT p.proposal_id, p.title, p.region_code, p.budget_minor,
       coalesce(s.supports, 0)::BIGINT AS supports, coalesce(s.supporters, 0)::BIGINT AS supporters,
       count(*) OVER ()::BIGINT AS total
FROM proposals p
LEFT JOIN s USING (proposal_id)
WHERE p.process_id = $process
  AND ($component = 0 OR p.component_id = $component)
  AND ($region = '' OR p.region_code = $region)
  AND p.occurred_at < $to
ORDER BY supports DESC, p.proposal_id
LIMIT $limit;

-- name: proposal-budget-by-tag
-- From the rollup: proposals, budget and new authors of each tag, summed
-- apart for the range's hours (in_range) and the hours before it. New
-- authors in the range are its distinct authors only when no proposal
-- with the tag came before $from: the panel then uses
-- proposal-budget-by-tag-at. A second grouping key costs less than
-- FILTER aggregates (2.2 against 3.0 ms at 1M submissions); the panel
-- orders the rows.
SELECT tag, bucket >= $from AS in_range, sum(proposals)::BIGINT AS proposals,
       sum(budget_minor)::BIGINT AS budget_minor, sum(new_authors)::BIGINT AS authors
FROM dash_proposal_budget
WHERE process_id = $process AND component_id = $component AND region_code = $region
  AND tag <> '' AND bucket < $to
GROUP BY ALL;

-- name: proposal-budget-by-region
-- As proposal-budget-by-tag, per region code ('(none)': proposals without
-- one). The panel names the regions (Process.RegionNames): joining the
-- dimensions here cost more than the sums.
SELECT region_code, bucket >= $from AS in_range, sum(proposals)::BIGINT AS proposals,
       sum(budget_minor)::BIGINT AS budget_minor, sum(new_authors)::BIGINT AS authors
FROM dash_proposal_budget
WHERE process_id = $process AND component_id = $component AND tag = ''
  AND region_code <> '' AND ($region = '' OR region_code = $region) AND bucket < $to
GROUP BY ALL;

-- name: proposal-budget-by-tag-at
SELECT tag, count(*)::BIGINT AS proposals, sum(budget_minor)::BIGINT AS budget_minor,
       count(DISTINCT participant)::BIGINT AS authors
FROM (SELECT unnest(tags) AS tag, budget_minor, participant
      FROM proposals
      WHERE process_id = $process
        AND ($component = 0 OR component_id = $component)
        AND ($region = '' OR region_code = $region)
        AND occurred_at >= $from AND occurred_at < $to)
GROUP BY tag
ORDER BY budget_minor DESC, tag;

-- name: proposal-budget-by-region-at
-- Region codes, as proposal-budget-by-region: the panel names them (one
-- naming path for both) and orders the rows.
SELECT p.region_code AS region, count(*)::BIGINT AS proposals,
       sum(p.budget_minor)::BIGINT AS budget_minor, count(DISTINCT p.participant)::BIGINT AS authors
FROM proposals p
WHERE p.process_id = $process
  AND ($component = 0 OR p.component_id = $component)
  AND ($region = '' OR p.region_code = $region)
  AND p.occurred_at >= $from AND p.occurred_at < $to
GROUP BY ALL;

-- name: proposal-locations-count
-- How many located proposals the view matches, and their extent: the map
-- shows each one up to 2,000 (proposal-locations), else counts per grid
-- cell (proposal-location-cells) with a cell size the extent picks.
SELECT count(*)::BIGINT AS n,
       coalesce(max(lat) - min(lat), 0)::DOUBLE AS lat_span,
       coalesce(max(lng) - min(lng), 0)::DOUBLE AS lng_span
FROM proposals
WHERE process_id = $process AND lat IS NOT NULL AND lng IS NOT NULL
  AND ($component = 0 OR component_id = $component)
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to;

-- name: proposal-locations
SELECT lng, lat, title
FROM proposals
WHERE process_id = $process AND lat IS NOT NULL AND lng IS NOT NULL
  AND ($component = 0 OR component_id = $component)
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to
ORDER BY proposal_id
LIMIT 2000;

-- name: proposal-location-cells
-- Located proposals per square cell of $cell degrees: (row, col) is the
-- cell's south-west corner in cells, floor(lat / $cell) and
-- floor(lng / $cell); busiest first.
SELECT floor(lat / $cell)::BIGINT AS cell_row, floor(lng / $cell)::BIGINT AS cell_col, count(*)::BIGINT AS n
FROM proposals
WHERE process_id = $process AND lat IS NOT NULL AND lng IS NOT NULL
  AND ($component = 0 OR component_id = $component)
  AND ($region = '' OR region_code = $region)
  AND occurred_at >= $from AND occurred_at < $to
GROUP BY cell_row, cell_col
ORDER BY n DESC, cell_row, cell_col;
