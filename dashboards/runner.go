package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/queries"
)

// ErrNotFound: no such process (or panel) in the warehouse.
var ErrNotFound = errors.New("dashboards: not found")

// Dashboards runs panels against the warehouse's read pool.
type Dashboards struct {
	db  *sql.DB
	q   *queries.Set
	now func() time.Time

	// A monitor loads eight panels at once and again on every change; its
	// process's dimensions (three queries) are read once per processTTL.
	mu    sync.Mutex
	procs map[int64]cachedProcess

	editor ThemeEditor // officials' theme edits (SetThemeEditor); nil: none
}

type cachedProcess struct {
	p  *Process
	at time.Time
}

// processTTL bounds how long a change to a process's dimensions (title,
// time zone, phases, publication) takes to reach the dashboards.
const processTTL = 2 * time.Second

// New loads the queries and checks each one against db (the warehouse's
// Read pool), so a query that no longer fits fails here, at start-up.
func New(ctx context.Context, db *sql.DB, now func() time.Time) (*Dashboards, error) {
	q, err := queries.Load()
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range All() {
		for _, p := range d.Panels {
			names = append(names, p.Queries...)
		}
	}
	if err := q.Require(names...); err != nil {
		return nil, err
	}
	if err := q.Check(ctx, db); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	return &Dashboards{db: db, q: q, now: now, procs: map[int64]cachedProcess{}}, nil
}

// Process is what panels need to know about a process.
type Process struct {
	ID               int64
	Slug, Title      string
	TimeZone         *time.Location
	Target           int64
	RegionSetID      int64
	Published        bool
	StartsAt, EndsAt *time.Time
	Currency         string
	Phases           []Phase
	Components       []Component
	// RegionNames maps the codes of the process's region set to names,
	// read with the process so a panel that names regions need not join
	// the dimensions on every run.
	RegionNames map[string]string
}

type Phase struct {
	ID               int64
	Name             string
	StartsAt, EndsAt *time.Time
}

type Component struct {
	ID          int64
	Kind, Title string
}

// Process reads a process's dimensions; ErrNotFound when the warehouse has
// never heard of it. The result is shared: callers must not change it.
func (d *Dashboards) Process(ctx context.Context, id int64) (*Process, error) {
	d.mu.Lock()
	c, ok := d.procs[id]
	d.mu.Unlock()
	if ok && time.Since(c.at) < processTTL {
		return c.p, nil
	}
	p, err := d.readProcess(ctx, id)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	d.procs[id] = cachedProcess{p, time.Now()}
	d.mu.Unlock()
	return p, nil
}

func (d *Dashboards) readProcess(ctx context.Context, id int64) (*Process, error) {
	p := &Process{ID: id}
	var tz string
	var target int32
	var starts, ends sql.NullTime
	err := d.queryRow(ctx, "process", map[string]any{"process": id}).Scan(&p.Slug, &p.Title, &tz, &target, &p.RegionSetID, &p.Published, &starts, &ends, &p.Currency)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("dashboards: unable to read process %d: %w", id, err)
	}
	p.Target = int64(target)
	if p.TimeZone, err = time.LoadLocation(tz); err != nil || tz == "" {
		p.TimeZone = time.UTC
	}
	p.StartsAt, p.EndsAt = nullTime(starts), nullTime(ends)
	err = d.each(ctx, "phases", map[string]any{"process": id}, func(r *sql.Rows) error {
		var ph Phase
		var pos int32
		var s, e sql.NullTime
		if err := r.Scan(&ph.ID, &pos, &ph.Name, &s, &e); err != nil {
			return err
		}
		ph.StartsAt, ph.EndsAt = nullTime(s), nullTime(e)
		p.Phases = append(p.Phases, ph)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = d.each(ctx, "components", map[string]any{"process": id}, func(r *sql.Rows) error {
		var c Component
		if err := r.Scan(&c.ID, &c.Kind, &c.Title); err != nil {
			return err
		}
		p.Components = append(p.Components, c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.RegionNames, err = d.regionNames(ctx, id); err != nil {
		return nil, fmt.Errorf("dashboards: unable to read the regions of process %d: %w", id, err)
	}
	return p, nil
}

// RegionName names a region code of the process: its name, "No region
// given" for none ("" or the rollups' "(none)"), and a code the region set
// lacks as itself. The one path from a code to what a page shows.
func (p *Process) RegionName(l Localizer, code string) string {
	if n, ok := p.RegionNames[code]; ok {
		return n
	}
	if code == "" || code == "(none)" {
		if l == nil {
			l = Messages("en")
		}
		return l.T("dash.region.none")
	}
	return code
}

// Has reports whether the process has a component of kind.
func (p *Process) Has(kind string) bool {
	_, ok := p.Component(0, kind)
	return ok
}

// Component returns the process's component with this id, or the first of
// kind when id is 0 or not one of the process's.
func (p *Process) Component(id int64, kind string) (Component, bool) {
	for _, c := range p.Components {
		if c.ID == id && (kind == "" || c.Kind == kind) {
			return c, true
		}
	}
	for _, c := range p.Components {
		if c.Kind == kind {
			return c, true
		}
	}
	return Component{}, false
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}

// View is a filter resolved against a process: a concrete UTC range, the
// grain and the parameter values every query may take.
type View struct {
	Filter
	P     *Process
	From  time.Time
	To    time.Time
	Grain string
	L     Localizer // the viewer's language; nil: English
	// Full asks for every row of a panel whose table the page shortens
	// (a download: a file is never silently cut at the screen's length).
	Full bool
}

// allRows is the limit of a full view's queries: DuckDB's LIMIT takes a
// number, and no process has this many rows.
const allRows = int64(1) << 62

// limit is the number of rows a shortened table reads: n on the page,
// every row for a download.
func (v View) limit(n int64) int64 {
	if v.Full {
		return allRows
	}
	return n
}

// Resolve fixes the range: the phase's dates, else the asked dates, else
// the process's start (or 28 days back) to now.
func (d *Dashboards) Resolve(p *Process, f Filter) View {
	v := View{Filter: f, P: p}
	now := d.now().UTC()
	v.From, v.To = f.From, f.To
	if f.Phase != 0 {
		for _, ph := range p.Phases {
			if ph.ID == f.Phase {
				if ph.StartsAt != nil && (v.From.IsZero() || ph.StartsAt.After(v.From)) {
					v.From = *ph.StartsAt
				}
				if ph.EndsAt != nil && (v.To.IsZero() || ph.EndsAt.Before(v.To)) {
					v.To = *ph.EndsAt
				}
			}
		}
	}
	if v.To.IsZero() {
		v.To = now.Truncate(time.Hour).Add(time.Hour)
		if p.EndsAt != nil && p.EndsAt.Before(v.To) {
			v.To = *p.EndsAt
		}
	}
	if v.From.IsZero() {
		if p.StartsAt != nil && p.StartsAt.Before(v.To) {
			v.From = *p.StartsAt
		} else {
			v.From = v.To.Add(-28 * 24 * time.Hour)
		}
	}
	if !v.From.Before(v.To) {
		v.From = v.To.Add(-24 * time.Hour)
	}
	v.Grain = pickGrain(f.Bucket, v.From, v.To)
	return v
}

// args are the values of every parameter a query may use.
func (v View) args() map[string]any {
	return map[string]any{
		"process":   v.P.ID,
		"from":      v.From,
		"to":        v.To,
		"region":    v.Region,
		"component": v.Component,
		"grain":     v.Grain,
		"tz":        v.P.TimeZone.String(),
		"question":  v.Question,
		"question2": v.Question2,
		"section":   v.Section,
	}
}

// Buckets lays out the view's time axis.
func (v View) Buckets() *Buckets {
	b := NewBuckets(v.Grain, v.P.TimeZone, v.From, v.To)
	b.L = v.L
	return b
}

func (d *Dashboards) queryRow(ctx context.Context, name string, values map[string]any) *sql.Row {
	args, err := d.q.Args(name, values)
	if err != nil {
		panic(err) // a panel passing too few parameters is a programming error the tests catch
	}
	return d.db.QueryRowContext(ctx, d.q.SQL(name), args...)
}

// each runs a named query and calls fn for each row.
func (d *Dashboards) each(ctx context.Context, name string, values map[string]any, fn func(*sql.Rows) error) error {
	args, err := d.q.Args(name, values)
	if err != nil {
		return err
	}
	rows, err := d.db.QueryContext(ctx, d.q.SQL(name), args...)
	if err != nil {
		return fmt.Errorf("dashboards: unable to run %s: %w", name, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("dashboards: unable to read %s: %w", name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("dashboards: unable to read %s: %w", name, err)
	}
	return nil
}

// exec runs a named statement that changes the dashboards' own tables.
func (d *Dashboards) exec(ctx context.Context, name string, values map[string]any) (int64, error) {
	args, err := d.q.Args(name, values)
	if err != nil {
		return 0, err
	}
	res, err := d.db.ExecContext(ctx, d.q.SQL(name), args...)
	if err != nil {
		return 0, fmt.Errorf("dashboards: unable to %s: %w", name, err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
