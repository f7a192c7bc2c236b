-- The analyst's console (warehouse/console). The analyst's text is never
-- run as written: DuckDB parses it into its JSON tree (parse), the guard
-- walks that tree, and the query DuckDB renders back from the checked tree
-- (render) runs inside the scope below.

-- name: parse
SELECT json_serialize_sql(?::VARCHAR)::VARCHAR;

-- name: render
SELECT json_deserialize_sql(?::JSON);

-- Every table and view name the database knows, in every catalog and
-- schema (pg_class, duckdb_tables and the like included): a WITH name of
-- the analyst's may be none of them, so that a name out of its WITH's
-- scope can never fall through to a real table.
-- name: catalog-names
SELECT DISTINCT lower(table_name) FROM duckdb_tables()
UNION
SELECT DISTINCT lower(view_name) FROM duckdb_views();

-- The views the console offers, each holding one process's rows only ($1
-- is the process). The checked query runs as "<scope> SELECT * FROM (<the
-- query>) AS console_result"; its table names may only be these (or its
-- own WITH names), so it cannot reach another process's rows. Names
-- resolve case-insensitively, "PROPOSALS" is this scope's too. NOT
-- MATERIALIZED: a view the query does not read costs nothing, and filters
-- reach the scan. No view holds a name, e-mail or phone: the warehouse has
-- none. Nor the warehouse's own pseudonyms, which never leave it (the
-- export holds none either): participant and visitor_hash are keyed again
-- for the console and the process, so that distinct counts and joins on
-- the person work within the process while what an analyst downloads
-- matches no warehouse key and no other process's console.
-- name: scope
WITH
process AS NOT MATERIALIZED (
    SELECT process_id, slug, title, level, sector, scope, mode, time_zone, target_participants,
           budget_minor, currency, published, starts_at, ends_at
    FROM main.dim_processes WHERE process_id = $1),
phases AS NOT MATERIALIZED (
    SELECT phase_id, position, name, starts_at, ends_at, open_components
    FROM main.dim_phases WHERE process_id = $1),
components AS NOT MATERIALIZED (
    SELECT component_id, kind, position, title
    FROM main.dim_components WHERE process_id = $1),
regions AS NOT MATERIALIZED (
    SELECT r.code AS region_code, r.name, r.population
    FROM main.dim_regions r JOIN main.dim_processes p ON p.region_set_id = r.region_set_id
    WHERE p.process_id = $1),
sections AS NOT MATERIALIZED (
    SELECT s.section_id, s.component_id, s.version, s.position, s.heading
    FROM main.dim_sections s JOIN main.dim_components c ON c.component_id = s.component_id
    WHERE c.process_id = $1),
questions AS NOT MATERIALIZED (
    SELECT q.question_id, q.component_id, q.page, q.position, q.type, q.prompt, q.required,
           q.options, q.max_choices, q.min_value, q.max_value
    FROM main.dim_questions q JOIN main.dim_components c ON c.component_id = q.component_id
    WHERE c.process_id = $1),
events AS NOT MATERIALIZED (
    SELECT seq, type, component_id, entity_id, md5(participant || ':console:' || $1::VARCHAR) AS participant, region_code, occurred_at
    FROM main.events WHERE process_id = $1),
-- proposals and comments: one row per item, as last edited (the facts
-- keep every version), with when it was first made and its latest
-- moderation status ('published' when none), as the complete export has.
proposals AS NOT MATERIALIZED (
    SELECT p.proposal_id, p.component_id, md5(p.participant || ':console:' || $1::VARCHAR) AS participant, p.region_code,
           p.title, p.description, p.budget_minor, p.tags, p.lat, p.lng, p.created_at,
           coalesce(m.status, 'published') AS status
    FROM (SELECT *, min(occurred_at) OVER (PARTITION BY proposal_id) AS created_at
          FROM main.proposals WHERE process_id = $1
          QUALIFY row_number() OVER (PARTITION BY proposal_id ORDER BY seq DESC) = 1) p
    LEFT JOIN (SELECT entity_id, arg_max(status, seq) AS status FROM main.moderation
               WHERE process_id = $1 AND entity_kind = 'proposal' GROUP BY entity_id) m
           ON m.entity_id = p.proposal_id),
comments AS NOT MATERIALIZED (
    SELECT c.comment_id, c.component_id, c.target_kind, c.target_id, c.parent_id, c.kind, c.body,
           c.proposed_text, md5(c.participant || ':console:' || $1::VARCHAR) AS participant, c.region_code, c.created_at,
           coalesce(m.status, 'published') AS status
    FROM (SELECT *, min(occurred_at) OVER (PARTITION BY comment_id) AS created_at
          FROM main.comments WHERE process_id = $1
          QUALIFY row_number() OVER (PARTITION BY comment_id ORDER BY seq DESC) = 1) c
    LEFT JOIN (SELECT entity_id, arg_max(status, seq) AS status FROM main.moderation
               WHERE process_id = $1 AND entity_kind = 'comment' GROUP BY entity_id) m
           ON m.entity_id = c.comment_id),
votes AS NOT MATERIALIZED (
    SELECT comment_id, component_id, md5(participant || ':console:' || $1::VARCHAR) AS participant, region_code, vote, previous, occurred_at
    FROM main.votes WHERE process_id = $1),
supports AS NOT MATERIALIZED (
    SELECT proposal_id, component_id, md5(participant || ':console:' || $1::VARCHAR) AS participant, region_code, delta, occurred_at
    FROM main.supports WHERE process_id = $1),
survey_responses AS NOT MATERIALIZED (
    SELECT response_id, component_id, md5(participant || ':console:' || $1::VARCHAR) AS participant, region_code, started_at, last_page, completed_at
    FROM main.survey_responses WHERE process_id = $1),
-- survey_answers: the answers of each question's latest save (a page
-- saved again replaces its answers).
survey_answers AS NOT MATERIALIZED (
    SELECT response_id, component_id, md5(participant || ':console:' || $1::VARCHAR) AS participant, region_code, question_id, choice, rank, number,
           text, occurred_at
    FROM main.survey_answers WHERE process_id = $1
    QUALIFY seq = max(seq) OVER (PARTITION BY response_id, question_id)),
-- Every input of the process, one row each: what "how many took part"
-- questions start from.
submissions AS NOT MATERIALIZED (
    SELECT 'proposal' AS kind, proposal_id AS id, component_id, md5(participant || ':console:' || $1::VARCHAR) AS participant, region_code,
           min(occurred_at) AS occurred_at
    FROM main.proposals WHERE process_id = $1
    GROUP BY proposal_id, component_id, participant, region_code
    UNION ALL
    SELECT 'comment', comment_id, component_id, md5(participant || ':console:' || $1::VARCHAR), region_code, min(occurred_at)
    FROM main.comments WHERE process_id = $1
    GROUP BY comment_id, component_id, participant, region_code
    UNION ALL
    SELECT 'survey_response', response_id, component_id, md5(participant || ':console:' || $1::VARCHAR), region_code, started_at
    FROM main.survey_responses WHERE process_id = $1),
moderation AS NOT MATERIALIZED (
    SELECT component_id, entity_kind, entity_id, status, occurred_at
    FROM main.moderation WHERE process_id = $1),
visits AS NOT MATERIALIZED (
    SELECT component_id, md5(visitor_hash || ':console:' || $1::VARCHAR) AS visitor_hash, path, utm_source, utm_medium, utm_campaign, device, occurred_at
    FROM main.visits WHERE process_id = $1),
themes AS NOT MATERIALIZED (
    SELECT scope, scope_id, theme_id, label, terms, parent_id, merged_into, size
    FROM main.themes WHERE process_id = $1),
theme_members AS NOT MATERIALIZED (
    SELECT scope, scope_id, entity_kind, entity_id, question_id, theme_id, rep
    FROM main.theme_members WHERE process_id = $1),
proposal_decisions AS NOT MATERIALIZED (
    SELECT proposal_id, state, reason, decided_at
    FROM main.proposal_decisions WHERE process_id = $1)
