package ingest_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/queries"
	"github.com/civicpulse/civicpulse/warehouse"
)

// A hidden comment leaves the document dashboard's counts and the texts the
// themes are fitted on; restored, it comes back. A pre-moderated one only
// counts once approved. Read through the dashboards' own named query.
func TestHiddenAndRestoredInDashboardCounts(t *testing.T) {
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
		var ids []int64
		for i, body := range []string{"Boreholes need pumps that last.", "Fence the boreholes from cattle.", "Train ward water committees."} {
			ids = append(ids, must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: section,
				ParticipantID: w.people[i].ID, Body: body}))(t))
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
		counts(3, "before moderation")
		ref := participation.ContributionRef{Kind: participation.ContribComment, ID: ids[1]}
		must(s.Moderate(ctx, participation.ModerationDecision{Ref: ref, Action: participation.ActHide, Reason: "off-topic", StaffID: 1}))(t)
		counts(2, "hidden")
		must(s.Moderate(ctx, participation.ModerationDecision{Ref: ref, Action: participation.ActRestore, Reason: "on topic after all", StaffID: 1}))(t)
		counts(3, "restored")

		if err := s.SetPremoderated(ctx, w.doc, true); err != nil {
			t.Fatal(err)
		}
		held := must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: section,
			ParticipantID: w.people[3].ID, Body: "Waiting for a moderator."}))(t)
		counts(3, "pending")
		must(s.Moderate(ctx, participation.ModerationDecision{Ref: participation.ContributionRef{Kind: participation.ContribComment, ID: held},
			Action: participation.ActApprove, StaffID: 1}))(t)
		counts(4, "approved")
	})
}

// sectionComments runs the document dashboard's document-sections query
// over all time and returns the section's plain comments.
func sectionComments(t testing.TB, set *queries.Set, wh *warehouse.Warehouse, process, component, section int64) int64 {
	t.Helper()
	args, err := set.Args("document-sections", map[string]any{"process": process, "component": component, "region": "",
		"from": time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), "to": time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), "count_once": false})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wh.Read().Query(set.SQL("document-sections"), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		if id, _ := vals[0].(int64); id == section {
			for i, c := range cols {
				if c == "comments" {
					n, _ := vals[i].(int64)
					return n
				}
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	t.Fatalf("section %d not in document-sections", section)
	return 0
}
