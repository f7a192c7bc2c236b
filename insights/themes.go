package insights

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/civicpulse/civicpulse/analysis/cluster"
)

// ThemeOptions tune the themes job; zero values take the defaults.
type ThemeOptions struct {
	// MinTexts a scope needs before it is fitted (default 20): fewer do
	// not make themes worth reading.
	MinTexts int
	// A scope is re-fitted when the texts added since its fit, or the
	// fitted texts since hidden, reach max(RefitMin, RefitShare × fitted)
	// (defaults 20 and 0.25); until then new texts are assigned.
	RefitMin   int
	RefitShare float64
	// CacheScopes is how many scopes keep their decoded model in memory
	// between passes (default 64).
	CacheScopes int
}

func (o *ThemeOptions) defaults() {
	if o.MinTexts <= 0 {
		o.MinTexts = 20
	}
	if o.RefitMin <= 0 {
		o.RefitMin = 20
	}
	if o.RefitShare <= 0 {
		o.RefitShare = 0.25
	}
	if o.CacheScopes <= 0 {
		o.CacheScopes = 64
	}
}

// SetThemeOptions changes the themes job's options; the next pass looks at
// every process again.
func (r *Runner) SetThemeOptions(o ThemeOptions) {
	r.mu.Lock()
	defer r.mu.Unlock()
	o.defaults()
	m := r.themeMemo()
	m.opt = o
	clear(m.fingerprint)
	clear(m.signature)
}

// themeState is what the themes job keeps between passes, beside the Runner
// (as the campaign memo is) and guarded by r.mu.
type themeState struct {
	opt ThemeOptions
	// fingerprint is (sum of edit ids, texts, sum of their seqs) per process
	// when it was last brought up to date.
	fingerprint map[int64][3]int64
	scopes      map[scopeKey]*scopeCache
	// signature of each scope when it was last brought up to date: a scope
	// whose texts and edits did not change is skipped without its model,
	// however many scopes the cache had to let go.
	signature map[scopeKey][4]int64
}

func newThemeState() *themeState {
	st := &themeState{fingerprint: map[int64][3]int64{}, scopes: map[scopeKey]*scopeCache{}, signature: map[scopeKey][4]int64{}}
	st.opt.defaults()
	return st
}

func (r *Runner) themeMemo() *themeState { return r.themeState }

// Scopes a theme model can cover (see 004_insights.sql).
const (
	scopeProcess   = "process"
	scopeComponent = "component"
	scopeSection   = "section"
	scopeQuestion  = "question"
)

type scopeKey struct {
	process int64
	scope   string
	id      int64
}

// themeText is one visible text with the stems the ingester stored for it.
type themeText struct {
	key                textKey
	seq                int64
	component, section int64
	body               string
	stems              []string
}

// scopeCache is a scope's model and where its texts stand, so that a pass
// that brings a few new texts assigns them without reading the model again.
type scopeCache struct {
	runID  int64
	model  *cluster.Model // nil before the first fit; Themes[i].ID is the stable id
	base   map[textKey]baseTheme
	fitted int // texts the run fitted
	splits map[int64]*splitFit
	// What the scope's rows hold now: a new state equal to it is not
	// written, and a re-fit matches ids against it.
	themes  map[int64]themeRow
	members map[textKey]memberRow
}

// baseTheme is a text's theme under the run's model, before edits.
type baseTheme struct {
	seq    int64
	idx    int // model theme, -1 when the text has no vocabulary word
	fitted bool
	rep    int
}

// splitFit is the two-theme model of a split theme, kept so that texts that
// later reach the split theme go to the nearer child.
type splitFit struct {
	model *cluster.Model
	ids   []int64
	reps  map[textKey]int
}

type themeRow struct {
	id, parent, mergedInto int64
	label                  string
	terms                  []string
	renamed                bool
	size                   int64
}

type memberRow struct {
	theme int64
	rep   int
	how   string
	seq   int64
}

type themeEdit struct {
	id      int64
	scope   string
	scopeID int64
	kind    string
	theme   int64
	other   int64
	label   string
}

// processTexts is what a pass or an edit reads of a process.
type processTexts struct {
	scopes map[scopeKey][]*themeText
	runs   map[scopeKey]int64
	edits  map[scopeKey][]themeEdit
	nextID int64 // the highest theme id used in the process
}

// themes brings the themes of every scope of a process up to date.
func (r *Runner) themes(ctx context.Context, process int64) error {
	m := r.themeMemo()
	var fp [3]int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("themes-fingerprint"), process, process).Scan(&fp[0], &fp[1], &fp[2]); err != nil {
		return fmt.Errorf("insights: unable to read the texts' fingerprint: %w", err)
	}
	if last, ok := m.fingerprint[process]; ok && last == fp {
		return nil
	}
	if err := r.refreshThemes(ctx, process, false); err != nil {
		return err
	}
	m.fingerprint[process] = fp
	return nil
}

// refreshThemes updates every scope of a process; force re-fits them all.
func (r *Runner) refreshThemes(ctx context.Context, process int64, force bool) error {
	pt, err := r.loadProcessTexts(ctx, process)
	if err != nil {
		return err
	}
	keys := make([]scopeKey, 0, len(pt.scopes))
	for k := range pt.scopes {
		keys = append(keys, k)
	}
	for k := range pt.runs {
		if _, ok := pt.scopes[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(a, b int) bool {
		if keys[a].scope != keys[b].scope {
			return keys[a].scope > keys[b].scope // process first
		}
		return keys[a].id < keys[b].id
	})
	m := r.themeMemo()
	var errs []error
	for _, k := range keys {
		if len(pt.scopes[k]) < m.opt.MinTexts && pt.runs[k] == 0 {
			continue
		}
		sig := scopeSignature(pt.scopes[k], pt.edits[k], pt.runs[k])
		if last, ok := m.signature[k]; ok && last == sig && !force {
			continue
		}
		job := scopeJob{key: k, texts: pt.scopes[k], runID: pt.runs[k], edits: pt.edits[k], force: force, next: &pt.nextID}
		if err := r.updateScope(ctx, job); err != nil {
			delete(m.signature, k)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			errs = append(errs, fmt.Errorf("insights: themes of %s %d: %w", k.scope, k.id, err))
			continue
		}
		m.signature[k] = sig
	}
	return errors.Join(errs...)
}

// scopeSignature sums up what a scope's themes depend on: its texts (count
// and sum of seqs, which any new, re-saved or hidden text changes), its
// edits (the sum of their ids: an edit may arrive after a newer one) and its
// run (a re-fit changes it).
func scopeSignature(texts []*themeText, edits []themeEdit, run int64) [4]int64 {
	var sum, edit int64
	for _, t := range texts {
		sum += t.seq
	}
	for _, e := range edits {
		edit += e.id
	}
	return [4]int64{int64(len(texts)), sum, edit, run}
}

func (r *Runner) loadProcessTexts(ctx context.Context, process int64) (*processTexts, error) {
	pt := &processTexts{scopes: map[scopeKey][]*themeText{}, runs: map[scopeKey]int64{}, edits: map[scopeKey][]themeEdit{}}
	rows, err := r.db.QueryContext(ctx, r.q.Get("themes-texts"), process)
	if err != nil {
		return nil, fmt.Errorf("insights: unable to read the texts of process %d: %w", process, err)
	}
	defer rows.Close()
	add := func(scope string, id int64, t *themeText) {
		k := scopeKey{process, scope, id}
		pt.scopes[k] = append(pt.scopes[k], t)
	}
	for rows.Next() {
		t := &themeText{}
		var stems string
		if err := rows.Scan(&t.key.kind, &t.key.id, &t.key.qid, &t.seq, &t.component, &t.section, &t.body, &stems); err != nil {
			return nil, fmt.Errorf("insights: unable to read the texts of process %d: %w", process, err)
		}
		t.stems = strings.Fields(stems)
		add(scopeProcess, 0, t)
		if t.component != 0 {
			add(scopeComponent, t.component, t)
		}
		if t.key.kind == "comment" && t.section != 0 {
			add(scopeSection, t.section, t)
		}
		if t.key.kind == "answer" {
			add(scopeQuestion, t.key.qid, t)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("insights: unable to read the texts of process %d: %w", process, err)
	}
	if err := r.scanRows(ctx, "themes-current-runs", []any{process}, func(rs *sql.Rows) error {
		var k scopeKey
		var run int64
		if err := rs.Scan(&k.scope, &k.id, &run); err != nil {
			return err
		}
		k.process = process
		pt.runs[k] = run
		return nil
	}); err != nil {
		return nil, fmt.Errorf("insights: unable to read the theme runs of process %d: %w", process, err)
	}
	if err := r.scanRows(ctx, "themes-edits", []any{process}, func(rs *sql.Rows) error {
		var e themeEdit
		if err := rs.Scan(&e.id, &e.scope, &e.scopeID, &e.kind, &e.theme, &e.other, &e.label); err != nil {
			return err
		}
		k := scopeKey{process, e.scope, e.scopeID}
		pt.edits[k] = append(pt.edits[k], e)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("insights: unable to read the theme edits of process %d: %w", process, err)
	}
	if err := r.db.QueryRowContext(ctx, r.q.Get("themes-max-theme-id"), process, process).Scan(&pt.nextID); err != nil {
		return nil, fmt.Errorf("insights: unable to read the theme ids of process %d: %w", process, err)
	}
	return pt, nil
}

func (r *Runner) scanRows(ctx context.Context, name string, args []any, each func(*sql.Rows) error) error {
	rows, err := r.db.QueryContext(ctx, r.q.Get(name), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// scopeJob is one scope to bring up to date, with the officials' edits
// (theme_edits, which the ingester writes from the store) to replay.
type scopeJob struct {
	key   scopeKey
	texts []*themeText
	runID int64
	edits []themeEdit
	force bool
	next  *int64
}

// newRun is a fit to record.
type newRun struct {
	id         int64
	k          int
	silhouette float64
	fittedSeq  int64
	model      []byte
}

// updateScope assigns a scope's new texts, re-fits it when enough changed,
// applies the officials' edits and rewrites the scope's rows if they differ.
func (r *Runner) updateScope(ctx context.Context, job scopeJob) (err error) {
	m := r.themeMemo()
	c, err := r.scopeCache(ctx, job)
	if err != nil {
		return err
	}
	// Memory follows the database only once the scope's rows are written.
	defer func() {
		if err != nil {
			delete(m.scopes, job.key)
		}
	}()
	added, removed := c.follow(job.texts)
	limit := max(m.opt.RefitMin, int(m.opt.RefitShare*float64(c.fitted)))
	var run *newRun
	if len(job.texts) >= m.opt.MinTexts && (c.model == nil || job.force || added >= limit || removed >= limit) {
		run, err = r.fitScope(ctx, c, job)
		if errors.Is(err, cluster.ErrTooFewTexts) && c.model == nil {
			return nil
		}
		if err != nil && !errors.Is(err, cluster.ErrTooFewTexts) {
			return err
		}
	}
	if c.model == nil {
		return nil
	}
	themes, members, err := r.replayEdits(c, job)
	if err != nil {
		return err
	}
	if run == nil && sameThemes(themes, c.themes) && sameMembers(members, c.members) {
		return nil
	}
	if err := r.writeScope(ctx, job, c.runID, run, themes, members); err != nil {
		return err
	}
	c.themes, c.members = themes, members
	if len(m.scopes) >= m.opt.CacheScopes {
		for k := range m.scopes {
			if k != job.key {
				delete(m.scopes, k)
				break
			}
		}
	}
	m.scopes[job.key] = c
	return nil
}

// refitThemes re-fits every scope of a process now, whatever changed.
func (r *Runner) refitThemes(ctx context.Context, process int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.themeMemo().fingerprint, process)
	return r.refreshThemes(ctx, process, true)
}
