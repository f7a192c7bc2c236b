-- Recipients of messages (participation.Recipients, recipients.go).
--
-- Each audience is read a page at a time in participant order. An
-- audience's statement states only who its candidates are: a CTE ids
-- (participant_id, process_id) holding one page of them, read through the
-- audience's own index and cut there. recipients.go ends each with
-- recipients-reachable, the one statement of who a message may go to.
-- The walk goes on after the last candidate, reachable or not, so that
-- each branch of a union reads no more than one page through its index
-- however many rows it holds; a page shorter than asked is the last.

-- The tail of every statement below: each candidate with reachable = 1
-- when a message may go to them: a verified profile in the candidate's
-- process, an email or a phone, and a consent to that process not
-- withdrawn. Erased and anonymous participants have no profile: never
-- reachable. The consent is looked up per candidate by a scalar subquery,
-- not EXISTS: Postgres may turn an EXISTS into a hash of every consent row
-- (or a merge over all of them), which costs the whole table on every
-- page; and only for the page's candidates, the ids being cut before it.
-- name: recipients-reachable
SELECT ids.participant_id, ids.process_id, COALESCE(pr.email, '') AS email, COALESCE(pr.phone, '') AS phone,
    COALESCE(pr.lang, '') AS lang,
    CASE WHEN pr.verified_at IS NOT NULL AND (pr.email <> '' OR pr.phone <> '')
        AND (SELECT 1 FROM consents co WHERE co.participant_id = pr.participant_id
            AND co.process_id = pr.process_id AND co.withdrawn_at IS NULL LIMIT 1) IS NOT NULL
    THEN 1 ELSE 0 END AS reachable
FROM ids
LEFT JOIN profiles pr ON pr.participant_id = ids.participant_id AND pr.process_id = ids.process_id
ORDER BY ids.participant_id

-- Every registered participant of a process (profiles_process). The page
-- is cut before the consent is looked up, so that a plan that cannot stop
-- early (Postgres before its statistics know the table's size) sorts the
-- candidates' ids, and checks no consent beyond the page's.
-- name: recipients-process
WITH ids AS (
    SELECT participant_id, process_id FROM profiles
    WHERE process_id = ? AND participant_id > ?
    ORDER BY participant_id
    LIMIT ?
)

-- The author, followers and supporters of a proposal, each once: the first
-- page of each (through their primary keys) holds the first page of the
-- union.
-- name: recipients-proposal-followers
WITH p AS (SELECT id, process_id, participant_id FROM proposals WHERE id = ?),
ids AS (
    SELECT u.participant_id, p.process_id FROM (
        SELECT participant_id FROM p WHERE participant_id > ?
        UNION
        SELECT participant_id FROM (SELECT f.participant_id FROM follows f
            WHERE f.proposal_id = ? AND f.participant_id > ? ORDER BY f.participant_id LIMIT ?) fo
        UNION
        SELECT participant_id FROM (SELECT s.participant_id FROM supports s
            WHERE s.proposal_id = ? AND s.participant_id > ? ORDER BY s.participant_id LIMIT ?) su
    ) u CROSS JOIN p
    ORDER BY u.participant_id
    LIMIT ?
)

-- The author of a proposal.
-- name: recipients-proposal-author
WITH ids AS (
    SELECT p.participant_id, p.process_id FROM proposals p
    WHERE p.id = ? AND p.participant_id > ?
    LIMIT ?
)

-- The author of a comment.
-- name: recipients-comment-author
WITH ids AS (
    SELECT c.participant_id, c.process_id FROM comments c
    WHERE c.id = ? AND c.participant_id > ?
    LIMIT ?
)

-- The author of what a comment answers: the parent comment of a reply, the
-- proposal of a top-level comment on one; not the commenter.
-- name: recipients-replied-to
WITH t AS (
    SELECT COALESCE(pc.participant_id, pp.participant_id) AS participant_id, c.process_id, c.participant_id AS commenter
    FROM comments c
    LEFT JOIN comments pc ON pc.id = c.parent_id
    LEFT JOIN proposals pp ON c.parent_id IS NULL AND c.target_kind = 'proposal' AND pp.id = c.target_id
    WHERE c.id = ?
), ids AS (
    SELECT participant_id, process_id FROM t
    WHERE participant_id IS NOT NULL AND participant_id <> commenter AND participant_id > ?
    LIMIT ?
)

-- Everyone with a published comment on any version of a document
-- (comments_component_participant), in the document's process.
-- name: recipients-document-commenters
WITH commenters AS (
    SELECT DISTINCT c.participant_id FROM comments c
    WHERE c.component_id = ? AND c.target_kind = 'section' AND c.status = 'published' AND c.participant_id > ?
    ORDER BY c.participant_id
    LIMIT ?
), ids AS (
    SELECT commenters.participant_id, components.process_id
    FROM commenters JOIN components ON components.id = ?
)

-- One participant of a process; not reachable is not found.
-- name: participant-contact
WITH ids AS (
    SELECT participant_id, process_id FROM profiles
    WHERE process_id = ? AND participant_id = ?
)

-- The language a process's messages fall back to: its first.
-- name: process-languages
SELECT languages FROM processes WHERE id = ?
