package report

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
)

type proposal struct {
	id                        int64
	status, title, descr      string
	budget                    int64
	currency, region, regName string
	supports                  int64
	theme, state, reason      string
}

// ideas sets every proposal grouped by theme (the themes the insights
// jobs found, as officials edited them; proposals in none come last),
// each with its supports, budget, region, assessment scores and state.
func (r *Reporter) ideas(ctx context.Context, d *Doc) error {
	rows, err := r.db.QueryContext(ctx, r.q.Get("report-proposals"), sql.Named("process", d.process))
	if err != nil {
		return fmt.Errorf("report: unable to read the proposals of process %d: %w", d.process, err)
	}
	defer rows.Close()
	var ps []proposal
	for rows.Next() {
		var p proposal
		if err := rows.Scan(&p.id, &p.status, &p.title, &p.descr, &p.budget, &p.currency, &p.region, &p.regName,
			&p.supports, &p.theme, &p.state, &p.reason); err != nil {
			return fmt.Errorf("report: unable to read the proposals of process %d: %w", d.process, err)
		}
		ps = append(ps, p)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("report: unable to read the proposals of process %d: %w", d.process, err)
	}
	scores, err := r.scores(ctx, d)
	if err != nil {
		return err
	}
	hidden, themes := 0, map[string]bool{}
	for _, p := range ps {
		if !published(p.status) {
			hidden++
		}
		themes[p.theme] = true
	}
	if len(ps) == 0 {
		d.add(Note, d.T("report.ideas.none"))
		return nil
	}
	d.add(Paragraph, d.T("report.ideas.intro", d.N(int64(len(ps))), d.N(int64(len(themes))), d.N(int64(hidden))))
	group := "\x00"
	for _, p := range ps {
		if p.theme != group {
			group = p.theme
			if group == "" {
				d.add(Heading, d.T("report.ideas.no_theme"))
			} else {
				d.add(Heading, d.T("report.ideas.theme", group))
			}
		}
		if !published(p.status) {
			d.add(Note, d.T("report.hidden.proposal", p.id, d.status(p.status)))
			continue
		}
		d.add(Subheading, p.title)
		if p.descr != "" {
			d.add(Paragraph, p.descr)
		}
		t := &Table{Rows: [][]string{{d.T("report.col.supports"), d.N(p.supports)}}}
		if p.budget > 0 {
			t.Rows = append(t.Rows, []string{d.T("report.col.budget"), d.Money(p.budget, p.currency)})
		}
		if p.region != "" {
			name := p.regName
			if name == "" {
				name = p.region
			}
			t.Rows = append(t.Rows, []string{d.T("report.col.region"), name})
		}
		state := p.state
		if state == "" {
			state = "submitted"
		}
		t.Rows = append(t.Rows, []string{d.T("report.col.state"), d.T("report.state." + state)})
		if p.reason != "" {
			t.Rows = append(t.Rows, []string{d.T("report.col.reason"), p.reason})
		}
		for _, s := range scores[p.id] {
			t.Rows = append(t.Rows, []string{s[0], s[1]})
		}
		d.table(t)
	}
	return nil
}

// scores gives, per proposal, each criterion's mean score over the
// assessors who scored it ("name", "3.5 / 5 (2)") and the weighted total.
func (r *Reporter) scores(ctx context.Context, d *Doc) (map[int64][][2]string, error) {
	out := map[int64][][2]string{}
	if r.store == nil || len(d.criteria) == 0 {
		return out, nil
	}
	all, err := r.store.Scores(ctx, d.process)
	if err != nil {
		return nil, fmt.Errorf("report: unable to read the assessment scores of process %d: %w", d.process, err)
	}
	type acc struct {
		sum float64
		n   int
	}
	byProposal := map[int64]map[int64]*acc{}
	for _, s := range all {
		m := byProposal[s.ProposalID]
		if m == nil {
			m = map[int64]*acc{}
			byProposal[s.ProposalID] = m
		}
		a := m[s.CriterionID]
		if a == nil {
			a = &acc{}
			m[s.CriterionID] = a
		}
		a.sum += float64(s.Score)
		a.n++
	}
	for id, m := range byProposal {
		var wsum, wtot float64
		for _, c := range d.criteria {
			a := m[c.ID]
			if a == nil {
				continue
			}
			mean := a.sum / float64(a.n)
			out[id] = append(out[id], [2]string{d.T("report.col.score", c.Name),
				d.T("report.score", strconv.FormatFloat(mean, 'f', 1, 64), c.ScaleMax, a.n)})
			if span := float64(c.ScaleMax - c.ScaleMin); span > 0 {
				wsum += c.Weight * (mean - float64(c.ScaleMin)) / span
				wtot += c.Weight
			}
		}
		if wtot > 0 {
			out[id] = append(out[id], [2]string{d.T("report.col.weighted"), d.Pct(wsum / wtot)})
		}
	}
	return out, nil
}
