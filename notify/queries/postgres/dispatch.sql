-- Postgres: batches of the dispatcher arrive as one JSON array.

-- name: preferences-batch
-- The stored frequency of one kind ($1) for each participant of $2.
SELECT participant_id, frequency FROM notify_preferences
WHERE kind = $1 AND participant_id IN (SELECT value::bigint FROM jsonb_array_elements_text($2::jsonb))

-- name: digest-add-batch
INSERT INTO notify_digest_items (idem_key, participant_id, process_id, kind, lang, local_date, due_at, payload, created_at)
SELECT r.idem_key, r.participant_id, r.process_id, r.kind, r.lang, r.local_date, $2, r.payload, $3
FROM jsonb_to_recordset($1::jsonb) AS r(idem_key text, participant_id bigint, process_id bigint, kind text,
                                         lang text, local_date text, payload text)
ON CONFLICT (idem_key) DO NOTHING
