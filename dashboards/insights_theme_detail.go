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
		r.Summary = append(r.Summary, "Choose a theme in the themes table.")
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
	th, merged, err := d.shownTheme(ctx, v.P.ID, s, v.Theme)
	if err != nil {
		return nil, err
	}
	if merged != "" {
		r.Warnings = append(r.Warnings, merged)
	}
	if once {
		r.Warnings = append(r.Warnings, countOnceNote)
	}
	r.Title = "Theme: " + th.Label
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
	line := fmt.Sprintf("%s texts", thousands(size))
	if th.Terms != "" {
		line += "; terms: " + th.Terms
	}
	if th.Parent != 0 {
		line += fmt.Sprintf("; split from theme %d", th.Parent)
	}
	r.Summary = append(r.Summary, line+".")

	// The table: representative texts, nearest the theme's centre first.
	// text_items joins a comment's body and proposed text with a newline
	// that trim() keeps when the proposed text is empty; TrimSpace drops it.
	r.Table = Table{Columns: []Column{{Label: "Rank", Kind: Number}, {Label: "Text", Kind: Text}, {Label: "Kind", Kind: Text},
		{Label: "Region", Kind: Text}, {Label: "When", Kind: Text}}}
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
		r.Table.Rows = append(r.Table.Rows, []Cell{num(float64(rank)), text(strings.TrimSpace(body)), text(kind), text(v.P.RegionName(v.L, region)),
			text(at.In(v.P.TimeZone).Format("Jan 2 15:04"))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Parts = append(r.Parts, themeRegions(v, c, th.ID), themeDays(c, th.ID, v))
	st, err := d.themeStance(ctx, args)
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
func (d *Dashboards) shownTheme(ctx context.Context, process int64, s Scope, id int64) (ThemeRef, string, error) {
	note := ""
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
			note = fmt.Sprintf("“%s” was merged into another theme; showing that one.", t.Label)
		}
		id = into
	}
	return ThemeRef{}, "", fmt.Errorf("%w: theme %d is merged in a loop", ErrNotFound, id)
}

func themeRegions(v View, c *themeCounts, id int64) *Result {
	p := &Result{Title: "By region", Table: Table{Columns: []Column{{Label: "Region", Kind: Text}, {Label: "Texts", Kind: Count},
		{Label: "Share", Kind: Derived, Unit: "%"}}}}
	size := c.size[id]
	for _, code := range c.regionsByCount(id) {
		n := c.regions[id][code]
		p.Table.Rows = append(p.Table.Rows, []Cell{text(v.P.RegionName(v.L, code)), count(n), share(float64(n) / float64(size))})
	}
	p.chart = func(t *Table) *Chart {
		ch := BarChart(t.labels(0), []Series{{Name: "Texts", Values: t.column(1)}}, false)
		return &ch
	}
	return p
}

func themeDays(c *themeCounts, id int64, v View) *Result {
	b := days(v)
	vals := b.Fill(c.points[id])
	p := &Result{Title: "Per day", Table: Table{Columns: []Column{{Label: "Day", Kind: Text}, {Label: "Texts", Kind: Count}}}}
	for i, l := range b.Labels() {
		p.Table.Rows = append(p.Table.Rows, []Cell{text(l), count(vals[i])})
	}
	p.chart = func(t *Table) *Chart {
		ch := LineChart(t.labels(0), []Series{{Name: "Texts", Values: t.column(1)}})
		return &ch
	}
	return p
}

// themeStance is the votes on the theme's comments and the supports of its
// proposals; nil when there are none to show.
func (d *Dashboards) themeStance(ctx context.Context, args map[string]any) (*Result, error) {
	var agree, disagree, supports, comments, proposals int64
	if err := d.queryRow(ctx, "insight-theme-stance", args).Scan(&agree, &disagree, &supports, &comments, &proposals); err != nil {
		return nil, fmt.Errorf("dashboards: unable to read a theme's stance: %w", err)
	}
	p := &Result{Title: "Stance", Table: Table{Columns: []Column{{Label: "Stance", Kind: Text}, {Label: "Count", Kind: Count},
		{Label: "Share of votes", Kind: Derived, Unit: "%"}}}}
	if votes := agree + disagree; votes > 0 {
		p.Table.Rows = append(p.Table.Rows,
			[]Cell{text("Agree"), count(agree), share(float64(agree) / float64(votes))},
			[]Cell{text("Disagree"), count(disagree), share(float64(disagree) / float64(votes))})
		p.Summary = append(p.Summary, fmt.Sprintf("Votes on the theme's %s comments.", thousands(comments)))
	}
	if supports > 0 {
		p.Table.Rows = append(p.Table.Rows, []Cell{text("Supports"), count(supports), nullCell()})
		p.Summary = append(p.Summary, fmt.Sprintf("Supports of the theme's %s proposals.", thousands(proposals)))
	}
	if len(p.Table.Rows) == 0 {
		return nil, nil
	}
	return p, nil
}
