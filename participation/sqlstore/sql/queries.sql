-- Statements shared by Postgres and SQLite, with '?' placeholders rebound at
-- start-up. Dialect-specific ones live in postgres.sql and sqlite.sql.

-- Region sets

-- name: insert-region-set
INSERT INTO region_sets (name, source, geojson) VALUES (?, ?, ?) RETURNING id

-- name: insert-region
INSERT INTO regions (region_set_id, code, name, population, position, parent_code) VALUES (?, ?, ?, ?, ?, ?)

-- name: fill-region-set-map
UPDATE region_sets SET geojson = ? WHERE id = ? AND geojson = ''

-- name: get-region-set
SELECT id, name, source, geojson FROM region_sets WHERE id = ?

-- name: region-set-geojson
SELECT geojson FROM region_sets WHERE id = ?

-- name: process-region-set
SELECT COALESCE(region_set_id, 0) FROM processes WHERE id = ?

-- name: list-regions
SELECT code, name, population, parent_code FROM regions WHERE region_set_id = ? ORDER BY position, code

-- name: list-region-sets
SELECT id, name, source FROM region_sets ORDER BY id

-- name: list-all-regions
SELECT region_set_id, code, name, population, parent_code FROM regions ORDER BY region_set_id, position, code

-- name: region-set-exists
SELECT COUNT(*) FROM region_sets WHERE id = ?

-- name: process-has-region
SELECT COUNT(*) FROM regions r JOIN processes p ON p.region_set_id = r.region_set_id
WHERE p.id = ? AND r.code = ?

-- Processes

-- name: slug-taken
SELECT COUNT(*) FROM processes WHERE slug = ? AND id <> ?

-- name: insert-process
INSERT INTO processes (slug, title, summary, objective, level, sector, scope, budget_minor, currency,
    starts_at, ends_at, officials, expected_outcome, feedback_method, languages, time_zone, mode,
    personal_fields, region_set_id, target_participants, face_to_face, field_reasons, is_template,
    published, state, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id

-- name: update-process
UPDATE processes SET slug = ?, title = ?, summary = ?, objective = ?, level = ?, sector = ?, scope = ?,
    budget_minor = ?, currency = ?, starts_at = ?, ends_at = ?, officials = ?, expected_outcome = ?,
    feedback_method = ?, languages = ?, time_zone = ?, mode = ?, personal_fields = ?, region_set_id = ?,
    target_participants = ?, face_to_face = ?, field_reasons = ?, is_template = ?, updated_at = ?
WHERE id = ?

-- name: set-published
UPDATE processes SET published = ?, state = ?, updated_at = ? WHERE id = ?

-- name: get-process
SELECT id, slug, title, summary, objective, level, sector, scope, budget_minor, currency, starts_at, ends_at,
    officials, expected_outcome, feedback_method, languages, time_zone, mode, personal_fields,
    COALESCE(region_set_id, 0) AS region_set_id, target_participants, published, state, closed_reason, closed_at,
    face_to_face, field_reasons, is_template, created_at, updated_at
FROM processes WHERE id = ?

-- name: get-process-by-slug
SELECT id, slug, title, summary, objective, level, sector, scope, budget_minor, currency, starts_at, ends_at,
    officials, expected_outcome, feedback_method, languages, time_zone, mode, personal_fields,
    COALESCE(region_set_id, 0) AS region_set_id, target_participants, published, state, closed_reason, closed_at,
    face_to_face, field_reasons, is_template, created_at, updated_at
FROM processes WHERE slug = ?

-- name: list-processes
SELECT id, slug, title, summary, objective, level, sector, scope, budget_minor, currency, starts_at, ends_at,
    officials, expected_outcome, feedback_method, languages, time_zone, mode, personal_fields,
    COALESCE(region_set_id, 0) AS region_set_id, target_participants, published, state, closed_reason, closed_at,
    face_to_face, field_reasons, is_template, created_at, updated_at
FROM processes WHERE NOT is_template ORDER BY starts_at DESC, id DESC

-- name: list-published-processes
SELECT id, slug, title, summary, objective, level, sector, scope, budget_minor, currency, starts_at, ends_at,
    officials, expected_outcome, feedback_method, languages, time_zone, mode, personal_fields,
    COALESCE(region_set_id, 0) AS region_set_id, target_participants, published, state, closed_reason, closed_at,
    face_to_face, field_reasons, is_template, created_at, updated_at
FROM processes WHERE state IN ('published', 'closed', 'archived') AND NOT is_template
ORDER BY starts_at DESC, id DESC

-- name: process-exists
SELECT COUNT(*) FROM processes WHERE id = ?

-- name: process-registration
SELECT p.published, p.state, p.mode, p.personal_fields, p.languages, p.time_zone,
    COALESCE((SELECT MAX(n.version) FROM privacy_notices n WHERE n.process_id = p.id), 0) AS notice_version
FROM processes p WHERE p.id = ?

-- name: latest-privacy-notice
SELECT process_id, version, text, published_at, purpose, lawful_basis, policy_url, retention_days, access,
    personal_data, hash
FROM privacy_notices WHERE process_id = ? ORDER BY version DESC LIMIT 1

-- name: next-notice-version
SELECT COALESCE(MAX(version), 0) + 1 FROM privacy_notices WHERE process_id = ?

-- name: insert-privacy-notice
INSERT INTO privacy_notices (process_id, version, text, published_at, purpose, lawful_basis, policy_url,
    retention_days, access, personal_data, hash)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)

-- Phases and components

-- name: next-phase-position
SELECT COALESCE(MAX(position), 0) + 1 FROM phases WHERE process_id = ?

-- name: insert-phase
INSERT INTO phases (process_id, position, name, description, starts_at, ends_at)
VALUES (?, ?, ?, ?, ?, ?) RETURNING id

-- name: insert-phase-component
INSERT INTO phase_components (phase_id, component_id) VALUES (?, ?)

-- name: list-phases
SELECT id, process_id, position, name, description, starts_at, ends_at
FROM phases WHERE process_id = ? ORDER BY position, id

-- name: list-phase-components
SELECT pc.phase_id, pc.component_id FROM phase_components pc
JOIN phases ph ON ph.id = pc.phase_id WHERE ph.process_id = ?
ORDER BY pc.component_id

-- name: next-component-position
SELECT COALESCE(MAX(position), 0) + 1 FROM components WHERE process_id = ?

-- name: insert-component
INSERT INTO components (process_id, kind, position, title, description, settings, support_limit)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: get-component
SELECT id, process_id, kind, position, title, description, settings FROM components WHERE id = ?

-- name: list-components
SELECT id, process_id, kind, position, title, description, settings FROM components
WHERE process_id = ? ORDER BY position, id

-- name: component-process
SELECT process_id FROM components WHERE id = ?

-- The rules every citizen write checks

-- One round trip for every rule of a citizen write: the component and its
-- process, whether a phase open at the given time lists it, the
-- participant's region (NULL when there is no such participant: self-declared,
-- else from the profile) and whether they are registered with the process.
-- Times are UTC on both backends, so SQLite's text comparison is in time order.
-- name: write-rules
SELECT c.id, c.kind, c.process_id, p.published, p.state, p.mode,
    EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
        WHERE pc.component_id = c.id AND ph.starts_at <= ? AND ph.ends_at > ?) AS is_open,
    (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
            ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
        FROM participants pa WHERE pa.id = ?) AS region,
    (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = ? AND pr.process_id = c.process_id
            AND pr.verified_at IS NOT NULL)
        AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = ? AND co.process_id = c.process_id
            AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                FROM privacy_notices n WHERE n.process_id = c.process_id), 0))) AS registered
FROM components c JOIN processes p ON p.id = c.process_id WHERE c.id = ?

-- write-rules for a write addressed by its target rather than its component:
-- the lookup of the target and the rules in one round trip. No row: no such
-- target (every target has its component).
-- name: section-write-rules
SELECT c.id, c.kind, c.process_id, p.published, p.state, p.mode,
    EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
        WHERE pc.component_id = c.id AND ph.starts_at <= ? AND ph.ends_at > ?) AS is_open,
    (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
            ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
        FROM participants pa WHERE pa.id = ?) AS region,
    (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = ? AND pr.process_id = c.process_id
            AND pr.verified_at IS NOT NULL)
        AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = ? AND co.process_id = c.process_id
            AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                FROM privacy_notices n WHERE n.process_id = c.process_id), 0))) AS registered
FROM sections x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
WHERE x.id = ?

-- name: proposal-write-rules
SELECT c.id, c.kind, c.process_id, p.published, p.state, p.mode,
    EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
        WHERE pc.component_id = c.id AND ph.starts_at <= ? AND ph.ends_at > ?) AS is_open,
    (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
            ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
        FROM participants pa WHERE pa.id = ?) AS region,
    (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = ? AND pr.process_id = c.process_id
            AND pr.verified_at IS NOT NULL)
        AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = ? AND co.process_id = c.process_id
            AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                FROM privacy_notices n WHERE n.process_id = c.process_id), 0))) AS registered
FROM proposals x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
WHERE x.id = ? AND x.status = 'published'

-- A vote also needs the comment's status and target and the participant's
-- previous vote ('' for none).
-- name: vote-write-rules
SELECT c.id, c.kind, c.process_id, p.published, p.state, p.mode,
    EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
        WHERE pc.component_id = c.id AND ph.starts_at <= ? AND ph.ends_at > ?) AS is_open,
    (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
            ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
        FROM participants pa WHERE pa.id = ?) AS region,
    (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = ? AND pr.process_id = c.process_id
            AND pr.verified_at IS NOT NULL)
        AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = ? AND co.process_id = c.process_id
            AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                FROM privacy_notices n WHERE n.process_id = c.process_id), 0))) AS registered,
    x.status AS comment_status, x.target_kind,
    COALESCE((SELECT v.vote FROM comment_votes v WHERE v.comment_id = x.id AND v.participant_id = ?), '') AS previous
FROM comments x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
WHERE x.id = ?

-- name: participant-region
SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
    ELSE COALESCE((SELECT pr.region_code FROM profiles pr WHERE pr.process_id = ? AND pr.participant_id = pa.id), '')
    END AS region_code
FROM participants pa WHERE pa.id = ?

-- Proposals

-- name: insert-proposal
INSERT INTO proposals (process_id, component_id, participant_id, title, description, budget_minor,
    region_code, lat, lng, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: insert-proposal-tag
INSERT INTO proposal_tags (proposal_id, position, tag) VALUES (?, ?, ?)

-- name: insert-proposal-image
INSERT INTO proposal_images (proposal_id, position, content_type, width, height, data, thumb)
VALUES (?, ?, ?, ?, ?, ?, ?)

-- name: get-proposal
SELECT id, process_id, component_id, participant_id, title, description, budget_minor, region_code,
    lat, lng, status, support_count, comment_count, created_at
FROM proposals WHERE id = ?

-- name: list-tags
SELECT proposal_id, tag FROM proposal_tags WHERE proposal_id IN (?) ORDER BY proposal_id, position

-- name: list-proposal-images
SELECT id, proposal_id, position, content_type, width, height FROM proposal_images
WHERE proposal_id = ? ORDER BY position

-- name: get-proposal-image
SELECT i.id, i.proposal_id, i.position, i.content_type, i.width, i.height, i.data, i.thumb
FROM proposal_images i JOIN proposals p ON p.id = i.proposal_id
WHERE i.proposal_id = ? AND i.position = ? AND p.status = 'published'

-- The filters are optional: an empty value (0, '') switches one off. The
-- search pattern comes escaped for LIKE ... ESCAPE '\'.
-- name: count-proposals
SELECT COUNT(*) FROM proposals p
WHERE p.status = 'published'
  AND (CAST(? AS BIGINT) = 0 OR p.component_id = ?)
  AND (CAST(? AS TEXT) = '' OR EXISTS (SELECT 1 FROM proposal_tags t WHERE t.proposal_id = p.id AND t.tag = ?))
  AND (CAST(? AS TEXT) = '' OR p.region_code = ?)
  AND (CAST(? AS TEXT) = '' OR LOWER(p.title) LIKE ? ESCAPE '\' OR LOWER(p.description) LIKE ? ESCAPE '\')

-- name: list-proposals-recent
SELECT p.id, p.process_id, p.component_id, p.participant_id, p.title, p.description, p.budget_minor,
    p.region_code, p.lat, p.lng, p.status, p.support_count, p.comment_count, p.created_at
FROM proposals p
WHERE p.status = 'published'
  AND (CAST(? AS BIGINT) = 0 OR p.component_id = ?)
  AND (CAST(? AS TEXT) = '' OR EXISTS (SELECT 1 FROM proposal_tags t WHERE t.proposal_id = p.id AND t.tag = ?))
  AND (CAST(? AS TEXT) = '' OR p.region_code = ?)
  AND (CAST(? AS TEXT) = '' OR LOWER(p.title) LIKE ? ESCAPE '\' OR LOWER(p.description) LIKE ? ESCAPE '\')
ORDER BY p.created_at DESC, p.id DESC
LIMIT ? OFFSET ?

-- name: list-proposals-supports
SELECT p.id, p.process_id, p.component_id, p.participant_id, p.title, p.description, p.budget_minor,
    p.region_code, p.lat, p.lng, p.status, p.support_count, p.comment_count, p.created_at
FROM proposals p
WHERE p.status = 'published'
  AND (CAST(? AS BIGINT) = 0 OR p.component_id = ?)
  AND (CAST(? AS TEXT) = '' OR EXISTS (SELECT 1 FROM proposal_tags t WHERE t.proposal_id = p.id AND t.tag = ?))
  AND (CAST(? AS TEXT) = '' OR p.region_code = ?)
  AND (CAST(? AS TEXT) = '' OR LOWER(p.title) LIKE ? ESCAPE '\' OR LOWER(p.description) LIKE ? ESCAPE '\')
ORDER BY p.support_count DESC, p.created_at DESC, p.id DESC
LIMIT ? OFFSET ?

-- name: list-proposals-comments
SELECT p.id, p.process_id, p.component_id, p.participant_id, p.title, p.description, p.budget_minor,
    p.region_code, p.lat, p.lng, p.status, p.support_count, p.comment_count, p.created_at
FROM proposals p
WHERE p.status = 'published'
  AND (CAST(? AS BIGINT) = 0 OR p.component_id = ?)
  AND (CAST(? AS TEXT) = '' OR EXISTS (SELECT 1 FROM proposal_tags t WHERE t.proposal_id = p.id AND t.tag = ?))
  AND (CAST(? AS TEXT) = '' OR p.region_code = ?)
  AND (CAST(? AS TEXT) = '' OR LOWER(p.title) LIKE ? ESCAPE '\' OR LOWER(p.description) LIKE ? ESCAPE '\')
ORDER BY p.comment_count DESC, p.created_at DESC, p.id DESC
LIMIT ? OFFSET ?

-- name: set-proposal-status
UPDATE proposals SET status = ? WHERE id = ?

-- name: published-proposal-component
SELECT component_id FROM proposals WHERE id = ? AND status = 'published'

-- Supports are unique per participant; ON CONFLICT turns a second one into
-- zero rows instead of an error that would abort a Postgres transaction.
-- name: insert-support
INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING

-- name: delete-support
DELETE FROM supports WHERE proposal_id = ? AND participant_id = ?

-- name: add-support-count
UPDATE proposals SET support_count = support_count + ? WHERE id = ?

-- name: has-supported
SELECT COUNT(*) FROM supports WHERE proposal_id = ? AND participant_id = ?

-- name: insert-follow
INSERT INTO follows (proposal_id, participant_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING

-- name: delete-follow
DELETE FROM follows WHERE proposal_id = ? AND participant_id = ?

-- name: is-following
SELECT COUNT(*) FROM follows WHERE proposal_id = ? AND participant_id = ?

-- Comments and votes

-- name: insert-comment
INSERT INTO comments (process_id, component_id, target_kind, target_id, parent_id, participant_id, kind,
    body, proposed_text, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: get-comment
SELECT id, process_id, component_id, target_kind, target_id, parent_id, participant_id, kind, body,
    proposed_text, status, agree, disagree, pass, created_at,
    (official_staff_id <> 0) AS official
FROM comments WHERE id = ?

-- name: list-comments
SELECT id, process_id, component_id, target_kind, target_id, parent_id, participant_id, kind, body,
    proposed_text, status, agree, disagree, pass, created_at,
    (official_staff_id <> 0) AS official
FROM comments WHERE target_kind = ? AND target_id = ? AND status = 'published'
ORDER BY created_at, id

-- name: add-proposal-comment-count
UPDATE proposals SET comment_count = comment_count + ? WHERE id = ?

-- name: add-section-comment-count
UPDATE sections SET comment_count = comment_count + ? WHERE id = ?

-- name: set-comment-status
UPDATE comments SET status = ? WHERE id = ?

-- name: insert-vote
INSERT INTO comment_votes (comment_id, participant_id, vote, created_at, updated_at)
VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING

-- name: update-vote
UPDATE comment_votes SET vote = ?, updated_at = ? WHERE comment_id = ? AND participant_id = ?

-- name: add-vote-counts
UPDATE comments SET agree = agree + ?, disagree = disagree + ?, pass = pass + ? WHERE id = ?

-- name: my-votes
SELECT comment_id, vote FROM comment_votes WHERE participant_id = ? AND comment_id IN (?)

-- Documents

-- name: next-document-version
SELECT COALESCE(MAX(version), 0) + 1 FROM documents WHERE component_id = ?

-- name: insert-document
INSERT INTO documents (component_id, version, title, created_at) VALUES (?, ?, ?, ?)

-- name: insert-section
INSERT INTO sections (component_id, version, position, heading, body, lineage_id, changed)
VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: latest-document
SELECT component_id, version, title, created_at FROM documents
WHERE component_id = ? ORDER BY version DESC LIMIT 1

-- name: list-sections
SELECT s.id, s.component_id, s.version, s.position, s.heading, s.body, s.lineage_id, s.changed,
    (SELECT COALESCE(SUM(l.comment_count), 0) FROM sections l
        WHERE l.component_id = s.component_id AND l.lineage_id = s.lineage_id AND l.version <= s.version) AS comment_count
FROM sections s WHERE s.component_id = ? AND s.version = ? ORDER BY s.position

-- name: get-section
SELECT s.id, s.component_id, s.version, s.position, s.heading, s.body, s.lineage_id, s.changed,
    (SELECT COALESCE(SUM(l.comment_count), 0) FROM sections l
        WHERE l.component_id = s.component_id AND l.lineage_id = s.lineage_id AND l.version <= s.version) AS comment_count
FROM sections s WHERE s.id = ?

-- Surveys

-- name: count-responses
SELECT COUNT(*) FROM responses WHERE component_id = ?

-- name: delete-questions
DELETE FROM questions WHERE component_id = ?

-- name: upsert-survey
INSERT INTO surveys (component_id, pages) VALUES (?, ?)
ON CONFLICT (component_id) DO UPDATE SET pages = excluded.pages

-- name: insert-question
INSERT INTO questions (component_id, page, position, type, prompt, help, required, options, max_choices,
    min_value, max_value, show_if_question, show_if_choices)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: get-survey
SELECT pages FROM surveys WHERE component_id = ?

-- name: list-questions
SELECT id, component_id, page, position, type, prompt, help, required, options, max_choices, min_value, max_value,
    show_if_question, show_if_choices
FROM questions WHERE component_id = ? ORDER BY page, position, id

-- name: get-response
SELECT id, process_id, component_id, participant_id, last_page, started_at, updated_at, completed_at
FROM responses WHERE component_id = ? AND participant_id = ?

-- A concurrent first page wins; the loser gets no row, not an error that
-- would abort a Postgres transaction.
-- name: insert-response
INSERT INTO responses (process_id, component_id, participant_id, last_page, started_at, updated_at, completed_at)
VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (component_id, participant_id) DO NOTHING RETURNING id

-- name: update-response
UPDATE responses SET last_page = ?, updated_at = ?, completed_at = ? WHERE id = ?

-- name: delete-page-answers
DELETE FROM answers WHERE response_id = ?
  AND question_id IN (SELECT id FROM questions WHERE component_id = ? AND page = ?)

-- name: insert-answer
INSERT INTO answers (response_id, question_id, choices, number_value, text_value) VALUES (?, ?, ?, ?, ?)

-- name: list-answers
SELECT a.question_id, a.choices, a.number_value, a.text_value FROM answers a
JOIN questions q ON q.id = a.question_id
WHERE a.response_id = ? ORDER BY q.page, q.position, q.id

-- Participants, registration and consent

-- name: insert-participant
INSERT INTO participants (kind, token, region_code, created_at) VALUES (?, ?, ?, ?) RETURNING id

-- name: get-participant
SELECT id, kind, token, region_code, created_at FROM participants WHERE id = ?

-- name: region-code-known
SELECT COUNT(*) FROM regions WHERE code = ?

-- name: set-participant-region
UPDATE participants SET region_code = ? WHERE id = ?

-- name: set-participant-kind
UPDATE participants SET kind = ? WHERE id = ?

-- name: profile-verified
SELECT COUNT(*) FROM profiles WHERE participant_id = ? AND process_id = ? AND verified_at IS NOT NULL

-- name: insert-consent
INSERT INTO consents (participant_id, process_id, notice_version, purpose, given_at) VALUES (?, ?, ?, ?, ?) RETURNING id

-- name: upsert-profile
INSERT INTO profiles (participant_id, process_id, name, email, phone, region_code, age_band, gender, lang, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (participant_id, process_id) DO UPDATE SET name = excluded.name, email = excluded.email,
    phone = excluded.phone, region_code = excluded.region_code, age_band = excluded.age_band,
    gender = excluded.gender, lang = excluded.lang, verified_at = NULL, created_at = excluded.created_at

-- A new code keeps the wrong tries and the lock of the one it replaces:
-- registering again must not be a way round the lock.
-- name: upsert-verification
INSERT INTO verifications (participant_id, process_id, channel, code_hash, expires_at) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (participant_id, process_id) DO UPDATE SET channel = excluded.channel,
    code_hash = excluded.code_hash, expires_at = excluded.expires_at

-- name: get-verification
SELECT participant_id, process_id, channel, code_hash, expires_at, attempts, locks, locked_until FROM verifications
WHERE participant_id = ? AND process_id = ?

-- name: count-verify-attempt
UPDATE verifications SET attempts = attempts + 1 WHERE participant_id = ? AND process_id = ?

-- name: verification-lock
UPDATE verifications SET attempts = 0, locks = locks + 1, locked_until = ? WHERE participant_id = ? AND process_id = ?

-- name: delete-verification
DELETE FROM verifications WHERE participant_id = ? AND process_id = ?

-- name: get-profile
SELECT participant_id, process_id, name, email, phone, region_code, age_band, gender, lang, verified_at, created_at
FROM profiles WHERE participant_id = ? AND process_id = ?

-- name: verify-profile
UPDATE profiles SET verified_at = ? WHERE participant_id = ? AND process_id = ?

-- Registered means a verified profile and a consent to the latest notice, not withdrawn.
-- name: is-registered
SELECT COUNT(*) FROM profiles pr
WHERE pr.participant_id = ? AND pr.process_id = ? AND pr.verified_at IS NOT NULL
  AND EXISTS (SELECT 1 FROM consents c WHERE c.participant_id = ? AND c.process_id = ? AND c.withdrawn_at IS NULL
      AND c.notice_version = COALESCE((SELECT MAX(n.version) FROM privacy_notices n WHERE n.process_id = pr.process_id), 0))

-- name: active-consents
SELECT id, participant_id, process_id, notice_version, purpose, given_at, withdrawn_at FROM consents
WHERE participant_id = ? AND process_id = ? AND withdrawn_at IS NULL ORDER BY id

-- name: withdraw-consents
UPDATE consents SET withdrawn_at = ? WHERE participant_id = ? AND process_id = ? AND withdrawn_at IS NULL

-- name: renew-participant-token
UPDATE participants SET token = ? WHERE id = ?

-- name: erase-participant
UPDATE participants SET token = ?, kind = ? WHERE id = ?

-- name: erase-profiles
DELETE FROM profiles WHERE participant_id = ?

-- name: erase-verifications
DELETE FROM verifications WHERE participant_id = ?

-- name: my-proposals
SELECT id, process_id, component_id, participant_id, title, description, budget_minor, region_code,
    lat, lng, status, support_count, comment_count, created_at
FROM proposals WHERE participant_id = ? ORDER BY created_at DESC, id DESC

-- name: my-comments
SELECT id, process_id, component_id, target_kind, target_id, parent_id, participant_id, kind, body,
    proposed_text, status, agree, disagree, pass, created_at
FROM comments WHERE participant_id = ? ORDER BY created_at DESC, id DESC

-- name: my-responses
SELECT id, process_id, component_id, participant_id, last_page, started_at, updated_at, completed_at
FROM responses WHERE participant_id = ? ORDER BY started_at DESC, id DESC

-- name: my-supports
SELECT proposal_id FROM supports WHERE participant_id = ? ORDER BY created_at DESC, proposal_id DESC

-- Outbox

-- name: count-outbox
SELECT COUNT(*) FROM outbox
