package main

import (
	"context"
	"sync/atomic"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// campaignSource hands the workspace the dashboards' campaigns, which exist
// only once the warehouse is open (mountDashboards sets them); until then,
// and without a warehouse, the queue offers no campaign.
type campaignSource struct {
	d atomic.Pointer[dashboards.Dashboards]
}

var (
	_ workspace.Campaigns     = (*campaignSource)(nil)
	_ workspace.ChannelCounts = (*campaignSource)(nil)
)

func (c *campaignSource) CampaignChoices(ctx context.Context, processID int64) ([]dashboards.CampaignChoice, error) {
	if d := c.d.Load(); d != nil {
		return d.CampaignChoices(ctx, processID)
	}
	return nil, nil
}

func (c *campaignSource) CampaignMembers(ctx context.Context, processID, campaignID int64) ([]dashboards.CampaignMember, error) {
	if d := c.d.Load(); d != nil {
		return d.CampaignMembers(ctx, processID, campaignID)
	}
	return nil, nil
}

// ProcessChannels gives the outreach kit the channels panel's rows; before
// the warehouse is open, the dashboards' "not found" (no figures yet).
func (c *campaignSource) ProcessChannels(ctx context.Context, processID int64) ([]dashboards.ChannelCount, error) {
	if d := c.d.Load(); d != nil {
		return d.ProcessChannels(ctx, processID)
	}
	return nil, dashboards.ErrNotFound
}
