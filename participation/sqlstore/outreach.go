package sqlstore

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "outreach.sql")
	statementNames = append(statementNames, "insert-campaign-link", "campaign-link-taken", "campaign-code-taken",
		"list-campaign-links", "get-campaign-link", "get-campaign-link-by-code")
}

var _ participation.CampaignLinks = (*Store)(nil)

type campaignLinkPayload struct {
	StaffID     int64  `json:"staff_id"`
	UTMCampaign string `json:"utm_campaign"`
}

// newCampaignCode draws a code from the alphabet; crypto/rand so codes do
// not follow one another and a link cannot be found from its neighbour's.
func newCampaignCode() string {
	b := make([]byte, participation.CampaignCodeLen)
	rand.Read(b)
	var out strings.Builder
	for _, c := range b {
		out.WriteByte(participation.CampaignCodeAlphabet[int(c)%len(participation.CampaignCodeAlphabet)])
	}
	return out.String()
}

// campaignTaken refuses a second link of one campaign and channel.
func campaignTaken() error {
	return participation.Errorf(participation.CodeConflict, "campaign", "err.campaign_link_taken",
		"this campaign already has a link for this channel")
}

// CreateCampaignLink stores the link with a code no other link has and
// its campaign_link.created event.
func (s *Store) CreateCampaignLink(ctx context.Context, l participation.CampaignLink) (participation.CampaignLink, participation.Written, error) {
	var wr participation.Written
	l, err := l.Normalize()
	if err != nil {
		return l, wr, err
	}
	err = s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, l.ProcessID); err != nil {
			return err
		}
		var n int
		if err := w.get(ctx, &n, "campaign-link-taken", l.ProcessID, l.UTMCampaign); err != nil {
			return fmt.Errorf("store: unable to check campaign links: %w", err)
		}
		if n > 0 {
			return campaignTaken()
		}
		// A clash among 31^8 codes is all but impossible; a few draws
		// settle it without a retry loop over an aborted transaction.
		for range 5 {
			l.Code = newCampaignCode()
			if err := w.get(ctx, &n, "campaign-code-taken", l.Code); err != nil {
				return fmt.Errorf("store: unable to check a campaign code: %w", err)
			}
			if n == 0 {
				break
			}
		}
		if n > 0 {
			return fmt.Errorf("store: no free campaign code after five draws")
		}
		l.CreatedAt = w.now(ctx)
		l.ID, err = w.insertID(ctx, "insert-campaign-link", l.ProcessID, l.Code, l.Channel, l.Campaign,
			l.UTMSource, l.UTMMedium, l.UTMCampaign, l.StaffID, l.CreatedAt)
		if err != nil {
			if isUnique(err) {
				return campaignTaken() // a concurrent official made the same link
			}
			return fmt.Errorf("store: unable to create campaign link: %w", err)
		}
		wr.ID = l.ID
		wr.Seq, err = w.decisionEvent(ctx, event{typ: participation.EvCampaignLinkCreated, processID: l.ProcessID, entityID: l.ID,
			payload: campaignLinkPayload{StaffID: l.StaffID, UTMCampaign: l.UTMCampaign}})
		return err
	})
	return l, wr, err
}

// CampaignLinks lists a process's links, newest first.
func (s *Store) CampaignLinks(ctx context.Context, processID int64) ([]participation.CampaignLink, error) {
	var out []participation.CampaignLink
	if err := s.sel(ctx, &out, "list-campaign-links", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list campaign links: %w", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}

// CampaignLink returns a link of the process.
func (s *Store) CampaignLink(ctx context.Context, processID, id int64) (participation.CampaignLink, error) {
	var l participation.CampaignLink
	if err := s.get(ctx, &l, "get-campaign-link", processID, id); err != nil {
		if noRows(err) {
			return l, notFound("link", "campaign link")
		}
		return l, fmt.Errorf("store: unable to read campaign link: %w", err)
	}
	l.CreatedAt = l.CreatedAt.UTC()
	return l, nil
}

// CampaignLinkByCode finds the link of a short code.
func (s *Store) CampaignLinkByCode(ctx context.Context, code string) (participation.CampaignLink, error) {
	var l participation.CampaignLink
	if !participation.ValidCampaignCode(code) {
		return l, notFound("code", "campaign link")
	}
	if err := s.get(ctx, &l, "get-campaign-link-by-code", code); err != nil {
		if noRows(err) {
			return l, notFound("code", "campaign link")
		}
		return l, fmt.Errorf("store: unable to read campaign link: %w", err)
	}
	l.CreatedAt = l.CreatedAt.UTC()
	return l, nil
}
