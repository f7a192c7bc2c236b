-- Feedback loop: what became of citizens' proposals (assessment decisions,
-- warehouse table proposal_decisions). Hidden proposals (latest moderation
-- decision) are left out: citizens no longer see them. Share of citizens'
-- questions answered waits for official answers (moderation).

-- name: feedback-loop
-- Share of the process's proposals with a decision (selected, not
-- selected, needs more study, or further along), and the median days from
-- submission to the first decision.
WITH hidden AS (
    SELECT entity_id FROM (
        SELECT entity_id, arg_max(status, seq) AS status
        FROM moderation WHERE process_id = $process AND entity_kind = 'proposal'
        GROUP BY entity_id)
    WHERE status <> 'published'
), p AS (
    SELECT proposal_id, min(occurred_at) AS submitted_at
    FROM proposals
    WHERE process_id = $process AND proposal_id NOT IN (SELECT entity_id FROM hidden)
    GROUP BY proposal_id
), d AS (
    SELECT proposal_id, first_decided_at
    FROM proposal_decisions
    WHERE process_id = $process AND first_decided_at IS NOT NULL
)
SELECT count(*)::BIGINT AS proposals,
       count(d.proposal_id)::BIGINT AS decided,
       CASE WHEN count(*) = 0 THEN 0 ELSE count(d.proposal_id)::DOUBLE / count(*) END AS decided_share,
       median(date_diff('second', p.submitted_at, d.first_decided_at) / 86400.0)::DOUBLE AS median_days_to_decision
FROM p LEFT JOIN d USING (proposal_id);

-- name: feedback-decisions-by-state
-- How many of the process's proposals stand in each assessment state; a
-- proposal never decided is "submitted".
WITH p AS (
    SELECT DISTINCT proposal_id FROM proposals WHERE process_id = $process
)
SELECT coalesce(d.state, 'submitted') AS state, count(*)::BIGINT AS n
FROM p LEFT JOIN proposal_decisions d ON d.proposal_id = p.proposal_id AND d.process_id = $process
GROUP BY ALL
ORDER BY n DESC, state;
