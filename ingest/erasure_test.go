package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/queries"
)

// An erasure that keeps the contributions leaves the dashboard's counts as
// they were (participant.erased is only a line of the events ledger); one
// that removes them takes the participant's comments out, by the path
// moderation-hidden items take.
func TestErasureInDashboardCounts(t *testing.T) {
	set, err := queries.Load()
	if err != nil {
		t.Fatal(err)
	}
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		ctx := context.Background()
		wh := openWarehouse(t, filepath.Join(t.TempDir(), "w.duckdb"))
		defer wh.Close()
		in := newIngester(t, s, wh, ingest.Options{})
		section := w.sections[0]
		for i, body := range []string{"Boreholes need pumps that last.", "Fence the boreholes from cattle.", "Train ward water committees."} {
			must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: section,
				ParticipantID: w.people[i].ID, Body: body}))(t)
		}
		counts := func(want int64, when string) {
			t.Helper()
			if err := in.CatchUp(ctx); err != nil {
				t.Fatal(err)
			}
			if got := sectionComments(t, set, wh, w.open, w.doc, section); got != want {
				t.Errorf("%s: the document dashboard counts %d comments on the section, want %d", when, got, want)
			}
			if got := queryInt(t, wh, `SELECT count(*) FROM text_items WHERE entity_kind = 'comment' AND section_id = ?`, section); got != want {
				t.Errorf("%s: themes see %d comments on the section, want %d", when, got, want)
			}
		}
		counts(3, "before erasure")
		must(s.Erase(ctx, w.people[0].ID, false))(t)
		counts(3, "erased, contributions kept")
		must(s.Erase(ctx, w.people[1].ID, true))(t)
		counts(2, "erased, contributions removed")
		if n := queryInt(t, wh, `SELECT count(*) FROM events WHERE type = ?`, string(participation.EvParticipantErased)); n != 2 {
			t.Errorf("the events ledger holds %d erasures, want 2", n)
		}
	})
}
