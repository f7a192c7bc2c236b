-- Statements of the officials' set-up (issue 10), shared by Postgres and
-- SQLite like queries.sql.

-- Life cycle

-- name: process-state
SELECT state, is_template FROM processes WHERE id = ?

-- name: set-process-state
UPDATE processes SET state = ?, published = ?, closed_reason = ?, closed_at = ?, updated_at = ? WHERE id = ?

-- name: last-phase-end
SELECT ends_at FROM phases WHERE process_id = ? ORDER BY ends_at DESC LIMIT 1

-- name: list-templates
SELECT id, slug, title, summary, objective, level, sector, scope, budget_minor, currency, starts_at, ends_at,
    officials, expected_outcome, feedback_method, languages, time_zone, mode, personal_fields,
    COALESCE(region_set_id, 0) AS region_set_id, target_participants, published, state, closed_reason, closed_at,
    face_to_face, field_reasons, is_template, created_at, updated_at
FROM processes WHERE is_template ORDER BY title, id

-- name: list-privacy-notice-versions
SELECT version FROM privacy_notices WHERE process_id = ? ORDER BY version

-- Phases

-- name: get-phase
SELECT id, process_id, position, name, description, starts_at, ends_at FROM phases WHERE id = ?

-- name: update-phase
UPDATE phases SET position = ?, name = ?, description = ?, starts_at = ?, ends_at = ? WHERE id = ?

-- name: delete-phase-components
DELETE FROM phase_components WHERE phase_id = ?

-- name: delete-phase
DELETE FROM phases WHERE id = ?

-- Components

-- name: update-component
UPDATE components SET title = ?, description = ?, settings = ?, support_limit = ? WHERE id = ?

-- name: component-contributions
SELECT (SELECT COUNT(*) FROM proposals WHERE component_id = ?)
    + (SELECT COUNT(*) FROM comments WHERE component_id = ?)
    + (SELECT COUNT(*) FROM responses WHERE component_id = ?)

-- name: delete-component-section-translations
DELETE FROM translations WHERE entity = 'section' AND entity_id IN (SELECT id FROM sections WHERE component_id = ?)

-- name: delete-component-question-translations
DELETE FROM translations WHERE entity = 'question' AND entity_id IN (SELECT id FROM questions WHERE component_id = ?)

-- name: delete-entity-translations
DELETE FROM translations WHERE entity = ? AND entity_id = ?

-- name: delete-component-phase-links
DELETE FROM phase_components WHERE component_id = ?

-- name: delete-component-questions
DELETE FROM questions WHERE component_id = ?

-- name: delete-component-survey
DELETE FROM surveys WHERE component_id = ?

-- name: delete-component-sections
DELETE FROM sections WHERE component_id = ?

-- name: delete-component-documents
DELETE FROM documents WHERE component_id = ?

-- name: delete-component
DELETE FROM components WHERE id = ?

-- name: set-component-position
UPDATE components SET position = ? WHERE id = ?

-- name: component-support-limit
SELECT c.support_limit,
    (SELECT COUNT(*) FROM supports s JOIN proposals p ON p.id = s.proposal_id
        WHERE s.participant_id = ? AND p.component_id = c.id) AS used
FROM components c WHERE c.id = ?

-- Translations

-- name: upsert-translation
INSERT INTO translations (process_id, entity, entity_id, field, lang, text) VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (entity, entity_id, field, lang) DO UPDATE SET text = excluded.text

-- name: delete-translation
DELETE FROM translations WHERE process_id = ? AND entity = ? AND entity_id = ? AND field = ? AND lang = ?

-- name: list-translations
SELECT entity, entity_id, field, lang, text FROM translations WHERE process_id = ?
ORDER BY entity, entity_id, field, lang

-- name: phase-process
SELECT process_id FROM phases WHERE id = ?

-- name: section-process
SELECT c.process_id FROM sections s JOIN components c ON c.id = s.component_id WHERE s.id = ?

-- name: question-process
SELECT c.process_id FROM questions q JOIN components c ON c.id = q.component_id WHERE q.id = ?

-- Documents

-- name: set-section-lineage
UPDATE sections SET lineage_id = ? WHERE id = ?

-- Comments on every version of a section's lineage up to its version, with
-- the version each was written on.
-- name: list-lineage-comments
SELECT c.id, c.process_id, c.component_id, c.target_kind, c.target_id, c.parent_id, c.participant_id, c.kind, c.body,
    c.proposed_text, c.status, c.agree, c.disagree, c.pass, c.created_at, x.version AS section_version,
    (c.official_staff_id <> 0) AS official
FROM comments c JOIN sections x ON x.id = c.target_id
WHERE c.target_kind = 'section' AND x.component_id = ? AND x.lineage_id = ? AND x.version <= ?
  AND c.status = 'published'
ORDER BY c.created_at, c.id

-- name: lineage-changes
SELECT version FROM sections WHERE component_id = ? AND lineage_id = ? AND changed AND version <= ?
ORDER BY version

-- Surveys

-- name: update-question
UPDATE questions SET page = ?, position = ?, type = ?, prompt = ?, help = ?, required = ?, options = ?,
    max_choices = ?, min_value = ?, max_value = ?, show_if_question = ?, show_if_choices = ?
WHERE id = ?

-- name: delete-question
DELETE FROM questions WHERE id = ?

-- name: answered-questions
SELECT DISTINCT a.question_id FROM answers a JOIN questions q ON q.id = a.question_id WHERE q.component_id = ?

-- name: question-place
SELECT component_id, page FROM questions WHERE id = ?

-- name: set-question-position
UPDATE questions SET position = ? WHERE id = ?

-- An unchanged section of a new document version keeps its translations.
-- name: copy-section-translations
INSERT INTO translations (process_id, entity, entity_id, field, lang, text)
SELECT process_id, entity, ?, field, lang, text FROM translations WHERE entity = 'section' AND entity_id = ?
