-- Postgres-only statements.

-- name: insert-event
INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
VALUES (?, ?, ?, ?, ?, ?, ?, CAST(? AS JSONB))

-- Sent after commits by the store's notifier, never inside a write: a NOTIFY
-- in a transaction takes the server's global notification lock at commit.
-- name: notify-outbox
SELECT pg_notify('civicpulse_outbox', '')

-- Rows of transactions still running, and of any that might yet get an xid
-- below the horizon, are left for a later read (see participation.Outbox).
-- The horizon is the oldest transaction in flight that might be this
-- database's: pg_snapshot_xmin would be the whole server's, so a long
-- transaction in another database would stop the outbox. A running xid
-- counts as another database's only when pg_stat_activity shows a backend
-- of that database holding it now; anything else (a backend that finished
-- since the snapshot, a prepared transaction, a role not allowed to see
-- other backends) keeps the horizon where it would have been. In-flight
-- xids lie within 2^31 of each other, so their low 32 bits name them.
-- ORDER BY names the table's columns, not the bigint aliases, so that the
-- (tx, seq) index serves it: 1 ms instead of a sort of the whole outbox.
-- name: read-outbox
WITH snap AS (SELECT pg_current_snapshot() AS s),
elsewhere AS (
    SELECT backend_xid::text::bigint AS xid FROM pg_stat_activity
    WHERE backend_xid IS NOT NULL AND datname <> current_database()
),
horizon AS (
    SELECT COALESCE(
        (SELECT min(x) FROM snap, pg_snapshot_xip(snap.s) AS x
         WHERE (x::text::bigint & 4294967295) NOT IN (SELECT xid FROM elsewhere)),
        (SELECT pg_snapshot_xmax(s) FROM snap)) AS h
)
SELECT o.seq, o.tx::text::bigint AS tx, o.type, o.process_id, o.component_id, o.entity_id, o.participant_id,
    o.region_code, o.occurred_at, o.payload::text AS payload
FROM outbox o
WHERE (o.tx, o.seq) > (CAST(CAST(? AS BIGINT) AS TEXT)::xid8, CAST(? AS BIGINT))
  AND o.tx < (SELECT h FROM horizon)
ORDER BY o.tx, o.seq
LIMIT ?

-- Writes fused with their counter and their outbox event: one round trip
-- instead of three, and the counter row stays locked only until the commit
-- that follows at once. The event's entity is the row the statement writes;
-- the other event columns come last, in insert-event's order.

-- name: create-comment-fused
WITH c AS (
    INSERT INTO comments (process_id, component_id, target_kind, target_id, parent_id, participant_id, kind,
        body, proposed_text, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, target_kind, target_id
), section_count AS (
    UPDATE sections SET comment_count = comment_count + 1
    WHERE id = (SELECT target_id FROM c WHERE target_kind = 'section')
), proposal_count AS (
    UPDATE proposals SET comment_count = comment_count + 1
    WHERE id = (SELECT target_id FROM c WHERE target_kind = 'proposal')
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, c.id, ?, ?, ?, CAST(? AS JSONB) FROM c
)
SELECT id FROM c

-- The vote is inserted, or changed only if it is still the previous one the
-- rules read: a concurrent vote by the same participant makes this write
-- nothing (zero rows) instead of counting a change twice.
-- name: vote-fused
WITH v AS (
    INSERT INTO comment_votes (comment_id, participant_id, vote, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (comment_id, participant_id) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at
    WHERE comment_votes.vote = ?
    RETURNING comment_id
), n AS (
    UPDATE comments SET agree = agree + ?, disagree = disagree + ?, pass = pass + ?
    WHERE id = (SELECT comment_id FROM v)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, v.comment_id, ?, ?, ?, CAST(? AS JSONB) FROM v
)
SELECT COUNT(*) FROM v

-- name: support-fused
WITH s AS (
    INSERT INTO supports (proposal_id, participant_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING
    RETURNING proposal_id
), n AS (
    UPDATE proposals SET support_count = support_count + 1 WHERE id = (SELECT proposal_id FROM s)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, s.proposal_id, ?, ?, ?, CAST(? AS JSONB) FROM s
)
SELECT COUNT(*) FROM s

-- name: unsupport-fused
WITH s AS (
    DELETE FROM supports WHERE proposal_id = ? AND participant_id = ? RETURNING proposal_id
), n AS (
    UPDATE proposals SET support_count = support_count - 1 WHERE id = (SELECT proposal_id FROM s)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT ?, ?, ?, s.proposal_id, ?, ?, ?, CAST(? AS JSONB) FROM s
)
SELECT COUNT(*) FROM s

-- Whole citizen writes in one statement: the rules of write-rules (as a
-- filter: $1 the target, $2 the participant, $3 the time), the row, its
-- counter and its event. Zero rows means refused or raced, with nothing
-- written: the store then takes the step-by-step path, which says why. They
-- use $n because each parameter appears several times.

-- name: create-section-comment-one
WITH r AS (
    SELECT c.id AS component_id, c.process_id,
        (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
                ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                    WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
            FROM participants pa WHERE pa.id = $2) AS region
    FROM sections x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
    WHERE x.id = $1 AND c.kind = 'document' AND p.published AND NOT c.premoderated
      AND EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
          WHERE pc.component_id = c.id AND ph.starts_at <= $3 AND ph.ends_at > $3)
      AND (p.mode <> 'registered'
          OR (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = $2 AND pr.process_id = c.process_id
                  AND pr.verified_at IS NOT NULL)
              AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = $2 AND co.process_id = c.process_id
                  AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                      FROM privacy_notices n WHERE n.process_id = c.process_id), 0))))
), ok AS (
    SELECT * FROM r WHERE region IS NOT NULL
), c AS (
    INSERT INTO comments (process_id, component_id, target_kind, target_id, parent_id, participant_id, kind,
        body, proposed_text, created_at)
    SELECT ok.process_id, ok.component_id, 'section', $1, CAST(NULL AS BIGINT), $2, $4, $5, $6, $3 FROM ok
    RETURNING id
), n AS (
    UPDATE sections SET comment_count = comment_count + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM c)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT $7, ok.process_id, ok.component_id, c.id, $2, ok.region, $3, CAST($8 AS JSONB) FROM c, ok
)
SELECT id FROM c

-- name: create-proposal-comment-one
WITH r AS (
    SELECT c.id AS component_id, c.process_id,
        (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
                ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                    WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
            FROM participants pa WHERE pa.id = $2) AS region
    FROM proposals x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
    WHERE x.id = $1 AND x.status = 'published' AND c.kind = 'proposals' AND p.published AND NOT c.premoderated
      AND EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
          WHERE pc.component_id = c.id AND ph.starts_at <= $3 AND ph.ends_at > $3)
      AND (p.mode <> 'registered'
          OR (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = $2 AND pr.process_id = c.process_id
                  AND pr.verified_at IS NOT NULL)
              AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = $2 AND co.process_id = c.process_id
                  AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                      FROM privacy_notices n WHERE n.process_id = c.process_id), 0))))
), ok AS (
    SELECT * FROM r WHERE region IS NOT NULL
), c AS (
    INSERT INTO comments (process_id, component_id, target_kind, target_id, parent_id, participant_id, kind,
        body, proposed_text, created_at)
    SELECT ok.process_id, ok.component_id, 'proposal', $1, CAST(NULL AS BIGINT), $2, $4, $5, $6, $3 FROM ok
    RETURNING id
), n AS (
    UPDATE proposals SET comment_count = comment_count + 1 WHERE id = $1 AND EXISTS (SELECT 1 FROM c)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT $7, ok.process_id, ok.component_id, c.id, $2, ok.region, $3, CAST($8 AS JSONB) FROM c, ok
)
SELECT id FROM c

-- $4 the vote, $5 the event type. A vote equal to the previous one, or a
-- previous one changed meanwhile, writes nothing.
-- name: vote-one
WITH r AS (
    SELECT c.id AS component_id, c.process_id,
        (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
                ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                    WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
            FROM participants pa WHERE pa.id = $2) AS region
    FROM comments x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
    WHERE x.id = $1 AND x.status = 'published' AND x.target_kind = 'section' AND c.kind = 'document' AND p.published
      AND EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
          WHERE pc.component_id = c.id AND ph.starts_at <= $3 AND ph.ends_at > $3)
      AND (p.mode <> 'registered'
          OR (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = $2 AND pr.process_id = c.process_id
                  AND pr.verified_at IS NOT NULL)
              AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = $2 AND co.process_id = c.process_id
                  AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                      FROM privacy_notices n WHERE n.process_id = c.process_id), 0))))
), ok AS (
    SELECT * FROM r WHERE region IS NOT NULL
), prev AS (
    SELECT COALESCE((SELECT vote FROM comment_votes WHERE comment_id = $1 AND participant_id = $2), '') AS vote
), v AS (
    INSERT INTO comment_votes (comment_id, participant_id, vote, created_at, updated_at)
    SELECT $1, $2, CAST($4 AS TEXT), $3, $3 FROM ok, prev WHERE prev.vote <> CAST($4 AS TEXT)
    ON CONFLICT (comment_id, participant_id) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at
    WHERE comment_votes.vote = (SELECT vote FROM prev)
    RETURNING comment_id
), n AS (
    UPDATE comments SET
        agree = agree + (CASE WHEN CAST($4 AS TEXT) = 'agree' THEN 1 ELSE 0 END) - (CASE WHEN prev.vote = 'agree' THEN 1 ELSE 0 END),
        disagree = disagree + (CASE WHEN CAST($4 AS TEXT) = 'disagree' THEN 1 ELSE 0 END) - (CASE WHEN prev.vote = 'disagree' THEN 1 ELSE 0 END),
        pass = pass + (CASE WHEN CAST($4 AS TEXT) = 'pass' THEN 1 ELSE 0 END) - (CASE WHEN prev.vote = 'pass' THEN 1 ELSE 0 END)
    FROM prev WHERE comments.id = (SELECT comment_id FROM v)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT $5, ok.process_id, ok.component_id, $1, $2, ok.region, $3,
        jsonb_build_object('vote', CAST($4 AS TEXT), 'previous', prev.vote) FROM v, ok, prev
)
SELECT COUNT(*) FROM v

-- $4 the event type. Only for components without a support limit: a limited
-- support must count under lock-participant-supports, in a transaction.
-- name: support-one
WITH r AS (
    SELECT c.id AS component_id, c.process_id,
        (SELECT CASE WHEN pa.region_code <> '' THEN pa.region_code
                ELSE COALESCE((SELECT pr.region_code FROM profiles pr
                    WHERE pr.process_id = c.process_id AND pr.participant_id = pa.id), '') END
            FROM participants pa WHERE pa.id = $2) AS region
    FROM proposals x JOIN components c ON c.id = x.component_id JOIN processes p ON p.id = c.process_id
    WHERE x.id = $1 AND x.status = 'published' AND c.kind = 'proposals' AND p.published
      AND EXISTS (SELECT 1 FROM phase_components pc JOIN phases ph ON ph.id = pc.phase_id
          WHERE pc.component_id = c.id AND ph.starts_at <= $3 AND ph.ends_at > $3)
      AND (p.mode <> 'registered'
          OR (EXISTS (SELECT 1 FROM profiles pr WHERE pr.participant_id = $2 AND pr.process_id = c.process_id
                  AND pr.verified_at IS NOT NULL)
              AND EXISTS (SELECT 1 FROM consents co WHERE co.participant_id = $2 AND co.process_id = c.process_id
                  AND co.withdrawn_at IS NULL AND co.notice_version = COALESCE((SELECT MAX(n.version)
                      FROM privacy_notices n WHERE n.process_id = c.process_id), 0))))
      AND c.support_limit = 0
), ok AS (
    SELECT * FROM r WHERE region IS NOT NULL
), s AS (
    INSERT INTO supports (proposal_id, participant_id, created_at) SELECT $1, $2, $3 FROM ok
    ON CONFLICT DO NOTHING RETURNING proposal_id
), n AS (
    UPDATE proposals SET support_count = support_count + 1 WHERE id = (SELECT proposal_id FROM s)
), e AS (
    INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
    SELECT $4, ok.process_id, ok.component_id, $1, $2, ok.region, $3, CAST('{}' AS JSONB) FROM s, ok
)
SELECT COUNT(*) FROM s

-- A support under a limit counts the participant's supports inside its
-- transaction after this lock, so concurrent supports of one participant
-- take turns and each counts the ones committed before it (a count in one
-- statement would read its snapshot, taken before the lock was granted).
-- NO KEY: the foreign keys of the participant's other writes still pass.
-- name: lock-participant-supports
SELECT id FROM participants WHERE id = ? FOR NO KEY UPDATE

-- The row lock makes concurrent transitions of one process take turns.
-- name: lock-process-state
SELECT state, is_template FROM processes WHERE id = ? FOR UPDATE
