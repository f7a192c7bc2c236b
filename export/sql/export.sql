-- Exports of one process for analysts: one statement per file, each
-- parameterised by $process only. No statement selects a participant
-- pseudonym: exports are handed on, and the pseudonym would let a reader
-- link one person's inputs across tables and processes.
--
-- A proposal or comment whose latest moderation decision is not
-- 'published' (hidden by a moderator, withdrawn by its author) is left out
-- everywhere, as the dashboards leave it out.

-- name: process-exists
SELECT count(*)::BIGINT FROM dim_processes WHERE process_id = $process;

-- name: proposals
-- The newest version of each proposal, dated by its first; supports now
-- are additions minus withdrawals.
WITH unpublished AS (
    SELECT entity_id FROM moderation
    WHERE process_id = $process AND entity_kind = 'proposal'
    GROUP BY entity_id HAVING arg_max(status, seq) <> 'published'
), p AS (
    SELECT *, min(occurred_at) OVER (PARTITION BY proposal_id) AS created_at
    FROM proposals WHERE process_id = $process
    QUALIFY row_number() OVER (PARTITION BY proposal_id ORDER BY seq DESC) = 1
), s AS (
    SELECT proposal_id, sum(delta)::BIGINT AS supports
    FROM supports WHERE process_id = $process
    GROUP BY proposal_id
)
SELECT p.proposal_id, p.component_id, coalesce(c.title, '') AS component,
       p.region_code AS region, coalesce(r.name, '') AS region_name,
       p.title, p.description, p.budget_minor, coalesce(d.currency, '') AS currency,
       array_to_string(p.tags, '; ') AS tags, p.lat, p.lng, p.created_at,
       coalesce(s.supports, 0)::BIGINT AS supports
FROM p
LEFT JOIN s ON s.proposal_id = p.proposal_id
LEFT JOIN dim_components c ON c.component_id = p.component_id
LEFT JOIN dim_processes d ON d.process_id = p.process_id
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = p.region_code
WHERE p.proposal_id NOT IN (SELECT entity_id FROM unpublished)
ORDER BY p.proposal_id;

-- name: comments
-- Votes fold to tallies now: +1 for the new vote, -1 for the one it
-- replaced.
WITH unpublished AS (
    SELECT entity_id FROM moderation
    WHERE process_id = $process AND entity_kind = 'comment'
    GROUP BY entity_id HAVING arg_max(status, seq) <> 'published'
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
)
SELECT cm.comment_id, cm.component_id, coalesce(c.title, '') AS component,
       cm.target_kind, cm.target_id,
       coalesce(CASE WHEN cm.target_kind = 'section' THEN s.heading END, '') AS section,
       cm.parent_id, cm.kind, cm.body, cm.proposed_text,
       cm.region_code AS region, coalesce(r.name, '') AS region_name, cm.created_at,
       coalesce(v.agree, 0)::BIGINT AS agree, coalesce(v.disagree, 0)::BIGINT AS disagree,
       coalesce(v.pass, 0)::BIGINT AS pass
FROM cm
LEFT JOIN v ON v.comment_id = cm.comment_id
LEFT JOIN dim_components c ON c.component_id = cm.component_id
LEFT JOIN dim_sections s ON s.section_id = cm.target_id AND s.component_id = cm.component_id
LEFT JOIN dim_processes d ON d.process_id = cm.process_id
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = cm.region_code
WHERE cm.comment_id NOT IN (SELECT entity_id FROM unpublished)
ORDER BY cm.comment_id;

-- name: survey-answers
-- One row per answer, and per chosen option of a multiple-choice or
-- ranking question. A page saved again replaces its answers: only the
-- newest save of each (response, question) is kept. A choice is an index
-- into the question's options; a likert answer is 1..5.
WITH a AS (
    SELECT * FROM survey_answers WHERE process_id = $process
    QUALIFY seq = max(seq) OVER (PARTITION BY response_id, question_id)
), done AS (
    SELECT response_id, max(occurred_at) FILTER (WHERE completed) AS completed_at
    FROM survey_pages WHERE process_id = $process
    GROUP BY response_id
)
SELECT a.response_id, a.component_id, a.question_id,
       coalesce(q.prompt, '') AS question, coalesce(q.type, '') AS question_type,
       coalesce(CASE
           WHEN q.type = 'likert' AND coalesce(a.choice::DOUBLE, a.number) IN (1, 2, 3, 4, 5)
               THEN ['Strongly disagree', 'Disagree', 'Neutral', 'Agree', 'Strongly agree'][coalesce(a.choice::DOUBLE, a.number)::INT]
           WHEN a.choice IS NOT NULL AND a.choice >= 0 AND a.choice < len(q.options)
               THEN q.options[a.choice + 1]
       END, '') AS answer_label,
       a.rank, coalesce(a.number, CASE WHEN q.type = 'likert' THEN a.choice::DOUBLE END) AS answer_number,
       coalesce(a.text, '') AS answer_text,
       a.region_code AS region, coalesce(r.name, '') AS region_name,
       done.completed_at IS NOT NULL AS completed, done.completed_at
FROM a
LEFT JOIN done ON done.response_id = a.response_id
LEFT JOIN dim_questions q ON q.question_id = a.question_id AND q.component_id = a.component_id
LEFT JOIN dim_processes d ON d.process_id = a.process_id
LEFT JOIN dim_regions r ON r.region_set_id = d.region_set_id AND r.code = a.region_code
ORDER BY a.response_id, a.question_id, a.rank NULLS FIRST, a.choice NULLS FIRST;

-- name: themes
-- The themes as shown (after officials' edits); a theme folded into
-- another is left out, its texts are counted in the other.
SELECT scope, scope_id, theme_id, label, array_to_string(terms, '; ') AS terms, size
FROM themes
WHERE process_id = $process AND merged_into = 0
ORDER BY scope, scope_id, size DESC, theme_id;

-- name: theme-members
-- representative is the rank among the theme's representative texts
-- (1 = nearest its centre), 0 for the others.
WITH unpublished AS (
    SELECT entity_kind, entity_id FROM moderation
    WHERE process_id = $process
    GROUP BY entity_kind, entity_id HAVING arg_max(status, seq) <> 'published'
)
SELECT m.scope, m.scope_id, m.theme_id, m.entity_kind, m.entity_id, m.question_id, m.rep AS representative
FROM theme_members m
WHERE m.process_id = $process
  AND (m.entity_kind, m.entity_id) NOT IN (SELECT entity_kind, entity_id FROM unpublished)
ORDER BY m.scope, m.scope_id, m.theme_id, m.entity_kind, m.entity_id, m.question_id;

-- name: campaigns
-- regions is JSON as stored: [{"region":"KE-047","copies":12}, …].
SELECT campaign_id, copies, exact, template, template_kind, template_id,
       template_qid AS template_question_id, first_seen, last_seen, peak_per_hour, regions, detected_at
FROM campaigns
WHERE process_id = $process
ORDER BY copies DESC, campaign_id;

-- name: campaign-members
WITH unpublished AS (
    SELECT entity_kind, entity_id FROM moderation
    WHERE process_id = $process
    GROUP BY entity_kind, entity_id HAVING arg_max(status, seq) <> 'published'
)
SELECT m.campaign_id, m.entity_kind, m.entity_id, m.question_id, m.is_template
FROM campaign_members m
WHERE m.process_id = $process
  AND (m.entity_kind, m.entity_id) NOT IN (SELECT entity_kind, entity_id FROM unpublished)
ORDER BY m.campaign_id, m.entity_kind, m.entity_id, m.question_id;

-- name: opinion-groups
-- The newest run of each conversation (a document or proposals
-- component). Group -1 holds participants with too few votes to place.
WITH run AS (
    SELECT component_id, max(run_id) AS run_id
    FROM opinion_runs WHERE process_id = $process
    GROUP BY component_id
)
SELECT g.component_id, coalesce(c.title, '') AS component, g.group_id, g.members, g.x, g.y
FROM opinion_groups g
JOIN run ON run.component_id = g.component_id AND run.run_id = g.run_id
LEFT JOIN dim_components c ON c.component_id = g.component_id
WHERE g.process_id = $process
ORDER BY g.component_id, g.group_id;

-- name: opinion-representatives
-- Each group's representative comments (or proposals), best first, with
-- their text; repful_for says whether the group agrees or disagrees more
-- than the others.
WITH run AS (
    SELECT component_id, max(run_id) AS run_id
    FROM opinion_runs WHERE process_id = $process
    GROUP BY component_id
)
SELECT r.component_id, r.group_id, r.rank, r.entity_kind, r.entity_id, i.body AS text,
       r.repful_for, r.n_success, r.n_trials, r.p_success, r.repness
FROM opinion_repness r
JOIN run ON run.component_id = r.component_id AND run.run_id = r.run_id
JOIN text_items i ON i.entity_kind = r.entity_kind AND i.entity_id = r.entity_id AND i.question_id = 0
WHERE r.process_id = $process
  AND (r.entity_kind, r.entity_id) NOT IN (
      SELECT entity_kind, entity_id FROM moderation
      WHERE process_id = $process
      GROUP BY entity_kind, entity_id HAVING arg_max(status, seq) <> 'published')
ORDER BY r.component_id, r.group_id, r.rank;
