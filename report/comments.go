package report

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// repsPerTheme bounds the representative comments printed per theme: a
// theme is read through its nearest few, however many it holds, which
// keeps a 100,000-comment consultation's document readable (and fast).
const repsPerTheme = 3

type section struct {
	id                                      int64
	version                                 int
	heading                                 string
	comments, amendments, questions, hidden int64
}

type theme struct {
	label string
	size  int64
	reps  []struct{ body, status string }
}

type amendment struct {
	body, proposed, status string
}

// comments sets each document component section by section: the counts,
// the themes with their representative comments, every amendment with
// the text it proposes, and the official response.
func (r *Reporter) comments(ctx context.Context, d *Doc) error {
	docs := d.of("document")
	if len(docs) == 0 {
		d.add(Note, d.T("report.comments.no_document"))
		return nil
	}
	for _, c := range docs {
		if err := r.document(ctx, d, c); err != nil {
			return err
		}
	}
	return nil
}

func (r *Reporter) document(ctx context.Context, d *Doc, c component) error {
	args := []any{sql.Named("process", d.process), sql.Named("component", c.id), sql.Named("reps", repsPerTheme)}
	fail := func(err error) error {
		return fmt.Errorf("report: unable to read the comments on component %d: %w", c.id, err)
	}
	var sections []section
	rows, err := r.db.QueryContext(ctx, r.q.Get("report-sections"), args[1])
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var s section
		if err := rows.Scan(&s.id, &s.version, &s.heading, &s.comments, &s.amendments, &s.questions, &s.hidden); err != nil {
			rows.Close()
			return fail(err)
		}
		sections = append(sections, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}

	themes := map[int64][]*theme{}
	rows, err = r.db.QueryContext(ctx, r.q.Get("report-section-themes"), args...)
	if err != nil {
		return fail(err)
	}
	last := map[int64]int64{}
	for rows.Next() {
		var sid, tid, size int64
		var rep int
		var label, body, status string
		if err := rows.Scan(&sid, &tid, &label, &size, &rep, &body, &status); err != nil {
			rows.Close()
			return fail(err)
		}
		ts := themes[sid]
		if len(ts) == 0 || last[sid] != tid {
			ts = append(ts, &theme{label: label, size: size})
			themes[sid], last[sid] = ts, tid
		}
		if rep > 0 {
			t := ts[len(ts)-1]
			t.reps = append(t.reps, struct{ body, status string }{body, status})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}

	amendments := map[int64][]amendment{}
	rows, err = r.db.QueryContext(ctx, r.q.Get("report-amendments"), args[1])
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var id, sid int64
		var a amendment
		if err := rows.Scan(&id, &sid, &a.body, &a.proposed, &a.status); err != nil {
			rows.Close()
			return fail(err)
		}
		amendments[sid] = append(amendments[sid], a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}

	responses := map[int64]participation.SectionResponse{}
	if r.store != nil {
		rs, err := r.store.SectionResponses(ctx, c.id)
		if err != nil {
			return fmt.Errorf("report: unable to read the responses on component %d: %w", c.id, err)
		}
		for _, x := range rs {
			responses[x.SectionID] = x
		}
	}

	d.add(Heading, c.title)
	if len(sections) == 0 {
		d.add(Note, d.T("report.comments.no_sections"))
	}
	for _, s := range sections {
		d.add(Subheading, s.heading)
		d.table(&Table{
			Header: []string{d.T("report.col.comments"), d.T("report.col.amendments"), d.T("report.col.questions"), d.T("report.col.hidden")},
			Rows:   [][]string{{d.N(s.comments), d.N(s.amendments), d.N(s.questions), d.N(s.hidden)}},
			Right:  []bool{true, true, true, true},
		})
		for _, t := range themes[s.id] {
			d.add(Paragraph, d.T("report.comments.theme", t.label, d.N(t.size)))
			for _, rep := range t.reps {
				if published(rep.status) {
					d.add(Quote, rep.body)
				} else {
					d.add(Note, d.T("report.hidden.comment", d.status(rep.status)))
				}
			}
		}
		if as := amendments[s.id]; len(as) > 0 {
			d.add(Paragraph, d.T("report.comments.amendments", d.N(int64(len(as)))))
			for _, a := range as {
				if !published(a.status) {
					d.add(Note, d.T("report.hidden.amendment", d.status(a.status)))
					continue
				}
				if a.body != "" {
					d.add(Quote, a.body)
				}
				d.add(Paragraph, d.T("report.comments.proposed", a.proposed))
			}
		}
		if x, ok := responses[s.id]; ok {
			d.add(Paragraph, d.T("report.comments.response"))
			if x.Changed != "" {
				d.add(Paragraph, d.T("report.comments.changed", x.Changed))
			}
			if x.Why != "" {
				d.add(Paragraph, d.T("report.comments.why", x.Why))
			}
		} else {
			d.add(Note, d.T("report.comments.no_response"))
		}
	}
	return nil
}
