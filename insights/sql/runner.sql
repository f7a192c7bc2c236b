-- name: processes
-- Processes with at least one text or vote, oldest first.
SELECT DISTINCT process_id FROM events
WHERE type IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'support.removed', 'survey.answered', 'survey.completed')
ORDER BY process_id;
