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
-- none (participants are keyed pseudonyms).
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
    SELECT seq, type, component_id, entity_id, participant, region_code, occurred_at
    FROM main.events WHERE process_id = $1),
proposals AS NOT MATERIALIZED (
    SELECT proposal_id, component_id, participant, region_code, title, description, budget_minor,
           tags, lat, lng, occurred_at
    FROM main.proposals WHERE process_id = $1),
comments AS NOT MATERIALIZED (
    SELECT comment_id, component_id, target_kind, target_id, parent_id, kind, body, proposed_text,
           participant, region_code, occurred_at
    FROM main.comments WHERE process_id = $1),
votes AS NOT MATERIALIZED (
    SELECT comment_id, component_id, participant, region_code, vote, previous, occurred_at
    FROM main.votes WHERE process_id = $1),
supports AS NOT MATERIALIZED (
    SELECT proposal_id, component_id, participant, region_code, delta, occurred_at
    FROM main.supports WHERE process_id = $1),
survey_responses AS NOT MATERIALIZED (
    SELECT response_id, component_id, participant, region_code, started_at, last_page, completed_at
    FROM main.survey_responses WHERE process_id = $1),
survey_answers AS NOT MATERIALIZED (
    SELECT response_id, component_id, participant, region_code, question_id, choice, rank, number,
           text, occurred_at
    FROM main.survey_answers WHERE process_id = $1),
-- Every input of the process, one row each: what "how many took part"
-- questions start from.
submissions AS NOT MATERIALIZED (
    SELECT 'proposal' AS kind, proposal_id AS id, component_id, participant, region_code, occurred_at
    FROM main.proposals WHERE process_id = $1
    UNION ALL
    SELECT 'comment', comment_id, component_id, participant, region_code, occurred_at
    FROM main.comments WHERE process_id = $1
    UNION ALL
    SELECT 'survey_response', response_id, component_id, participant, region_code, started_at
    FROM main.survey_responses WHERE process_id = $1),
moderation AS NOT MATERIALIZED (
    SELECT component_id, entity_kind, entity_id, status, occurred_at
    FROM main.moderation WHERE process_id = $1),
visits AS NOT MATERIALIZED (
    SELECT component_id, visitor_hash, path, utm_source, utm_medium, utm_campaign, device, occurred_at
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
