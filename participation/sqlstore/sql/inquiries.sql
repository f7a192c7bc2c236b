-- Inquiries ("Ask the team", inquiries.go, migration 011_inquiries.sql).

-- name: insert-inquiry
INSERT INTO inquiries (process_id, participant_id, question, email, lang, status, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, 'new', ?, ?)
RETURNING id

-- name: get-inquiry
SELECT id, process_id, participant_id, question, email, lang, status, assignee_id, answer, answered_by, answered_at,
    faq, faq_question, faq_answer, hidden, hidden_reason, created_at, updated_at
FROM inquiries WHERE id = ? AND process_id = ?

-- The inbox; the status filter is off when given ''.
-- name: list-inquiries
SELECT id, process_id, participant_id, question, email, lang, status, assignee_id, answer, answered_by, answered_at,
    faq, faq_question, faq_answer, hidden, hidden_reason, created_at, updated_at
FROM inquiries WHERE process_id = ? AND (? = '' OR status = ?)
ORDER BY created_at DESC, id DESC
LIMIT ? OFFSET ?

-- name: count-inquiries
SELECT COUNT(*) FROM inquiries WHERE process_id = ? AND (? = '' OR status = ?)

-- name: inquiry-counts
SELECT status, COUNT(*) AS n FROM inquiries WHERE process_id = ? GROUP BY status

-- name: update-inquiry
UPDATE inquiries SET status = ?, assignee_id = ?, answer = ?, answered_by = ?, answered_at = ?,
    faq = ?, faq_question = ?, faq_answer = ?, hidden = ?, hidden_reason = ?, updated_at = ?
WHERE id = ? AND process_id = ?

-- name: list-faq
SELECT id, process_id, participant_id, question, email, lang, status, assignee_id, answer, answered_by, answered_at,
    faq, faq_question, faq_answer, hidden, hidden_reason, created_at, updated_at
FROM inquiries WHERE process_id = ? AND faq AND NOT hidden
ORDER BY created_at, id

-- name: my-inquiries
SELECT id, process_id, participant_id, question, email, lang, status, assignee_id, answer, answered_by, answered_at,
    faq, faq_question, faq_answer, hidden, hidden_reason, created_at, updated_at
FROM inquiries WHERE participant_id = ?
ORDER BY created_at DESC, id DESC

-- Erasure: the contact address always goes; with the contributions, the
-- question too (the team's answer and FAQ words are theirs and stay).
-- name: erase-inquiry-emails
UPDATE inquiries SET email = '' WHERE participant_id = ?

-- name: blank-my-inquiries
UPDATE inquiries SET question = '', hidden = TRUE, hidden_reason = 'erased' WHERE participant_id = ?
