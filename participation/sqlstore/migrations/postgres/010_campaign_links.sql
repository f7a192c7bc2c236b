-- Campaign links of the outreach kit (participation.CampaignLink,
-- outreach.go): a short code that sends citizens to the process page with
-- UTM parameters. utm_campaign is unique per process, so each link is one
-- row of the channels panel.
CREATE TABLE campaign_links (
    id           BIGSERIAL PRIMARY KEY,
    process_id   BIGINT NOT NULL REFERENCES processes (id) ON DELETE CASCADE,
    code         TEXT NOT NULL UNIQUE,
    channel      TEXT NOT NULL,
    campaign     TEXT NOT NULL,
    utm_source   TEXT NOT NULL,
    utm_medium   TEXT NOT NULL,
    utm_campaign TEXT NOT NULL,
    staff_id     BIGINT NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL,
    UNIQUE (process_id, utm_campaign)
);
