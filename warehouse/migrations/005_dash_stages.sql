-- The batch's new active members, found once per batch: dash-active-delta
-- and dash-active-members each evaluated dash_stage_active_v and its
-- anti-join against dash_active_members (together ~35% of a backlog
-- batch's write). Now dash-active-stage fills this table and both read it.
CREATE TABLE dash_stage_active (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    day          TIMESTAMP NOT NULL,
    participant  VARCHAR NOT NULL
);

-- The same rows as 003's view, but the process-local day (a time zone
-- conversion per row) is computed once per distinct staged event, before
-- the four filter combinations multiply the rows.
CREATE OR REPLACE VIEW dash_stage_active_v AS
WITH base AS (
    SELECT DISTINCT e.process_id, e.component_id, e.region_code,
           date_trunc('day', timezone(coalesce(p.time_zone, 'UTC'), e.occurred_at AT TIME ZONE 'UTC')) AS day,
           e.participant
    FROM dash_stage_events e
    LEFT JOIN dim_processes p ON p.process_id = e.process_id
    WHERE e.participant <> ''
)
SELECT DISTINCT b.process_id,
       CASE WHEN v.by_component THEN b.component_id ELSE 0 END AS component_id,
       CASE WHEN v.by_region THEN b.region_code ELSE '' END AS region_code,
       b.day, b.participant
FROM base b
CROSS JOIN (VALUES (false, false), (false, true), (true, false), (true, true)) AS v(by_component, by_region)
WHERE (NOT v.by_component OR b.component_id <> 0)
  AND (NOT v.by_region OR b.region_code <> '');

-- The batch's people per combination and role with the first action the
-- warehouse already knew of (NULL: new), joined once: dash-new-delta,
-- dash-participants-update and dash-participants-insert each grouped the
-- staged events and joined dash_participants again.
CREATE TABLE dash_stage_people (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    participant  VARCHAR NOT NULL,
    first_at     TIMESTAMP NOT NULL,
    old_first_at TIMESTAMP
);

-- The batch's events counted per dash_hourly key, in Go: the update and
-- the insert each grouped four copies of the staged events.
CREATE TABLE dash_stage_hourly (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    bucket       TIMESTAMP NOT NULL,
    n            BIGINT NOT NULL
);
