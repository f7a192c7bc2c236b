-- Statements the warehouse itself runs. Dashboard queries live in queries/.

-- name: get-checkpoint
SELECT tx, seq, events, batches FROM checkpoint;

-- name: set-checkpoint
UPDATE checkpoint SET tx = ?, seq = ?, events = events + ?, batches = batches + 1;

-- name: load-seqs
SELECT seq FROM events UNION ALL SELECT seq FROM dropped WHERE reason <> 'duplicate';

-- name: load-first-seen
SELECT process_id, component_id, kind, region_code, participant FROM participant_first_seen;

-- name: load-rollup-keys
SELECT key_id, grain, bucket, process_id, component_id, kind, region_code FROM rollup;

-- Adds a batch's counts to rollup rows that exist. Appended rows arrive as
-- col1..col9 in rollup's column order, one per key.
-- name: add-to-rollup
UPDATE rollup
SET events = rollup.events + d.col8,
    new_participants = rollup.new_participants + d.col9
FROM appended_data AS d
WHERE rollup.key_id = d.col1;

-- name: delete-process
DELETE FROM dim_processes WHERE process_id = ?;
-- name: delete-phases
DELETE FROM dim_phases WHERE process_id = ?;
-- name: delete-components
DELETE FROM dim_components WHERE process_id = ?;
-- name: delete-regions
DELETE FROM dim_regions WHERE region_set_id = ?;
-- name: delete-sections
DELETE FROM dim_sections WHERE component_id = ?;
-- name: delete-questions
DELETE FROM dim_questions WHERE component_id = ?;

-- name: drop-counts
SELECT process_id, reason, count(*) AS n
FROM dropped
GROUP BY process_id, reason
ORDER BY process_id, reason;
