-- Assessment and decisions (assessment.go, migration 007_assessment.sql).

-- name: list-criteria
SELECT id, process_id, position, name, description, weight, scale_min, scale_max, staff_id, updated_at
FROM criteria WHERE process_id = ? ORDER BY position, id

-- name: get-criterion
SELECT id, process_id, position, name, description, weight, scale_min, scale_max, staff_id, updated_at
FROM criteria WHERE id = ?

-- name: insert-criterion
-- Last in the list.
INSERT INTO criteria (process_id, position, name, description, weight, scale_min, scale_max, staff_id, updated_at)
SELECT ?, coalesce(max(position), 0) + 1, ?, ?, ?, ?, ?, ?, ?
FROM criteria WHERE process_id = ?
RETURNING id

-- name: update-criterion
UPDATE criteria SET name = ?, description = ?, weight = ?, scale_min = ?, scale_max = ?, staff_id = ?, updated_at = ?
WHERE id = ? AND process_id = ?

-- name: delete-criterion
DELETE FROM criteria WHERE id = ? AND process_id = ?

-- name: criterion-process
-- The owner of a criterion's translations.
SELECT process_id FROM criteria WHERE id = ?

-- name: criterion-scores-outside
-- Scores a scale change would leave outside the new scale.
SELECT count(*) FROM assessment_scores WHERE criterion_id = ? AND (score < ? OR score > ?)

-- name: proposal-process
SELECT process_id FROM proposals WHERE id = ?

-- name: upsert-score
INSERT INTO assessment_scores (proposal_id, criterion_id, staff_id, score, note, scored_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (proposal_id, criterion_id, staff_id) DO UPDATE SET score = excluded.score, note = excluded.note, scored_at = excluded.scored_at

-- name: list-scores
SELECT s.proposal_id, s.criterion_id, s.staff_id, s.score, s.note, s.scored_at
FROM assessment_scores s JOIN criteria c ON c.id = s.criterion_id
WHERE c.process_id = ? ORDER BY s.proposal_id, c.position, s.staff_id

-- name: get-proposal-decision
SELECT proposal_id, process_id, state, reason, staff_id, decided_at FROM proposal_decisions WHERE proposal_id = ?

-- name: insert-proposal-decision
-- The first move (from submitted); a second writer at the same moment hits
-- the primary key.
INSERT INTO proposal_decisions (proposal_id, process_id, state, reason, staff_id, decided_at) VALUES (?, ?, ?, ?, ?, ?)

-- name: update-proposal-decision
-- Only from the state the official saw: a decision made meanwhile wins.
UPDATE proposal_decisions SET state = ?, reason = ?, staff_id = ?, decided_at = ?
WHERE proposal_id = ? AND state = ?

-- name: list-proposal-decisions
SELECT proposal_id, process_id, state, reason, staff_id, decided_at FROM proposal_decisions
WHERE process_id = ? ORDER BY proposal_id

-- name: section-component
SELECT component_id FROM sections WHERE id = ?

-- name: upsert-section-response
INSERT INTO section_responses (section_id, component_id, new_section_id, changed, why, staff_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (section_id) DO UPDATE SET new_section_id = excluded.new_section_id, changed = excluded.changed,
    why = excluded.why, staff_id = excluded.staff_id, updated_at = excluded.updated_at

-- name: list-section-responses
SELECT section_id, component_id, new_section_id, changed, why, staff_id, updated_at
FROM section_responses WHERE component_id = ? ORDER BY section_id

-- name: question-component
SELECT component_id FROM questions WHERE id = ?

-- name: upsert-takeaway
INSERT INTO survey_takeaways (component_id, page, question_id, text, staff_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (component_id, page, question_id) DO UPDATE SET text = excluded.text, staff_id = excluded.staff_id, updated_at = excluded.updated_at

-- name: delete-takeaway
DELETE FROM survey_takeaways WHERE component_id = ? AND page = ? AND question_id = ?

-- name: list-takeaways
SELECT component_id, page, question_id, text, staff_id, updated_at
FROM survey_takeaways WHERE component_id = ? ORDER BY page, question_id

-- name: document-version
-- One version of a document, which the "you said / we did" answers.
SELECT component_id, version, title, created_at FROM documents WHERE component_id = ? AND version = ?
