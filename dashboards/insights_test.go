package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// The insights fixture, by hand: process 1 (UTC) with a proposals
// component (10) and a document (11, section 900), regions A, B, C.
//
//	comments 1–6   theme 1 "roads"  (1 and 2 its representatives; A,A,A,B,B,C)
//	comment  10    theme 3, merged into theme 1 (region A)
//	comments 7–9   theme 2 "water"  (B,B,C) and proposal 100 (A)
//	comment  11    theme 2, hidden by moderation: counted nowhere
//	comments 4, 5, 6: one campaign, 4 its template
//
// Days: comments 1–3 on Mar 1, 4–6 and 10 on Mar 2, 7–9, 11 and the
// proposal on Mar 3. Votes: comment 1 agree ×3, disagree ×1 (one of the
// agrees changed to disagree: 2 agree, 2 disagree now); comment 7 agree ×1.
// The proposal has 2 supports and a withdrawal.
const (
	ixProcess  = 1
	ixProps    = 10
	ixDoc      = 11
	ixSection  = 900
	ixTheme1   = 1
	ixTheme2   = 2
	ixMerged   = 3
	ixSection2 = 5 // a theme of section 900's own scope
)

var ixDay = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func insightsFixture(t testing.TB) (*warehouse.Warehouse, *Dashboards) {
	t.Helper()
	w, err := warehouse.Open(t.TempDir() + "/warehouse.duckdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: ixProcess, Slug: "plan", Title: "Plan", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", Published: true, StartsAt: &start,
			Components: []warehouse.ComponentDim{{ComponentID: ixProps, Kind: "proposals", Position: 1, Title: "Ideas"}, {ComponentID: ixDoc, Kind: "document", Position: 2, Title: "Draft plan"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "A", Name: "Alpha", Population: 1000}, {Code: "B", Name: "Beta", Population: 1000}, {Code: "C", Name: "Gamma", Population: 1000}}}},
		Documents:  []warehouse.DocumentDim{{ComponentID: ixDoc, Sections: []warehouse.SectionDim{{SectionID: ixSection, Version: 1, Position: 1, Heading: "Transport"}}}},
	}}
	seq := int64(0)
	ev := func(typ string, comp, entity int64, who, region string, at time.Time) {
		seq++
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: typ, ProcessID: ixProcess, ComponentID: comp, EntityID: entity, Participant: who, RegionCode: region, OccurredAt: at})
	}
	comment := func(id int64, region string, day int, body string) {
		at := ixDay.Add(time.Duration(day)*24*time.Hour + time.Duration(id)*time.Minute)
		who := fmt.Sprintf("c%d", id)
		ev("comment.created", ixDoc, id, who, region, at)
		b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: id, ProcessID: ixProcess, ComponentID: ixDoc, TargetKind: "section", TargetID: ixSection,
			Kind: "comment", Body: body, Participant: who, RegionCode: region, OccurredAt: at})
	}
	for i, r := range []string{"A", "A", "A", "B", "B", "C"} {
		body := fmt.Sprintf("Fix the road number %d", i+1)
		if i >= 3 {
			body = "Please repair the roads now" // the campaign's copies
		}
		comment(int64(i+1), r, i/3, body)
	}
	comment(10, "A", 1, "Potholes everywhere")
	for i, r := range []string{"B", "B", "C"} {
		comment(int64(7+i), r, 2, fmt.Sprintf("Clean water %d", i))
	}
	comment(11, "A", 2, "Water, hidden")
	ev("contribution.hidden", ixDoc, 11, "", "", ixDay.Add(60*time.Hour))
	b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: seq, ProcessID: ixProcess, ComponentID: ixDoc, EntityKind: "comment", EntityID: 11, Status: "hidden", OccurredAt: ixDay.Add(60 * time.Hour)})
	pAt := ixDay.Add(48 * time.Hour)
	ev("proposal.created", ixProps, 100, "p1", "A", pAt)
	b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: 100, ProcessID: ixProcess, ComponentID: ixProps, Participant: "p1", RegionCode: "A", Title: "A water tank", OccurredAt: pAt})
	vote := func(comment int64, who, v, prev string) {
		at := ixDay.Add(70 * time.Hour)
		ev("comment.voted", ixDoc, comment, who, "A", at)
		b.Votes = append(b.Votes, warehouse.Vote{Seq: seq, CommentID: comment, ProcessID: ixProcess, ComponentID: ixDoc, Participant: who, RegionCode: "A", Vote: v, Previous: prev, OccurredAt: at})
	}
	vote(1, "v1", "agree", "")
	vote(1, "v2", "agree", "")
	vote(1, "v3", "agree", "")
	vote(1, "v4", "disagree", "")
	vote(1, "v3", "disagree", "agree")
	vote(7, "v1", "agree", "")
	support := func(who string, delta int8) {
		at := ixDay.Add(71 * time.Hour)
		ev("support.added", ixProps, 100, who, "A", at)
		b.Supports = append(b.Supports, warehouse.Support{Seq: seq, ProposalID: 100, ProcessID: ixProcess, ComponentID: ixProps, Participant: who, RegionCode: "A", Delta: delta, OccurredAt: at})
	}
	support("s1", 1)
	support("s2", 1)
	support("s2", -1)
	b.To, b.Consumed = warehouse.Cursor{Seq: seq}, seq
	ctx := context.Background()
	if err := w.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	execAll(t, w.Read(),
		`INSERT INTO themes VALUES
		 (1, 'process', 0, 1, 1, 'roads', ['road', 'repair'], false, 0, 0, 7),
		 (1, 'process', 0, 2, 1, 'water', ['water'], false, 4, 0, 5),
		 (1, 'process', 0, 3, 1, 'potholes', ['pothole'], false, 0, 1, 1),
		 (1, 'process', 0, 4, 1, 'water and sewers', ['water'], false, 0, 0, 0),
		 (1, 'section', 900, 5, 2, 'transport', ['road'], false, 0, 0, 3)`,
		`INSERT INTO theme_members VALUES
		 (1, 'process', 0, 'comment', 1, 0, 1, 1, 'fit', 1),
		 (1, 'process', 0, 'comment', 2, 0, 1, 2, 'fit', 2),
		 (1, 'process', 0, 'comment', 3, 0, 1, 0, 'fit', 3),
		 (1, 'process', 0, 'comment', 4, 0, 1, 0, 'fit', 4),
		 (1, 'process', 0, 'comment', 5, 0, 1, 0, 'fit', 5),
		 (1, 'process', 0, 'comment', 6, 0, 1, 0, 'assign', 6),
		 (1, 'process', 0, 'comment', 10, 0, 3, 1, 'fit', 7),
		 (1, 'process', 0, 'comment', 7, 0, 2, 1, 'fit', 8),
		 (1, 'process', 0, 'comment', 8, 0, 2, 0, 'fit', 9),
		 (1, 'process', 0, 'comment', 9, 0, 2, 0, 'fit', 10),
		 (1, 'process', 0, 'comment', 11, 0, 2, 2, 'fit', 11),
		 (1, 'process', 0, 'proposal', 100, 0, 2, 0, 'fit', 12),
		 (1, 'section', 900, 'comment', 1, 0, 5, 1, 'fit', 1),
		 (1, 'section', 900, 'comment', 2, 0, 5, 0, 'fit', 2),
		 (1, 'section', 900, 'comment', 3, 0, 5, 0, 'fit', 3)`,
		`INSERT INTO campaigns VALUES
		 (1, 1, 'Please repair the roads now', 'comment', 4, 0, 3, 3, TIMESTAMP '2024-03-02 09:04:00', TIMESTAMP '2024-03-02 09:06:00', 3,
		  '[{"region":"B","copies":2},{"region":"C","copies":1}]', TIMESTAMP '2024-03-04 00:00:00'),
		 (1, 2, 'Water, hidden', 'comment', 11, 0, 12, 12, TIMESTAMP '2024-03-03 09:11:00', TIMESTAMP '2024-03-03 09:11:00', 12, '[]', TIMESTAMP '2024-03-04 00:00:00')`,
		`INSERT INTO campaign_members VALUES
		 (1, 1, 'comment', 4, 0, true), (1, 1, 'comment', 5, 0, false), (1, 1, 'comment', 6, 0, false)`,
		// The document's conversation: 8 voters, 7 placed in two groups, which
		// 29 of 30 seeded starts found.
		`INSERT INTO opinion_runs VALUES (1, 1, 11, 8, 7, 3, 2, 0.41, 40, TIMESTAMP '2024-03-04 00:00:00', 30, 29, 0.934, 0.81),
		                               (1, 1, 10, 2, 0, 1, 0, 0, 41, TIMESTAMP '2024-03-04 00:00:00', 0, 0, 0, 0)`,
		`INSERT INTO opinion_participants VALUES
		 (1, 1, 11, 'pseudo-a1', -1.0, 0.5, 3, 0), (1, 1, 11, 'pseudo-a2', -1.2, 0.4, 3, 0),
		 (1, 1, 11, 'pseudo-a3', -0.9, 0.6, 3, 0), (1, 1, 11, 'pseudo-a4', -1.1, 0.3, 2, 0),
		 (1, 1, 11, 'pseudo-b1', 1.0, -0.5, 3, 1), (1, 1, 11, 'pseudo-b2', 1.1, -0.4, 2, 1),
		 (1, 1, 11, 'pseudo-b3', 0.9, -0.6, 2, 1), (1, 1, 11, 'pseudo-x', 0.0, 0.0, 1, -1)`,
		`INSERT INTO opinion_groups VALUES (1, 1, 11, 0, 4, -1.05, 0.45), (1, 1, 11, 1, 3, 1.0, -0.5)`,
		`INSERT INTO opinion_repness VALUES
		 (1, 1, 11, 0, 1, 'comment', 1, 'agree', 4, 4, 0.83, 2.1, 3.0),
		 (1, 1, 11, 0, 2, 'comment', 11, 'agree', 4, 4, 0.83, 2.0, 2.9),
		 (1, 1, 11, 1, 1, 'comment', 7, 'disagree', 3, 3, 0.8, 1.9, 2.5)`,
		`INSERT INTO opinion_consensus VALUES
		 (1, 1, 11, 'agree', 1, 'comment', 2, 0.91), (1, 1, 11, 'group-informed', 1, 'comment', 3, 0.5)`,
	)
	d, err := New(ctx, w.Read(), func() time.Time { return time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC) })
	if err != nil {
		t.Fatal(err)
	}
	return w, d
}

func execAll(t testing.TB, db *sql.DB, stmts ...string) {
	t.Helper()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%v\n%s", err, s)
		}
	}
}

func ixRun(t *testing.T, d *Dashboards, panel string, f Filter) *Result {
	t.Helper()
	f.Process = ixProcess
	f.From, f.To = ixDay.Truncate(24*time.Hour), ixDay.Truncate(24*time.Hour).Add(4*24*time.Hour)
	r, err := d.Run(context.Background(), FindPanel(panel), f)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func texts(t *testing.T, tb Table, label string) []string { return tb.labels(col(t, tb, label)) }

func TestThemesPanelSizesSharesTrendsAndRegions(t *testing.T) {
	_, d := insightsFixture(t)
	r := ixRun(t, d, "themes", Filter{})
	// Theme 3 is folded into theme 1: 6 + 1 texts; theme 2 loses the hidden
	// comment: 3 comments + the proposal.
	if got := texts(t, r.Table, "Theme"); !slices.Equal(got, []string{"roads", "water"}) {
		t.Fatalf("themes = %v (neither the merged theme nor the split one may be listed)", got)
	}
	if got := nums(t, r.Table, "Texts"); !slices.Equal(got, []float64{7, 4}) {
		t.Errorf("sizes = %v, want [7 4]", got)
	}
	if got := nums(t, r.Table, "Share"); !near(got[0], 7.0/11, 1e-12) || !near(got[1], 4.0/11, 1e-12) {
		t.Errorf("shares = %v", got)
	}
	// Days Mar 1..4: roads 3, 4 (three copies and the pothole), 0, 0;
	// water 0, 0, 4, 0.
	if got := texts(t, r.Table, "Per day"); !slices.Equal(got, []string{"▇█▁▁", "▁▁█▁"}) {
		t.Errorf("trends = %q", got)
	}
	// Roads: A 4 (1, 2, 3, 10), B 2, C 1; water: B 2, A 1, C 1.
	if got := texts(t, r.Table, "Top region"); !slices.Equal(got, []string{"Alpha", "Beta"}) {
		t.Errorf("top regions = %v", got)
	}
	if len(r.Themes) != 2 || r.Themes[0].ID != ixTheme1 || r.Themes[1].ID != ixTheme2 {
		t.Errorf("row themes = %+v", r.Themes)
	}
	if r.Chart == nil || r.Chart.Kind != "bar" || !strings.Contains(r.Chart.Option, `"water","roads"`) {
		t.Errorf("chart (largest theme on top) = %+v", r.Chart)
	}
	if len(r.Summary) == 0 || !strings.HasPrefix(r.Summary[0], "2 themes over 11 texts") {
		t.Errorf("summary = %q", r.Summary)
	}
	// A region filter narrows the counts.
	beta := ixRun(t, d, "themes", Filter{Region: "B"})
	if got := nums(t, beta.Table, "Texts"); !slices.Equal(got, []float64{2, 2}) {
		t.Errorf("sizes in Beta = %v", got)
	}
	// The section's own themes; a component without any falls back to the
	// process's, saying so.
	sec := ixRun(t, d, "themes", Filter{Section: ixSection})
	if got := texts(t, sec.Table, "Theme"); !slices.Equal(got, []string{"transport"}) || len(sec.Warnings) != 0 {
		t.Errorf("section themes = %v, warnings %q", got, sec.Warnings)
	}
	comp := ixRun(t, d, "themes", Filter{Component: ixDoc})
	if got := texts(t, comp.Table, "Theme"); len(got) != 2 || len(comp.Warnings) != 1 || !strings.Contains(comp.Warnings[0], "whole process") {
		t.Errorf("component fallback = %v, warnings %q", got, comp.Warnings)
	}
}

func TestCountOnceChangesThemeSizesAndSectionCounts(t *testing.T) {
	w, d := insightsFixture(t)
	ctx := context.Background()
	sections := func() float64 {
		return nums(t, ixRun(t, d, "document-sections", Filter{}).Table, "Comments")[0]
	}
	// Ten visible comments on the section (11 is hidden).
	if got := sections(); got != 10 {
		t.Fatalf("section comments = %v, want 10", got)
	}
	decide(t, w, warehouse.Decision{Op: warehouse.SetCounting, ProcessID: ixProcess, CountOnce: true})
	if once, err := d.CountOnce(ctx, ixProcess); err != nil || !once {
		t.Fatalf("count once = %v, %v", once, err)
	}
	r := ixRun(t, d, "themes", Filter{})
	// Comments 5 and 6 are copies, not the template: roads 7 → 5.
	if got := nums(t, r.Table, "Texts"); !slices.Equal(got, []float64{5, 4}) {
		t.Errorf("sizes counting campaigns once = %v, want [5 4]", got)
	}
	if !slices.Contains(r.Warnings, countOnceNote(View{})) {
		t.Errorf("warnings = %q", r.Warnings)
	}
	if got := sections(); got != 8 {
		t.Errorf("section comments counting campaigns once = %v, want 8", got)
	}
	detail := ixRun(t, d, "theme-detail", Filter{Theme: ixTheme1})
	if got := detail.Summary[0]; !strings.HasPrefix(got, "5 texts") {
		t.Errorf("detail summary = %q", got)
	}
	camp := ixRun(t, d, "campaigns", Filter{})
	if !strings.Contains(camp.Summary[0], "each campaign counts once") {
		t.Errorf("campaigns summary = %q", camp.Summary)
	}
	// Back to every copy (the choice is replaced, not stacked).
	decide(t, w, warehouse.Decision{Op: warehouse.SetCounting, ProcessID: ixProcess, CountOnce: false})
	if got := nums(t, ixRun(t, d, "themes", Filter{}).Table, "Texts"); !slices.Equal(got, []float64{7, 4}) {
		t.Errorf("sizes counting every copy again = %v", got)
	}
	if got := sections(); got != 10 {
		t.Errorf("section comments again = %v", got)
	}
}

func TestThemeDetail(t *testing.T) {
	_, d := insightsFixture(t)
	r := ixRun(t, d, "theme-detail", Filter{Theme: ixTheme1})
	if r.Title != "Theme: roads" || !strings.HasPrefix(r.Summary[0], "7 texts; terms: road, repair") {
		t.Errorf("title %q, summary %q", r.Title, r.Summary)
	}
	// Representatives: the theme's own by rank, then the merged theme's.
	if got := texts(t, r.Table, "Text"); !slices.Equal(got, []string{"Fix the road number 1", "Fix the road number 2", "Potholes everywhere"}) {
		t.Errorf("representatives = %q", got)
	}
	if len(r.Themes) != 2 || r.Themes[0].ID != ixTheme1 || r.Themes[1].ID != ixTheme2 {
		t.Errorf("themes to merge into = %+v", r.Themes)
	}
	parts := map[string]*Result{}
	for _, p := range r.Parts {
		parts[p.Title] = p
	}
	reg := parts["By region"]
	if reg == nil || !slices.Equal(reg.Table.labels(0), []string{"Alpha", "Beta", "Gamma"}) || !slices.Equal(nums(t, reg.Table, "Texts"), []float64{4, 2, 1}) {
		t.Fatalf("by region = %+v", reg)
	}
	if days := parts["Per day"]; days == nil || !slices.Equal(nums(t, days.Table, "Texts"), []float64{3, 4, 0, 0}) || days.Chart == nil {
		t.Errorf("per day = %+v", days)
	}
	// Comment 1: 2 agree, 2 disagree now (v3 changed sides).
	st := parts["Stance"]
	if st == nil || !slices.Equal(nums(t, st.Table, "Count"), []float64{2, 2}) {
		t.Fatalf("stance = %+v", st)
	}
	water := ixRun(t, d, "theme-detail", Filter{Theme: ixTheme2})
	for _, p := range water.Parts {
		if p.Title == "Stance" {
			// Comment 7: 1 agree; proposal 100: 2 supports − 1 withdrawal.
			if got := nums(t, p.Table, "Count"); !slices.Equal(got, []float64{1, 0, 1}) {
				t.Errorf("water stance = %v", got)
			}
		}
	}
	// The hidden comment is no representative.
	if got := texts(t, water.Table, "Text"); !slices.Equal(got, []string{"Clean water 0"}) {
		t.Errorf("water representatives = %q", got)
	}
	merged := ixRun(t, d, "theme-detail", Filter{Theme: ixMerged})
	if merged.Title != "Theme: roads" || len(merged.Warnings) == 0 || !strings.Contains(merged.Warnings[0], "potholes") {
		t.Errorf("merged theme: %q, %q", merged.Title, merged.Warnings)
	}
	if _, err := d.Run(context.Background(), FindPanel("theme-detail"), Filter{Process: ixProcess, Theme: 99}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown theme: %v", err)
	}
	if none := ixRun(t, d, "theme-detail", Filter{}); len(none.Table.Rows) != 0 || len(none.Summary) != 1 {
		t.Errorf("no theme chosen: %+v", none)
	}
}

func TestCampaignsPanel(t *testing.T) {
	_, d := insightsFixture(t)
	r := ixRun(t, d, "campaigns", Filter{})
	if got := texts(t, r.Table, "Template"); !slices.Equal(got, []string{"(template hidden by moderation)", "Please repair the roads now"}) {
		t.Errorf("templates = %q", got)
	}
	if got := nums(t, r.Table, "Copies"); !slices.Equal(got, []float64{12, 3}) {
		t.Errorf("copies = %v", got)
	}
	if got := nums(t, r.Table, "Peak per hour"); !slices.Equal(got, []float64{12, 3}) {
		t.Errorf("peaks = %v", got)
	}
	if got := texts(t, r.Table, "Top regions"); !slices.Equal(got, []string{"–", "Beta, Gamma"}) {
		t.Errorf("regions = %q", got)
	}
	if got := texts(t, r.Table, "First seen"); got[1] != "Mar 2 09:04" {
		t.Errorf("first seen = %q", got)
	}
	if !strings.Contains(r.Summary[0], "2 campaigns, 15 copies in all; counting: every copy") {
		t.Errorf("summary = %q", r.Summary)
	}
}

func TestOpinionMap(t *testing.T) {
	_, d := insightsFixture(t)
	doc := ixRun(t, d, "opinion-map", Filter{Component: ixDoc})
	if got := texts(t, doc.Table, "Group"); !slices.Equal(got, []string{"Group A", "Group B"}) {
		t.Fatalf("groups = %v", got)
	}
	if got := nums(t, doc.Table, "Members"); !slices.Equal(got, []float64{4, 3}) {
		t.Errorf("members = %v", got)
	}
	if doc.Chart == nil || doc.Chart.Kind != "scatter" {
		t.Fatalf("chart = %+v", doc.Chart)
	}
	if len(doc.Summary) != 2 || doc.Summary[1] != "These groups are stable: 29 of 30 starts agree on 2 groups (mean agreement 0.93)." {
		t.Errorf("summary = %q", doc.Summary)
	}
	for _, s := range []string{`"Group A"`, `"Group B"`, `"Not grouped (too few votes)"`, `[-1.2,0.4]`} {
		if !strings.Contains(doc.Chart.Option, s) {
			t.Errorf("scatter lacks %s: %s", s, doc.Chart.Option)
		}
	}
	if strings.Contains(doc.Chart.Option, "pseudo-") {
		t.Errorf("the scatter names participants: %s", doc.Chart.Option)
	}
	parts := map[string]*Result{}
	for _, p := range doc.Parts {
		parts[p.Title] = p
	}
	// Group A's hidden comment (11) is left out of its representatives.
	a := parts["Group A: what sets it apart"]
	if a == nil || !slices.Equal(texts(t, a.Table, "Comment"), []string{"Fix the road number 1"}) || nums(t, a.Table, "Share of the group")[0] != 1 {
		t.Errorf("group A = %+v", a)
	}
	if b := parts["Group B: what sets it apart"]; b == nil || texts(t, b.Table, "Than the others, the group")[0] != "disagrees more" {
		t.Errorf("group B = %+v", b)
	}
	cons := parts["Common ground: comments most agree (or disagree) on"]
	if cons == nil || !slices.Equal(texts(t, cons.Table, "Kind"), []string{"most agree", "agreed across groups"}) {
		t.Errorf("consensus = %+v", cons)
	}
	// The proposals' run found no groups; with no component chosen both
	// conversations show.
	props := ixRun(t, d, "opinion-map", Filter{Component: ixProps})
	if len(props.Warnings) != 1 || !strings.Contains(props.Warnings[0], "Not enough votes yet") || props.Chart != nil || props.Summary != nil {
		t.Errorf("proposals conversation: %+v", props)
	}
	all := ixRun(t, d, "opinion-map", Filter{})
	if len(all.Parts) != 2 || all.Parts[0].Title != "Opinion groups: Ideas" || all.Parts[1].Title != "Opinion groups: Draft plan" {
		t.Errorf("conversations = %+v", all.Parts)
	}
}

// TestStabilityLine: under the agreement threshold the groups are called
// fragile, in both languages; a run that does not know says nothing.
func TestStabilityLine(t *testing.T) {
	v := View{P: &Process{TimeZone: time.UTC}}
	if got, want := stabilityLine(v, 3, 30, 18, 0.62), "These groups are fragile: 18 of 30 starts agree on 3 groups (mean agreement 0.62); read them with care."; got != want {
		t.Errorf("fragile: %q, want %q", got, want)
	}
	if got := stabilityLine(v, 2, 30, 30, 0.80); !strings.HasPrefix(got, "These groups are stable") {
		t.Errorf("at the threshold: %q", got)
	}
	v.L = Messages("sw")
	if got := stabilityLine(v, 3, 30, 18, 0.62); !strings.HasPrefix(got, "Makundi haya si thabiti: mianzo 18 kati ya 30") {
		t.Errorf("Kiswahili: %q", got)
	}
	if got := stabilityLine(v, 2, 0, 0, 0); got != "" {
		t.Errorf("a run without starts: %q", got)
	}
}

// On the public page counts under five show as "<5", and so does what
// would point at the few people behind them (trend, top region, share).
func TestInsightsPublicSuppression(t *testing.T) {
	_, d := insightsFixture(t)
	ctx := context.Background()
	p, err := d.Process(ctx, ixProcess)
	if err != nil {
		t.Fatal(err)
	}
	v := d.Resolve(p, Filter{Process: ixProcess, Bucket: "day"})
	themes, err := d.RunPublic(ctx, FindPanel("themes"), v)
	if err != nil {
		t.Fatal(err)
	}
	// With two themes, the shares give the total (11) away, so roads' 7
	// must hide too, or 11 − 7 would give water's 4 back.
	if got := themes.Table.Format(0, 1); got != SecondaryMark {
		t.Errorf("roads (7 texts) beside a hidden 4 of a known 11 shows %q", got)
	}
	for j := range themes.Table.Columns {
		if j > 0 && themes.Table.Format(1, j) != "<5" {
			t.Errorf("water (4 texts) shows %s = %q", themes.Table.Columns[j].Label, themes.Table.Format(1, j))
		}
	}
	if themes.Summary != nil {
		t.Errorf("public summary = %q", themes.Summary)
	}
	op, err := d.RunPublic(ctx, FindPanel("opinion-map"), v)
	if err != nil {
		t.Fatal(err)
	}
	doc := op.Parts[1]
	if got := []string{doc.Table.Format(0, 1), doc.Table.Format(1, 1), doc.Table.Format(1, 2)}; !slices.Equal(got, []string{"<5", "<5", "<5"}) {
		t.Errorf("groups of 4 and 3 show %q", got)
	}
	if strings.Contains(doc.Chart.Option, "pseudo-") {
		t.Error("public scatter names participants")
	}
	// The stability line counts starts, not people: it stays; the headline
	// counts of voters go.
	if len(doc.Summary) != 1 || !strings.HasPrefix(doc.Summary[0], "These groups are stable: 29 of 30 starts") {
		t.Errorf("public summary = %q", doc.Summary)
	}
	camp, err := d.RunPublic(ctx, FindPanel("campaigns"), v)
	if err != nil {
		t.Fatal(err)
	}
	if got := camp.Table.Format(1, 1); got != "<5" {
		t.Errorf("a campaign of 3 copies shows %q", got)
	}
	if got := camp.Table.Format(0, 1); got != "12" {
		t.Errorf("a campaign of 12 copies shows %q", got)
	}
}

// editorLog is a stand-in for the insights job's editor: it records what
// the dashboards let through.
type editorLog struct{ calls []string }

func (e *editorLog) CheckThemeEdit(_ context.Context, p int64, x ThemeEdit) (Scope, error) {
	e.calls = append(e.calls, fmt.Sprintf("%s %d %d into %d %q", x.Kind, p, x.Theme, x.Into, x.Label))
	return Scope{Kind: "process"}, nil
}

func (e *editorLog) ApplyThemeEdits(_ context.Context, p int64) error {
	e.calls = append(e.calls, fmt.Sprintf("apply %d", p))
	return nil
}

func TestThemeEditsAreCheckedBeforeTheEditor(t *testing.T) {
	_, d := insightsFixture(t)
	ctx := context.Background()
	check := func(e ThemeEdit) error {
		_, _, err := d.CheckThemeEdit(ctx, ixProcess, e)
		return err
	}
	if err := check(ThemeEdit{Kind: ThemeRename, Theme: ixTheme1, Label: "Roads"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("without an editor: %v", err)
	}
	e := &editorLog{}
	d.SetThemeEditor(e)
	for _, c := range []struct {
		name string
		err  error
		want error
	}{
		{"rename", check(ThemeEdit{Kind: ThemeRename, Theme: ixTheme1, Label: "  Roads and potholes ", Into: 5}), nil},
		{"empty label", check(ThemeEdit{Kind: ThemeRename, Theme: ixTheme1, Label: "  "}), ErrInvalid},
		{"long label", check(ThemeEdit{Kind: ThemeRename, Theme: ixTheme1, Label: strings.Repeat("é", MaxThemeLabel+1)}), ErrInvalid},
		{"two lines", check(ThemeEdit{Kind: ThemeRename, Theme: ixTheme1, Label: "a\nb"}), ErrInvalid},
		{"unknown theme", check(ThemeEdit{Kind: ThemeRename, Theme: 99, Label: "x"}), ErrNotFound},
		{"merged theme", check(ThemeEdit{Kind: ThemeSplit, Theme: ixMerged}), ErrInvalid},
		{"merge", check(ThemeEdit{Kind: ThemeMerge, Theme: ixTheme2, Into: ixTheme1, Label: "dropped"}), nil},
		{"merge into itself", check(ThemeEdit{Kind: ThemeMerge, Theme: ixTheme2, Into: ixTheme2}), ErrInvalid},
		{"merge across scopes", check(ThemeEdit{Kind: ThemeMerge, Theme: ixTheme2, Into: ixSection2}), ErrInvalid},
		{"merge into unknown", check(ThemeEdit{Kind: ThemeMerge, Theme: ixTheme2, Into: 99}), ErrInvalid},
		{"split", check(ThemeEdit{Kind: ThemeSplit, Theme: ixTheme2}), nil},
		{"unknown kind", check(ThemeEdit{Kind: "delete", Theme: ixTheme2}), ErrNotFound},
	} {
		if (c.want == nil && c.err != nil) || (c.want != nil && !errors.Is(c.err, c.want)) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
	if err := d.ApplyThemeEdits(ctx, ixProcess); err != nil {
		t.Fatal(err)
	}
	want := []string{`rename 1 1 into 0 "Roads and potholes"`, `merge 1 2 into 1 ""`, `split 1 2 into 0 ""`, "apply 1"}
	if !slices.Equal(e.calls, want) {
		t.Errorf("editor calls = %q, want %q", e.calls, want)
	}
}
