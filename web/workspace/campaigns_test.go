package workspace_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// TestModerationQueueByCampaign: the queue offers the campaigns the
// warehouse found and, with one chosen, lists only its reported copies.
func TestModerationQueueByCampaign(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		wh, err := warehouse.Open(t.TempDir() + "/warehouse.duckdb")
		must(t, err)
		t.Cleanup(func() { wh.Close() })
		d, err := dashboards.New(ctx, wh.Read(), time.Now)
		must(t, err)
		fx := newFixture(t, b.URL, func(c *workspace.Config) { c.Campaigns = d })
		P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)

		pt, err := fx.Store.CreateParticipant(ctx, "")
		must(t, err)
		var copies []int64
		for i := range 2 {
			id, err := fx.Store.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: fx.Proposal,
				ParticipantID: pt.ID, Body: fmt.Sprintf("Stop the new market levy now (%d)", i)})
			must(t, err)
			copies = append(copies, id)
		}
		reporter, err := fx.Store.CreateParticipant(ctx, "")
		must(t, err)
		for _, id := range append([]int64{fx.Comment}, copies...) {
			_, err := fx.Store.Report(ctx, participation.Report{Ref: participation.ContributionRef{Kind: participation.ContribComment, ID: id},
				ParticipantID: reporter.ID, Reason: participation.ReasonSpam})
			must(t, err)
		}
		// The campaign job's output, as it writes it.
		at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO campaigns VALUES (?, 7, 'Stop the new market levy now', 'comment', ?, 0, 2, 0, ?, ?, 2, '[]', ?)`, []any{fx.ProcessA, copies[0], at, at, at}},
			{`INSERT INTO campaign_members VALUES (?, 7, 'comment', ?, 0, true), (?, 7, 'comment', ?, 0, false)`, []any{fx.ProcessA, copies[0], fx.ProcessA, copies[1]}},
		} {
			if _, err := wh.Read().ExecContext(ctx, q.sql, q.args...); err != nil {
				t.Fatalf("%s: %v", q.sql, err)
			}
		}

		mod := fx.browser(t, "moderator")
		all := mod.open(P + "/moderation")
		if !all.Has(`<option value="7">Stop the new market levy now (2 copies)</option>`) || !all.Has(fmt.Sprintf(`id="item-comment-%d"`, fx.Comment)) {
			t.Fatalf("the queue does not offer the campaign, or lost the other report\n%s", all.Body)
		}
		one := mod.open(P + "/moderation?campaign=7")
		for _, id := range copies {
			if !one.Has(fmt.Sprintf(`id="item-comment-%d"`, id)) {
				t.Errorf("copy %d missing from the campaign's queue", id)
			}
		}
		if one.Has(fmt.Sprintf(`id="item-comment-%d"`, fx.Comment)) || !one.Has(`<option value="7" selected>`) {
			t.Fatalf("the campaign filter lets another item through or forgets the choice\n%s", one.Body)
		}
		if none := mod.open(P + "/moderation?campaign=99"); none.Has(`id="item-comment-`) {
			t.Fatal("an unknown campaign lists items")
		}
		code, body := fx.api(t, fx.SignIn(t, "moderator").Token, "GET", fmt.Sprintf("/api/v1/staff/processes/%d/moderation?campaign=7", fx.ProcessA), nil)
		if code != 200 || body["total"] != 2.0 {
			t.Fatalf("API queue by campaign: %d %v", code, body)
		}
	})
}
