package dashboards

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// feedbackFixture adds to the fixture, counted by hand:
//
// Process 1: 20 visible proposals (100–119) and a hidden one (120, selected:
// out of every figure). Selected 100–102 (3), not selected 103–108 (6), 109
// needed more study and is under assessment again (1), under assessment
// 110–114 (5), never assessed 115–119 (5): 10 of 20 with a decision, first
// decided 1, 2, …, 10 days after submission (median 5.5). Questions on
// section 900: 400–407 (8) and a hidden one (408); 409 is a reply; answers
// to 400–404 (5 answered) and a hidden answer to 405.
//
// Process 2: 10 proposals (200–209), 3 of them selected; no questions.
func feedbackFixture(t *testing.T) *Dashboards {
	t.Helper()
	w, d := fixture(t)
	day1 := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	b := &warehouse.Batch{}
	seq := int64(10_000)
	prop := func(process, comp, id int64, at time.Time) {
		seq++
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "proposal.created", ProcessID: process, ComponentID: comp, EntityID: id, Participant: "f1", RegionCode: "A", OccurredAt: at})
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: id, ProcessID: process, ComponentID: comp, Participant: "f1", RegionCode: "A", Title: "P", OccurredAt: at})
	}
	for id := int64(103); id <= 120; id++ {
		prop(fxProcess, fxProposals, id, day1)
	}
	for id := int64(201); id <= 209; id++ {
		prop(fxOther, 20, id, day1)
	}
	hide := func(kind string, id int64) {
		seq++
		b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: seq, ProcessID: fxProcess, ComponentID: fxProposals, EntityKind: kind, EntityID: id, Status: "hidden", OccurredAt: day1})
	}
	hide("proposal", 120)
	for id := int64(400); id <= 409; id++ {
		seq++
		c := warehouse.Comment{Seq: seq, CommentID: id, ProcessID: fxProcess, ComponentID: fxDocument, TargetKind: "section", TargetID: 900, Kind: "question", Body: "When?", Participant: "f2", RegionCode: "A", OccurredAt: day1}
		if id == 409 {
			c.ParentID = ptr(int64(400))
		}
		b.Comments = append(b.Comments, c)
	}
	hide("comment", 408)
	hide("comment", 505)
	b.To, b.Consumed = warehouse.Cursor{Seq: seq}, int64(len(b.Events))
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}

	dec := func(process, id int64, state string, decided bool, at time.Time) warehouse.Decision {
		return warehouse.Decision{Op: warehouse.DecideProposal, ProcessID: process, ID: id, State: state, Reason: "r", Decided: decided, At: at}
	}
	var ds []warehouse.Decision
	for i, id := range []int64{103, 104, 105, 106, 107, 108} {
		ds = append(ds, dec(fxProcess, id, "under_assessment", false, day1), dec(fxProcess, id, "not_selected", true, day1.Add(time.Duration(i+1)*day)))
	}
	ds = append(ds, dec(fxProcess, 109, "needs_more_study", true, day1.Add(7*day)), dec(fxProcess, 109, "under_assessment", false, day1.Add(12*day)),
		dec(fxProcess, 100, "selected", true, day1.Add(8*day)),
		dec(fxProcess, 101, "selected", true, day1.Add(10*time.Minute+9*day)),
		dec(fxProcess, 102, "selected", true, time.Date(2024, 3, 3, 10, 0, 0, 0, time.UTC).Add(10*day)),
		dec(fxProcess, 120, "selected", true, day1.Add(day)))
	for id := int64(110); id <= 114; id++ {
		ds = append(ds, dec(fxProcess, id, "under_assessment", false, day1))
	}
	for _, id := range []int64{200, 201, 202} {
		ds = append(ds, dec(fxOther, id, "selected", true, day1.Add(2*day)))
	}
	for id := int64(400); id <= 405; id++ {
		ds = append(ds, warehouse.Decision{Op: warehouse.AnswerComment, ProcessID: fxProcess, ID: id + 100, ParentID: id, At: day1.Add(day)})
	}
	decide(t, w, ds...)
	return d
}

func runFeedback(t *testing.T, d *Dashboards, process int64, public bool, lang string) *Result {
	t.Helper()
	ctx := context.Background()
	p, err := d.Process(ctx, process)
	if err != nil {
		t.Fatal(err)
	}
	v := d.Resolve(p, Filter{Process: process})
	v.L = Messages(lang)
	run := d.RunView
	if public {
		run = d.RunPublic
	}
	r, err := run(ctx, FindPanel("feedback"), v)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// rowsOf reads a table as "label=cell" lines, in its order.
func rowsOf(r *Result) []string {
	var out []string
	for i, row := range r.Table.Rows {
		out = append(out, row[0].Text+"="+r.Table.Format(i, 1)+" "+r.Table.Format(i, 2))
	}
	return out
}

func TestFeedbackPanel(t *testing.T) {
	d := feedbackFixture(t)
	if !slices.Contains(Monitor.Panels, FindPanel("feedback")) || !FindPanel("feedback").Publishable {
		t.Fatal("the feedback panel is not a publishable panel of the monitor")
	}

	staff := runFeedback(t, d, fxProcess, false, "en")
	wantSummary := []string{"10 of 20 proposals have a decision (50%)", "Median 5.5 days from submission to decision", "5 of 8 questions answered (63%)"}
	if !slices.Equal(staff.Summary, wantSummary) {
		t.Errorf("staff summary %q, want %q", staff.Summary, wantSummary)
	}
	wantRows := []string{"Not selected=6 30.0%", "Submitted, not yet assessed=5 25.0%", "Under assessment=5 25.0%", "Selected=3 15.0%",
		"Under assessment again, after needing more study=1 5.0%", "With a decision=10 50.0%", "All proposals=20 100.0%"}
	if got := rowsOf(staff); !slices.Equal(got, wantRows) {
		t.Errorf("staff table\n%q\nwant\n%q", got, wantRows)
	}
	if staff.Chart == nil || !strings.Contains(staff.Chart.Option, "Not selected") || strings.Contains(staff.Chart.Option, "All proposals") {
		t.Errorf("the chart should draw the states and only them: %+v", staff.Chart)
	}

	// Public: the small states show "<5" and their shares with them; the
	// decided total stands, since the two hidden cells may still be any
	// of 0…4 (3 + 1 = 4 is all the sums tell).
	public := runFeedback(t, d, fxProcess, true, "en")
	wantRows = []string{"Not selected=6 30.0%", "Submitted, not yet assessed=5 25.0%", "Under assessment=5 25.0%", "Selected=<5 <5",
		"Under assessment again, after needing more study=<5 <5", "With a decision=10 50.0%", "All proposals=20 100.0%"}
	if got := rowsOf(public); !slices.Equal(got, wantRows) {
		t.Errorf("public table\n%q\nwant\n%q", got, wantRows)
	}
	if !slices.Equal(public.Summary, wantSummary) {
		t.Errorf("public summary %q, want %q", public.Summary, wantSummary)
	}
	if u := Unprotected(&public.Table); len(u) > 0 {
		t.Errorf("small cells %v can be worked out", u)
	}

	// Process 2: 3 of 10 decided. Staff see it; the public sees "<5",
	// no share and no median, and nothing about questions but "<5".
	staff = runFeedback(t, d, fxOther, false, "en")
	wantSummary = []string{"3 of 10 proposals have a decision (30%)", "Median 2.0 days from submission to decision", "No questions from citizens on the documents yet."}
	if !slices.Equal(staff.Summary, wantSummary) {
		t.Errorf("staff summary %q, want %q", staff.Summary, wantSummary)
	}
	public = runFeedback(t, d, fxOther, true, "en")
	wantSummary = []string{"<5 of 10 proposals have a decision (–)", "<5 of <5 questions answered (–)"}
	if !slices.Equal(public.Summary, wantSummary) {
		t.Errorf("public summary %q, want %q", public.Summary, wantSummary)
	}
	for i := range public.Table.Rows {
		for j := range public.Table.Columns {
			if s := public.Table.Format(i, j); s == "3" || s == "30.0%" || s == "7" || s == "70.0%" {
				t.Errorf("public table shows %s at row %d: %q", s, i, rowsOf(public))
			}
		}
	}

	// Kiswahili, both ways.
	sw := runFeedback(t, d, fxProcess, true, "sw")
	if len(sw.Summary) != 3 || sw.Summary[0] != "Mapendekezo 10 kati ya 20 yana uamuzi (50%)" || sw.Table.Rows[3][0].Text != "Limechaguliwa" {
		t.Errorf("Kiswahili: %q %q", sw.Summary, rowsOf(sw))
	}
}

func TestFeedbackFigures(t *testing.T) {
	d := feedbackFixture(t)
	ctx := context.Background()
	f, err := d.Feedback(ctx, fxProcess, false)
	if err != nil {
		t.Fatal(err)
	}
	want := FeedbackFigures{Proposals: 20, Decided: 10, DecidedShare: 0.5, MedianDays: 5.5, MedianValid: true, Questions: 8, Answered: 5, AnsweredShare: 0.625,
		Shown: FeedbackShown{Proposals: "20", Decided: "10", DecidedShare: "50%", MedianDays: "5.5", Questions: "8", Answered: "5", AnsweredShare: "63%"}}
	if !near(f.MedianDays, 5.5, 1e-9) {
		t.Errorf("median %v, want 5.5", f.MedianDays)
	}
	f.MedianDays = 5.5
	if f != want {
		t.Errorf("staff figures\n%+v\nwant\n%+v", f, want)
	}
	pub, err := d.Feedback(ctx, fxProcess, true)
	if err != nil {
		t.Fatal(err)
	}
	want.Public = true
	pub.MedianDays = 5.5
	if pub != want {
		t.Errorf("public figures\n%+v\nwant\n%+v", pub, want)
	}

	f, err = d.Feedback(ctx, fxOther, false)
	if err != nil {
		t.Fatal(err)
	}
	if f.Proposals != 10 || f.Decided != 3 || !near(f.DecidedShare, 0.3, 1e-9) || !f.MedianValid || f.Questions != 0 || f.Shown.AnsweredShare != "0%" {
		t.Errorf("staff figures of process 2: %+v", f)
	}
	pub, err = d.Feedback(ctx, fxOther, true)
	if err != nil {
		t.Fatal(err)
	}
	want = FeedbackFigures{Proposals: 10, Decided: -1, DecidedShare: -1, MedianDays: -1, Questions: -1, Answered: -1, AnsweredShare: -1, Public: true,
		Shown: FeedbackShown{Proposals: "10", Decided: "<5", DecidedShare: "–", MedianDays: "–", Questions: "<5", Answered: "<5", AnsweredShare: "–"}}
	if pub != want {
		t.Errorf("public figures of process 2\n%+v\nwant\n%+v", pub, want)
	}

	if _, err := d.Feedback(ctx, 999, true); !errors.Is(err, ErrNotFound) {
		t.Errorf("an unknown process: %v, want ErrNotFound", err)
	}
}
