package dashboards

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

func TestInputsFillEmptyDaysInLocalTime(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "inputs", Filter{Bucket: "day"})
	// 00:00Z Mar 1 is 03:00 in Nairobi: local days Mar 1..4.
	if got := r.Table.labels(0); !slices.Equal(got, []string{"Fri Mar 1", "Sat Mar 2", "Sun Mar 3", "Mon Mar 4"}) {
		t.Fatalf("days = %v", got)
	}
	if got := nums(t, r.Table, "Proposals"); !slices.Equal(got, []float64{2, 0, 1, 0}) {
		t.Errorf("proposals per day = %v, want [2 0 1 0]", got)
	}
	if got := nums(t, r.Table, "Supports"); !slices.Equal(got, []float64{1, 0, 1, 0}) {
		t.Errorf("supports per day = %v", got)
	}
	if got := nums(t, r.Table, "Total"); !slices.Equal(got, []float64{3, 100, 2, 0}) {
		t.Errorf("total per day = %v", got)
	}
	// The previous period (Feb 27 03:00 .. Mar 1 03:00 local; 2024 is a leap
	// year) holds the comment of Feb 27 in its first bucket.
	if got := nums(t, r.Table, "Previous period"); !slices.Equal(got, []float64{1, 0, 0, 0}) {
		t.Errorf("previous period = %v", got)
	}
	if !strings.Contains(r.Summary[0], "105 inputs; previous period 1") {
		t.Errorf("summary = %q", r.Summary)
	}
	if r.Chart == nil || r.Chart.Kind != "line" || !strings.Contains(r.Chart.Option, `"Total, previous period"`) {
		t.Errorf("chart = %+v", r.Chart)
	}
	hours := run(t, d, "inputs", Filter{Bucket: "hour"})
	if len(hours.Table.Rows) != 72 {
		t.Errorf("hour buckets = %d, want 72", len(hours.Table.Rows))
	}
}

func TestParticipants(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "participants", Filter{Bucket: "day"})
	// p1 acted first on Feb 27 (before the range); p2 on Mar 1; 100
	// respondents on Mar 2; p3, p4 on Mar 3.
	if got := nums(t, r.Table, "New"); !slices.Equal(got, []float64{1, 100, 2, 0}) {
		t.Errorf("new = %v", got)
	}
	if got := nums(t, r.Table, "Returning"); !slices.Equal(got, []float64{1, 0, 0, 0}) {
		t.Errorf("returning = %v", got)
	}
	if got := nums(t, r.Table, "Cumulative"); !slices.Equal(got, []float64{2, 102, 104, 104}) {
		t.Errorf("cumulative = %v", got)
	}
	if !strings.Contains(r.Summary[0], "104 unique participants of a target of 10") {
		t.Errorf("summary = %q", r.Summary)
	}
}

func TestRegionsFlagFarBelowMedian(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "regions", Filter{})
	// Alpha 102/1,000, Beta 1/2,000, Gamma 1/10,000 → 102, 0.5, 0.1 per 1,000;
	// median 0.5, so Gamma (under 0.25) is far below.
	if got := nums(t, r.Table, "Participants"); !slices.Equal(got, []float64{102, 1, 1}) {
		t.Fatalf("participants = %v", got)
	}
	rates := nums(t, r.Table, "Per 1,000 residents")
	for i, want := range []float64{102, 0.5, 0.1} {
		if !near(rates[i], want, 1e-9) {
			t.Errorf("rate %d = %v, want %v", i, rates[i], want)
		}
	}
	flags := r.Table.labels(col(t, r.Table, "Far below median"))
	if !slices.Equal(flags, []string{"", "", "yes"}) {
		t.Errorf("flags = %v", flags)
	}
	if r.Chart == nil || r.Chart.Map != MapName || !strings.Contains(r.Chart.Option, `"borderColor":"#c00"`) {
		t.Errorf("map chart = %+v", r.Chart)
	}
}

func TestSurveyWilsonThroughPanel(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "survey-questions", Filter{})
	if len(r.Parts) != 2 {
		t.Fatalf("parts = %d", len(r.Parts))
	}
	q1 := r.Parts[0].Table
	// 30 of 100 said Yes: Wilson 95% interval [0.2189, 0.3958] (Newcombe 1998).
	yes := q1.Rows[0]
	if yes[1].Num != 30 || !near(yes[2].Num, 0.30, 1e-12) || !near(yes[3].Num, 0.2189, 5e-5) || !near(yes[4].Num, 0.3958, 5e-5) {
		t.Errorf("Yes row = %+v", yes)
	}
	if got := q1.Format(0, 3); got != "21.9%" {
		t.Errorf("formatted low = %q", got)
	}
}

func TestCrosstabChiSquareTextbook(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "survey-crosstab", Filter{Question: fxQ1, Question2: fxQ2})
	if got := r.Table.Rows; len(got) != 2 || got[0][1].Num != 10 || got[0][2].Num != 20 || got[1][1].Num != 30 || got[1][2].Num != 40 {
		t.Fatalf("table = %+v", got)
	}
	// [[10 20] [30 40]]: expected 12 18 28 42, χ² = 0.7937, p = 0.3730.
	if !strings.Contains(r.Summary[0], "χ² = 0.79, df = 1, p = 0.3730") {
		t.Errorf("summary = %q", r.Summary)
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings on a table with large expected counts: %v", r.Warnings)
	}
	// By region everything is in Alpha: nothing to test, said so.
	byRegion := run(t, d, "survey-crosstab", Filter{Question: fxQ1})
	if !strings.Contains(byRegion.Summary[0], "Too few") {
		t.Errorf("by region summary = %q", byRegion.Summary)
	}
}

func TestSurveyDropoffAndDuration(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "survey-dropoff", Filter{})
	if len(r.Table.Rows) != 1 || r.Table.Rows[0][1].Num != 100 || r.Table.Rows[0][2].Num != 0 {
		t.Errorf("drop-off = %+v", r.Table.Rows)
	}
	dur := run(t, d, "survey-duration", Filter{})
	if row := dur.Table.Rows[0]; row[0].Num != 100 || row[2].Num != 5 {
		t.Errorf("duration = %+v, want 100 responses, median 5 min", row)
	}
}

func TestDocumentSectionsAndCSV(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "document-sections", Filter{From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), To: fxTo})
	if got := nums(t, r.Table, "Comments"); !slices.Equal(got, []float64{1, 0}) {
		t.Errorf("comments per section = %v", got)
	}
	if !slices.Equal(r.Sections, []int64{900, 901}) {
		t.Errorf("section ids = %v", r.Sections)
	}
	c := run(t, d, "section-comments", Filter{Section: 900, From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), To: fxTo})
	if len(c.Table.Rows) != 1 {
		t.Fatalf("comments = %+v", c.Table.Rows)
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "Section,Comments,Amendments,Questions,Agree,Disagree\n1. Roads,1,0,0,0,0\n") {
		t.Errorf("csv = %q", buf.String())
	}
}

func TestProposals(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "proposal-ranking", Filter{})
	if r.Table.Rows[0][0].Text != "Proposal 100" || r.Table.Rows[0][3].Num != 2 {
		t.Errorf("ranking = %+v", r.Table.Rows)
	}
	tags := run(t, d, "proposal-budget-tags", Filter{})
	// roads: 1,000 + 500 = 1,500; water: 500 + 200 = 700 (minor units / 100).
	if tags.Table.Rows[0][0].Text != "roads" || tags.Table.Rows[0][3].Num != 1500 || tags.Table.Rows[1][3].Num != 700 {
		t.Errorf("tags = %+v", tags.Table.Rows)
	}
}

// Every publishable panel, run for the public page, shows no count under
// five: each such cell is suppressed, and so are its row's shares.
func TestPublicSuppressionOnEveryPublishablePanel(t *testing.T) {
	_, d := fixture(t)
	ctx := context.Background()
	p, err := d.Process(ctx, fxProcess)
	if err != nil {
		t.Fatal(err)
	}
	v := d.Resolve(p, Filter{Process: fxProcess, From: fxFrom, To: fxTo, Bucket: "day"})
	n := 0
	for _, db := range All() {
		for _, pn := range db.Panels {
			if !pn.Publishable {
				continue
			}
			n++
			r, err := d.RunPublic(ctx, pn, v)
			if err != nil {
				t.Fatalf("%s: %v", pn.Name, err)
			}
			checkSuppressed(t, pn.Name, r)
		}
	}
	if n < 5 {
		t.Errorf("only %d publishable panels", n)
	}
	regions, _ := d.RunPublic(ctx, FindPanel("regions"), v)
	if got := regions.Table.Format(1, 2); got != "<5" {
		t.Errorf("Beta's 1 participant shows as %q", got)
	}
	if got := regions.Table.Format(1, 3); got != "<5" {
		t.Errorf("Beta's rate shows as %q", got)
	}
	if got := regions.Table.Format(0, 2); got != "102" {
		t.Errorf("Alpha shows as %q", got)
	}
}

func checkSuppressed(t *testing.T, name string, r *Result) {
	t.Helper()
	for i, row := range r.Table.Rows {
		small := false
		for j, c := range r.Table.Columns {
			if c.Kind == Count && row[j].Num < SmallCell && !row[j].Null {
				small = true
				if got := r.Table.Format(i, j); got != "<5" {
					t.Errorf("%s: row %d %s shows %q", name, i, c.Label, got)
				}
			}
		}
		for j, c := range r.Table.Columns {
			if small && c.Kind == Derived && r.Table.Format(i, j) != "<5" {
				t.Errorf("%s: row %d derived %s shows %q next to a small count", name, i, c.Label, r.Table.Format(i, j))
			}
		}
	}
	if r.Chart != nil && strings.Contains(r.Chart.Option, `"value":1,`) {
		t.Errorf("%s: chart carries a small count: %s", name, r.Chart.Option)
	}
	for _, p := range r.Parts {
		checkSuppressed(t, name+"/"+p.Title, p)
	}
}

func TestProcessesAreSeparate(t *testing.T) {
	_, d := fixture(t)
	r := run(t, d, "proposal-ranking", Filter{Process: fxOther})
	if len(r.Table.Rows) != 1 || r.Table.Rows[0][0].Text != "Elsewhere" {
		t.Errorf("process 2 ranking = %+v", r.Table.Rows)
	}
	if _, err := d.Run(context.Background(), FindPanel("inputs"), Filter{Process: 99}); err != ErrNotFound {
		t.Errorf("unknown process: %v", err)
	}
}

func TestAlerts(t *testing.T) {
	w, d := fixture(t)
	ctx := context.Background()
	// At fxTo the last 24 h hold a proposal and a support: under 5 raises; region rate
	// under 1 per 1,000 raises for Beta and Gamma.
	decide(t, w, warehouse.Decision{Op: warehouse.AddAlertRule, ProcessID: fxProcess, ID: 1, Kind: InputsBelow, Threshold: 5, WindowHours: 24},
		warehouse.Decision{Op: warehouse.AddAlertRule, ProcessID: fxProcess, ID: 2, Kind: RegionRateBelow, Threshold: 1})
	if err := d.CheckAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	if err := d.CheckAlerts(ctx); err != nil { // raised once, not twice
		t.Fatal(err)
	}
	r := run(t, d, "alerts", Filter{})
	if len(r.Table.Rows) != 2 {
		t.Fatalf("alerts = %+v", r.Table.Rows)
	}
	msgs := r.Table.labels(0)
	if !slices.ContainsFunc(msgs, func(s string) bool { return strings.Contains(s, "Only 2 inputs in the last 24 h") }) ||
		!slices.ContainsFunc(msgs, func(s string) bool { return strings.Contains(s, "2 regions under 1.00 per 1,000: Beta, Gamma") }) {
		t.Errorf("alerts = %v", msgs)
	}
	// The alert reads in the viewer's language, whatever language raised it.
	proc, _ := d.Process(ctx, fxProcess)
	v := d.Resolve(proc, Filter{Process: fxProcess, From: fxFrom, To: fxTo})
	v.L = Messages("sw")
	sw, err := d.RunView(ctx, FindPanel("alerts"), v)
	if err != nil {
		t.Fatal(err)
	}
	if got := sw.Table.labels(0); !slices.Contains(got, "Michango 2 tu katika saa 24 zilizopita (tahadhari chini ya 5)") ||
		!slices.Contains(got, "Maeneo 2 yako chini ya 1.00 kwa kila wakazi 1,000: Beta, Gamma") {
		t.Errorf("alerts in Kiswahili = %q", got)
	}
	rules, _ := d.AlertRules(ctx, fxProcess)
	if len(rules) != 2 || rules[0].ID != 1 || rules[0].WindowHours != 24 || rules[1].Kind != RegionRateBelow {
		t.Fatalf("rules = %+v", rules)
	}
	// A deleted rule's open alert goes with it, and it raises no more.
	decide(t, w, warehouse.Decision{Op: warehouse.DeleteAlertRule, ProcessID: fxProcess, ID: rules[1].ID})
	if got := run(t, d, "alerts", Filter{}); len(got.Table.Rows) != 1 || !strings.Contains(got.Table.Rows[0][0].Text, "Only 2 inputs") {
		t.Errorf("after deleting a rule: %+v", got.Table.Rows)
	}
	if err := d.CheckAlerts(ctx); err != nil {
		t.Fatal(err)
	}
	if got := run(t, d, "alerts", Filter{}); len(got.Table.Rows) != 1 {
		t.Errorf("a deleted rule raised again: %+v", got.Table.Rows)
	}
}

func TestPublishOnlyPublishable(t *testing.T) {
	w, d := fixture(t)
	ctx := context.Background()
	if err := CanPublish("regions"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"section-comments", "no-such-panel"} {
		if err := CanPublish(name); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s may be published: %v", name, err)
		}
	}
	// A panel the store carries twice (published, unpublished, published
	// again) shows once; a panel no longer publishable is not shown.
	decide(t, w, warehouse.Decision{Op: warehouse.PublishPanel, ProcessID: fxProcess, Panel: "regions", Position: 1},
		warehouse.Decision{Op: warehouse.PublishPanel, ProcessID: fxProcess, Panel: "section-comments", Position: 2},
		warehouse.Decision{Op: warehouse.UnpublishPanel, ProcessID: fxProcess, Panel: "regions"},
		warehouse.Decision{Op: warehouse.PublishPanel, ProcessID: fxProcess, Panel: "regions", Position: 3})
	p, _ := d.Process(ctx, fxProcess)
	got, err := d.Published(ctx, p)
	if err != nil || len(got) != 1 || got[0].Name != "regions" {
		t.Fatalf("published = %v, %v", got, err)
	}
	decide(t, w, warehouse.Decision{Op: warehouse.PublishPanel, ProcessID: fxOther, Panel: "regions", Position: 1})
	other, _ := d.Process(ctx, fxOther)
	if got, _ := d.Published(ctx, other); len(got) != 0 {
		t.Errorf("an unpublished process shows results: %v", got)
	}
}

func TestFilterRoundTrip(t *testing.T) {
	f := Filter{Process: 1, From: fxFrom, To: fxTo, Region: "A", Component: 12, Bucket: "hour", Question: 3, Phase: 7}
	got := ParseFilter(1, f.Values())
	if fmt.Sprint(got) != fmt.Sprint(f) {
		t.Errorf("round trip: %+v != %+v", got, f)
	}
	bad := ParseFilter(1, url.Values{"from": {"yesterday"}, "component": {"-3"}, "bucket": {"week"}})
	if !bad.From.IsZero() || bad.Component != 0 || bad.Bucket != "" {
		t.Errorf("malformed filter kept: %+v", bad)
	}
}

func TestPhaseNarrowsRange(t *testing.T) {
	_, d := fixture(t)
	p, _ := d.Process(context.Background(), fxProcess)
	v := d.Resolve(p, Filter{Process: fxProcess, Phase: 7})
	if !v.From.Equal(fxFrom) || !v.To.Equal(fxTo) || v.Grain != "hour" {
		t.Errorf("phase view = %v..%v %s", v.From, v.To, v.Grain)
	}
}
