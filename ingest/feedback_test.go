package ingest_test

import (
	"context"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/queries"
)

// The feedback-loop figures, read from the warehouse by the named queries,
// are the ones the store's outbox gives when counted by hand: the share of
// proposals with a decision, and the median days from submission to the
// first decision (a later move, to implementation, does not restart it).
func TestFeedbackLoopFigures(t *testing.T) {
	s := openStore(t, sqldbtest.NewSQLiteURL(t), &clock{})
	w := newWorld(t, s)
	rng := rand.New(rand.NewPCG(21, 22))
	w.act(t, rng, 40)
	for range 3 {
		advanceProposals(t, w, rng)
		w.act(t, rng, 10)
	}
	wh := openWarehouse(t, filepath.Join(t.TempDir(), "w.duckdb"))
	defer wh.Close()
	if err := newIngester(t, s, wh, ingest.Options{BatchSize: 50}).CatchUp(context.Background()); err != nil {
		t.Fatal(err)
	}

	// By hand, from the outbox.
	created, first := map[int64]time.Time{}, map[int64]time.Time{}
	evs, err := s.Outbox().Read(context.Background(), participation.Cursor{}, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.ProcessID != w.open {
			continue
		}
		switch e.Type {
		case participation.EvProposalCreated:
			created[e.EntityID] = e.OccurredAt
		case participation.EvProposalDecided:
			var p struct{ To participation.AssessmentState }
			if err := json.Unmarshal(e.Payload, &p); err != nil {
				t.Fatal(err)
			}
			if _, seen := first[e.EntityID]; !seen && participation.IsDecided(p.To) {
				first[e.EntityID] = e.OccurredAt
			}
		}
	}
	if len(first) == 0 || len(first) == len(created) {
		t.Fatalf("%d of %d proposals decided: the test proves nothing", len(first), len(created))
	}
	var days []float64
	for id, at := range first {
		days = append(days, at.Sub(created[id]).Seconds()/86400)
	}
	sort.Float64s(days)
	median := days[len(days)/2]
	if len(days)%2 == 0 {
		median = (days[len(days)/2-1] + days[len(days)/2]) / 2
	}

	qs, err := queries.Load()
	if err != nil {
		t.Fatal(err)
	}
	args, err := qs.Args("feedback-loop", map[string]any{"process": w.open})
	if err != nil {
		t.Fatal(err)
	}
	var proposals, decided int64
	var share, med float64
	if err := wh.Read().QueryRow(qs.SQL("feedback-loop"), args...).Scan(&proposals, &decided, &share, &med); err != nil {
		t.Fatal(err)
	}
	if proposals != int64(len(created)) || decided != int64(len(first)) || math.Abs(share-float64(len(first))/float64(len(created))) > 1e-9 {
		t.Errorf("feedback-loop: %d proposals, %d decided, share %v; want %d, %d", proposals, decided, share, len(created), len(first))
	}
	if math.Abs(med-median) > 1e-6 {
		t.Errorf("median days to decision %v, want %v", med, median)
	}

	args, _ = qs.Args("feedback-decisions-by-state", map[string]any{"process": w.open})
	rows, err := wh.Read().Query(qs.SQL("feedback-decisions-by-state"), args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var total int64
	for rows.Next() {
		var st string
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if total != int64(len(created)) {
		t.Errorf("by state: %d proposals, want %d", total, len(created))
	}
}
