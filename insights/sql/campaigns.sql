-- name: campaign-texts-mark
-- The newest fact that can change a process's texts: a text written or
-- re-saved, or a moderation decision. Facts are append-only, so an unchanged
-- mark means unchanged texts.
SELECT greatest(
    (SELECT coalesce(max(seq), 0) FROM proposals WHERE process_id = $1),
    (SELECT coalesce(max(seq), 0) FROM comments WHERE process_id = $1),
    (SELECT coalesce(max(seq), 0) FROM survey_answers WHERE process_id = $1),
    (SELECT coalesce(max(seq), 0) FROM moderation WHERE process_id = $1))::BIGINT;

-- name: campaign-texts
-- Every shown text of a process, oldest first.
SELECT entity_kind, entity_id, question_id, body, region_code, occurred_at
FROM text_items
WHERE process_id = $1
ORDER BY seq, entity_kind, entity_id, question_id;

-- name: campaign-old-members
-- The members of a process's current campaigns, to carry their ids over.
SELECT campaign_id, entity_kind, entity_id, question_id
FROM campaign_members
WHERE process_id = $1;

-- name: campaign-max-id
SELECT coalesce(max(campaign_id), 0)::BIGINT FROM campaigns WHERE process_id = $1;

-- name: campaign-delete
DELETE FROM campaigns WHERE process_id = $1;

-- name: campaign-delete-members
DELETE FROM campaign_members WHERE process_id = $1;
