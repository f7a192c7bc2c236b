package report

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/civicpulse/civicpulse/analysis/stats"
)

type question struct {
	id          int64
	typ, prompt string
	options     []string
	respondents int64
	choices     map[int]int64
	numbers     []stats.ValueCount
}

// survey sets each survey's questions: the distribution as a chart and
// its table, with the 95% intervals the dashboards show (Wilson for
// shares, t for means).
func (r *Reporter) survey(ctx context.Context, d *Doc) error {
	surveys := d.of("survey")
	if len(surveys) == 0 {
		d.add(Note, d.T("report.survey.none"))
		return nil
	}
	for _, c := range surveys {
		qs, started, completed, err := r.questions(ctx, c.id)
		if err != nil {
			return err
		}
		d.add(Heading, c.title)
		d.add(Paragraph, d.T("report.survey.responses", d.N(started), d.N(completed)))
		for _, q := range qs {
			d.add(Subheading, q.prompt)
			d.question(q)
		}
	}
	return nil
}

func (r *Reporter) questions(ctx context.Context, component int64) ([]*question, int64, int64, error) {
	arg := sql.Named("component", component)
	fail := func(err error) ([]*question, int64, int64, error) {
		return nil, 0, 0, fmt.Errorf("report: unable to read the survey of component %d: %w", component, err)
	}
	var started, completed int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("report-survey-responses"), arg).Scan(&started, &completed); err != nil {
		return fail(err)
	}
	var qs []*question
	byID := map[int64]*question{}
	rows, err := r.db.QueryContext(ctx, r.q.Get("report-questions"), arg)
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		q := &question{choices: map[int]int64{}}
		var opts []any
		if err := rows.Scan(&q.id, &q.typ, &q.prompt, &opts); err != nil {
			rows.Close()
			return fail(err)
		}
		for _, o := range opts {
			q.options = append(q.options, fmt.Sprint(o))
		}
		qs = append(qs, q)
		byID[q.id] = q
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	for _, part := range []struct {
		query string
		scan  func(*sql.Rows) error
	}{
		{"report-respondents", func(rows *sql.Rows) error {
			var id, n int64
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			if q := byID[id]; q != nil {
				q.respondents = n
			}
			return nil
		}},
		{"report-choices", func(rows *sql.Rows) error {
			var id, n int64
			var choice int
			if err := rows.Scan(&id, &choice, &n); err != nil {
				return err
			}
			if q := byID[id]; q != nil {
				q.choices[choice] = n
			}
			return nil
		}},
		{"report-numbers", func(rows *sql.Rows) error {
			var id, n int64
			var v float64
			if err := rows.Scan(&id, &v, &n); err != nil {
				return err
			}
			if q := byID[id]; q != nil {
				q.numbers = append(q.numbers, stats.ValueCount{V: v, N: n})
			}
			return nil
		}},
	} {
		rows, err := r.db.QueryContext(ctx, r.q.Get(part.query), arg)
		if err != nil {
			return fail(err)
		}
		for rows.Next() {
			if err := part.scan(rows); err != nil {
				rows.Close()
				return fail(err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fail(err)
		}
	}
	return qs, started, completed, nil
}

// question sets one question's chart, table and summary line.
func (d *Doc) question(q *question) {
	switch q.typ {
	case "single", "multi", "ranking":
		labels := append([]string(nil), q.options...)
		for c := range q.choices { // answers beyond the listed options still show
			for c >= len(labels) {
				labels = append(labels, d.T("report.survey.option_n", len(labels)+1))
			}
		}
		key := map[string]string{"single": "report.survey.respondents", "multi": "report.survey.respondents_multi",
			"ranking": "report.survey.respondents_ranking"}[q.typ]
		d.add(Note, d.T(key, d.N(q.respondents)))
		d.shares(labels, func(i int) int64 { return q.choices[i] }, q.respondents)
	case "likert":
		var counts [5]int
		for _, x := range q.numbers {
			if i := int(x.V) - 1; i >= 0 && i < 5 && float64(i+1) == x.V {
				counts[i] += int(x.N)
			}
		}
		for c, k := range q.choices { // options stored as choices 0..4
			if c >= 0 && c < 5 {
				counts[c] += int(k)
			}
		}
		s := stats.Likert(counts)
		labels := make([]string, 5)
		for i := range labels {
			labels[i] = d.T("report.likert." + strconv.Itoa(i+1))
		}
		d.add(Note, d.T("report.survey.likert", f2(s.Mean), f2(s.MeanLo), f2(s.MeanHi), d.N(int64(s.N))))
		d.shares(labels, func(i int) int64 { return int64(counts[i]) }, int64(s.N))
	case "numeric":
		d.numeric(q.numbers)
	default: // open answers: read through the text and clustering panels
		d.add(Note, d.T("report.survey.open", d.N(q.respondents)))
	}
}

// shares sets a choice distribution: a bar per option with its 95%
// Wilson interval, and the table of counts, shares and intervals.
func (d *Doc) shares(labels []string, count func(int) int64, n int64) {
	t := &Table{Header: []string{d.T("report.col.answer"), d.T("report.col.responses"), d.T("report.col.share"), d.T("report.col.ci")},
		Right: []bool{false, true, true, true}}
	c := &Chart{Labels: labels, Unit: "%"}
	for i, label := range labels {
		k := count(i)
		if n <= 0 {
			t.Rows = append(t.Rows, []string{label, d.N(k), "–", "–"})
			c.Values, c.Lo, c.Hi = append(c.Values, 0), append(c.Lo, 0), append(c.Hi, 0)
			continue
		}
		lo, hi := stats.Wilson(int(k), int(n), stats.Z95)
		share := float64(k) / float64(n)
		t.Rows = append(t.Rows, []string{label, d.N(k), d.Pct(share), d.Pct(lo) + " – " + d.Pct(hi)})
		c.Values, c.Lo, c.Hi = append(c.Values, 100*share), append(c.Lo, 100*lo), append(c.Hi, 100*hi)
	}
	if n > 0 {
		d.chart(c)
	}
	d.table(t)
}

// numeric sets a ten-bin histogram and the mean with its 95% t interval.
func (d *Doc) numeric(vals []stats.ValueCount) {
	sum := stats.SummariseNumeric(vals, 10)
	if sum.N == 0 {
		d.add(Note, d.T("report.survey.no_answers"))
		return
	}
	if sum.HasCI {
		d.add(Note, d.T("report.survey.mean_ci", f2(sum.Mean), f2(sum.CILo), f2(sum.CIHi), d.N(sum.N)))
	} else {
		d.add(Note, d.T("report.survey.mean", f2(sum.Mean), d.N(sum.N)))
	}
	lo, width, counts := sum.Lo, sum.Width, sum.Counts
	t := &Table{Header: []string{d.T("report.col.range"), d.T("report.col.responses")}, Right: []bool{false, true}}
	c := &Chart{}
	for i, k := range counts {
		a := lo + float64(i)*width
		label := f2(a) + " – " + f2(a+width)
		t.Rows = append(t.Rows, []string{label, d.N(k)})
		c.Labels, c.Values = append(c.Labels, label), append(c.Values, float64(k))
	}
	d.chart(c)
	d.table(t)
}

func f2(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }
