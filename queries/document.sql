-- Document consultation overview. Comments on a section are those whose
-- target is the section; hidden ones (latest moderation decision) are left
-- out. Votes fold to current tallies: +1 for the new vote, -1 for the one
-- it replaced.

-- name: document-sections
WITH hidden AS (
    SELECT entity_id FROM (
        SELECT entity_id, arg_max(status, seq) AS status
        FROM moderation WHERE component_id = $component AND entity_kind = 'comment'
        GROUP BY entity_id)
    WHERE status <> 'published'
), c AS (
    SELECT comment_id, target_id AS section_id, kind
    FROM comments
    WHERE component_id = $component AND target_kind = 'section'
      AND ($region = '' OR region_code = $region)
      AND occurred_at >= $from AND occurred_at < $to
      AND comment_id NOT IN (SELECT entity_id FROM hidden)
      -- Count-once (the official's choice): a campaign's copies other than
      -- its template are left out.
      AND NOT ($count_once AND comment_id IN (
          SELECT entity_id FROM campaign_members
          WHERE process_id = $process AND entity_kind = 'comment' AND NOT is_template))
), v AS (
    SELECT comment_id,
           sum((vote = 'agree')::INT) - sum((previous = 'agree')::INT) AS agree,
           sum((vote = 'disagree')::INT) - sum((previous = 'disagree')::INT) AS disagree
    FROM votes WHERE component_id = $component
    GROUP BY comment_id
)
SELECT s.section_id, s.position, s.heading,
       count(c.comment_id) FILTER (WHERE c.kind = 'comment')::BIGINT AS comments,
       count(c.comment_id) FILTER (WHERE c.kind = 'amendment')::BIGINT AS amendments,
       count(c.comment_id) FILTER (WHERE c.kind = 'question')::BIGINT AS questions,
       coalesce(sum(v.agree), 0)::BIGINT AS agree,
       coalesce(sum(v.disagree), 0)::BIGINT AS disagree
FROM dim_sections s
LEFT JOIN c ON c.section_id = s.section_id
LEFT JOIN v ON v.comment_id = c.comment_id
WHERE s.component_id = $component
GROUP BY ALL
ORDER BY s.position;

-- name: section-comments
-- The page shows the first 200 ($limit); a download asks for every row.
-- total is how many the section has, so a shortened table can say so.
WITH hidden AS (
    SELECT entity_id FROM (
        SELECT entity_id, arg_max(status, seq) AS status
        FROM moderation WHERE component_id = $component AND entity_kind = 'comment'
        GROUP BY entity_id)
    WHERE status <> 'published'
), v AS (
    SELECT comment_id,
           sum((vote = 'agree')::INT) - sum((previous = 'agree')::INT) AS agree,
           sum((vote = 'disagree')::INT) - sum((previous = 'disagree')::INT) AS disagree
    FROM votes WHERE component_id = $component
    GROUP BY comment_id
)
SELECT c.comment_id, c.kind, c.body, c.proposed_text, c.region_code, c.occurred_at,
       coalesce(v.agree, 0)::BIGINT AS agree, coalesce(v.disagree, 0)::BIGINT AS disagree,
       count(*) OVER ()::BIGINT AS total
FROM comments c
LEFT JOIN v ON v.comment_id = c.comment_id
WHERE c.component_id = $component AND c.target_kind = 'section' AND c.target_id = $section
  AND ($region = '' OR c.region_code = $region)
  AND c.occurred_at >= $from AND c.occurred_at < $to
  AND c.comment_id NOT IN (SELECT entity_id FROM hidden)
ORDER BY agree DESC, c.comment_id
LIMIT $limit;
