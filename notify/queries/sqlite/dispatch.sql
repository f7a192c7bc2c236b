-- SQLite: the same statements as on Postgres, numbered parameters in the
-- same order.

-- name: preferences-batch
SELECT participant_id, frequency FROM notify_preferences
WHERE kind = ?1 AND participant_id IN (SELECT value FROM json_each(?2))

-- name: digest-add-batch
INSERT INTO notify_digest_items (idem_key, participant_id, process_id, kind, lang, local_date, due_at, payload, created_at)
SELECT json_extract(value, '$.idem_key'), json_extract(value, '$.participant_id'), json_extract(value, '$.process_id'),
       json_extract(value, '$.kind'), json_extract(value, '$.lang'), json_extract(value, '$.local_date'), ?2,
       json_extract(value, '$.payload'), ?3
FROM json_each(?1) WHERE true
ON CONFLICT (idem_key) DO NOTHING
