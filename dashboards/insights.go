package dashboards

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Insights shows what package insights found in the texts: themes (with a
// drill-down), form-letter campaigns and the opinion groups of each
// conversation.
var Insights = &Dashboard{
	Name: "insights", Title: "Themes, campaigns and opinions", Audience: "analysts",
	Panels: []*Panel{
		{Name: "themes", Title: "Themes", ChartKind: "bar", Publishable: true, build: buildThemes,
			Queries: []string{"insight-counting", "insight-themes", "insight-theme-counts", "regions"},
			Live:    []string{"proposal.created", "comment.created", "survey.completed", "contribution.hidden"}},
		{Name: "theme-detail", Title: "Theme", ChartKind: "table", build: buildThemeDetail,
			Queries: []string{"insight-counting", "insight-themes", "insight-theme", "insight-theme-counts", "insight-theme-reps", "insight-theme-stance", "regions"},
			Live:    []string{"proposal.created", "comment.created", "comment.voted", "support.added", "survey.completed", "contribution.hidden"}},
		{Name: "campaigns", Title: "Campaigns (form letters)", ChartKind: "bar", Publishable: true, build: buildCampaigns,
			Queries: []string{"insight-counting", "insight-campaigns", "regions"},
			Live:    []string{"proposal.created", "comment.created", "survey.completed", "contribution.hidden"}},
		{Name: "opinion-map", Title: "Opinion groups", ChartKind: "scatter", Publishable: true, build: buildOpinionMap,
			Queries: []string{"insight-opinion-run", "insight-opinion-points", "insight-opinion-groups", "insight-opinion-repness", "insight-opinion-consensus"},
			Live:    []string{"comment.voted", "support.added"}},
	},
}

// ErrInvalid: a request the dashboards refuse as it stands (an empty theme
// label, a theme merged into itself); its message is fit for the user.
var ErrInvalid = errors.New("dashboards: invalid")

// ThemeEditor applies officials' decisions on themes; package insights
// implements it (it owns theme_edits and re-applies them after every fit).
// Errors must wrap ErrNotFound for an unknown theme and ErrInvalid for an
// edit that cannot be made (the page shows the message); anything else is
// a failure.
type ThemeEditor interface {
	RenameTheme(ctx context.Context, process int64, themeID int64, label string, staffID int64) error
	MergeThemes(ctx context.Context, process int64, themeID, intoID int64, staffID int64) error
	SplitTheme(ctx context.Context, process int64, themeID int64, staffID int64) error
}

// SetThemeEditor enables theme edits; without one the pages offer none.
func (d *Dashboards) SetThemeEditor(e ThemeEditor) {
	d.mu.Lock()
	d.editor = e
	d.mu.Unlock()
}

func (d *Dashboards) themeEditor() ThemeEditor {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.editor
}

// CanEditThemes reports whether a theme editor is set.
func (d *Dashboards) CanEditThemes() bool { return d.themeEditor() != nil }

// MaxThemeLabel bounds a theme's name (in characters): it heads a table
// row and a chart bar.
const MaxThemeLabel = 80

// RenameTheme checks the label and the theme, then has the editor rename it.
func (d *Dashboards) RenameTheme(ctx context.Context, process, theme int64, label string, staffID int64) error {
	label = strings.TrimSpace(label)
	switch {
	case label == "":
		return fmt.Errorf("%w: a theme needs a name", ErrInvalid)
	case utf8.RuneCountInString(label) > MaxThemeLabel:
		return fmt.Errorf("%w: a theme's name has at most %d characters", ErrInvalid, MaxThemeLabel)
	case strings.ContainsFunc(label, unicode.IsControl) || !utf8.ValidString(label):
		return fmt.Errorf("%w: a theme's name is one line of text", ErrInvalid)
	}
	e, err := d.editable(ctx, process, theme)
	if err != nil {
		return err
	}
	return e.RenameTheme(ctx, process, theme, label, staffID)
}

// MergeThemes folds theme into another shown theme of the same scope.
func (d *Dashboards) MergeThemes(ctx context.Context, process, theme, into int64, staffID int64) error {
	if theme == into {
		return fmt.Errorf("%w: a theme cannot be merged into itself", ErrInvalid)
	}
	e, err := d.editable(ctx, process, theme)
	if err != nil {
		return err
	}
	a, _ := d.themeScope(ctx, process, theme)
	b, err := d.themeScope(ctx, process, into)
	if errors.Is(err, ErrNotFound) || (err == nil && (b.merged != 0 || b.scope != a.scope)) {
		return fmt.Errorf("%w: choose another theme of the same list to merge into", ErrInvalid)
	}
	if err != nil {
		return err
	}
	return e.MergeThemes(ctx, process, theme, into, staffID)
}

// SplitTheme has the editor split a shown theme in two.
func (d *Dashboards) SplitTheme(ctx context.Context, process, theme int64, staffID int64) error {
	e, err := d.editable(ctx, process, theme)
	if err != nil {
		return err
	}
	return e.SplitTheme(ctx, process, theme, staffID)
}

type themeRow struct {
	scope  Scope
	merged int64
}

func (d *Dashboards) themeScope(ctx context.Context, process, theme int64) (themeRow, error) {
	var t themeRow
	err := d.queryRow(ctx, "insight-theme-any", map[string]any{"process": process, "theme": theme}).Scan(&t.scope.Kind, &t.scope.ID, &t.merged)
	if errors.Is(err, sql.ErrNoRows) {
		return t, fmt.Errorf("%w: no theme %d", ErrNotFound, theme)
	}
	if err != nil {
		return t, fmt.Errorf("dashboards: unable to read theme %d: %w", theme, err)
	}
	return t, nil
}

// editable returns the editor once the theme is known and still shown.
func (d *Dashboards) editable(ctx context.Context, process, theme int64) (ThemeEditor, error) {
	e := d.themeEditor()
	if e == nil {
		return nil, fmt.Errorf("%w: theme editing is not available", ErrNotFound)
	}
	t, err := d.themeScope(ctx, process, theme)
	if err != nil {
		return nil, err
	}
	if t.merged != 0 {
		return nil, fmt.Errorf("%w: this theme was merged into theme %d; edit that one", ErrInvalid, t.merged)
	}
	return e, nil
}

// CountOnce reports the process's campaign counting: true when each
// campaign counts once (its template), false when every copy counts.
func (d *Dashboards) CountOnce(ctx context.Context, process int64) (bool, error) {
	var once bool
	if err := d.queryRow(ctx, "insight-counting", map[string]any{"process": process}).Scan(&once); err != nil {
		return false, fmt.Errorf("dashboards: unable to read campaign counting of process %d: %w", process, err)
	}
	return once, nil
}

// SetCountOnce records the official's choice; one row per process, replaced
// in one transaction so a reader never sees none.
func (d *Dashboards) SetCountOnce(ctx context.Context, process int64, once bool) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("dashboards: unable to set campaign counting: %w", err)
	}
	defer tx.Rollback()
	for _, st := range []struct {
		name string
		vals map[string]any
	}{
		{"insight-counting-clear", map[string]any{"process": process}},
		{"insight-counting-set", map[string]any{"process": process, "count_once": once, "now": d.now().UTC()}},
	} {
		args, err := d.q.Args(st.name, st.vals)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, d.q.SQL(st.name), args...); err != nil {
			return fmt.Errorf("dashboards: unable to set campaign counting: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("dashboards: unable to set campaign counting: %w", err)
	}
	return nil
}

const countOnceNote = "Campaigns count once: copies of a form letter other than its template are left out."

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

func (s Scope) describe() string {
	switch s.Kind {
	case "section":
		return "the comments on this section"
	case "question":
		return "the answers to this question"
	case "component":
		return "this component's texts"
	}
	return "every text of the process"
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
	return p, ts, "No themes for " + s.describe() + " yet; showing the themes of the whole process.", err
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

func (d *Dashboards) regionNames(ctx context.Context, process int64) (map[string]string, error) {
	names := map[string]string{}
	err := d.each(ctx, "regions", map[string]any{"process": process}, func(r *sql.Rows) error {
		var code, name string
		var pop int64
		if err := r.Scan(&code, &name, &pop); err != nil {
			return err
		}
		names[code] = name
		return nil
	})
	return names, err
}

func regionName(names map[string]string, code string) string {
	if n, ok := names[code]; ok {
		return n
	}
	if code == "" {
		return "unknown"
	}
	return code
}

// days lays the view's range out in local days: a theme's trend reads by
// day whatever the page's grain.
func days(v View) *Buckets { return NewBuckets("day", v.P.TimeZone, v.From, v.To) }

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
	if note != "" {
		r.Warnings = append(r.Warnings, note)
	}
	if once {
		r.Warnings = append(r.Warnings, countOnceNote)
	}
	if len(themes) == 0 {
		r.Summary = append(r.Summary, "No themes yet: they appear once enough texts have come in and the insights job has run.")
		return r, nil
	}
	c, err := d.countThemes(ctx, v, s, 0, once)
	if err != nil {
		return nil, err
	}
	names, err := d.regionNames(ctx, v.P.ID)
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
	t := Table{Columns: []Column{{Label: "Theme", Kind: Text}, {Label: "Texts", Kind: Count}, {Label: "Share", Kind: Derived, Unit: "%"},
		{Label: "Per day", Kind: Derived}, {Label: "Top region", Kind: Derived}}}
	for _, th := range themes {
		n := c.size[th.ID]
		sh := nullCell()
		if total > 0 {
			sh = share(float64(n) / float64(total))
		}
		top := "–"
		if rs := c.regionsByCount(th.ID); len(rs) > 0 {
			top = regionName(names, rs[0])
		}
		t.Rows = append(t.Rows, []Cell{text(th.Label), count(n), sh, text(sparkline(b.Fill(c.points[th.ID]))), text(top)})
	}
	r.Table, r.Themes = t, themes
	r.Summary = append(r.Summary, fmt.Sprintf("%s over %s texts (%s); per day from %s to %s.", plural(len(themes), "theme"), thousands(total), s.describe(),
		b.Labels()[0], b.Labels()[b.Len()-1]))
	if len(themes) > chartBars {
		r.Summary = append(r.Summary, fmt.Sprintf("The chart shows the %d largest; the table lists them all.", chartBars))
	}
	r.chart = func(t *Table) *Chart { return largestBars(t, 1, "Texts") }
	return r, nil
}

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
	names, err := d.regionNames(ctx, v.P.ID)
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
		r.Table.Rows = append(r.Table.Rows, []Cell{num(float64(rank)), text(strings.TrimSpace(body)), text(kind), text(regionName(names, region)),
			text(at.In(v.P.TimeZone).Format("Jan 2 15:04"))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Parts = append(r.Parts, themeRegions(c, th.ID, names), themeDays(c, th.ID, v))
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

func themeRegions(c *themeCounts, id int64, names map[string]string) *Result {
	p := &Result{Title: "By region", Table: Table{Columns: []Column{{Label: "Region", Kind: Text}, {Label: "Texts", Kind: Count},
		{Label: "Share", Kind: Derived, Unit: "%"}}}}
	size := c.size[id]
	for _, code := range c.regionsByCount(id) {
		n := c.regions[id][code]
		p.Table.Rows = append(p.Table.Rows, []Cell{text(regionName(names, code)), count(n), share(float64(n) / float64(size))})
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

// campaignRegion is one entry of campaigns.regions.
type campaignRegion struct {
	Region string `json:"region"`
	Copies int64  `json:"copies"`
}

// templateShown bounds the template in a table cell; the CSV has the same.
const templateShown = 280

func buildCampaigns(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	once, err := d.CountOnce(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	names, err := d.regionNames(ctx, v.P.ID)
	if err != nil {
		return nil, err
	}
	// Top regions is Derived and names no counts: a region's copies may be
	// fewer than five when the campaign's are not.
	t := Table{Columns: []Column{{Label: "Template", Kind: Text}, {Label: "Copies", Kind: Count}, {Label: "Exact copies", Kind: Count},
		{Label: "First seen", Kind: Text}, {Label: "Last seen", Kind: Text}, {Label: "Peak per hour", Kind: Count}, {Label: "Top regions", Kind: Derived}}}
	var copies int64
	err = d.each(ctx, "insight-campaigns", map[string]any{"process": v.P.ID}, func(r *sql.Rows) error {
		var id, n, exact, peak int64
		var tmpl, regions string
		var hidden bool
		var first, last time.Time
		if err := r.Scan(&id, &tmpl, &hidden, &n, &exact, &first, &last, &peak, &regions); err != nil {
			return err
		}
		if hidden {
			tmpl = "(template hidden by moderation)"
		}
		copies += n
		t.Rows = append(t.Rows, []Cell{text(shorten(tmpl, templateShown)), count(n), count(exact),
			text(first.In(v.P.TimeZone).Format("Jan 2 15:04")), text(last.In(v.P.TimeZone).Format("Jan 2 15:04")), count(peak),
			text(topRegions(regions, names, 3))})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t}
	mode := "every copy counts in the other panels"
	if once {
		mode = "each campaign counts once in the other panels"
		r.Warnings = append(r.Warnings, countOnceNote)
	}
	if len(t.Rows) == 0 {
		r.Summary = append(r.Summary, "No campaigns found: no text was sent in many near-identical copies.", "Counting: "+mode+".")
		return r, nil
	}
	r.Summary = append(r.Summary, fmt.Sprintf("%s, %s copies in all; counting: %s.", plural(len(t.Rows), "campaign"), thousands(copies), mode))
	r.chart = func(t *Table) *Chart { return largestBars(t, 1, "Copies") }
	return r, nil
}

func topRegions(js string, names map[string]string, n int) string {
	var rs []campaignRegion
	if json.Unmarshal([]byte(js), &rs) != nil || len(rs) == 0 {
		return "–"
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Copies > rs[j].Copies })
	var out []string
	for _, x := range rs[:min(n, len(rs))] {
		out = append(out, regionName(names, x.Region))
	}
	return strings.Join(out, ", ")
}

// shorten cuts s to n characters on a word boundary where it can.
func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)[:n]
	if i := strings.LastIndexByte(string(rs), ' '); i > len(string(rs))/2 {
		return string(rs)[:i] + "…"
	}
	return string(rs) + "…"
}

func buildOpinionMap(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	var convs []Component
	for _, c := range v.P.Components {
		if (c.Kind == "document" || c.Kind == "proposals") && (v.Component == 0 || v.Component == c.ID) {
			convs = append(convs, c)
		}
	}
	if len(convs) == 0 {
		return &Result{Warnings: []string{"Not enough votes yet: the process has no document or proposals to vote on."}}, nil
	}
	if len(convs) == 1 {
		return d.conversation(ctx, v, convs[0])
	}
	r := &Result{}
	for _, c := range convs {
		p, err := d.conversation(ctx, v, c)
		if err != nil {
			return nil, err
		}
		r.Parts = append(r.Parts, p)
	}
	return r, nil
}

// groupName names group 0 "A", 1 "B", …
func groupName(g int32) string {
	if g < 0 {
		return "Not grouped (too few votes)"
	}
	if g < 26 {
		return "Group " + string(rune('A'+g))
	}
	return fmt.Sprintf("Group %d", g+1)
}

// conversation is one component's opinion map: the groups (a scatter of
// positions, never names or pseudonyms), each group's representative
// comments and the comments most agree on.
func (d *Dashboards) conversation(ctx context.Context, v View, c Component) (*Result, error) {
	r := &Result{Title: "Opinion groups: " + c.Title}
	what := "comments"
	if c.Kind == "proposals" {
		what = "proposals"
	}
	base := map[string]any{"process": v.P.ID, "component": c.ID}
	var run, participants, clustered, items int64
	var k int32
	var at time.Time
	err := d.queryRow(ctx, "insight-opinion-run", base).Scan(&run, &participants, &clustered, &items, &k, &at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && k == 0) {
		r.Warnings = append(r.Warnings, "Not enough votes yet to find opinion groups.")
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dashboards: unable to read the opinion run of component %d: %w", c.ID, err)
	}
	args := map[string]any{"process": v.P.ID, "component": c.ID, "run": run}
	r.Summary = append(r.Summary, fmt.Sprintf("%s participants voted on %s %s; %s of them voted enough to be placed, in %d groups (as of %s).",
		thousands(participants), thousands(items), what, thousands(clustered), k, at.In(v.P.TimeZone).Format("Jan 2 15:04")))

	sets := map[int32]*PointSet{}
	var order []int32
	err = d.each(ctx, "insight-opinion-points", args, func(rows *sql.Rows) error {
		var g int32
		var x, y float64
		if err := rows.Scan(&g, &x, &y); err != nil {
			return err
		}
		if sets[g] == nil {
			sets[g] = &PointSet{Name: groupName(g)}
			if g < 0 {
				sets[g].Color = "#bbbbbb"
			}
			order = append(order, g)
		}
		sets[g].Points = append(sets[g].Points, [2]float64{x, y})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Table = Table{Columns: []Column{{Label: "Group", Kind: Text}, {Label: "Members", Kind: Count}, {Label: "Share of those placed", Kind: Derived, Unit: "%"}}}
	err = d.each(ctx, "insight-opinion-groups", args, func(rows *sql.Rows) error {
		var g int32
		var n int64
		if err := rows.Scan(&g, &n); err != nil {
			return err
		}
		sh := nullCell()
		if clustered > 0 {
			sh = share(float64(n) / float64(clustered))
		}
		r.Table.Rows = append(r.Table.Rows, []Cell{text(groupName(g)), count(n), sh})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.chart = func(*Table) *Chart {
		// Grouped people first (ECharts' palette in group order), the
		// ungrouped in grey last.
		sort.Slice(order, func(i, j int) bool {
			a, b := order[i], order[j]
			if (a < 0) != (b < 0) {
				return b < 0
			}
			return a < b
		})
		var ss []PointSet
		for _, g := range order {
			ss = append(ss, *sets[g])
		}
		ch := ScatterChart(ss)
		return &ch
	}
	reps, err := d.repness(ctx, args, what)
	if err != nil {
		return nil, err
	}
	r.Parts = append(r.Parts, reps...)
	cons, err := d.consensus(ctx, args, what)
	if err != nil {
		return nil, err
	}
	if cons != nil {
		r.Parts = append(r.Parts, cons)
	}
	return r, nil
}

func (d *Dashboards) repness(ctx context.Context, args map[string]any, what string) ([]*Result, error) {
	var out []*Result
	byGroup := map[int32]*Result{}
	err := d.each(ctx, "insight-opinion-repness", args, func(rows *sql.Rows) error {
		var g, rank int32
		var body, stance string
		var succ, trials int64
		if err := rows.Scan(&g, &rank, &body, &stance, &succ, &trials); err != nil {
			return err
		}
		p := byGroup[g]
		if p == nil {
			p = &Result{Title: groupName(g) + ": what sets it apart", Table: Table{Columns: []Column{
				{Label: strings.ToUpper(what[:1]) + what[1:len(what)-1], Kind: Text}, {Label: "Than the others, the group", Kind: Text},
				{Label: "Share of the group", Kind: Derived, Unit: "%"}, {Label: "Voted", Kind: Count}}}}
			byGroup[g] = p
			out = append(out, p)
		}
		sh := nullCell()
		if trials > 0 {
			sh = share(float64(succ) / float64(trials))
		}
		// Representative means "more than the rest", not "mostly": with
		// sparse supports a group may stand out at a low share.
		verb := "agrees more"
		if stance == "disagree" {
			verb = "disagrees more"
		}
		p.Table.Rows = append(p.Table.Rows, []Cell{text(strings.TrimSpace(body)), text(verb), sh, count(trials)})
		return nil
	})
	return out, err
}

func (d *Dashboards) consensus(ctx context.Context, args map[string]any, what string) (*Result, error) {
	p := &Result{Title: "Common ground: " + what + " most agree (or disagree) on", Table: Table{Columns: []Column{
		{Label: strings.ToUpper(what[:1]) + what[1:len(what)-1], Kind: Text}, {Label: "Kind", Kind: Text}, {Label: "Score", Kind: Number}}}}
	kinds := map[string]string{"agree": "most agree", "disagree": "most disagree", "group-informed": "agreed across groups"}
	err := d.each(ctx, "insight-opinion-consensus", args, func(rows *sql.Rows) error {
		var kind, body string
		var rank int32
		var score float64
		if err := rows.Scan(&kind, &rank, &body, &score); err != nil {
			return err
		}
		if k, ok := kinds[kind]; ok {
			kind = k
		}
		p.Table.Rows = append(p.Table.Rows, []Cell{text(strings.TrimSpace(body)), text(kind), num(score)})
		return nil
	})
	if err != nil || len(p.Table.Rows) == 0 {
		return nil, err
	}
	return p, nil
}

// chartBars is the most bars a themes or campaigns chart draws: more crowd
// their labels, and the table lists them all.
const chartBars = 15

// largestBars draws a table sorted largest first (labels in column 0, sizes
// in column col) as horizontal bars. ECharts puts a horizontal chart's first
// category at the bottom; reversed, the largest is on top.
func largestBars(t *Table, col int, series string) *Chart {
	labels, vals := t.labels(0), t.column(col)
	if len(labels) > chartBars {
		labels, vals = labels[:chartBars], vals[:chartBars]
	}
	for i := range labels {
		labels[i] = shorten(labels[i], 40)
	}
	slices.Reverse(labels)
	slices.Reverse(vals)
	ch := BarChart(labels, []Series{{Name: series, Values: vals}}, true)
	return &ch
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return thousands(int64(n)) + " " + noun + "s"
}
