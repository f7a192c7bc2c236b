-- The overview documents (report.go). Every statement reads one process
-- ($process) or one component ($component) of the warehouse. Hidden and
-- moderated items are selected with their status: the documents count
-- them but print none of their text (the Go side drops it), so a reader
-- sees how many there were. No statement selects a participant pseudonym.

-- name: report-process
SELECT title, budget_minor, currency FROM dim_processes WHERE process_id = $process;

-- name: report-components
SELECT component_id, kind, title FROM dim_components
WHERE process_id = $process ORDER BY position, component_id;

-- name: report-figures
-- Key figures of the cover: distinct participants and the inputs of each kind.
SELECT
    (SELECT count(DISTINCT participant) FROM events WHERE process_id = $process)::BIGINT AS participants,
    (SELECT count(DISTINCT proposal_id) FROM proposals WHERE process_id = $process)::BIGINT AS proposals,
    (SELECT count(DISTINCT comment_id) FROM comments WHERE process_id = $process)::BIGINT AS comments,
    (SELECT count(*) FROM survey_responses WHERE process_id = $process)::BIGINT AS responses,
    (SELECT coalesce(sum(delta), 0) FROM supports WHERE process_id = $process)::BIGINT AS supports;

-- name: report-proposals
-- Each proposal's latest version, its moderation status ('published'
-- when none), supports, narrowest theme (a merged theme reads as the one
-- it was folded into), region name and assessment state.
WITH st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE process_id = $process AND entity_kind = 'proposal'
    GROUP BY entity_id
), p AS (
    SELECT * FROM proposals WHERE process_id = $process
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
SELECT p.proposal_id, coalesce(st.status, 'published') AS status,
       p.title, p.description, p.budget_minor, coalesce(d.currency, '') AS currency,
       p.region_code, coalesce(r.name, '') AS region_name,
       coalesce(s.supports, 0)::BIGINT AS supports, coalesce(th.theme, '') AS theme,
       coalesce(pd.state, '') AS state, coalesce(pd.reason, '') AS reason
FROM p
LEFT JOIN st ON st.entity_id = p.proposal_id
LEFT JOIN s ON s.proposal_id = p.proposal_id
LEFT JOIN th ON th.entity_id = p.proposal_id
LEFT JOIN dim_processes d ON d.process_id = p.process_id
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = p.region_code
LEFT JOIN proposal_decisions pd ON pd.proposal_id = p.proposal_id
ORDER BY coalesce(th.theme, '') = '', coalesce(th.theme, ''), supports DESC, p.proposal_id;

-- name: report-sections
-- The sections of a document component: those of its newest version and
-- any older one that was commented on, with counts by kind (each
-- comment's latest version) and how many are hidden.
WITH st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE component_id = $component AND entity_kind = 'comment'
    GROUP BY entity_id
), c AS (
    SELECT comment_id, target_id AS section_id, kind FROM comments
    WHERE component_id = $component AND target_kind = 'section'
    QUALIFY row_number() OVER (PARTITION BY comment_id ORDER BY seq DESC) = 1
), latest AS (
    SELECT max(version) AS version FROM dim_sections WHERE component_id = $component
)
SELECT s.section_id, s.version, s.heading,
       count(c.comment_id) FILTER (WHERE c.kind = 'comment')::BIGINT AS comments,
       count(c.comment_id) FILTER (WHERE c.kind = 'amendment')::BIGINT AS amendments,
       count(c.comment_id) FILTER (WHERE c.kind = 'question')::BIGINT AS questions,
       count(c.comment_id) FILTER (WHERE coalesce(st.status, 'published') <> 'published')::BIGINT AS hidden
FROM dim_sections s
LEFT JOIN c ON c.section_id = s.section_id
LEFT JOIN st ON st.entity_id = c.comment_id
WHERE s.component_id = $component
GROUP BY s.section_id, s.version, s.position, s.heading
HAVING s.version = (SELECT version FROM latest) OR count(c.comment_id) > 0
ORDER BY s.version, s.position, s.section_id;

-- name: report-section-themes
-- Each section's themes (merged ones left out: their members count under
-- the theme they were folded into), largest first, with up to $reps
-- representative comments (rep 1 = nearest the theme's centre) and their
-- moderation status.
WITH st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE component_id = $component AND entity_kind = 'comment'
    GROUP BY entity_id
), c AS (
    SELECT comment_id, body FROM comments
    WHERE component_id = $component AND target_kind = 'section'
    QUALIFY row_number() OVER (PARTITION BY comment_id ORDER BY seq DESC) = 1
), t AS (
    SELECT th.scope_id AS section_id, th.theme_id, th.label, th.size
    FROM themes th
    JOIN dim_sections s ON s.section_id = th.scope_id AND s.component_id = $component
    WHERE th.process_id = $process AND th.scope = 'section' AND th.merged_into = 0
)
SELECT t.section_id, t.theme_id, t.label, t.size::BIGINT AS size,
       coalesce(m.rep, 0)::INTEGER AS rep, coalesce(c.body, '') AS body,
       coalesce(st.status, 'published') AS status
FROM t
LEFT JOIN theme_members m ON m.process_id = $process AND m.scope = 'section' AND m.scope_id = t.section_id
     AND m.theme_id = t.theme_id AND m.entity_kind = 'comment' AND m.rep BETWEEN 1 AND $reps
LEFT JOIN c ON c.comment_id = m.entity_id
LEFT JOIN st ON st.entity_id = m.entity_id
ORDER BY t.section_id, t.size DESC, t.theme_id, m.rep;

-- name: report-amendments
-- Every amendment on the component's sections: its text and the text it
-- proposes, with its moderation status.
WITH st AS (
    SELECT entity_id, arg_max(status, seq) AS status FROM moderation
    WHERE component_id = $component AND entity_kind = 'comment'
    GROUP BY entity_id
)
SELECT c.comment_id, c.target_id AS section_id, c.body, c.proposed_text,
       coalesce(st.status, 'published') AS status
FROM comments c
LEFT JOIN st ON st.entity_id = c.comment_id
WHERE c.component_id = $component AND c.target_kind = 'section' AND c.kind = 'amendment'
QUALIFY row_number() OVER (PARTITION BY c.comment_id ORDER BY c.seq DESC) = 1
ORDER BY c.target_id, c.comment_id;

-- name: report-questions
SELECT question_id, type, prompt, options
FROM dim_questions WHERE component_id = $component
ORDER BY page, position, question_id;

-- name: report-respondents
-- Responses that answered each question: the denominator of its shares.
SELECT question_id, count(DISTINCT response_id)::BIGINT AS n
FROM survey_answers WHERE component_id = $component
GROUP BY question_id;

-- name: report-choices
-- Responses per option; for a ranking question, first places only.
SELECT question_id, choice, count(DISTINCT response_id)::BIGINT AS n
FROM survey_answers
WHERE component_id = $component AND choice IS NOT NULL AND (rank IS NULL OR rank = 1)
GROUP BY ALL ORDER BY question_id, choice;

-- name: report-numbers
-- Numeric and Likert answers as (value, how many).
SELECT question_id, number, count(*)::BIGINT AS n
FROM survey_answers
WHERE component_id = $component AND number IS NOT NULL
GROUP BY ALL ORDER BY question_id, number;

-- name: report-survey-responses
SELECT count(*)::BIGINT AS started, count(completed_at)::BIGINT AS completed
FROM survey_responses WHERE component_id = $component;
