package dashboards

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// The hand-computed fixture: process 1 (Africa/Nairobi, UTC+3, target 10)
// with three regions, three proposals, two supports, a comment in the
// previous period and 100 survey responses whose two questions form the
// textbook 2×2 table [[10 20] [30 40]] (χ² = 0.7937, df 1, p = 0.3730).
// Process 2 has one proposal of its own.
var (
	fxFrom = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	fxTo   = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
)

const (
	fxProcess   = 1
	fxOther     = 2
	fxProposals = 10
	fxDocument  = 11
	fxSurvey    = 12
	fxQ1, fxQ2  = 501, 502
)

func ptr[T any](v T) *T { return &v }

func fixture(t testing.TB) (*warehouse.Warehouse, *Dashboards) {
	t.Helper()
	w, err := warehouse.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{
			{ProcessID: fxProcess, Slug: "budget", Title: "Budget", TimeZone: "Africa/Nairobi", RegionSetID: 1, TargetParticipants: 10, Currency: "KES", Published: true, StartsAt: &start,
				Phases:     []warehouse.PhaseDim{{PhaseID: 7, Position: 1, Name: "Ideas", StartsAt: &fxFrom, EndsAt: &fxTo}},
				Components: []warehouse.ComponentDim{{ComponentID: fxProposals, Kind: "proposals", Position: 1, Title: "Ideas"}, {ComponentID: fxDocument, Kind: "document", Position: 2, Title: "Draft"}, {ComponentID: fxSurvey, Kind: "survey", Position: 3, Title: "Survey"}}},
			{ProcessID: fxOther, Slug: "other", Title: "Other", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", StartsAt: &start,
				Components: []warehouse.ComponentDim{{ComponentID: 20, Kind: "proposals", Position: 1, Title: "Ideas"}}},
		},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "A", Name: "Alpha", Population: 1000}, {Code: "B", Name: "Beta", Population: 2000}, {Code: "C", Name: "Gamma", Population: 10000}}}},
		Documents:  []warehouse.DocumentDim{{ComponentID: fxDocument, Sections: []warehouse.SectionDim{{SectionID: 900, Version: 1, Position: 1, Heading: "1. Roads"}, {SectionID: 901, Version: 1, Position: 2, Heading: "Water"}}}},
		Surveys: []warehouse.SurveyDim{{ComponentID: fxSurvey, Questions: []warehouse.QuestionDim{
			{QuestionID: fxQ1, Page: 1, Position: 1, Type: "single", Prompt: "Own a car?", Options: []string{"Yes", "No"}},
			{QuestionID: fxQ2, Page: 1, Position: 2, Type: "single", Prompt: "Urban?", Options: []string{"Urban", "Rural"}},
		}}},
	}}
	seq := int64(0)
	ev := func(typ string, process, comp, entity int64, who, region string, at time.Time) {
		seq++
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: typ, ProcessID: process, ComponentID: comp, EntityID: entity, Participant: who, RegionCode: region, OccurredAt: at})
	}
	prop := func(id int64, who, region string, at time.Time, budget int64, tags ...string) {
		ev("proposal.created", fxProcess, fxProposals, id, who, region, at)
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: id, ProcessID: fxProcess, ComponentID: fxProposals, Participant: who, RegionCode: region, Title: fmt.Sprintf("Proposal %d", id), BudgetMinor: budget, Tags: tags, OccurredAt: at})
	}
	day1 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	prop(100, "p1", "A", day1, 100000, "roads")
	prop(101, "p2", "A", day1.Add(10*time.Minute), 50000, "water", "roads")
	prop(102, "p3", "B", time.Date(2024, 3, 3, 10, 0, 0, 0, time.UTC), 20000, "water")
	sup := func(id int64, who, region string, at time.Time) {
		ev("support.added", fxProcess, fxProposals, id, who, region, at)
		b.Supports = append(b.Supports, warehouse.Support{Seq: seq, ProposalID: id, ProcessID: fxProcess, ComponentID: fxProposals, Participant: who, RegionCode: region, Delta: 1, OccurredAt: at})
	}
	sup(100, "p1", "A", day1.Add(time.Hour))
	sup(100, "p4", "C", time.Date(2024, 3, 3, 12, 0, 0, 0, time.UTC))
	// Previous period: one comment, on section 900.
	prev := time.Date(2024, 2, 27, 12, 0, 0, 0, time.UTC)
	ev("comment.created", fxProcess, fxDocument, 300, "p1", "A", prev)
	b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: 300, ProcessID: fxProcess, ComponentID: fxDocument, TargetKind: "section", TargetID: 900, Kind: "comment", Body: "Fix the roads </script>", Participant: "p1", RegionCode: "A", OccurredAt: prev})
	// 100 responses on March 2nd: (Yes, Urban) 10, (Yes, Rural) 20, (No, Urban) 30, (No, Rural) 40.
	survey := time.Date(2024, 3, 2, 6, 0, 0, 0, time.UTC)
	cells := []struct{ q1, q2, n int }{{0, 0, 10}, {0, 1, 20}, {1, 0, 30}, {1, 1, 40}}
	resp := int64(1000)
	for _, c := range cells {
		for range c.n {
			resp++
			who := fmt.Sprintf("s%d", resp)
			at := survey.Add(time.Duration(resp) * time.Second)
			started := at.Add(-5 * time.Minute)
			ev("survey.completed", fxProcess, fxSurvey, resp, who, "A", at)
			b.SurveyPages = append(b.SurveyPages, warehouse.SurveyPage{Seq: seq, ResponseID: resp, ProcessID: fxProcess, ComponentID: fxSurvey, Participant: who, RegionCode: "A", Page: 1, Completed: true, StartedAt: &started, OccurredAt: at})
			b.SurveyAnswers = append(b.SurveyAnswers,
				warehouse.SurveyAnswer{Seq: seq, ResponseID: resp, ProcessID: fxProcess, ComponentID: fxSurvey, Participant: who, RegionCode: "A", QuestionID: fxQ1, Choice: ptr(c.q1), OccurredAt: at},
				warehouse.SurveyAnswer{Seq: seq, ResponseID: resp, ProcessID: fxProcess, ComponentID: fxSurvey, Participant: who, RegionCode: "A", QuestionID: fxQ2, Choice: ptr(c.q2), OccurredAt: at})
		}
	}
	// The other process: one proposal in region A.
	ev("proposal.created", fxOther, 20, 200, "q1", "A", day1)
	b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: 200, ProcessID: fxOther, ComponentID: 20, Participant: "q1", RegionCode: "A", Title: "Elsewhere", OccurredAt: day1})
	b.To = warehouse.Cursor{Seq: seq}
	b.Consumed = seq
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	d, err := New(context.Background(), w.Read(), func() time.Time { return fxTo })
	if err != nil {
		t.Fatal(err)
	}
	return w, d
}

func run(t *testing.T, d *Dashboards, panel string, f Filter) *Result {
	t.Helper()
	p := FindPanel(panel)
	if p == nil {
		t.Fatalf("no panel %s", panel)
	}
	if f.Process == 0 {
		f.Process = fxProcess
	}
	if f.From.IsZero() {
		f.From, f.To = fxFrom, fxTo
	}
	r, err := d.Run(context.Background(), p, f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func col(t *testing.T, tb Table, label string) int {
	t.Helper()
	for j, c := range tb.Columns {
		if c.Label == label {
			return j
		}
	}
	t.Fatalf("no column %q in %+v", label, tb.Columns)
	return -1
}

func nums(t *testing.T, tb Table, label string) []float64 {
	j := col(t, tb, label)
	out := make([]float64, len(tb.Rows))
	for i, r := range tb.Rows {
		out[i] = r[j].Num
	}
	return out
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// decide writes officials' decisions the way the ingester does when the
// store's decision events arrive.
func decide(t testing.TB, w *warehouse.Warehouse, ds ...warehouse.Decision) {
	t.Helper()
	for i := range ds {
		if ds[i].At.IsZero() {
			ds[i].At = fxTo
		}
	}
	if err := w.Write(context.Background(), &warehouse.Batch{Decisions: ds}); err != nil {
		t.Fatal(err)
	}
}
