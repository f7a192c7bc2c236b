package dashboards

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strings"
	"time"
)

// Scope is the set of texts a theme model covers (see 004_insights.sql).
type Scope struct {
	Kind string // process, component, section, question
	ID   int64
}

// ThemeRef is a theme as listed.
type ThemeRef struct {
	ID      int64
	Label   string
	Terms   string
	Renamed bool
	Parent  int64
	Scope   Scope
}

// scopeOf maps the view's narrowest choice to a theme scope.
func scopeOf(v View) Scope {
	switch {
	case v.Section != 0:
		return Scope{"section", v.Section}
	case v.Question != 0:
		return Scope{"question", v.Question}
	case v.Component != 0:
		return Scope{"component", v.Component}
	}
	return Scope{"process", 0}
}

func (s Scope) describe(v View) string {
	switch s.Kind {
	case "section", "question", "component":
		return v.T("dash.scope.of." + s.Kind)
	}
	return v.T("dash.scope.of.process")
}

func (d *Dashboards) listThemes(ctx context.Context, process int64, s Scope) ([]ThemeRef, error) {
	var out []ThemeRef
	err := d.each(ctx, "insight-themes", map[string]any{"process": process, "scope": s.Kind, "scope_id": s.ID}, func(r *sql.Rows) error {
		t := ThemeRef{Scope: s}
		if err := r.Scan(&t.ID, &t.Label, &t.Terms, &t.Renamed, &t.Parent); err != nil {
			return err
		}
		out = append(out, t)
		return nil
	})
	return out, err
}

// themesOf lists the themes of the view's scope; a narrower scope without
// themes falls back to the whole process's, with a note saying so.
func (d *Dashboards) themesOf(ctx context.Context, v View) (Scope, []ThemeRef, string, error) {
	s := scopeOf(v)
	ts, err := d.listThemes(ctx, v.P.ID, s)
	if err != nil || len(ts) > 0 || s.Kind == "process" {
		return s, ts, "", err
	}
	p := Scope{"process", 0}
	ts, err = d.listThemes(ctx, v.P.ID, p)
	return p, ts, v.T("dash.warn.no_scope_themes", s.describe(v)), err
}

// themeCounts are a scope's members summed per theme, region and UTC hour.
type themeCounts struct {
	size     map[int64]int64
	regions  map[int64]map[string]int64
	points   map[int64][]Point
	regionNo map[string]int // first-seen order, for stable ties
}

func (d *Dashboards) countThemes(ctx context.Context, v View, s Scope, theme int64, once bool) (*themeCounts, error) {
	c := &themeCounts{size: map[int64]int64{}, regions: map[int64]map[string]int64{}, points: map[int64][]Point{}, regionNo: map[string]int{}}
	args := map[string]any{"process": v.P.ID, "scope": s.Kind, "scope_id": s.ID, "theme": theme, "region": v.Region, "count_once": once}
	err := d.each(ctx, "insight-theme-counts", args, func(r *sql.Rows) error {
		var id, n int64
		var region string
		var at time.Time
		if err := r.Scan(&id, &region, &at, &n); err != nil {
			return err
		}
		c.size[id] += n
		if c.regions[id] == nil {
			c.regions[id] = map[string]int64{}
		}
		c.regions[id][region] += n
		if _, ok := c.regionNo[region]; !ok {
			c.regionNo[region] = len(c.regionNo)
		}
		c.points[id] = append(c.points[id], Point{At: at.UTC(), N: n})
		return nil
	})
	return c, err
}

// regionsByCount orders a theme's regions, most texts first.
func (c *themeCounts) regionsByCount(id int64) []string {
	var out []string
	for code := range c.regions[id] {
		out = append(out, code)
	}
	m := c.regions[id]
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

// days lays the view's range out in local days: a theme's trend reads by
// day whatever the page's grain.
func days(v View) *Buckets {
	b := NewBuckets("day", v.P.TimeZone, v.From, v.To)
	b.L = v.L
	return b
}

// sparkMax is the longest trend shown in a table cell; longer ranges fold
// neighbouring days together.
const sparkMax = 28

// sparkline draws counts as block characters (a trend in a table cell);
// zero is the lowest block, so a quiet day is still a mark.
func sparkline(vals []int64) string {
	if len(vals) > sparkMax {
		per := (len(vals) + sparkMax - 1) / sparkMax
		var folded []int64
		for i := 0; i < len(vals); i += per {
			var s int64
			for _, x := range vals[i:min(i+per, len(vals))] {
				s += x
			}
			folded = append(folded, s)
		}
		vals = folded
	}
	const blocks = "▁▂▃▄▅▆▇█"
	steps := []rune(blocks)
	var hi int64
	for _, x := range vals {
		hi = max(hi, x)
	}
	var b strings.Builder
	for _, x := range vals {
		i := 0
		if hi > 0 && x > 0 {
			i = 1 + int(math.Round(float64(x)/float64(hi)*float64(len(steps)-2)))
		}
		b.WriteRune(steps[min(i, len(steps)-1)])
	}
	return b.String()
}

func buildThemes(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	once, err := d.CountOnce(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	s, themes, note, err := d.themesOf(ctx, v)
	if err != nil {
		return nil, err
	}
	r := &Result{}
	pick, err := d.scopePicker(ctx, v, s)
	if err != nil {
		return nil, err
	}
	r.Pickers = []Picker{pick}
	if note != "" {
		r.Warnings = append(r.Warnings, note)
	}
	if once {
		r.Warnings = append(r.Warnings, countOnceNote(v))
	}
	if len(themes) == 0 {
		r.Summary = append(r.Summary, v.T("dash.sum.no_themes"))
		return r, nil
	}
	c, err := d.countThemes(ctx, v, s, 0, once)
	if err != nil {
		return nil, err
	}
	// Sizes come from the members as counted now (hidden texts and, with
	// count-once, campaign copies left out), so order by them.
	sort.SliceStable(themes, func(i, j int) bool { return c.size[themes[i].ID] > c.size[themes[j].ID] })
	var total int64
	for _, t := range themes {
		total += c.size[t.ID]
	}
	b := days(v)
	// Trend and top region are Derived: on a public page a theme of fewer
	// than five texts shows neither, as its per-day marks or its region
	// would point at the few people who wrote it.
	t := Table{Columns: []Column{{Label: v.T("dash.col.theme"), Kind: Text}, {Label: v.T("dash.col.texts"), Kind: Count}, {Label: v.T("dash.col.share"), Kind: Derived, Unit: "%"},
		{Label: v.T("dash.col.per_day"), Kind: Derived}, {Label: v.T("dash.col.top_region"), Kind: Derived}}}
	for _, th := range themes {
		n := c.size[th.ID]
		sh := nullCell()
		if total > 0 {
			sh = share(float64(n) / float64(total))
		}
		// A public page names the top region only when five or more of
		// the theme's texts come from it.
		top, publicTop := "–", "–"
		if rs := c.regionsByCount(th.ID); len(rs) > 0 {
			top = v.P.RegionName(v.L, rs[0])
			if c.regions[th.ID][rs[0]] >= SmallCell {
				publicTop = top
			}
		}
		t.Rows = append(t.Rows, []Cell{text(th.Label), count(n), sh, text(sparkline(b.Fill(c.points[th.ID]))), publicText(top, publicTop)})
	}
	t.SharesOf(1, float64(total))
	r.Table, r.Themes = t, themes
	key := "dash.sum.themes"
	if len(themes) == 1 {
		key = "dash.sum.themes_one"
	}
	r.Summary = append(r.Summary, v.T(key, v.N(int64(len(themes))), v.N(total), s.describe(v), b.Labels()[0], b.Labels()[b.Len()-1]))
	if len(themes) > chartBars {
		r.Summary = append(r.Summary, v.T("dash.sum.chart_largest", chartBars))
	}
	r.chart = func(t *Table) *Chart { return largestBars(t, 1, v.T("dash.col.texts")) }
	return r, nil
}
