-- Followers for `civicpulse bench notify`: participants made by
-- followers-participants (their token starts with the bench's prefix) get
-- a verified email profile and a consent in the process, as registration
-- leaves them, in three statements instead of 200,000 registrations.

-- name: followers-profiles
INSERT INTO profiles (participant_id, process_id, email, lang, verified_at, created_at)
SELECT id, ?, 'follower' || id || '@example.org', CASE WHEN id % 2 = 0 THEN 'en' ELSE 'sw' END, ?, ?
FROM participants WHERE token LIKE ?

-- name: followers-consents
INSERT INTO consents (participant_id, process_id, notice_version, purpose, given_at)
SELECT id, ?, ?, 'follow the consultation and its results', ?
FROM participants WHERE token LIKE ?
