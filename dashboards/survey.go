package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/civicpulse/civicpulse/analysis/stats"
)

// Survey is the analysts' survey statistics dashboard.
var Survey = &Dashboard{
	Name: "survey", Title: "Survey statistics", Audience: "analysts", Needs: "survey",
	Panels: []*Panel{
		{Name: "survey-questions", Title: "Answers per question", Queries: []string{"survey-questions", "survey-respondents", "survey-choices", "survey-numbers"},
			ChartKind: "bar", Live: []string{"survey.answered", "survey.completed"}, Publishable: true, build: buildQuestions},
		{Name: "survey-crosstab", Title: "Cross-tabulation", Queries: []string{"survey-crosstab", "survey-by-region"},
			ChartKind: "bar", Live: []string{"survey.answered", "survey.completed"}, build: buildCrosstab},
		{Name: "survey-dropoff", Title: "Drop-off per page", Queries: []string{"survey-dropoff"},
			ChartKind: "bar", Live: []string{"survey.answered", "survey.completed"}, Publishable: true, build: buildDropoff},
		{Name: "survey-duration", Title: "Time to complete", Queries: []string{"survey-duration"},
			ChartKind: "table", Live: []string{"survey.completed"}, build: buildDuration},
	},
}

// Question is a survey question as the dashboards see it.
type Question struct {
	ID       int64
	Page     int
	Type     string
	Prompt   string
	Options  []string
	Min, Max *float64
}

// surveyView narrows the view to the survey component asked for, or the
// process's first survey.
func surveyView(v View) (View, error) {
	c, ok := v.P.Component(v.Component, "survey")
	if !ok {
		return v, fmt.Errorf("%w: the process has no survey", ErrNotFound)
	}
	v.Component = c.ID
	return v, nil
}

// Questions lists a survey's questions in order.
func (d *Dashboards) Questions(ctx context.Context, v View) ([]Question, error) {
	var out []Question
	err := d.each(ctx, "survey-questions", v.args(), func(r *sql.Rows) error {
		var q Question
		var page, pos int32
		var options []any
		var lo, hi sql.NullFloat64
		if err := r.Scan(&q.ID, &page, &pos, &q.Type, &q.Prompt, &options, &lo, &hi); err != nil {
			return err
		}
		q.Page = int(page)
		for _, o := range options {
			s, _ := o.(string)
			q.Options = append(q.Options, s)
		}
		if lo.Valid {
			q.Min = &lo.Float64
		}
		if hi.Valid {
			q.Max = &hi.Float64
		}
		out = append(out, q)
		return nil
	})
	return out, err
}

var likertKeys = []string{"dash.likert.1", "dash.likert.2", "dash.likert.3", "dash.likert.4", "dash.likert.5"}

func likertLabels(v View) []string {
	out := make([]string, len(likertKeys))
	for i, k := range likertKeys {
		out[i] = v.T(k)
	}
	return out
}

func buildQuestions(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	v, err := surveyView(v)
	if err != nil {
		return nil, err
	}
	qs, err := d.Questions(ctx, v)
	if err != nil {
		return nil, err
	}
	respondents := map[int64]int64{}
	if err := d.each(ctx, "survey-respondents", v.args(), func(r *sql.Rows) error {
		var q, n int64
		if err := r.Scan(&q, &n); err != nil {
			return err
		}
		respondents[q] = n
		return nil
	}); err != nil {
		return nil, err
	}
	choices := map[int64]map[int]int64{}
	if err := d.each(ctx, "survey-choices", v.args(), func(r *sql.Rows) error {
		var q, n int64
		var c int32
		if err := r.Scan(&q, &c, &n); err != nil {
			return err
		}
		if choices[q] == nil {
			choices[q] = map[int]int64{}
		}
		choices[q][int(c)] = n
		return nil
	}); err != nil {
		return nil, err
	}
	numbers := map[int64][]stats.ValueCount{}
	if err := d.each(ctx, "survey-numbers", v.args(), func(r *sql.Rows) error {
		var q, n int64
		var x float64
		if err := r.Scan(&q, &x, &n); err != nil {
			return err
		}
		numbers[q] = append(numbers[q], stats.ValueCount{V: x, N: n})
		return nil
	}); err != nil {
		return nil, err
	}
	res := &Result{}
	for _, q := range qs {
		n := respondents[q.ID]
		part := &Result{Title: q.Prompt}
		switch q.Type {
		case "single", "multi", "ranking":
			part.Table = choiceTable(v, q.Options, choices[q.ID], n)
			if q.Type == "multi" {
				part.Summary = append(part.Summary, v.T("dash.sum.respondents_multi", v.N(n)))
			} else if q.Type == "ranking" {
				part.Summary = append(part.Summary, v.T("dash.sum.respondents_ranking", v.N(n)))
			} else {
				part.Summary = append(part.Summary, v.T("dash.sum.respondents", v.N(n)))
			}
			part.chart = func(t *Table) *Chart {
				c := BarChart(t.labels(0), []Series{{Name: v.T("dash.series.share_pct"), Values: scale(t.column(2), 100)}}, true)
				return &c
			}
		case "likert":
			var counts [5]int
			for _, x := range numbers[q.ID] {
				if i := int(x.V) - 1; i >= 0 && i < 5 && float64(i+1) == x.V {
					counts[i] += int(x.N)
				}
			}
			for c, k := range choices[q.ID] { // options stored as choices 0..4
				if c >= 0 && c < 5 {
					counts[c] += int(k)
				}
			}
			s := stats.Likert(counts)
			cc := map[int]int64{}
			for i, c := range counts {
				cc[i] = int64(c)
			}
			ll := likertLabels(v)
			part.Table = choiceTable(v, ll, cc, int64(s.N))
			part.Summary = append(part.Summary, v.T("dash.sum.likert", v.F(s.Mean, 2), v.F(s.MeanLo, 2), v.F(s.MeanHi, 2), v.N(int64(s.N)), v.F(s.Agree*100, 0), v.F(s.Disagree*100, 0)))
			part.chart = func(t *Table) *Chart {
				// Diverging bar: disagreement to the left of zero.
				sh := scale(t.column(2), 100)
				segs := []Series{
					{Name: ll[0], Values: []float64{-sh[0]}, Stack: "l", Color: "#b2182b"},
					{Name: ll[1], Values: []float64{-sh[1]}, Stack: "l", Color: "#ef8a62"},
					{Name: v.T("dash.likert.neutral_left", ll[2]), Values: []float64{-sh[2] / 2}, Stack: "l", Color: "#cccccc"},
					{Name: ll[2], Values: []float64{sh[2] / 2}, Stack: "l", Color: "#cccccc"},
					{Name: ll[3], Values: []float64{sh[3]}, Stack: "l", Color: "#67a9cf"},
					{Name: ll[4], Values: []float64{sh[4]}, Stack: "l", Color: "#2166ac"},
				}
				c := BarChart([]string{"%"}, segs, true)
				return &c
			}
		case "numeric":
			part.Table, part.Summary = numericTable(v, numbers[q.ID])
			part.chart = func(t *Table) *Chart {
				c := BarChart(t.labels(0), []Series{{Name: v.T("dash.col.responses"), Values: t.column(1)}}, false)
				return &c
			}
		default: // open text: analysed by the text and clustering panels
			part.Table = Table{Columns: []Column{{Label: v.T("dash.col.answers"), Kind: Count}}, Rows: [][]Cell{{count(n)}}}
			part.Summary = append(part.Summary, v.T("dash.sum.open_answers"))
		}
		res.Parts = append(res.Parts, part)
	}
	if len(qs) == 0 {
		res.Summary = append(res.Summary, v.T("dash.sum.no_questions"))
	}
	return res, nil
}

func scale(xs []float64, k float64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = x * k
	}
	return out
}

// ChoiceTable counts answers per option against n respondents, with 95%
// Wilson intervals. Options nobody chose are zeros.
func ChoiceTable(options []string, counts map[int]int64, n int64) Table {
	return choiceTable(View{}, options, counts, n)
}

func choiceTable(v View, options []string, counts map[int]int64, n int64) Table {
	t := Table{Columns: []Column{{Label: v.T("dash.col.answer"), Kind: Text}, {Label: v.T("dash.col.responses"), Kind: Count},
		{Label: v.T("dash.col.share"), Kind: Derived, Unit: "%"}, {Label: v.T("dash.col.ci_low"), Kind: Derived, Unit: "%"}, {Label: v.T("dash.col.ci_high"), Kind: Derived, Unit: "%"}}}
	labels := options
	for c := range counts { // answers beyond the listed options still show
		for c >= len(labels) {
			labels = append(labels, v.T("dash.option_n", len(labels)+1))
		}
	}
	for i, label := range labels {
		k := counts[i]
		if n <= 0 {
			t.Rows = append(t.Rows, []Cell{text(label), count(k), nullCell(), nullCell(), nullCell()})
			continue
		}
		lo, hi := stats.Wilson(int(k), int(n), stats.Z95)
		t.Rows = append(t.Rows, []Cell{text(label), count(k), share(float64(k) / float64(n)), share(lo), share(hi)})
	}
	if n > 0 {
		t.SharesOf(1, float64(n)) // one answer each: the options add up to those who answered
	}
	return t
}

// numericTable is a ten-bin histogram and the mean with its 95% t interval,
// from (value, count) pairs.
func numericTable(v View, vals []stats.ValueCount) (Table, []string) {
	t := Table{Columns: []Column{{Label: v.T("dash.col.range"), Kind: Text}, {Label: v.T("dash.col.responses"), Kind: Count}}}
	sum := stats.SummariseNumeric(vals, 10)
	if sum.N == 0 {
		return t, []string{v.T("dash.sum.no_answers")}
	}
	summary := v.T("dash.sum.mean", v.F(sum.Mean, 2), v.N(sum.N))
	if sum.HasCI {
		summary = v.T("dash.sum.mean_ci", v.F(sum.Mean, 2), v.F(sum.CILo, 2), v.F(sum.CIHi, 2), v.N(sum.N))
	}
	for i, k := range sum.Counts {
		a := sum.Lo + float64(i)*sum.Width
		t.Rows = append(t.Rows, []Cell{text(fmt.Sprintf("%g–%g", round2(a), round2(a+sum.Width))), count(k)})
	}
	return t, []string{summary}
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func buildCrosstab(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	v, err := surveyView(v)
	if err != nil {
		return nil, err
	}
	qs, err := d.Questions(ctx, v)
	if err != nil {
		return nil, err
	}
	find := func(id int64) *Question {
		for i := range qs {
			if qs[i].ID == id {
				return &qs[i]
			}
		}
		return nil
	}
	categorical := func(q Question) bool { return q.Type == "single" || q.Type == "likert" || q.Type == "multi" }
	qa := find(v.Question)
	if qa == nil || !categorical(*qa) {
		for i := range qs {
			if categorical(qs[i]) {
				qa = &qs[i]
				break
			}
		}
	}
	if qa == nil {
		return &Result{Summary: []string{v.T("dash.sum.no_categorical")}}, nil
	}
	v.Question = qa.ID
	qb := find(v.Question2)
	if qb != nil && !categorical(*qb) {
		qb = nil
	}
	query := "survey-by-region"
	if qb != nil {
		query = "survey-crosstab"
		v.Question2 = qb.ID
	}
	noRegion := v.P.RegionName(v.L, "")
	type cell struct {
		r, c string
		n    int64
	}
	var cells []cell
	err = d.each(ctx, query, v.args(), func(r *sql.Rows) error {
		var rv float64
		var cv any
		var n int64
		if err := r.Scan(&rv, &cv, &n); err != nil {
			return err
		}
		var cs string
		switch x := cv.(type) {
		case float64:
			cs = answerLabel(v, *qb, x)
		case string:
			cs = v.P.RegionName(v.L, x)
		default:
			cs = fmt.Sprint(x)
		}
		cells = append(cells, cell{answerLabel(v, *qa, rv), cs, n})
		return nil
	})
	if err != nil {
		return nil, err
	}
	rows, cols := orderedLabels(cells, func(c cell) string { return c.r }), orderedLabels(cells, func(c cell) string { return c.c })
	if qb == nil {
		// Respondents without a region come last, under a name of their own.
		if i := slices.Index(cols, noRegion); i >= 0 {
			cols = append(slices.Delete(cols, i, i+1), noRegion)
		}
	}
	ct := stats.NewCrosstab(rows, cols)
	for _, c := range cells {
		ct.Add(c.r, c.c, float64(c.n))
	}
	t := Table{Columns: []Column{{Label: qa.Prompt, Kind: Text}}}
	for _, c := range cols {
		t.Columns = append(t.Columns, Column{Label: c, Kind: Count})
	}
	for i, rl := range rows {
		row := []Cell{text(rl)}
		for j := range cols {
			row = append(row, count(int64(ct.Counts[i][j])))
		}
		t.Rows = append(t.Rows, row)
	}
	res := &Result{Table: t, Pickers: crosstabPickers(v, qs, categorical, qa, qb)}
	res.Title = v.T("dash.title.crosstab_region", qa.Prompt)
	if qb != nil {
		res.Title = v.T("dash.title.crosstab", qa.Prompt, qb.Prompt)
	}
	chi, err := ct.Test()
	switch {
	case errors.Is(err, stats.ErrTooFewCategories):
		res.Summary = append(res.Summary, v.T("dash.sum.too_few"))
	case err != nil:
		return nil, err
	default:
		res.Summary = append(res.Summary, chiSquareLine(v, chi))
		if chi.SmallExpected {
			res.Warnings = append(res.Warnings, v.T("dash.warn.small_expected", v.N(int64(chi.SmallCells)), v.F(chi.MinExpected, 1)))
		}
	}
	res.chart = func(t *Table) *Chart {
		var ss []Series
		for j := 1; j < len(t.Columns); j++ {
			ss = append(ss, Series{Name: t.Columns[j].Label, Values: t.column(j), Stack: "x"})
		}
		c := BarChart(t.labels(0), ss, true)
		return &c
	}
	return res, nil
}

// ChiSquareLine reports a chi-square test the way analysts read it.
func ChiSquareLine(c stats.ChiSquare) string { return chiSquareLine(View{}, c) }

func chiSquareLine(v View, c stats.ChiSquare) string {
	p := "p = " + v.F(c.P, 4)
	if c.P < 0.0001 {
		p = "p < " + v.F(0.0001, 4)
	}
	return v.T("dash.sum.chi", v.F(c.Stat, 2), c.DF, p, v.F(c.CramersV, 2), v.N(int64(math.Round(c.N))))
}

func answerLabel(v View, q Question, x float64) string {
	if q.Type == "likert" && x >= 1 && x <= 5 && x == math.Trunc(x) {
		return v.T(likertKeys[int(x)-1])
	}
	if i := int(x); float64(i) == x && i >= 0 && i < len(q.Options) && q.Type != "likert" {
		return q.Options[i]
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

func orderedLabels[T any](xs []T, key func(T) string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		k := key(x)
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}

func buildDropoff(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	v, err := surveyView(v)
	if err != nil {
		return nil, err
	}
	type pg struct{ page, responses, completed int64 }
	var pages []pg
	err = d.each(ctx, "survey-dropoff", v.args(), func(r *sql.Rows) error {
		var x pg
		var page int32
		if err := r.Scan(&page, &x.responses, &x.completed); err != nil {
			return err
		}
		x.page = int64(page)
		pages = append(pages, x)
		return nil
	})
	if err != nil {
		return nil, err
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].page < pages[j].page })
	var total int64
	for _, p := range pages {
		total += p.responses
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.page"), Kind: Text}, {Label: v.T("dash.col.reached"), Kind: Count}, {Label: v.T("dash.col.left_here"), Kind: Count}, {Label: v.T("dash.col.dropoff"), Kind: Derived, Unit: "%"}}}
	reached := total
	var completed int64
	for _, p := range pages {
		left := p.responses - p.completed
		completed += p.completed
		rate := nullCell()
		if reached > 0 {
			rate = share(float64(left) / float64(reached))
		}
		t.Rows = append(t.Rows, []Cell{text(v.T("dash.page_n", p.page)), count(reached), count(left), rate})
		// reached here = reached on the next page + left here + completed
		// here; the completed count is treated as known.
		i := len(t.Rows) - 1
		if i > 0 {
			t.Relations = append(t.Relations, Relation{Cells: []CellRef{{i - 1, 1}, {i, 1}, {i - 1, 2}}, Coefs: []float64{1, -1, -1}, Const: float64(pages[i-1].completed), Prefer: -1})
		}
		reached -= p.responses
	}
	if n := len(t.Rows); n > 0 {
		t.Relations = append(t.Relations, Relation{Cells: []CellRef{{n - 1, 1}, {n - 1, 2}}, Coefs: []float64{1, -1}, Const: float64(pages[n-1].completed), Prefer: -1})
	}
	res := &Result{Table: t}
	if total > 0 {
		res.Summary = append(res.Summary, v.T("dash.sum.started", v.N(total), v.N(completed), v.F(float64(completed)/float64(total)*100, 0)))
	}
	res.chart = func(t *Table) *Chart {
		c := BarChart(t.labels(0), []Series{{Name: v.T("dash.col.reached"), Values: t.column(1)}, {Name: v.T("dash.col.left_here"), Values: t.column(2)}}, false)
		return &c
	}
	return res, nil
}

func buildDuration(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	v, err := surveyView(v)
	if err != nil {
		return nil, err
	}
	var n int64
	var q1, med, q3 float64
	if err := d.queryRow(ctx, "survey-duration", v.args()).Scan(&n, &q1, &med, &q3); err != nil {
		return nil, fmt.Errorf("dashboards: unable to run survey-duration: %w", err)
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.completed"), Kind: Count}, {Label: v.T("dash.col.q1"), Kind: Number},
		{Label: v.T("dash.col.median_min"), Kind: Number}, {Label: v.T("dash.col.q3"), Kind: Number}}}
	row := []Cell{count(n), num(round2(q1)), num(round2(med)), num(round2(q3))}
	if n == 0 {
		// No completed response has no median: "–", not a time of 0 min.
		row = []Cell{count(0), nullCell(), nullCell(), nullCell()}
	}
	t.Rows = append(t.Rows, row)
	return &Result{Table: t}, nil
}
