-- name: opinion-vote-marks
-- Each document component's newest vote of a process.
SELECT component_id, max(seq)::BIGINT FROM votes WHERE process_id = $1 GROUP BY component_id ORDER BY component_id;

-- name: opinion-support-marks
-- Each proposals component's newest support or withdrawal of a process.
SELECT component_id, max(seq)::BIGINT FROM supports WHERE process_id = $1 GROUP BY component_id ORDER BY component_id;

-- name: opinion-hidden
-- Comments and proposals of a process whose latest moderation hides them.
SELECT component_id, entity_kind, entity_id FROM (
    SELECT component_id, entity_kind, entity_id, status,
           row_number() OVER (PARTITION BY entity_kind, entity_id ORDER BY seq DESC) AS rn
    FROM moderation WHERE process_id = $1)
WHERE rn = 1 AND status = 'hidden'
ORDER BY component_id, entity_kind, entity_id;

-- name: opinion-votes-after
-- A document component's votes after a seq, in the order they were cast;
-- each replaces the participant's earlier vote on the comment.
SELECT seq, participant, comment_id, vote
FROM votes
WHERE process_id = $1 AND component_id = $2 AND seq > $3
ORDER BY seq;

-- name: opinion-supports-after
-- A proposals component's supports and withdrawals after a seq, in order.
SELECT seq, participant, proposal_id, delta
FROM supports
WHERE process_id = $1 AND component_id = $2 AND seq > $3
ORDER BY seq;

-- name: opinion-last-run
-- The newest vote seq of a component's current run (0 if none).
SELECT coalesce(max(votes_seq), 0)::BIGINT FROM opinion_runs WHERE process_id = $1 AND component_id = $2;

-- name: opinion-next-run
SELECT (coalesce(max(run_id), 0) + 1)::BIGINT FROM opinion_runs;

-- name: opinion-delete-runs
DELETE FROM opinion_runs WHERE process_id = $1 AND component_id = $2;

-- name: opinion-delete-participants
DELETE FROM opinion_participants WHERE process_id = $1 AND component_id = $2;

-- name: opinion-delete-groups
DELETE FROM opinion_groups WHERE process_id = $1 AND component_id = $2;

-- name: opinion-delete-repness
DELETE FROM opinion_repness WHERE process_id = $1 AND component_id = $2;

-- name: opinion-delete-consensus
DELETE FROM opinion_consensus WHERE process_id = $1 AND component_id = $2;
