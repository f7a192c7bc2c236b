package dashboards

import (
	"context"
	"database/sql"
	"fmt"
)

// ChannelCount is one row of the channels panel: how many daily visitors
// came through a channel, how many of them opened a participation
// component (engaged) and a form (started).
type ChannelCount struct {
	Channel                    string
	Visitors, Engaged, Started int64
}

// CampaignChannel is the channel a utm_campaign counts under, as the
// warehouse names it (warehouse.Channel).
func CampaignChannel(utmCampaign string) string { return "campaign: " + utmCampaign }

// ChannelCounts reads the channels panel's rows for a view. The panel
// and the outreach kit both read through it, so a campaign link's figures
// are the panel's row by construction.
func (d *Dashboards) ChannelCounts(ctx context.Context, v View) ([]ChannelCount, error) {
	var out []ChannelCount
	err := d.each(ctx, "funnel-by-channel", v.args(), func(r *sql.Rows) error {
		var c ChannelCount
		if err := r.Scan(&c.Channel, &c.Visitors, &c.Engaged, &c.Started); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("dashboards: unable to count channels of process %d: %w", v.P.ID, err)
	}
	return out, nil
}

// ProcessChannels is ChannelCounts over the channels panel's default view
// of a process (no filter: the whole process to now).
func (d *Dashboards) ProcessChannels(ctx context.Context, processID int64) ([]ChannelCount, error) {
	p, err := d.Process(ctx, processID)
	if err != nil {
		return nil, err
	}
	return d.ChannelCounts(ctx, d.Resolve(p, Filter{}))
}
