package dashboards

import (
	"context"
	"database/sql"
)

// The campaigns the warehouse found, for the moderation queue's filter:
// the store keeps the reports, the warehouse knows which texts are copies
// of one campaign.

// CampaignChoice is a campaign as the queue's filter offers it.
type CampaignChoice struct {
	ID       int64
	Template string // the copy that stands for it
	Copies   int64
}

// CampaignMember is one copy of a campaign (a comment, proposal or open
// answer).
type CampaignMember struct {
	Kind       string
	ID         int64
	QuestionID int64
}

// CampaignChoices lists a process's largest campaigns, largest first.
func (d *Dashboards) CampaignChoices(ctx context.Context, processID int64) ([]CampaignChoice, error) {
	var out []CampaignChoice
	err := d.each(ctx, "moderation-campaigns", map[string]any{"process": processID}, func(r *sql.Rows) error {
		var c CampaignChoice
		if err := r.Scan(&c.ID, &c.Template, &c.Copies); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}

// CampaignMembers lists a campaign's copies (none for a campaign the
// process does not have).
func (d *Dashboards) CampaignMembers(ctx context.Context, processID, campaignID int64) ([]CampaignMember, error) {
	out := []CampaignMember{}
	err := d.each(ctx, "moderation-campaign-members", map[string]any{"process": processID, "campaign": campaignID}, func(r *sql.Rows) error {
		var m CampaignMember
		if err := r.Scan(&m.Kind, &m.ID, &m.QuestionID); err != nil {
			return err
		}
		out = append(out, m)
		return nil
	})
	return out, err
}
