-- Rollups for the dashboards, maintained in each batch's transaction (see
-- dash_rollups.go), so that a panel reads rows bounded by hours × regions ×
-- components, not by submissions. One row per key: a rebuild reproduces
-- them row for row.
--
-- Filters: component_id 0 and region_code '' mean "all"; each fact counts
-- in the four combinations of (its component or all) × (its region or all).
-- Hours and days are UTC hours and process-local days.

-- Events per UTC hour and type.
CREATE TABLE dash_hourly (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    bucket       TIMESTAMP NOT NULL,
    n            BIGINT NOT NULL
);

-- Each participant's first action per filter combination, over everything
-- (role 'any') and over contributions (role 'contributor': a proposal,
-- comment or survey response). first_at is the earliest occurred_at, so
-- events arriving out of order give the same rows.
CREATE TABLE dash_participants (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    participant  VARCHAR NOT NULL,
    first_at     TIMESTAMP NOT NULL
);

-- New participants per UTC hour of their first action (roles 'any' and
-- 'contributor'): summed, they are the distinct participants to date.
CREATE TABLE dash_new_hourly (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    bucket       TIMESTAMP NOT NULL,
    n            BIGINT NOT NULL
);

-- Who acted on each process-local day (for distinct active participants).
CREATE TABLE dash_active_members (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    day          TIMESTAMP NOT NULL,
    participant  VARCHAR NOT NULL
);

-- Distinct participants active per process-local day.
CREATE TABLE dash_active_daily (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    day          TIMESTAMP NOT NULL,
    n            BIGINT NOT NULL
);

-- Each daily visitor (per component, and over all with component_id 0):
-- first and last page view, the channel and device of the first, whether
-- they opened a participation component or a form. The visitor id changes
-- daily anyway; keying by the UTC day makes that explicit and lets the
-- writer look up only the days a batch touches.
CREATE TABLE dash_visitors (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    day          TIMESTAMP NOT NULL,
    visitor_hash VARCHAR NOT NULL,
    first_at     TIMESTAMP NOT NULL,
    last_at      TIMESTAMP NOT NULL,
    channel      VARCHAR NOT NULL,
    device       VARCHAR NOT NULL,
    engaged      BOOLEAN NOT NULL,
    started      BOOLEAN NOT NULL
);

-- Visitors by the UTC hour of their first view and their attributes; band
-- is the length of engagement (1: under 1 min … 5: over 1 h).
CREATE TABLE dash_visitor_cube (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    bucket       TIMESTAMP NOT NULL,
    channel      VARCHAR NOT NULL,
    device       VARCHAR NOT NULL,
    band         INTEGER NOT NULL,
    engaged      BOOLEAN NOT NULL,
    started      BOOLEAN NOT NULL,
    n            BIGINT NOT NULL
);

-- Proposals and budget asked per UTC hour, per tag (tag '' = every
-- proposal once, for the breakdown by region), and authors new to the tag
-- in that hour (from dash_participants' roles 'author' and 'tag:<tag>').
-- Proposals without a region count under region_code '(none)' as well as
-- under ''.
CREATE TABLE dash_proposal_budget (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    tag          VARCHAR NOT NULL,
    bucket       TIMESTAMP NOT NULL,
    proposals    BIGINT NOT NULL,
    budget_minor BIGINT NOT NULL,
    new_authors  BIGINT NOT NULL
);

-- Every proposal with its supports to date (net supports, distinct
-- supporters) and what the ranking filters on, so the ranking reads one
-- narrow table.
CREATE TABLE dash_proposal_supports (
    process_id   BIGINT NOT NULL,
    proposal_id  BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    supports     BIGINT NOT NULL,
    supporters   BIGINT NOT NULL
);

-- The batch being written, staged for the statements above; always empty
-- outside a write transaction.
CREATE TABLE dash_stage_events (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    kind         VARCHAR NOT NULL,
    participant  VARCHAR NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);
CREATE TABLE dash_stage_visits (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    visitor_hash VARCHAR NOT NULL,
    channel      VARCHAR NOT NULL,
    device       VARCHAR NOT NULL,
    engaged      BOOLEAN NOT NULL,
    started      BOOLEAN NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);
CREATE TABLE dash_stage_supports (
    process_id  BIGINT NOT NULL,
    proposal_id BIGINT NOT NULL,
    participant VARCHAR NOT NULL,
    delta       BIGINT NOT NULL,
    seq         BIGINT NOT NULL
);
-- One row per staged proposal and tag, plus one with tag ''.
CREATE TABLE dash_stage_tags (
    process_id   BIGINT NOT NULL,
    proposal_id  BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    tag          VARCHAR NOT NULL,
    participant  VARCHAR NOT NULL,
    budget_minor BIGINT NOT NULL,
    occurred_at  TIMESTAMP NOT NULL
);
-- Signed changes to a count table, summed before they are applied.
CREATE TABLE dash_stage_delta (
    tbl          VARCHAR NOT NULL,
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    region_code  VARCHAR NOT NULL,
    role         VARCHAR NOT NULL,
    bucket       TIMESTAMP NOT NULL,
    channel      VARCHAR NOT NULL,
    device       VARCHAR NOT NULL,
    band         INTEGER NOT NULL,
    engaged      BOOLEAN NOT NULL,
    started      BOOLEAN NOT NULL,
    n            BIGINT NOT NULL
);

-- The staged events in each of their filter combinations.
CREATE VIEW dash_stage_events_v AS
SELECT e.process_id,
       CASE WHEN v.by_component THEN e.component_id ELSE 0 END AS component_id,
       CASE WHEN v.by_region THEN e.region_code ELSE '' END AS region_code,
       e.kind, e.participant, e.occurred_at
FROM dash_stage_events e
CROSS JOIN (VALUES (false, false), (false, true), (true, false), (true, true)) AS v(by_component, by_region)
WHERE (NOT v.by_component OR e.component_id <> 0)
  AND (NOT v.by_region OR e.region_code <> '');

-- The staged proposal tags in each of their filter combinations.
CREATE VIEW dash_stage_tags_v AS
SELECT t.process_id,
       CASE WHEN v.by_component THEN t.component_id ELSE 0 END AS component_id,
       CASE WHEN v.by_region THEN t.region_code ELSE '' END AS region_code,
       t.tag, t.participant, t.budget_minor, t.occurred_at
FROM dash_stage_tags t
CROSS JOIN (VALUES (false, false), (false, true), (true, false), (true, true)) AS v(by_component, by_region)
WHERE NOT v.by_component OR t.component_id <> 0;

-- Each staged participant's earliest action per combination and role:
-- any action, a contribution, a proposal ('author'), a proposal with a tag.
CREATE VIEW dash_stage_people_v AS
SELECT e.process_id, e.component_id, e.region_code, r.role, e.participant, min(e.occurred_at) AS first_at
FROM dash_stage_events_v e
CROSS JOIN (VALUES ('any'), ('contributor')) AS r(role)
WHERE e.participant <> ''
  AND (r.role = 'any' OR e.kind IN ('proposal.created', 'comment.created', 'survey.completed', 'survey.answered'))
GROUP BY ALL
UNION ALL
SELECT process_id, component_id, region_code, CASE WHEN tag = '' THEN 'author' ELSE 'tag:' || tag END, participant, min(occurred_at)
FROM dash_stage_tags_v
WHERE participant <> ''
GROUP BY ALL;

-- Each staged participant's process-local days per combination.
CREATE VIEW dash_stage_active_v AS
SELECT DISTINCT e.process_id, e.component_id, e.region_code,
       date_trunc('day', timezone(coalesce(p.time_zone, 'UTC'), e.occurred_at AT TIME ZONE 'UTC')) AS day,
       e.participant
FROM dash_stage_events_v e
LEFT JOIN dim_processes p ON p.process_id = e.process_id
WHERE e.participant <> '';

-- Each staged visitor per component and over all (component_id 0).
CREATE VIEW dash_stage_visitors_v AS
SELECT s.process_id, s.component_id, date_trunc('day', s.occurred_at) AS day, s.visitor_hash,
       min(s.occurred_at) AS first_at, max(s.occurred_at) AS last_at,
       min({'at': s.occurred_at, 'channel': s.channel, 'device': s.device}) AS first_view,
       bool_or(s.engaged) AS engaged, bool_or(s.started) AS started
FROM (
    SELECT process_id, component_id, visitor_hash, channel, device, engaged, started, occurred_at FROM dash_stage_visits
    UNION ALL
    SELECT process_id, 0, visitor_hash, channel, device, engaged, started, occurred_at FROM dash_stage_visits WHERE component_id <> 0
) s
GROUP BY ALL;

-- The staged visitors merged with what the warehouse knew of them.
CREATE TABLE dash_stage_visitors (
    process_id   BIGINT NOT NULL,
    component_id BIGINT NOT NULL,
    day          TIMESTAMP NOT NULL,
    visitor_hash VARCHAR NOT NULL,
    known        BOOLEAN NOT NULL,
    first_at     TIMESTAMP NOT NULL,
    last_at      TIMESTAMP NOT NULL,
    channel      VARCHAR NOT NULL,
    device       VARCHAR NOT NULL,
    engaged      BOOLEAN NOT NULL,
    started      BOOLEAN NOT NULL,
    old_first_at TIMESTAMP,
    old_last_at  TIMESTAMP,
    old_channel  VARCHAR,
    old_device   VARCHAR,
    old_engaged  BOOLEAN,
    old_started  BOOLEAN
);
-- The staged supports' change to each proposal.
CREATE TABLE dash_stage_proposals (
    process_id  BIGINT NOT NULL,
    proposal_id BIGINT NOT NULL,
    supports    BIGINT NOT NULL,
    supporters  BIGINT NOT NULL
);
