-- Moderation: reports and moderators' decisions (moderation.go, migration
-- 006_moderation.sql).

-- name: get-moderation
SELECT kind, entity_id, question_id, process_id, component_id, status, reason, reports, open, created_at, updated_at
FROM moderations WHERE kind = ? AND entity_id = ? AND question_id = ?

-- name: insert-moderation
INSERT INTO moderations (kind, entity_id, question_id, process_id, component_id, status, reason, staff_id,
    reports, open, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- name: update-moderation
UPDATE moderations SET status = ?, reason = ?, staff_id = ?, reports = ?, open = ?, updated_at = ?
WHERE kind = ? AND entity_id = ? AND question_id = ?

-- name: has-reported
SELECT COUNT(*) FROM reports WHERE kind = ? AND entity_id = ? AND question_id = ? AND participant_id = ?

-- name: insert-report
INSERT INTO reports (kind, entity_id, question_id, participant_id, reason, text, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?)

-- name: count-reporters
SELECT COUNT(*) FROM reports WHERE kind = ? AND entity_id = ? AND question_id = ?

-- name: report-reasons
SELECT reason, COUNT(*) AS n FROM reports WHERE kind = ? AND entity_id = ? AND question_id = ?
GROUP BY reason

-- An open answer: only text questions' non-empty answers can be reported.
-- name: get-answer-target
SELECT r.process_id, r.component_id, r.participant_id, a.text_value
FROM answers a JOIN responses r ON r.id = a.response_id JOIN questions q ON q.id = a.question_id
WHERE a.response_id = ? AND a.question_id = ? AND q.type = 'text' AND a.text_value <> ''

-- name: get-auto-hide-after
SELECT auto_hide_after FROM processes WHERE id = ?

-- name: set-auto-hide-after
UPDATE processes SET auto_hide_after = ? WHERE id = ?

-- name: get-premoderated
SELECT premoderated FROM components WHERE id = ?

-- name: set-premoderated
UPDATE components SET premoderated = ? WHERE id = ?

-- The decided states of some contributions of one kind (citizen pages).
-- name: list-moderation-states
SELECT kind, entity_id, question_id, process_id, component_id, status, reason, reports, open, created_at, updated_at
FROM moderations WHERE kind = ? AND question_id = 0 AND entity_id IN (?)

-- The queue: a process's open items, oldest first, with a cut of their text.
-- The filters are off when given '' or 0.
-- name: moderation-queue
-- The list of kept items (a campaign's copies) is one string of
-- ",kind:id:question," entries: one parameter on both dialects, matched
-- against the few open items only.
SELECT m.kind, m.entity_id, m.question_id, m.process_id, m.component_id, m.status, m.reason, m.reports, m.open,
    m.created_at, m.updated_at,
    SUBSTR(COALESCE(
        (SELECT p.title FROM proposals p WHERE m.kind = 'proposal' AND p.id = m.entity_id),
        (SELECT c.body FROM comments c WHERE m.kind = 'comment' AND c.id = m.entity_id),
        (SELECT a.text_value FROM answers a WHERE m.kind = 'answer' AND a.response_id = m.entity_id AND a.question_id = m.question_id),
        ''), 1, 280) AS excerpt
FROM moderations m
WHERE m.process_id = ? AND m.open = ?
  AND (? = '' OR m.kind = ?)
  AND (? = 0 OR m.component_id = ?)
  AND (? = '' OR EXISTS (SELECT 1 FROM reports r WHERE r.kind = m.kind AND r.entity_id = m.entity_id
      AND r.question_id = m.question_id AND r.reason = ?))
  AND (? = '' OR ? LIKE '%,' || m.kind || ':' || CAST(m.entity_id AS TEXT) || ':' || CAST(m.question_id AS TEXT) || ',%')
ORDER BY m.created_at, m.kind, m.entity_id, m.question_id
LIMIT ? OFFSET ?

-- name: moderation-queue-count
SELECT COUNT(*) FROM moderations m
WHERE m.process_id = ? AND m.open = ?
  AND (? = '' OR m.kind = ?)
  AND (? = 0 OR m.component_id = ?)
  AND (? = '' OR EXISTS (SELECT 1 FROM reports r WHERE r.kind = m.kind AND r.entity_id = m.entity_id
      AND r.question_id = m.question_id AND r.reason = ?))
  AND (? = '' OR ? LIKE '%,' || m.kind || ':' || CAST(m.entity_id AS TEXT) || ':' || CAST(m.question_id AS TEXT) || ',%')

-- name: moderation-queue-counts
SELECT process_id, COUNT(*) AS n FROM moderations WHERE open = ? GROUP BY process_id

-- Hidden comments on a target, for the placeholder citizens see in their place.
-- name: hidden-comments-on
SELECT m.kind, m.entity_id, m.question_id, m.process_id, m.component_id, m.status, m.reason, m.reports, m.open,
    m.created_at, m.updated_at
FROM moderations m JOIN comments c ON m.kind = 'comment' AND c.id = m.entity_id
WHERE c.target_kind = ? AND c.target_id = ? AND c.status = 'hidden'
ORDER BY c.created_at, c.id

-- Official answers: a reply the institution writes, marked by the staff
-- member's id; its participant is a row of kind 'institution' that no
-- cookie can ever match (its token hash is of a random secret nobody keeps).
-- name: insert-official-answer
INSERT INTO comments (process_id, component_id, target_kind, target_id, parent_id, participant_id, kind,
    body, proposed_text, created_at, official_staff_id)
VALUES (?, ?, ?, ?, ?, ?, 'comment', ?, '', ?, ?) RETURNING id

-- The citizens' questions on a process's documents, oldest first, and
-- whether the institution has answered each.
-- name: process-questions
SELECT c.id, c.process_id, c.component_id, c.target_kind, c.target_id, c.parent_id, c.participant_id, c.kind, c.body,
    c.proposed_text, c.status, c.agree, c.disagree, c.pass, c.created_at,
    EXISTS (SELECT 1 FROM comments a WHERE a.parent_id = c.id AND a.official_staff_id <> 0 AND a.status = 'published') AS answered
FROM comments c
WHERE c.process_id = ? AND c.kind = 'question' AND c.parent_id IS NULL AND c.status = 'published'
ORDER BY c.created_at, c.id
