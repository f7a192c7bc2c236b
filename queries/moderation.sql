-- Campaigns for the moderation queue's filter (the workspace): a moderator
-- narrows the queue to one campaign's reported copies.

-- name: moderation-campaigns
SELECT campaign_id, template, copies
FROM campaigns
WHERE process_id = $process
ORDER BY copies DESC, campaign_id
LIMIT 100;

-- name: moderation-campaign-members
SELECT entity_kind, entity_id, question_id
FROM campaign_members
WHERE process_id = $process AND campaign_id = $campaign
ORDER BY entity_kind, entity_id, question_id;
