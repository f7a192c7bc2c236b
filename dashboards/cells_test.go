package dashboards

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// addBatch writes one more batch after the fixture's (sequence numbers
// from 20,000 up, clear of the fixture's).
func addBatch(t *testing.T, w *warehouse.Warehouse, fill func(b *warehouse.Batch, seq func() int64)) {
	t.Helper()
	n := int64(20000)
	b := &warehouse.Batch{}
	fill(b, func() int64 { n++; return n })
	b.To, b.Consumed = warehouse.Cursor{Seq: n}, n-20000
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

func csvRows(t *testing.T, r *Result) [][]string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// An empty text cell is empty, on the page and in the CSV: never the "0" of
// a number it is not.
func TestEmptyTextCellsStayEmpty(t *testing.T) {
	_, d := fixture(t)
	c := run(t, d, "section-comments", Filter{Section: 900, From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), To: fxTo})
	j := col(t, c.Table, "Proposed text")
	if got := c.Table.Format(0, j); got != "" {
		t.Errorf("an empty proposed text shows %q on the page", got)
	}
	if got := csvRows(t, c)[1][j]; got != "" {
		t.Errorf("an empty proposed text is %q in the CSV", got)
	}
	r := run(t, d, "regions", Filter{})
	k := col(t, r.Table, "Far below median")
	for i, row := range r.Table.Rows {
		if got := r.Table.Format(i, k); !row[k].Flag && row[0].Flag == false && got != "" {
			t.Errorf("region %s: far below median shows %q", row[0].Text, got)
		}
	}
	if got := csvRows(t, r)[1][k]; got != "" {
		t.Errorf("far below median is %q in the CSV for Alpha", got)
	}
}

// Regions read as names wherever a panel shows one.
func TestRegionsShowAsNames(t *testing.T) {
	_, d := fixture(t)
	c := run(t, d, "section-comments", Filter{Section: 900, From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), To: fxTo})
	if got := c.Table.Format(0, col(t, c.Table, "Region")); got != "Alpha" {
		t.Errorf("section comment region = %q, want Alpha", got)
	}
	r := run(t, d, "proposal-ranking", Filter{})
	if got := r.Table.Format(0, col(t, r.Table, "Region")); got != "Alpha" {
		t.Errorf("ranking region = %q, want Alpha", got)
	}
}

// A region the process does not have is refused, not ignored.
func TestUnknownRegionRefused(t *testing.T) {
	_, d := fixture(t)
	_, err := d.Run(context.Background(), FindPanel("inputs"), Filter{Process: fxProcess, Region: "zz"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "zz") {
		t.Fatalf("region zz: err = %v, want ErrInvalid naming it", err)
	}
	if _, err := d.Run(context.Background(), FindPanel("inputs"), Filter{Process: fxProcess, Region: "B"}); err != nil {
		t.Fatalf("region B: %v", err)
	}
}

// The by-region cross-tab names the column of respondents without a region.
func TestCrosstabNamesRespondentsWithoutRegion(t *testing.T) {
	w, d := fixture(t)
	at := time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)
	addBatch(t, w, func(b *warehouse.Batch, seq func() int64) {
		s := seq()
		b.Events = append(b.Events, warehouse.Event{Seq: s, Type: "survey.completed", ProcessID: fxProcess, ComponentID: fxSurvey, EntityID: 5000, Participant: "nr", OccurredAt: at})
		b.SurveyAnswers = append(b.SurveyAnswers, warehouse.SurveyAnswer{Seq: s, ResponseID: 5000, ProcessID: fxProcess, ComponentID: fxSurvey, Participant: "nr", QuestionID: fxQ1, Choice: ptr(0), OccurredAt: at})
	})
	r := run(t, d, "survey-crosstab", Filter{Question: fxQ1})
	var labels []string
	for _, c := range r.Table.Columns {
		labels = append(labels, c.Label)
	}
	if !slices.Equal(labels, []string{"Own a car?", "Alpha", "No region given"}) {
		t.Errorf("columns = %q", labels)
	}
}

// A heading that carries its number is not numbered again; one without
// gets its position.
func TestSectionHeadingsNumberedOnce(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "document-sections", Filter{})
	if got := r.Table.labels(0); !slices.Equal(got, []string{"1. Roads", "2. Water"}) {
		t.Errorf("sections = %q", got)
	}
}

// Money reads one way everywhere: the process's currency, thousands
// grouped, no cents.
func TestMoneyOneFormat(t *testing.T) {
	_, d := fixture(t)
	for _, panel := range []string{"proposal-budget-regions", "proposal-budget-tags"} {
		r := run(t, d, panel, Filter{})
		j := col(t, r.Table, "Budget asked")
		if got := r.Table.Format(0, j); got != "KES 1,500" {
			t.Errorf("%s: budget = %q, want KES 1,500", panel, got)
		}
	}
	r := run(t, d, "proposal-ranking", Filter{})
	if got := r.Table.Format(0, col(t, r.Table, "Budget")); got != "KES 1,000" {
		t.Errorf("ranking budget = %q, want KES 1,000", got)
	}
	if got := csvRows(t, r)[0][2]; got != "Budget (KES)" {
		t.Errorf("ranking CSV budget header = %q", got)
	}
}

// A withdrawn support leaves no supporter behind.
func TestWithdrawnSupportsDoNotCountSupporters(t *testing.T) {
	w, d := fixture(t)
	at := time.Date(2024, 3, 3, 14, 0, 0, 0, time.UTC)
	addBatch(t, w, func(b *warehouse.Batch, seq func() int64) {
		for i, delta := range []int8{1, -1} {
			s := seq()
			typ := "support.added"
			if delta < 0 {
				typ = "support.removed"
			}
			b.Events = append(b.Events, warehouse.Event{Seq: s, Type: typ, ProcessID: fxProcess, ComponentID: fxProposals, EntityID: 100, Participant: "p9", RegionCode: "B", OccurredAt: at.Add(time.Duration(i) * time.Minute)})
			b.Supports = append(b.Supports, warehouse.Support{Seq: s, ProposalID: 100, ProcessID: fxProcess, ComponentID: fxProposals, Participant: "p9", RegionCode: "B", Delta: delta, OccurredAt: at.Add(time.Duration(i) * time.Minute)})
		}
	})
	for _, f := range []Filter{{}, {To: time.Date(2024, 3, 3, 23, 0, 0, 0, time.UTC)}} {
		r := run(t, d, "proposal-ranking", f)
		sup, ers := r.Table.Rows[0][col(t, r.Table, "Supports")].Num, r.Table.Rows[0][col(t, r.Table, "Supporters")].Num
		if sup != 2 || ers != 2 {
			t.Errorf("to %v: supports %v, supporters %v; want 2 and 2", f.To, sup, ers)
		}
	}
}

// With no completed response the time to complete has no quartiles: a
// dash, not "0 min".
func TestDurationOfNothingIsNoValue(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "survey-duration", Filter{From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 2, 2, 0, 0, 0, 0, time.UTC)})
	var got []string
	for j := range r.Table.Columns {
		got = append(got, r.Table.Format(0, j))
	}
	if !slices.Equal(got, []string{"0", "–", "–", "–"}) {
		t.Errorf("duration of no responses = %q", got)
	}
	if all := run(t, d, "survey-duration", Filter{}); all.Table.Rows[0][2].Null {
		t.Errorf("the fixture's responses have no median")
	}
}
