package dashboards

import (
	"context"
	"fmt"
)

// Panel is one chart and its table: the queries it runs, what changes it
// (for the live monitor) and whether an official may publish it.
type Panel struct {
	Name        string
	Title       string
	Queries     []string // named queries in package queries
	ChartKind   string   // line, bar, map, funnel, geo, table
	Live        []string // event types whose arrival changes it; "*" any
	Publishable bool     // an official may put it on the public results page

	build func(ctx context.Context, d *Dashboards, v View) (*Result, error)
}

// Result is a panel's output: headline figures, the table, and the chart
// drawn from that table (after suppression on public pages).
type Result struct {
	Panel    *Panel
	Title    string // for parts (a survey question), else the panel's
	Summary  []string
	Warnings []string
	Table    Table
	Chart    *Chart
	Parts    []*Result // e.g. one per survey question
	// Sections holds, for the document overview, the section id of each
	// row, so the page can link a row to its comments.
	Sections []int64
	// Themes holds, for the themes panel, the theme of each row (the page
	// links it to its drill-down); for the drill-down, the theme shown
	// first and then the other themes of its scope (an official may merge
	// it into one of them).
	Themes []ThemeRef
	// Pickers are the panel's own choices (see Picker).
	Pickers []Picker
	// Total is how many rows the panel has when its table shows fewer
	// (the page's cap); 0 when the table is whole.
	Total int64

	chart func(t *Table) *Chart
	// publicSummary, when set, gives the headline figures a public page
	// may show, read from the table once suppressed (feedback.go); a
	// panel without it shows none there.
	publicSummary func(t *Table) []string
}

// Dashboard is a list of panels for one audience.
type Dashboard struct {
	Name     string
	Title    string
	Audience string // officials, analysts, public
	Needs    string // the component kind it reads ("" for none): a process without one has no such dashboard
	Panels   []*Panel
}

// For reports whether the process has what the dashboard reads.
func (d *Dashboard) For(p *Process) bool { return d.Needs == "" || p.Has(d.Needs) }

// Panel finds a panel by name.
func (d *Dashboard) Panel(name string) *Panel {
	for _, p := range d.Panels {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// All lists every dashboard.
func All() []*Dashboard { return []*Dashboard{Monitor, Survey, Document, Proposals, Insights} }

// Find returns a dashboard by name.
func Find(name string) *Dashboard {
	for _, d := range All() {
		if d.Name == name {
			return d
		}
	}
	return nil
}

// FindPanel looks a panel up across dashboards.
func FindPanel(name string) *Panel {
	for _, d := range All() {
		if p := d.Panel(name); p != nil {
			return p
		}
	}
	return nil
}

// Run builds a panel for a process and filter, for staff.
func (d *Dashboards) Run(ctx context.Context, p *Panel, f Filter) (*Result, error) {
	proc, err := d.Process(ctx, f.Process)
	if err != nil {
		return nil, err
	}
	return d.RunView(ctx, p, d.Resolve(proc, f))
}

// RunView builds a panel for an already resolved view; a filter the
// process cannot have (a region not its own) is refused.
func (d *Dashboards) RunView(ctx context.Context, p *Panel, v View) (*Result, error) {
	if err := v.Check(); err != nil {
		return nil, err
	}
	r, err := p.build(ctx, d, v)
	if err != nil {
		return nil, fmt.Errorf("dashboards: panel %s: %w", p.Name, err)
	}
	r.finish(p, v)
	return r, nil
}

// RunPublic builds a panel for the public results page: every count under
// five (and what is derived from it) shows as "<5", in the table and the
// chart alike.
func (d *Dashboards) RunPublic(ctx context.Context, p *Panel, v View) (*Result, error) {
	r, err := p.build(ctx, d, v)
	if err != nil {
		return nil, fmt.Errorf("dashboards: panel %s: %w", p.Name, err)
	}
	r.suppress()
	r.finish(p, v)
	return r, nil
}

func (r *Result) suppress() {
	// A public page says nothing of rows it does not show: how many there
	// are is a figure no suppression went through.
	r.Total = 0
	r.Table.Suppress()
	r.Summary = nil // headline figures are not broken down; keep public pages to suppressed tables
	if r.publicSummary != nil {
		r.Summary = r.publicSummary(&r.Table)
	}
	for _, p := range r.Parts {
		p.suppress()
	}
}

func (r *Result) finish(p *Panel, v View) {
	r.Panel = p
	if r.Title == "" {
		r.Title = p.TitleIn(v.loc())
	}
	r.Table.num = printer(v.loc())
	if r.chart != nil && len(r.Table.Rows) > 0 {
		r.Chart = r.chart(&r.Table)
	}
	for _, part := range r.Parts {
		part.finish(p, v)
	}
}

// shortened records the panel's row count when its table stops short of
// it.
func (r *Result) shortened(total int64) {
	if total > int64(len(r.Table.Rows)) {
		r.Total = total
	}
}

// ShortNote says, in l's language, that the table is shortened ("Showing
// 20 of 1,234"); "" when it is whole.
func (r *Result) ShortNote(l Localizer) string {
	if r.Total == 0 {
		return ""
	}
	if l == nil {
		l = Messages("en")
	}
	p := printer(l)
	return l.T("dash.page.shortened", p.Sprintf("%d", len(r.Table.Rows)), p.Sprintf("%d", r.Total))
}

// column returns the numbers of column j, NaN where suppressed or empty, for
// a chart.
func (t *Table) column(j int) []float64 {
	out := make([]float64, len(t.Rows))
	for i, row := range t.Rows {
		c := row[j]
		if c.Suppressed || c.Null {
			out[i] = nan
		} else {
			out[i] = c.Num
		}
	}
	return out
}

// labels returns the text of column j.
func (t *Table) labels(j int) []string {
	out := make([]string, len(t.Rows))
	for i, row := range t.Rows {
		out[i] = row[j].Text
	}
	return out
}

// TitleIn is the panel's title in l's language (its catalogue key is
// dash.panel.<name>; Title is the English one).
func (p *Panel) TitleIn(l Localizer) string { return translated(l, "dash.panel."+p.Name, p.Title) }

// TitleIn is the dashboard's title in l's language (dash.board.<name>).
func (d *Dashboard) TitleIn(l Localizer) string { return translated(l, "dash.board."+d.Name, d.Title) }

func translated(l Localizer, key, english string) string {
	if l == nil {
		return english
	}
	if s := l.T(key); s != key {
		return s
	}
	return english
}
