package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

func buildThemeDetail(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	r := &Result{}
	if v.Theme == 0 {
		r.Summary = append(r.Summary, v.T("dash.sum.choose_theme"))
		return r, nil
	}
	once, err := d.CountOnce(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	s, themes, note, err := d.themesOf(ctx, v)
	if err != nil {
		return nil, err
	}
	if note != "" {
		r.Warnings = append(r.Warnings, note)
	}
	th, merged, err := d.shownTheme(ctx, v, s, v.Theme)
	if err != nil {
		return nil, err
	}
	if merged != "" {
		r.Warnings = append(r.Warnings, merged)
	}
	if once {
		r.Warnings = append(r.Warnings, countOnceNote(v))
	}
	r.Title = v.T("dash.title.theme", th.Label)
	r.Themes = append(r.Themes, th)
	for _, o := range themes {
		if o.ID != th.ID {
			r.Themes = append(r.Themes, o)
		}
	}
	c, err := d.countThemes(ctx, v, s, th.ID, once)
	if err != nil {
		return nil, err
	}
	size := c.size[th.ID]
	line := v.T("dash.sum.theme_texts", v.N(size))
	if th.Terms != "" {
		line += v.T("dash.sum.theme_terms", th.Terms)
	}
	if th.Parent != 0 {
		line += v.T("dash.sum.theme_split", th.Parent)
	}
	r.Summary = append(r.Summary, line+".")

	// The table: representative texts, nearest the theme's centre first.
	// text_items joins a comment's body and proposed text with a newline
	// that trim() keeps when the proposed text is empty; TrimSpace drops it.
	r.Table = Table{Columns: []Column{{Label: v.T("dash.col.rank"), Kind: Number}, {Label: v.T("dash.col.text"), Kind: Text}, {Label: v.T("dash.col.kind"), Kind: Text},
		{Label: v.T("dash.col.region"), Kind: Text}, {Label: v.T("dash.col.when"), Kind: Text}}}
	args := map[string]any{"process": v.P.ID, "scope": s.Kind, "scope_id": s.ID, "theme": th.ID}
	rank := 0
	err = d.each(ctx, "insight-theme-reps", args, func(rows *sql.Rows) error {
		var rep int32
		var kind, body, region string
		var at time.Time
		if err := rows.Scan(&rep, &kind, &body, &region, &at); err != nil {
			return err
		}
		rank++
		r.Table.Rows = append(r.Table.Rows, []Cell{num(float64(rank)), text(strings.TrimSpace(body)), text(textKind(v, kind)), text(v.P.RegionName(v.L, region)),
			text(v.When(at))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Parts = append(r.Parts, themeRegions(v, c, th.ID), themeDays(c, th.ID, v))
	st, err := d.themeStance(ctx, v, args)
	if err != nil {
		return nil, err
	}
	if st != nil {
		r.Parts = append(r.Parts, st)
	}
	return r, nil
}

// shownTheme finds a theme of the scope; a theme folded into another
// stands for the one it went into, with a note.
func (d *Dashboards) shownTheme(ctx context.Context, v View, s Scope, id int64) (ThemeRef, string, error) {
	process, note := v.P.ID, ""
	for hop := 0; hop < 32; hop++ {
		t := ThemeRef{Scope: s}
		var into int64
		err := d.queryRow(ctx, "insight-theme", map[string]any{"process": process, "scope": s.Kind, "scope_id": s.ID, "theme": id}).
			Scan(&t.ID, &t.Label, &t.Terms, &t.Renamed, &t.Parent, &into)
		if errors.Is(err, sql.ErrNoRows) {
			return t, "", fmt.Errorf("%w: no theme %d in this list", ErrNotFound, id)
		}
		if err != nil {
			return t, "", fmt.Errorf("dashboards: unable to read theme %d: %w", id, err)
		}
		if into == 0 {
			return t, note, nil
		}
		if note == "" {
			note = v.T("dash.warn.theme_merged", t.Label)
		}
		id = into
	}
	return ThemeRef{}, "", fmt.Errorf("%w: theme %d is merged in a loop", ErrNotFound, id)
}

func themeRegions(v View, c *themeCounts, id int64) *Result {
	p := &Result{Title: v.T("dash.title.by_region"), Table: Table{Columns: []Column{{Label: v.T("dash.col.region"), Kind: Text}, {Label: v.T("dash.col.texts"), Kind: Count},
		{Label: v.T("dash.col.share"), Kind: Derived, Unit: "%"}}}}
	size := c.size[id]
	for _, code := range c.regionsByCount(id) {
		n := c.regions[id][code]
		p.Table.Rows = append(p.Table.Rows, []Cell{text(v.P.RegionName(v.L, code)), count(n), share(float64(n) / float64(size))})
	}
	p.chart = func(t *Table) *Chart {
		ch := BarChart(t.labels(0), []Series{{Name: v.T("dash.col.texts"), Values: t.column(1)}}, false)
		return &ch
	}
	return p
}

func themeDays(c *themeCounts, id int64, v View) *Result {
	b := days(v)
	vals := b.Fill(c.points[id])
	p := &Result{Title: v.T("dash.col.per_day"), Table: Table{Columns: []Column{{Label: v.T("dash.col.day"), Kind: Text}, {Label: v.T("dash.col.texts"), Kind: Count}}}}
	for i, l := range b.Labels() {
		p.Table.Rows = append(p.Table.Rows, []Cell{text(l), count(vals[i])})
	}
	p.chart = func(t *Table) *Chart {
		ch := LineChart(t.labels(0), []Series{{Name: v.T("dash.col.texts"), Values: t.column(1)}})
		return &ch
	}
	return p
}

// themeStance is the votes on the theme's comments and the supports of its
// proposals; nil when there are none to show.
func (d *Dashboards) themeStance(ctx context.Context, v View, args map[string]any) (*Result, error) {
	var agree, disagree, supports, comments, proposals int64
	if err := d.queryRow(ctx, "insight-theme-stance", args).Scan(&agree, &disagree, &supports, &comments, &proposals); err != nil {
		return nil, fmt.Errorf("dashboards: unable to read a theme's stance: %w", err)
	}
	p := &Result{Title: v.T("dash.col.stance"), Table: Table{Columns: []Column{{Label: v.T("dash.col.stance"), Kind: Text}, {Label: v.T("dash.col.count"), Kind: Count},
		{Label: v.T("dash.col.share_votes"), Kind: Derived, Unit: "%"}}}}
	if votes := agree + disagree; votes > 0 {
		p.Table.Rows = append(p.Table.Rows,
			[]Cell{text(v.T("dash.col.agree")), count(agree), share(float64(agree) / float64(votes))},
			[]Cell{text(v.T("dash.col.disagree")), count(disagree), share(float64(disagree) / float64(votes))})
		p.Summary = append(p.Summary, v.T("dash.sum.theme_votes", v.N(comments)))
	}
	if supports > 0 {
		p.Table.Rows = append(p.Table.Rows, []Cell{text(v.T("dash.col.supports")), count(supports), nullCell()})
		p.Summary = append(p.Summary, v.T("dash.sum.theme_supports", v.N(proposals)))
	}
	if len(p.Table.Rows) == 0 {
		return nil, nil
	}
	return p, nil
}
