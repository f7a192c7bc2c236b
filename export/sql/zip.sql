-- The complete export served from the browser (zip.go): every item of the
-- process, each flagged with its moderation status rather than left out,
-- so an analyst sees what was hidden and decides. As in export.sql, no
-- statement selects a participant pseudonym.

-- name: zip-proposals
-- status is the latest moderation decision ('published' when none).
-- theme is the narrowest theme the proposal belongs to (a theme folded
-- into another reads as the other).
WITH st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE process_id = $process AND entity_kind = 'proposal'
    GROUP BY entity_id
), p AS (
    SELECT *, min(occurred_at) OVER (PARTITION BY proposal_id) AS created_at
    FROM proposals WHERE process_id = $process
    QUALIFY row_number() OVER (PARTITION BY proposal_id ORDER BY seq DESC) = 1
), s AS (
    SELECT proposal_id, sum(delta)::BIGINT AS supports
    FROM supports WHERE process_id = $process
    GROUP BY proposal_id
), th AS (
    SELECT m.entity_id,
           arg_min(CASE WHEN t.merged_into <> 0 THEN coalesce(t2.label, t.label) ELSE t.label END,
                   CASE m.scope WHEN 'section' THEN 0 WHEN 'component' THEN 1 ELSE 2 END) AS theme
    FROM theme_members m
    JOIN themes t ON t.process_id = m.process_id AND t.scope = m.scope AND t.scope_id = m.scope_id AND t.theme_id = m.theme_id
    LEFT JOIN themes t2 ON t2.process_id = t.process_id AND t2.scope = t.scope AND t2.scope_id = t.scope_id AND t2.theme_id = t.merged_into
    WHERE m.process_id = $process AND m.entity_kind = 'proposal'
    GROUP BY m.entity_id
)
SELECT p.proposal_id, p.component_id, coalesce(c.title, '') AS component,
       coalesce(st.status, 'published') AS status,
       p.region_code AS region, coalesce(r.name, '') AS region_name,
       p.title, p.description, p.budget_minor, coalesce(d.currency, '') AS currency,
       array_to_string(p.tags, '; ') AS tags, p.lat, p.lng, p.created_at,
       coalesce(s.supports, 0)::BIGINT AS supports, coalesce(th.theme, '') AS theme
FROM p
LEFT JOIN st ON st.entity_id = p.proposal_id
LEFT JOIN s ON s.proposal_id = p.proposal_id
LEFT JOIN th ON th.entity_id = p.proposal_id
LEFT JOIN dim_components c ON c.component_id = p.component_id
LEFT JOIN dim_processes d ON d.process_id = p.process_id
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = p.region_code
ORDER BY p.proposal_id;

-- name: zip-comments
-- As zip-proposals: status, the narrowest theme, and the campaign (form
-- letter) the comment belongs to, if any.
WITH st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE process_id = $process AND entity_kind = 'comment'
    GROUP BY entity_id
), cm AS (
    SELECT *, min(occurred_at) OVER (PARTITION BY comment_id) AS created_at
    FROM comments WHERE process_id = $process
    QUALIFY row_number() OVER (PARTITION BY comment_id ORDER BY seq DESC) = 1
), v AS (
    SELECT comment_id,
           sum((vote = 'agree')::INT) - sum((previous = 'agree')::INT) AS agree,
           sum((vote = 'disagree')::INT) - sum((previous = 'disagree')::INT) AS disagree,
           sum((vote = 'pass')::INT) - sum((previous = 'pass')::INT) AS pass
    FROM votes WHERE process_id = $process
    GROUP BY comment_id
), th AS (
    SELECT m.entity_id,
           arg_min(CASE WHEN t.merged_into <> 0 THEN coalesce(t2.label, t.label) ELSE t.label END,
                   CASE m.scope WHEN 'section' THEN 0 WHEN 'component' THEN 1 ELSE 2 END) AS theme
    FROM theme_members m
    JOIN themes t ON t.process_id = m.process_id AND t.scope = m.scope AND t.scope_id = m.scope_id AND t.theme_id = m.theme_id
    LEFT JOIN themes t2 ON t2.process_id = t.process_id AND t2.scope = t.scope AND t2.scope_id = t.scope_id AND t2.theme_id = t.merged_into
    WHERE m.process_id = $process AND m.entity_kind = 'comment'
    GROUP BY m.entity_id
), ca AS (
    SELECT entity_id, min(campaign_id) AS campaign_id, bool_or(is_template) AS is_template
    FROM campaign_members
    WHERE process_id = $process AND entity_kind = 'comment'
    GROUP BY entity_id
)
SELECT cm.comment_id, cm.component_id, coalesce(c.title, '') AS component,
       coalesce(st.status, 'published') AS status,
       cm.target_kind, cm.target_id,
       coalesce(CASE WHEN cm.target_kind = 'section' THEN s.heading END, '') AS section,
       cm.parent_id, cm.kind, cm.body, cm.proposed_text,
       cm.region_code AS region, coalesce(r.name, '') AS region_name, cm.created_at,
       coalesce(v.agree, 0)::BIGINT AS agree, coalesce(v.disagree, 0)::BIGINT AS disagree,
       coalesce(v.pass, 0)::BIGINT AS pass,
       coalesce(th.theme, '') AS theme, ca.campaign_id, coalesce(ca.is_template, false) AS campaign_template
FROM cm
LEFT JOIN st ON st.entity_id = cm.comment_id
LEFT JOIN v ON v.comment_id = cm.comment_id
LEFT JOIN th ON th.entity_id = cm.comment_id
LEFT JOIN ca ON ca.entity_id = cm.comment_id
LEFT JOIN dim_components c ON c.component_id = cm.component_id
LEFT JOIN dim_sections s ON s.section_id = cm.target_id AND s.component_id = cm.component_id
LEFT JOIN dim_processes d ON d.process_id = cm.process_id
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = cm.region_code
ORDER BY cm.comment_id;

-- name: zip-surveys
-- The process's survey components, each a file of its own.
SELECT component_id, title FROM dim_components
WHERE process_id = $process AND kind = 'survey'
ORDER BY component_id;

-- name: zip-questions
-- A survey's questions in the order a respondent meets them; their
-- options say how many columns a multiple choice or ranking question
-- takes.
SELECT question_id, type, prompt, options
FROM dim_questions WHERE component_id = $component
ORDER BY page, position, question_id;

-- name: zip-responses
-- Every kept answer of the survey (the newest save of each response and
-- question) beside its response: where it came from, whether it was
-- completed, and the latest moderation decision on its open answers
-- ('published' when none). One statement, so responses and answers come
-- from one snapshot; in response order, so the writer folds one response
-- at a time and memory holds one response whatever the survey's size. A
-- response with no answer yet has one row with no question (0).
WITH pg AS (
    SELECT response_id, any_value(region_code) AS region,
           min(coalesce(started_at, occurred_at)) AS started_at,
           max(occurred_at) FILTER (WHERE completed) AS completed_at
    FROM survey_pages WHERE process_id = $process AND component_id = $component
    GROUP BY response_id
), st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE process_id = $process AND entity_kind = 'answer'
    GROUP BY entity_id
), a AS (
    SELECT response_id, question_id, choice, rank, number, text
    FROM survey_answers
    WHERE process_id = $process AND component_id = $component
    QUALIFY seq = max(seq) OVER (PARTITION BY response_id, question_id)
)
SELECT pg.response_id, pg.region, coalesce(r.name, '') AS region_name,
       pg.started_at, pg.completed_at IS NOT NULL AS completed, pg.completed_at,
       coalesce(st.status, 'published') AS status,
       coalesce(a.question_id, 0)::BIGINT AS question_id, a.choice, a.rank, a.number, a.text
FROM pg
LEFT JOIN a ON a.response_id = pg.response_id
LEFT JOIN st ON st.entity_id = pg.response_id
LEFT JOIN dim_processes d ON d.process_id = $process
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = pg.region
ORDER BY pg.response_id, a.question_id, a.rank NULLS FIRST, a.choice NULLS FIRST;
