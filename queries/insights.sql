-- Themes, campaigns and opinion groups, as package insights leaves them
-- (warehouse/migrations/004_insights.sql). Texts are read through the
-- text_items view, so a text hidden by moderation drops out of every count
-- and list here.
--
-- A theme folded into another (merged_into <> 0) is not listed; its members
-- count towards the theme it was folded into, following merged_into to the
-- end of the chain (roots below), whether or not the job has already moved
-- them. With count-once on (campaign_counting), the copies of a campaign
-- that are not its template are left out ($count_once).

-- name: insight-counting
-- The newest choice wins; no row means every copy counts.
SELECT coalesce(arg_max(count_once, set_at), false) AS count_once
FROM campaign_counting
WHERE process_id = $process;

-- name: insight-themes
SELECT theme_id, label, array_to_string(terms, ', ') AS terms, renamed, parent_id
FROM themes
WHERE process_id = $process AND scope = $scope AND scope_id = $scope_id AND merged_into = 0
  -- a split theme lives on as its children
  AND NOT EXISTS (SELECT 1 FROM themes c WHERE c.process_id = $process AND c.parent_id = themes.theme_id)
ORDER BY size DESC, theme_id;

-- name: insight-theme
SELECT theme_id, label, array_to_string(terms, ', ') AS terms, renamed, parent_id, merged_into
FROM themes
WHERE process_id = $process AND scope = $scope AND scope_id = $scope_id AND theme_id = $theme;

-- name: insight-theme-counts
-- Members per shown theme, region and UTC hour; the dashboard sums them
-- into sizes, regions and the process's local days. $theme 0: every theme.
WITH RECURSIVE roots(theme_id, root_id, depth) AS (
    SELECT theme_id, theme_id, 0 FROM themes
    WHERE process_id = $process AND scope = $scope AND scope_id = $scope_id AND merged_into = 0
    UNION ALL
    SELECT t.theme_id, r.root_id, r.depth + 1
    FROM themes t JOIN roots r ON t.merged_into = r.theme_id
    WHERE t.process_id = $process AND t.scope = $scope AND t.scope_id = $scope_id
      AND t.merged_into <> 0 AND r.depth < 32
)
SELECT r.root_id AS theme_id, i.region_code, date_trunc('hour', i.occurred_at) AS hour, count(*)::BIGINT AS n
FROM theme_members m
JOIN roots r ON r.theme_id = m.theme_id
JOIN text_items i ON i.entity_kind = m.entity_kind AND i.entity_id = m.entity_id AND i.question_id = m.question_id
WHERE m.process_id = $process AND m.scope = $scope AND m.scope_id = $scope_id
  AND ($theme = 0 OR r.root_id = $theme)
  AND ($region = '' OR i.region_code = $region)
  AND NOT ($count_once AND EXISTS (
      SELECT 1 FROM campaign_members c
      WHERE c.process_id = $process AND NOT c.is_template
        AND c.entity_kind = m.entity_kind AND c.entity_id = m.entity_id AND c.question_id = m.question_id))
GROUP BY ALL
ORDER BY 1, 3, 2;

-- name: insight-theme-reps
-- A theme's representative texts, nearest its centre first; those of
-- themes folded into it follow its own.
WITH RECURSIVE roots(theme_id, depth) AS (
    SELECT theme_id, 0 FROM themes
    WHERE process_id = $process AND scope = $scope AND scope_id = $scope_id AND theme_id = $theme
    UNION ALL
    SELECT t.theme_id, r.depth + 1
    FROM themes t JOIN roots r ON t.merged_into = r.theme_id
    WHERE t.process_id = $process AND t.scope = $scope AND t.scope_id = $scope_id
      AND t.merged_into <> 0 AND r.depth < 32
)
SELECT m.rep, m.entity_kind, i.body, i.region_code, i.occurred_at
FROM theme_members m
JOIN roots r ON r.theme_id = m.theme_id
JOIN text_items i ON i.entity_kind = m.entity_kind AND i.entity_id = m.entity_id AND i.question_id = m.question_id
WHERE m.process_id = $process AND m.scope = $scope AND m.scope_id = $scope_id AND m.rep > 0
ORDER BY r.depth, m.rep, m.entity_id
LIMIT 10;

-- name: insight-theme-stance
-- The current votes on a theme's comments and the supports of its
-- proposals (withdrawals subtracted).
WITH RECURSIVE roots(theme_id, depth) AS (
    SELECT theme_id, 0 FROM themes
    WHERE process_id = $process AND scope = $scope AND scope_id = $scope_id AND theme_id = $theme
    UNION ALL
    SELECT t.theme_id, r.depth + 1
    FROM themes t JOIN roots r ON t.merged_into = r.theme_id
    WHERE t.process_id = $process AND t.scope = $scope AND t.scope_id = $scope_id
      AND t.merged_into <> 0 AND r.depth < 32
), texts AS (
    SELECT DISTINCT m.entity_kind, m.entity_id
    FROM theme_members m
    JOIN roots r ON r.theme_id = m.theme_id
    JOIN text_items i ON i.entity_kind = m.entity_kind AND i.entity_id = m.entity_id AND i.question_id = m.question_id
    WHERE m.process_id = $process AND m.scope = $scope AND m.scope_id = $scope_id
      AND m.entity_kind IN ('comment', 'proposal')
)
SELECT
    (SELECT coalesce(sum((vote = 'agree')::INT) - sum((previous = 'agree')::INT), 0)
     FROM votes WHERE process_id = $process AND comment_id IN (SELECT entity_id FROM texts WHERE entity_kind = 'comment'))::BIGINT AS agree,
    (SELECT coalesce(sum((vote = 'disagree')::INT) - sum((previous = 'disagree')::INT), 0)
     FROM votes WHERE process_id = $process AND comment_id IN (SELECT entity_id FROM texts WHERE entity_kind = 'comment'))::BIGINT AS disagree,
    (SELECT coalesce(sum(delta), 0)
     FROM supports WHERE process_id = $process AND proposal_id IN (SELECT entity_id FROM texts WHERE entity_kind = 'proposal'))::BIGINT AS supports,
    (SELECT count(*) FROM texts WHERE entity_kind = 'comment')::BIGINT AS comments,
    (SELECT count(*) FROM texts WHERE entity_kind = 'proposal')::BIGINT AS proposals;

-- name: insight-campaigns
-- A template hidden by moderation is not shown (hidden is true). The
-- page lists the 100 largest ($limit), a download every one; total is how
-- many the process has.
SELECT c.campaign_id, c.template, i.entity_id IS NULL AS hidden, c.copies, c.exact,
       c.first_seen, c.last_seen, c.peak_per_hour, c.regions, count(*) OVER ()::BIGINT AS total
FROM campaigns c
LEFT JOIN text_items i ON i.entity_kind = c.template_kind AND i.entity_id = c.template_id AND i.question_id = c.template_qid
WHERE c.process_id = $process
ORDER BY c.copies DESC, c.campaign_id
LIMIT $limit;

-- name: insight-opinion-run
-- The newest run of a conversation, with how stable its groups are
-- across seeded starts (starts 0: not known).
SELECT run_id, participants, clustered, items, k, run_at, starts, starts_at_k, stability_mean
FROM opinion_runs
WHERE process_id = $process AND component_id = $component
ORDER BY run_id DESC
LIMIT 1;

-- name: insight-opinion-points
-- Positions only: the pseudonym never leaves the warehouse.
SELECT group_id, x, y
FROM opinion_participants
WHERE run_id = $run AND process_id = $process AND component_id = $component
ORDER BY group_id, x, y;

-- name: insight-opinion-groups
SELECT group_id, members
FROM opinion_groups
WHERE run_id = $run AND process_id = $process AND component_id = $component
ORDER BY group_id;

-- name: insight-opinion-repness
SELECT r.group_id, r.rank, i.body, r.repful_for, r.n_success, r.n_trials
FROM opinion_repness r
JOIN text_items i ON i.entity_kind = r.entity_kind AND i.entity_id = r.entity_id AND i.question_id = 0
WHERE r.run_id = $run AND r.process_id = $process AND r.component_id = $component
ORDER BY r.group_id, r.rank
LIMIT 500;

-- name: insight-opinion-consensus
SELECT c.kind, c.rank, i.body, c.score
FROM opinion_consensus c
JOIN text_items i ON i.entity_kind = c.entity_kind AND i.entity_id = c.entity_id AND i.question_id = 0
WHERE c.run_id = $run AND c.process_id = $process AND c.component_id = $component
ORDER BY c.kind, c.rank
LIMIT 60;

-- name: insight-theme-any
-- A theme of the process in whichever scope (ids are unique per process):
-- what the officials' edits check before the job applies them.
SELECT scope, scope_id, merged_into
FROM themes
WHERE process_id = $process AND theme_id = $theme
LIMIT 1;

-- name: insight-theme-scopes
-- The scopes that have themes, with what names them (a component's
-- title, a question's prompt, a section's newest heading and position):
-- the themes panel's scope picker.
SELECT t.scope, t.scope_id, coalesce(c.title, q.prompt, s.heading, '') AS label,
       coalesce(s.position, q.position, c.position, 0)::INTEGER AS pos
FROM (SELECT DISTINCT scope, scope_id FROM themes WHERE process_id = $process AND merged_into = 0) t
LEFT JOIN dim_components c ON t.scope = 'component' AND c.component_id = t.scope_id AND c.process_id = $process
LEFT JOIN dim_questions q ON t.scope = 'question' AND q.question_id = t.scope_id
LEFT JOIN (SELECT section_id, arg_max(heading, version) AS heading, arg_max(position, version) AS position
           FROM dim_sections GROUP BY section_id) s ON t.scope = 'section' AND s.section_id = t.scope_id
ORDER BY CASE t.scope WHEN 'process' THEN 0 WHEN 'component' THEN 1 WHEN 'section' THEN 2 ELSE 3 END, pos, t.scope_id;
