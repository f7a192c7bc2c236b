-- Campaign links of the outreach kit (outreach.go).

-- name: insert-campaign-link
INSERT INTO campaign_links (process_id, code, channel, campaign, utm_source, utm_medium, utm_campaign, staff_id, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id

-- name: campaign-link-taken
-- A link of the process with this utm_campaign (campaign and channel).
SELECT count(*) FROM campaign_links WHERE process_id = ? AND utm_campaign = ?

-- name: campaign-code-taken
SELECT count(*) FROM campaign_links WHERE code = ?

-- name: list-campaign-links
SELECT id, process_id, code, channel, campaign, utm_source, utm_medium, utm_campaign, staff_id, created_at
FROM campaign_links WHERE process_id = ? ORDER BY created_at DESC, id DESC

-- name: get-campaign-link
SELECT id, process_id, code, channel, campaign, utm_source, utm_medium, utm_campaign, staff_id, created_at
FROM campaign_links WHERE process_id = ? AND id = ?

-- name: get-campaign-link-by-code
SELECT id, process_id, code, channel, campaign, utm_source, utm_medium, utm_campaign, staff_id, created_at
FROM campaign_links WHERE code = ?
