-- name: processes
-- Processes with at least one text or vote, oldest first. Read from the
-- hourly rollup's all-components, all-regions rows (one per process, hour
-- and type) rather than from the events ledger, which grows with every
-- submission and would be scanned on every pass.
SELECT DISTINCT process_id FROM dash_hourly
WHERE component_id = 0 AND region_code = ''
  AND kind IN ('proposal.created', 'comment.created', 'comment.voted', 'support.added', 'support.removed', 'survey.answered', 'survey.completed')
ORDER BY process_id;
