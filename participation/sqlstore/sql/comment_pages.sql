-- Pages of a document section's comments. A section's comments are those of
-- its whole lineage up to its version (see list-lineage-comments); only
-- top-level comments are paged, their replies come with them.

-- Newest first; the id breaks ties, so pages never overlap.
-- name: page-lineage-comments-newest
SELECT c.id, c.process_id, c.component_id, c.target_kind, c.target_id, c.parent_id, c.participant_id, c.kind, c.body,
    c.proposed_text, c.status, c.agree, c.disagree, c.pass, c.created_at, x.version AS section_version
FROM comments c JOIN sections x ON x.id = c.target_id
WHERE c.target_kind = 'section' AND x.component_id = ? AND x.lineage_id = ? AND x.version <= ?
  AND c.status = 'published' AND c.parent_id IS NULL
ORDER BY c.created_at DESC, c.id DESC
LIMIT ? OFFSET ?

-- Most votes first, then newest first.
-- name: page-lineage-comments-votes
SELECT c.id, c.process_id, c.component_id, c.target_kind, c.target_id, c.parent_id, c.participant_id, c.kind, c.body,
    c.proposed_text, c.status, c.agree, c.disagree, c.pass, c.created_at, x.version AS section_version
FROM comments c JOIN sections x ON x.id = c.target_id
WHERE c.target_kind = 'section' AND x.component_id = ? AND x.lineage_id = ? AND x.version <= ?
  AND c.status = 'published' AND c.parent_id IS NULL
ORDER BY c.agree + c.disagree + c.pass DESC, c.created_at DESC, c.id DESC
LIMIT ? OFFSET ?

-- name: count-lineage-top-comments
SELECT COUNT(*)
FROM comments c JOIN sections x ON x.id = c.target_id
WHERE c.target_kind = 'section' AND x.component_id = ? AND x.lineage_id = ? AND x.version <= ?
  AND c.status = 'published' AND c.parent_id IS NULL

-- The published replies to some section comments, oldest first.
-- name: list-section-replies
SELECT c.id, c.process_id, c.component_id, c.target_kind, c.target_id, c.parent_id, c.participant_id, c.kind, c.body,
    c.proposed_text, c.status, c.agree, c.disagree, c.pass, c.created_at, x.version AS section_version,
    (c.official_staff_id <> 0) AS official
FROM comments c JOIN sections x ON x.id = c.target_id
WHERE c.target_kind = 'section' AND c.parent_id IN (?) AND c.status = 'published'
ORDER BY c.created_at, c.id

-- How many top-level comments of a section lineage come before a comment,
-- newest first: where a link to the comment finds it.
-- name: newer-lineage-comments
SELECT COUNT(*)
FROM comments c JOIN sections x ON x.id = c.target_id JOIN comments t ON t.id = ?
WHERE c.target_kind = 'section' AND x.component_id = ? AND x.lineage_id = ? AND x.version <= ?
  AND c.status = 'published' AND c.parent_id IS NULL
  AND (c.created_at > t.created_at OR (c.created_at = t.created_at AND c.id > t.id))
