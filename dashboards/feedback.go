package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"math"
)

// The feedback loop (issue 13): what became of citizens' input. Officials
// watch it on the monitor; the results page shows the same figures to the
// public, suppressed like every public count.

// feedbackPanel is on the monitor (monitor.go).
var feedbackPanel = &Panel{Name: "feedback", Title: "What became of citizens' input",
	Queries: []string{"feedback-loop", "feedback-decisions-by-state", "feedback-questions"}, ChartKind: "bar",
	Live:        []string{"proposal.created", "proposal.decided", "comment.created", "comment.answered", "contribution.hidden", "contribution.restored"},
	Publishable: true, build: buildFeedback}

// FeedbackFigures are a process's feedback-loop figures, for the results
// page (Dashboards.Feedback) and the feedback panel.
//
// For a public page (Public), a figure the page may not show is −1 in its
// field and reads "<5" (a count under five), "*" (a count hidden so that a
// small one cannot be worked out) or "–" (a share or median of a hidden
// count) in Shown: a share shows only when both its counts are five or more.
type FeedbackFigures struct {
	Proposals, Decided int64
	DecidedShare       float64 // Decided / Proposals, 0…1; 0 without proposals
	// MedianDays is the median of the days from a proposal's submission
	// to its first decision; −1 when MedianValid is false (no decision,
	// or not shown on a public page).
	MedianDays  float64
	MedianValid bool
	// Questions are citizens' questions on the process's documents;
	// Answered those with an official answer.
	Questions, Answered int64
	AnsweredShare       float64 // Answered / Questions, 0…1; 0 without questions

	Public bool
	Shown  FeedbackShown
}

// FeedbackShown is each figure as a page prints it, in English number
// format: "40", "<5", "30%", "9.5", "–".
type FeedbackShown struct {
	Proposals, Decided, DecidedShare, MedianDays, Questions, Answered, AnsweredShare string
}

// Feedback reads a process's feedback-loop figures; public: as a public
// page may show them (see FeedbackFigures). ErrNotFound for a process the
// warehouse does not know.
func (d *Dashboards) Feedback(ctx context.Context, processID int64, public bool) (FeedbackFigures, error) {
	proc, err := d.Process(ctx, processID)
	if err != nil {
		return FeedbackFigures{}, err
	}
	fb, err := d.feedback(ctx, d.Resolve(proc, Filter{Process: processID}))
	if err != nil {
		return FeedbackFigures{}, err
	}
	if public {
		fb.t.Suppress()
	}
	return fb.figures(View{}, public), nil
}

// feedbackData is the figures and the panel's table: one row per
// assessment state, then the proposals with a decision and all proposals.
// The table is what suppression works on, so the public figures are read
// from it after Suppress.
type feedbackData struct {
	fig    FeedbackFigures
	t      Table
	states int // rows of states; then the decided row, then the all row
}

func (fb *feedbackData) decidedRow() int { return fb.states }
func (fb *feedbackData) allRow() int     { return fb.states + 1 }

func (d *Dashboards) feedback(ctx context.Context, v View) (*feedbackData, error) {
	fb := &feedbackData{}
	f := &fb.fig
	var median sql.NullFloat64
	if err := d.queryRow(ctx, "feedback-loop", v.args()).Scan(&f.Proposals, &f.Decided, &f.DecidedShare, &median); err != nil {
		return nil, fmt.Errorf("dashboards: unable to run feedback-loop: %w", err)
	}
	f.MedianDays, f.MedianValid = -1, median.Valid
	if median.Valid {
		f.MedianDays = median.Float64
	}
	if err := d.queryRow(ctx, "feedback-questions", v.args()).Scan(&f.Questions, &f.Answered, &f.AnsweredShare); err != nil {
		return nil, fmt.Errorf("dashboards: unable to run feedback-questions: %w", err)
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.assessment_state"), Kind: Text}, {Label: v.T("dash.col.proposals"), Kind: Count},
		{Label: v.T("dash.col.share"), Kind: Derived, Unit: "%"}}}
	var decided []int
	err := d.each(ctx, "feedback-decisions-by-state", v.args(), func(r *sql.Rows) error {
		var state string
		var wasDecided bool
		var n int64
		if err := r.Scan(&state, &wasDecided, &n); err != nil {
			return err
		}
		key := "dash.astate." + state
		if wasDecided && state == "under_assessment" {
			key = "dash.astate.under_assessment_again" // after needing more study
		}
		if wasDecided {
			decided = append(decided, len(t.Rows))
		}
		t.Rows = append(t.Rows, []Cell{text(translated(v.loc(), key, state)), count(n), share(float64(n) / float64(max(f.Proposals, 1)))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	fb.states = len(t.Rows)
	// The shares give the total away, so the total counts as public; the
	// decided row is the sum of the rows with a decision, which a reader
	// could otherwise subtract a hidden state from.
	t.ColumnTotal(1, float64(f.Proposals))
	sum := Relation{Cells: []CellRef{{fb.states, 1}}, Coefs: []float64{1}, Prefer: 0}
	for _, i := range decided {
		sum.Cells, sum.Coefs = append(sum.Cells, CellRef{i, 1}), append(sum.Coefs, -1)
	}
	t.Relations = append(t.Relations, sum)
	t.Rows = append(t.Rows,
		[]Cell{text(v.T("dash.row.decided")), count(f.Decided), share(f.DecidedShare)},
		[]Cell{text(v.T("dash.row.all_proposals")), count(f.Proposals), share(1)})
	fb.t = t
	return fb, nil
}

// figures fills Shown (in v's language; the zero View reads English) and,
// for a public page, hides what its suppressed table hides.
func (fb *feedbackData) figures(v View, public bool) FeedbackFigures {
	f := fb.fig
	f.Public = public
	// Half a percent rounds up (5 of 8 is 63%), as people round.
	pct := func(x float64) string { return v.N(int64(math.Round(x*100))) + "%" }
	s := &f.Shown
	s.Proposals, s.Decided, s.DecidedShare = v.N(f.Proposals), v.N(f.Decided), pct(f.DecidedShare)
	s.Questions, s.Answered, s.AnsweredShare = v.N(f.Questions), v.N(f.Answered), pct(f.AnsweredShare)
	s.MedianDays = "–"
	if f.MedianValid {
		s.MedianDays = v.F(f.MedianDays, 1)
	}
	if !public {
		return f
	}
	t := &fb.t
	hidden := func(row, col int) bool { c := t.Rows[row][col]; return c.Suppressed || c.Secondary }
	if hidden(fb.allRow(), 1) {
		s.Proposals, f.Proposals = t.Format(fb.allRow(), 1), -1
	}
	if hidden(fb.decidedRow(), 1) {
		s.Decided, f.Decided = t.Format(fb.decidedRow(), 1), -1
	}
	if f.Proposals < SmallCell || f.Decided < SmallCell {
		s.DecidedShare, f.DecidedShare = "–", -1
		// A median of fewer than five decisions is nearly one proposal's
		// own dates.
		s.MedianDays, f.MedianDays, f.MedianValid = "–", -1, false
	}
	// The questions stand in no relation with other published counts: a
	// count under five hides itself, and the share needs both.
	if f.Questions < SmallCell {
		s.Questions, f.Questions = "<5", -1
	}
	if f.Answered < SmallCell {
		s.Answered, f.Answered = "<5", -1
	}
	if f.Questions < SmallCell || f.Answered < SmallCell {
		s.AnsweredShare, f.AnsweredShare = "–", -1
	}
	return f
}

func buildFeedback(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	fb, err := d.feedback(ctx, v)
	if err != nil {
		return nil, err
	}
	r := &Result{Table: fb.t}
	r.Summary = feedbackSummary(v, fb.figures(v, false))
	r.publicSummary = func(t *Table) []string {
		fb.t = *t
		return feedbackSummary(v, fb.figures(v, true))
	}
	states := fb.states
	r.chart = func(t *Table) *Chart {
		if states == 0 {
			return nil
		}
		c := BarChart(t.labels(0)[:states], []Series{{Name: v.T("dash.col.proposals"), Values: t.column(1)[:states]}}, true)
		return &c
	}
	return r, nil
}

func feedbackSummary(v View, f FeedbackFigures) []string {
	s := f.Shown
	var out []string
	if f.Proposals == 0 {
		out = append(out, v.T("dash.sum.feedback_no_proposals"))
	} else {
		out = append(out, v.T("dash.sum.feedback_decided", s.Decided, s.Proposals, s.DecidedShare))
	}
	if f.MedianValid {
		out = append(out, v.T("dash.sum.feedback_median", s.MedianDays))
	}
	if f.Questions == 0 {
		out = append(out, v.T("dash.sum.feedback_no_questions"))
	} else {
		out = append(out, v.T("dash.sum.feedback_questions", s.Answered, s.Questions, s.AnsweredShare))
	}
	return out
}
