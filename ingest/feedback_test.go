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
// first decision (a later move, to implementation, does not restart it);
// and the share of citizens' questions the institution answered, which is
// the store's own list of questions to answer.
func TestFeedbackLoopFigures(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) { testFeedbackLoopFigures(t, b.URL) })
}

func testFeedbackLoopFigures(t *testing.T, url string) {
	s := openStore(t, url, &clock{})
	w := newWorld(t, s)
	rng := rand.New(rand.NewPCG(21, 22))
	w.act(t, rng, 40)
	var questions []int64
	for range 3 {
		advanceProposals(t, w, rng)
		questions = append(questions, askAndAnswer(t, w, rng)...)
		w.act(t, rng, 10)
	}
	// A hidden question is out of the figures, answered or not, and a
	// hidden answer answers nothing.
	hide := func(id int64) {
		must(s.Moderate(w.ctx, participation.ModerationDecision{Ref: participation.ContributionRef{Kind: participation.ContribComment, ID: id},
			Action: participation.ActHide, Reason: "off-topic", StaffID: 1}))(t)
	}
	hide(questions[0])
	hidden := must(s.AnswerAsInstitution(w.ctx, questions[1], 3, "See the plan."))(t)
	hide(hidden)
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
	var total, decidedRows int64
	for rows.Next() {
		var st string
		var dec bool
		var n int64
		if err := rows.Scan(&st, &dec, &n); err != nil {
			t.Fatal(err)
		}
		total += n
		if dec {
			decidedRows += n
		}
	}
	if total != int64(len(created)) || decidedRows != int64(len(first)) {
		t.Errorf("by state: %d proposals, %d with a decision; want %d, %d", total, decidedRows, len(created), len(first))
	}

	// Questions: the store's list, with its answered flags.
	open := must(s.ProcessQuestions(w.ctx, w.open))(t)
	var answered int64
	for _, q := range open {
		if q.Answered {
			answered++
		}
	}
	if answered == 0 || answered == int64(len(open)) {
		t.Fatalf("%d of %d questions answered: the test proves nothing", answered, len(open))
	}
	args, _ = qs.Args("feedback-questions", map[string]any{"process": w.open})
	var nq, na int64
	if err := wh.Read().QueryRow(qs.SQL("feedback-questions"), args...).Scan(&nq, &na, &share); err != nil {
		t.Fatal(err)
	}
	if nq != int64(len(open)) || na != answered || math.Abs(share-float64(answered)/float64(len(open))) > 1e-9 {
		t.Errorf("feedback-questions: %d questions, %d answered, share %v; want %d, %d", nq, na, share, len(open), answered)
	}
}
