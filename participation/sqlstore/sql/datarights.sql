-- Data rights (issue 14): "download my data" and "erase me".

-- name: my-profiles
SELECT participant_id, process_id, name, email, phone, region_code, age_band, gender, lang, verified_at, created_at
FROM profiles WHERE participant_id = ? ORDER BY process_id

-- name: my-consents
SELECT id, participant_id, process_id, notice_version, purpose, given_at, withdrawn_at FROM consents
WHERE participant_id = ? ORDER BY id

-- name: my-follows
SELECT proposal_id FROM follows WHERE participant_id = ? ORDER BY created_at DESC, proposal_id DESC

-- name: my-comment-votes
SELECT comment_id, vote, created_at, updated_at FROM comment_votes WHERE participant_id = ? ORDER BY comment_id

-- name: participants-by-email
SELECT DISTINCT participant_id FROM profiles WHERE email = ? ORDER BY participant_id

-- name: erase-follows
DELETE FROM follows WHERE participant_id = ?

-- Removed contributions keep their row (replies, decisions and scores point
-- at it) but lose their words and pictures.
-- name: blank-my-proposals
UPDATE proposals SET title = '', description = '' WHERE participant_id = ?

-- name: erase-my-proposal-images
DELETE FROM proposal_images WHERE proposal_id IN (SELECT id FROM proposals WHERE participant_id = ?)

-- name: blank-my-comments
UPDATE comments SET body = '', proposed_text = '' WHERE participant_id = ?
