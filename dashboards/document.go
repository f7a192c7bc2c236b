package dashboards

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// Document is the document consultation overview.
var Document = &Dashboard{
	Name: "document", Title: "Document consultation", Audience: "analysts", Needs: "document",
	Panels: []*Panel{
		{Name: "document-sections", Title: "Sections at a glance", Queries: []string{"document-sections"}, ChartKind: "table",
			Live: []string{"comment.created", "comment.voted", "contribution.hidden", "contribution.restored"}, Publishable: true, build: buildSections},
		{Name: "section-comments", Title: "Comments on the section", Queries: []string{"section-comments"}, ChartKind: "table",
			Live: []string{"comment.created", "comment.voted", "contribution.hidden", "contribution.restored"}, build: buildSectionComments},
	},
}

func documentView(v View) (View, error) {
	c, ok := v.P.Component(v.Component, "document")
	if !ok {
		return v, fmt.Errorf("%w: the process has no document", ErrNotFound)
	}
	v.Component = c.ID
	return v, nil
}

// SectionID is set on the heading cell of a section row: the page links it
// to the section's comments (drill-down).
func buildSections(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	v, err := documentView(v)
	if err != nil {
		return nil, err
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.section"), Kind: Text}, {Label: v.T("dash.col.comments"), Kind: Count}, {Label: v.T("dash.col.amendments"), Kind: Count},
		{Label: v.T("dash.col.questions"), Kind: Count}, {Label: v.T("dash.col.agree"), Kind: Count}, {Label: v.T("dash.col.disagree"), Kind: Count}}}
	once, err := d.CountOnce(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	args := v.args()
	args["count_once"] = once
	var ids []int64
	err = d.each(ctx, "document-sections", args, func(r *sql.Rows) error {
		var id int64
		var pos int32
		var heading string
		var c, a, q, ag, dis int64
		if err := r.Scan(&id, &pos, &heading, &c, &a, &q, &ag, &dis); err != nil {
			return err
		}
		ids = append(ids, id)
		t.Rows = append(t.Rows, []Cell{text(SectionLabel(int(pos), heading)), count(c), count(a), count(q), count(ag), count(dis)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t, Sections: ids}
	if once {
		r.Warnings = append(r.Warnings, countOnceNote(v))
	}
	return r, nil
}

// sectionCommentsShown is how many of a section's comments the page
// lists, most agreed first; the download has them all.
const sectionCommentsShown = 200

func buildSectionComments(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	v, err := documentView(v)
	if err != nil {
		return nil, err
	}
	t := Table{Columns: []Column{{Label: v.T("dash.col.kind"), Kind: Text}, {Label: v.T("dash.col.comment"), Kind: Text}, {Label: v.T("dash.col.proposed_text"), Kind: Text},
		{Label: v.T("dash.col.region"), Kind: Text}, {Label: v.T("dash.col.when"), Kind: Text}, {Label: v.T("dash.col.agree"), Kind: Count}, {Label: v.T("dash.col.disagree"), Kind: Count}}}
	args := v.args()
	args["limit"] = v.limit(sectionCommentsShown)
	var total int64
	err = d.each(ctx, "section-comments", args, func(r *sql.Rows) error {
		var id, ag, dis int64
		var kind, body, proposed, region string
		var at time.Time
		if err := r.Scan(&id, &kind, &body, &proposed, &region, &at, &ag, &dis, &total); err != nil {
			return err
		}
		t.Rows = append(t.Rows, []Cell{text(v.T("dash.ckind." + kind)), text(body), text(proposed), text(v.P.RegionName(v.L, region)), text(v.When(at)), count(ag), count(dis)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t}
	r.shortened(total)
	if v.Section == 0 {
		r.Summary = append(r.Summary, v.T("dash.sum.choose_section"))
	}
	return r, nil
}

// SectionLabel is how a section is named on every dashboard: its position
// and heading, "2. Water". A heading that already starts with a number
// ("1. Economic outlook", as documents often number their own) keeps it
// rather than reading "1. 1. Economic outlook".
func SectionLabel(pos int, heading string) string {
	h := strings.TrimSpace(heading)
	i := 0
	for i < len(h) && h[i] >= '0' && h[i] <= '9' {
		i++
	}
	if i > 0 && (i == len(h) || strings.ContainsRune(".) :", rune(h[i]))) {
		return h
	}
	return fmt.Sprintf("%d. %s", pos, h)
}

// WriteCSV writes a result's table (and its parts') as CSV: the
// downloadable overview.
func WriteCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	write := func(r *Result) error {
		head := make([]string, len(r.Table.Columns))
		for i, c := range r.Table.Columns {
			head[i] = c.Header()
		}
		if err := cw.Write(head); err != nil {
			return err
		}
		for i := range r.Table.Rows {
			rec := make([]string, len(r.Table.Columns))
			for j := range r.Table.Columns {
				rec[j] = r.Table.Raw(i, j)
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		return nil
	}
	if len(r.Table.Columns) > 0 {
		if err := write(r); err != nil {
			return err
		}
	}
	for _, p := range r.Parts {
		if err := cw.Write([]string{p.Title}); err != nil {
			return err
		}
		if err := write(p); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
