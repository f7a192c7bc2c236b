-- Feedback loop: what became of citizens' proposals (assessment decisions,
-- warehouse table proposal_decisions) and of their questions on documents
-- (the institution's answers, official_answers). Hidden proposals and
-- comments (latest moderation decision) are left out: citizens no longer
-- see them.

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
-- proposal never decided is "submitted". decided says whether the
-- proposals of the row have had a decision: a proposal that needed more
-- study and went back under assessment has (feedback-loop counts it), one
-- under assessment for the first time has not, so the rows with decided
-- add up to feedback-loop's decided and all rows to its proposals.
WITH hidden AS (
    SELECT entity_id FROM (
        SELECT entity_id, arg_max(status, seq) AS status
        FROM moderation WHERE process_id = $process AND entity_kind = 'proposal'
        GROUP BY entity_id)
    WHERE status <> 'published'
), p AS (
    SELECT DISTINCT proposal_id FROM proposals
    WHERE process_id = $process AND proposal_id NOT IN (SELECT entity_id FROM hidden)
)
SELECT coalesce(d.state, 'submitted') AS state, coalesce(d.first_decided_at IS NOT NULL, false) AS decided, count(*)::BIGINT AS n
FROM p LEFT JOIN proposal_decisions d ON d.proposal_id = p.proposal_id AND d.process_id = $process
GROUP BY ALL
ORDER BY n DESC, state, decided;

-- name: feedback-questions
-- Citizens' questions on the process's documents (top-level comments of
-- kind question; a reply is part of its question's thread) and how many of
-- them the institution answered: an official answer to the question or to
-- a reply under it (the store records both against the question). Hidden
-- questions and hidden answers are left out, as the store's list of
-- questions to answer does.
WITH hidden AS (
    SELECT entity_id FROM (
        SELECT entity_id, arg_max(status, seq) AS status
        FROM moderation WHERE process_id = $process AND entity_kind = 'comment'
        GROUP BY entity_id)
    WHERE status <> 'published'
), q AS (
    SELECT DISTINCT comment_id FROM comments
    WHERE process_id = $process AND kind = 'question' AND parent_id IS NULL
      AND comment_id NOT IN (SELECT entity_id FROM hidden)
), a AS (
    SELECT DISTINCT parent_id FROM official_answers
    WHERE process_id = $process AND answer_id NOT IN (SELECT entity_id FROM hidden)
)
SELECT count(*)::BIGINT AS questions,
       count(a.parent_id)::BIGINT AS answered,
       CASE WHEN count(*) = 0 THEN 0 ELSE count(a.parent_id)::DOUBLE / count(*) END AS answered_share
FROM q LEFT JOIN a ON a.parent_id = q.comment_id;
