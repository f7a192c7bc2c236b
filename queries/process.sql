-- Dimensions the dashboards need to label and filter: the process, its
-- phases, components and regions.

-- name: process
SELECT slug, title, time_zone, target_participants, region_set_id, published,
       starts_at, ends_at, currency
FROM dim_processes
WHERE process_id = $process;

-- name: phases
SELECT phase_id, position, name, starts_at, ends_at
FROM dim_phases
WHERE process_id = $process
ORDER BY position;

-- name: components
SELECT component_id, kind, title
FROM dim_components
WHERE process_id = $process
ORDER BY position;

-- name: regions
SELECT r.code, r.name, r.population
FROM dim_regions r
JOIN dim_processes p ON p.region_set_id = r.region_set_id
WHERE p.process_id = $process
ORDER BY r.name;

-- name: published-processes
SELECT process_id, slug, title
FROM dim_processes
WHERE published
ORDER BY process_id;
