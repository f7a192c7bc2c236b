package insights

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/analysis/cluster"
	"github.com/civicpulse/civicpulse/analysis/text"
	"github.com/civicpulse/civicpulse/warehouse"
)

// Errors of the officials' theme edits; the API wraps them with context, so
// test with errors.Is.
var (
	ErrUnknownTheme = errors.New("insights: unknown theme")
	ErrBadEdit      = errors.New("insights: theme edit not allowed")
)

// MaxThemeLabel is the longest name an official can give a theme, in runes.
const MaxThemeLabel = 80

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
	// fingerprint is (newest edit, texts, sum of their seqs) per process
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
// newest edit and its run (a re-fit changes it).
func scopeSignature(texts []*themeText, edits []themeEdit, run int64) [4]int64 {
	var sum, edit int64
	for _, t := range texts {
		sum += t.seq
	}
	if len(edits) > 0 {
		edit = edits[len(edits)-1].id
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

// scopeJob is one scope to bring up to date, with an official's new edit
// (pending) to apply and record in the same transaction.
type scopeJob struct {
	key     scopeKey
	texts   []*themeText
	runID   int64
	edits   []themeEdit
	force   bool
	next    *int64
	pending *themeEdit
	staffID int64
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
	if run == nil && job.pending == nil && sameThemes(themes, c.themes) && sameMembers(members, c.members) {
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

// scopeCache returns the scope's cache, read back from the warehouse when
// the runner has none for the current run (after a restart).
func (r *Runner) scopeCache(ctx context.Context, job scopeJob) (*scopeCache, error) {
	m := r.themeMemo()
	if c, ok := m.scopes[job.key]; ok && c.runID == job.runID {
		return c, nil
	}
	c := &scopeCache{runID: job.runID, base: map[textKey]baseTheme{}, splits: map[int64]*splitFit{},
		themes: map[int64]themeRow{}, members: map[textKey]memberRow{}}
	k := job.key
	if err := r.scanRows(ctx, "themes-scope-themes", []any{k.process, k.scope, k.id}, func(rs *sql.Rows) error {
		var t themeRow
		var terms string
		if err := rs.Scan(&t.id, &t.label, &terms, &t.renamed, &t.parent, &t.mergedInto, &t.size); err != nil {
			return err
		}
		t.terms = strings.Fields(terms)
		c.themes[t.id] = t
		return nil
	}); err != nil {
		return nil, fmt.Errorf("insights: unable to read the themes: %w", err)
	}
	if err := r.scanRows(ctx, "themes-scope-members", []any{k.process, k.scope, k.id}, func(rs *sql.Rows) error {
		var key textKey
		var mr memberRow
		if err := rs.Scan(&key.kind, &key.id, &key.qid, &mr.theme, &mr.rep, &mr.how, &mr.seq); err != nil {
			return err
		}
		c.members[key] = mr
		return nil
	}); err != nil {
		return nil, fmt.Errorf("insights: unable to read the theme members: %w", err)
	}
	if job.runID == 0 {
		return c, nil
	}
	var blob []byte
	if err := r.db.QueryRowContext(ctx, r.q.Get("themes-run-model"), job.runID).Scan(&blob); err != nil {
		return nil, fmt.Errorf("insights: unable to read the model of run %d: %w", job.runID, err)
	}
	c.model = &cluster.Model{}
	if err := c.model.UnmarshalBinary(blob); err != nil {
		return nil, fmt.Errorf("insights: run %d: %w", job.runID, err)
	}
	idx := assignAll(c.model, job.texts)
	for i, t := range job.texts {
		b := baseTheme{seq: t.seq, idx: idx[i]}
		if mr, ok := c.members[t.key]; ok && mr.seq == t.seq && mr.how == "fit" {
			b.fitted = true
			c.fitted++
			if b.idx >= 0 && mr.theme == int64(c.model.Themes[b.idx].ID) {
				b.rep = mr.rep
			}
		}
		c.base[t.key] = b
	}
	return c, nil
}

// assignAll places texts with a model on all cores; the model is only read.
func assignAll(m *cluster.Model, texts []*themeText) []int {
	out := make([]int, len(texts))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(texts)/500))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(texts); i += workers {
				out[i] = m.AssignStems(texts[i].stems)
			}
		}()
	}
	wg.Wait()
	return out
}

// follow brings the base assignment up to the scope's current texts: new
// ones (and texts saved again) are assigned by the model, gone ones
// forgotten. It returns how many were added since the fit and how many
// fitted texts are gone.
func (c *scopeCache) follow(texts []*themeText) (added, removed int) {
	present := make(map[textKey]struct{}, len(texts))
	var todo []*themeText
	for _, t := range texts {
		present[t.key] = struct{}{}
		if b, ok := c.base[t.key]; !ok || b.seq != t.seq {
			todo = append(todo, t)
		}
	}
	for k := range c.base {
		if _, ok := present[k]; !ok {
			delete(c.base, k)
		}
	}
	if c.model != nil {
		idx := assignAll(c.model, todo)
		for i, t := range todo {
			c.base[t.key] = baseTheme{seq: t.seq, idx: idx[i]}
		}
	}
	stillFitted := 0
	for _, b := range c.base {
		if b.fitted {
			stillFitted++
		} else if b.idx >= 0 {
			added++
		}
	}
	return added, max(0, c.fitted-stillFitted)
}

// fitScope fits the scope's texts and makes the new model current in c;
// each new theme takes the id of the old theme it shares most texts with.
func (r *Runner) fitScope(ctx context.Context, c *scopeCache, job scopeJob) (*newRun, error) {
	docs := make([][]string, len(job.texts))
	var fittedSeq int64
	for i, t := range job.texts {
		docs[i] = t.stems
		fittedSeq = max(fittedSeq, t.seq)
	}
	model, assign, err := cluster.FitStems(docs, cluster.Options{Seed: r.opt.Seed})
	if err != nil {
		return nil, err
	}
	old := make([]int64, len(job.texts))
	if c.model != nil {
		for i, t := range job.texts {
			if b := c.base[t.key]; b.idx >= 0 {
				old[i] = int64(c.model.Themes[b.idx].ID)
			}
		}
	}
	ids := inheritIDs(assign, old, len(model.Themes), job.next)
	members := groupMembers(assign, len(model.Themes), job.texts)
	for i := range model.Themes {
		model.Themes[i].ID = int(ids[i])
		model.Themes[i].Label = surfaceTerms(model.Themes[i].Label, members[i])
	}
	blob, err := model.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("insights: unable to encode the theme model: %w", err)
	}
	var runID int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("themes-max-run")).Scan(&runID); err != nil {
		return nil, fmt.Errorf("insights: unable to number the run: %w", err)
	}
	runID++
	c.runID, c.model, c.fitted = runID, model, 0
	c.splits = map[int64]*splitFit{}
	clear(c.base)
	for i, t := range job.texts {
		c.base[t.key] = baseTheme{seq: t.seq, idx: assign[i], fitted: true}
		c.fitted++
	}
	for _, th := range model.Themes {
		for rank, i := range th.Representatives {
			b := c.base[job.texts[i].key]
			b.rep = rank + 1
			c.base[job.texts[i].key] = b
		}
	}
	return &newRun{id: runID, k: len(model.Themes), silhouette: model.Silhouette, fittedSeq: fittedSeq, model: blob}, nil
}

func groupMembers(assign []int, k int, texts []*themeText) [][]*themeText {
	out := make([][]*themeText, k)
	for i, a := range assign {
		if a >= 0 {
			out[a] = append(out[a], texts[i])
		}
	}
	return out
}

// inheritIDs gives each new group (assign[i], -1 for none) the old id
// (old[i], 0 for none) it shares most texts with, greedily by overlap and
// each old id once; the others take fresh ids after *next.
func inheritIDs(assign []int, old []int64, groups int, next *int64) []int64 {
	type pair struct {
		group int
		old   int64
	}
	overlap := map[pair]int{}
	for i, a := range assign {
		if a >= 0 && old[i] != 0 {
			overlap[pair{a, old[i]}]++
		}
	}
	pairs := make([]pair, 0, len(overlap))
	for p := range overlap {
		pairs = append(pairs, p)
	}
	sort.Slice(pairs, func(a, b int) bool {
		pa, pb := pairs[a], pairs[b]
		if overlap[pa] != overlap[pb] {
			return overlap[pa] > overlap[pb]
		}
		if pa.group != pb.group {
			return pa.group < pb.group
		}
		return pa.old < pb.old
	})
	ids := make([]int64, groups)
	used := map[int64]bool{}
	for _, p := range pairs {
		if ids[p.group] == 0 && !used[p.old] {
			ids[p.group] = p.old
			used[p.old] = true
		}
	}
	for g := range ids {
		if ids[g] == 0 {
			*next++
			ids[g] = *next
		}
	}
	return ids
}

// surfaceTerms names label stems by the word most often written for them in
// a sample of the theme's texts, as cluster.Fit does ("environ" reads as
// "environment").
func surfaceTerms(stems []string, texts []*themeText) []string {
	const sample = 300
	want := map[string]map[string]int{}
	for _, s := range stems {
		want[s] = map[string]int{}
	}
	step := max(1, len(texts)/sample)
	for i := 0; i < len(texts); i += step {
		tokens := text.Tokenize(texts[i].body)
		lang := text.DetectLanguage(tokens)
		for _, tok := range tokens {
			if len(tok) < 2 || text.StopWord(lang, tok) {
				continue
			}
			if forms, ok := want[text.Stem(lang, tok)]; ok {
				forms[tok]++
			}
		}
	}
	out := make([]string, len(stems))
	for i, s := range stems {
		best, bestN := s, 0
		for w, n := range want[s] {
			if n > bestN || (n == bestN && w < best) {
				best, bestN = w, n
			}
		}
		out[i] = best
	}
	return out
}

// replay turns the base assignment into the themes as shown: the officials'
// edits applied in order over the model's themes.
type replay struct {
	r        *Runner
	c        *scopeCache
	job      scopeJob
	byKey    map[textKey]*themeText
	themes   map[int64]*themeRow
	cur      map[textKey]int64
	rep      map[textKey]int
	wasSplit map[int64]bool
}

func (r *Runner) replayEdits(c *scopeCache, job scopeJob) (map[int64]themeRow, map[textKey]memberRow, error) {
	p := &replay{r: r, c: c, job: job, byKey: make(map[textKey]*themeText, len(job.texts)),
		themes: map[int64]*themeRow{}, cur: make(map[textKey]int64, len(job.texts)), rep: map[textKey]int{}, wasSplit: map[int64]bool{}}
	for _, t := range job.texts {
		p.byKey[t.key] = t
		b, ok := c.base[t.key]
		if !ok || b.idx < 0 {
			continue
		}
		th := c.model.Themes[b.idx]
		id := int64(th.ID)
		if p.themes[id] == nil {
			p.themes[id] = &themeRow{id: id, terms: th.Label}
		}
		p.cur[t.key] = id
		if b.rep > 0 {
			p.rep[t.key] = b.rep
		}
	}
	for _, e := range job.edits {
		p.apply(e) // an edit that no longer fits (its theme is gone) waits for one that does
	}
	if job.pending != nil {
		if err := p.apply(*job.pending); err != nil {
			return nil, nil, err
		}
	}
	members := make(map[textKey]memberRow, len(p.cur))
	for _, t := range job.texts {
		id, ok := p.cur[t.key]
		if !ok {
			continue
		}
		how := "assign"
		if c.base[t.key].fitted {
			how = "fit"
		}
		members[t.key] = memberRow{theme: id, rep: p.rep[t.key], how: how, seq: t.seq}
		p.themes[id].size++
	}
	themes := make(map[int64]themeRow, len(p.themes))
	for id, t := range p.themes {
		if !t.renamed {
			t.label = strings.Join(t.terms, ", ")
		}
		themes[id] = *t
	}
	return themes, members, nil
}

func (p *replay) apply(e themeEdit) error {
	t := p.themes[e.theme]
	if t == nil {
		return fmt.Errorf("theme %d: %w", e.theme, ErrUnknownTheme)
	}
	switch e.kind {
	case "rename":
		t.label, t.renamed = e.label, true
		return nil
	case "merge":
		return p.merge(t, e.other)
	case "split":
		return p.split(t)
	}
	return fmt.Errorf("edit kind %q: %w", e.kind, ErrBadEdit)
}

func (p *replay) merge(from *themeRow, into int64) error {
	to := p.themes[into]
	if to == nil {
		return fmt.Errorf("theme %d: %w", into, ErrUnknownTheme)
	}
	for to.mergedInto != 0 {
		to = p.themes[to.mergedInto]
	}
	if to == from || from.mergedInto != 0 || p.wasSplit[from.id] || p.wasSplit[to.id] {
		return fmt.Errorf("merge of theme %d into %d: %w", from.id, into, ErrBadEdit)
	}
	for k, id := range p.cur {
		if id == from.id {
			p.cur[k] = to.id
			delete(p.rep, k)
		}
	}
	from.mergedInto = to.id
	return nil
}

// split re-clusters a theme's texts in two children. Their ids carry over
// from the children of the same theme before (by overlap), so that edits
// on a child keep applying after a re-fit.
func (p *replay) split(parent *themeRow) error {
	if parent.mergedInto != 0 || p.wasSplit[parent.id] {
		return fmt.Errorf("split of theme %d: %w", parent.id, ErrBadEdit)
	}
	var texts []*themeText
	for _, t := range p.job.texts {
		if p.cur[t.key] == parent.id {
			texts = append(texts, t)
		}
	}
	if len(texts) < 4 {
		return fmt.Errorf("split of theme %d with %d texts: %w", parent.id, len(texts), ErrBadEdit)
	}
	sf := p.c.splits[parent.id]
	var assign []int
	if sf == nil {
		docs := make([][]string, len(texts))
		for i, t := range texts {
			docs[i] = t.stems
		}
		m, a, err := cluster.FitStems(docs, cluster.Options{K: 2, Seed: p.r.opt.Seed})
		if err != nil || len(m.Themes) != 2 {
			return fmt.Errorf("split of theme %d: %w", parent.id, ErrBadEdit)
		}
		assign = a
		old := make([]int64, len(texts))
		for i, t := range texts {
			if mr, ok := p.c.members[t.key]; ok && p.c.themes[mr.theme].parent == parent.id {
				old[i] = mr.theme
			}
		}
		sf = &splitFit{model: m, ids: inheritIDs(assign, old, 2, p.job.next), reps: map[textKey]int{}}
		members := groupMembers(assign, 2, texts)
		for i := range m.Themes {
			m.Themes[i].Label = surfaceTerms(m.Themes[i].Label, members[i])
			for rank, j := range m.Themes[i].Representatives {
				sf.reps[texts[j].key] = rank + 1
			}
		}
		p.c.splits[parent.id] = sf
	} else {
		assign = assignAll(sf.model, texts)
	}
	larger := 0
	if sf.model.Themes[1].Size > sf.model.Themes[0].Size {
		larger = 1
	}
	for i, th := range sf.model.Themes {
		p.themes[sf.ids[i]] = &themeRow{id: sf.ids[i], parent: parent.id, terms: th.Label}
	}
	for i, t := range texts {
		a := assign[i]
		if a < 0 {
			a = larger
		}
		p.cur[t.key] = sf.ids[a]
		delete(p.rep, t.key)
		if rk := sf.reps[t.key]; rk > 0 {
			p.rep[t.key] = rk
		}
	}
	p.wasSplit[parent.id] = true
	return nil
}

func sameThemes(a, b map[int64]themeRow) bool {
	if len(a) != len(b) {
		return false
	}
	for id, x := range a {
		y, ok := b[id]
		if !ok || x.parent != y.parent || x.mergedInto != y.mergedInto || x.label != y.label ||
			x.renamed != y.renamed || x.size != y.size || strings.Join(x.terms, " ") != strings.Join(y.terms, " ") {
			return false
		}
	}
	return true
}

func sameMembers(a, b map[textKey]memberRow) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		if y, ok := b[k]; !ok || x != y {
			return false
		}
	}
	return true
}

// writeScope replaces a scope's themes and members in one transaction, with
// the new run and the official's edit if any, so readers never see half.
func (r *Runner) writeScope(ctx context.Context, job scopeJob, runID int64, run *newRun, themes map[int64]themeRow, members map[textKey]memberRow) error {
	k := job.key
	now := r.opt.Now().UTC()
	ids := make([]int64, 0, len(themes))
	for id := range themes {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(a, b int) bool { return ids[a] < ids[b] })
	themeRows := make([][]driver.Value, 0, len(themes))
	for _, id := range ids {
		t := themes[id]
		terms := t.terms
		if terms == nil {
			terms = []string{}
		}
		themeRows = append(themeRows, []driver.Value{k.process, k.scope, k.id, t.id, runID, t.label, terms, t.renamed, t.parent, t.mergedInto, t.size})
	}
	memberRows := make([][]driver.Value, 0, len(members))
	for _, t := range job.texts {
		mr, ok := members[t.key]
		if !ok {
			continue
		}
		memberRows = append(memberRows, []driver.Value{k.process, k.scope, k.id, t.key.kind, t.key.id, t.key.qid, mr.theme, int32(mr.rep), mr.how, mr.seq})
	}
	err := r.wh.InTx(ctx, func(tx *warehouse.Tx) error {
		if run != nil {
			if err := tx.Exec(r.q.Get("themes-insert-run"), run.id, k.process, k.scope, k.id,
				int64(len(job.texts)), int32(run.k), run.silhouette, run.fittedSeq, now, run.model); err != nil {
				return fmt.Errorf("insights: unable to record the run: %w", err)
			}
			if err := tx.Exec(r.q.Get("themes-drop-old-models"), k.process, k.scope, k.id, run.id); err != nil {
				return fmt.Errorf("insights: unable to drop old models: %w", err)
			}
		}
		if e := job.pending; e != nil {
			if err := tx.Exec(r.q.Get("themes-insert-edit"), e.id, k.process, k.scope, k.id, e.kind,
				e.theme, e.other, e.label, job.staffID, now); err != nil {
				return fmt.Errorf("insights: unable to record the edit: %w", err)
			}
		}
		for _, q := range []string{"themes-delete-themes", "themes-delete-members"} {
			if err := tx.Exec(r.q.Get(q), k.process, k.scope, k.id); err != nil {
				return fmt.Errorf("insights: unable to clear the scope: %w", err)
			}
		}
		if err := tx.Append("themes", themeRows); err != nil {
			return err
		}
		return tx.Append("theme_members", memberRows)
	})
	if err != nil {
		return err
	}
	r.log.Debug("themes written", "process", k.process, "scope", k.scope, "scope_id", k.id,
		"themes", len(themes), "members", len(members), "refit", run != nil)
	return nil
}

// RenameTheme gives a theme an official's name; it survives re-fits.
func (r *Runner) RenameTheme(ctx context.Context, process int64, themeID int64, label string, staffID int64) error {
	label = strings.TrimSpace(label)
	if label == "" || utf8.RuneCountInString(label) > MaxThemeLabel || strings.IndexFunc(label, unicode.IsControl) >= 0 {
		return fmt.Errorf("insights: unable to rename theme %d: label must be one line of 1 to %d characters: %w", themeID, MaxThemeLabel, ErrBadEdit)
	}
	return r.editTheme(ctx, process, themeEdit{kind: "rename", theme: themeID, label: label}, staffID)
}

// MergeThemes folds a theme into another of the same scope: its texts move
// there and it is no longer listed.
func (r *Runner) MergeThemes(ctx context.Context, process int64, themeID, intoID int64, staffID int64) error {
	return r.editTheme(ctx, process, themeEdit{kind: "merge", theme: themeID, other: intoID}, staffID)
}

// SplitTheme re-clusters a theme's texts into two new child themes.
func (r *Runner) SplitTheme(ctx context.Context, process int64, themeID int64, staffID int64) error {
	return r.editTheme(ctx, process, themeEdit{kind: "split", theme: themeID}, staffID)
}

// foundTheme is what an edit checks of a theme before it is applied.
type foundTheme struct {
	scope      string
	scopeID    int64
	parent     int64
	mergedInto int64
	size       int64
	isSplit    bool
}

func (r *Runner) findTheme(ctx context.Context, process, id int64) (foundTheme, error) {
	var f foundTheme
	err := r.db.QueryRowContext(ctx, r.q.Get("themes-find-theme"), process, id).
		Scan(&f.scope, &f.scopeID, &f.parent, &f.mergedInto, &f.size, &f.isSplit)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("theme %d of process %d: %w", id, process, ErrUnknownTheme)
	}
	if err != nil {
		return f, fmt.Errorf("unable to read theme %d: %w", id, err)
	}
	return f, nil
}

// editTheme checks an edit, applies it to the theme's scope and records it
// with the scope's new rows in one transaction.
func (r *Runner) editTheme(ctx context.Context, process int64, e themeEdit, staffID int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkEdit(ctx, process, &e); err != nil {
		return fmt.Errorf("insights: unable to %s theme %d: %w", e.kind, e.theme, err)
	}
	pt, err := r.loadProcessTexts(ctx, process)
	if err != nil {
		return err
	}
	if err := r.db.QueryRowContext(ctx, r.q.Get("themes-max-edit")).Scan(&e.id); err != nil {
		return fmt.Errorf("insights: unable to number the edit: %w", err)
	}
	e.id++
	k := scopeKey{process, e.scope, e.scopeID}
	job := scopeJob{key: k, texts: pt.scopes[k], runID: pt.runs[k], edits: pt.edits[k], next: &pt.nextID, pending: &e, staffID: staffID}
	if err := r.updateScope(ctx, job); err != nil {
		return fmt.Errorf("insights: unable to %s theme %d: %w", e.kind, e.theme, err)
	}
	delete(r.themeMemo().fingerprint, process)
	return nil
}

func (r *Runner) checkEdit(ctx context.Context, process int64, e *themeEdit) error {
	t, err := r.findTheme(ctx, process, e.theme)
	if err != nil {
		return err
	}
	e.scope, e.scopeID = t.scope, t.scopeID
	if t.mergedInto != 0 {
		return fmt.Errorf("theme %d was merged into %d: %w", e.theme, t.mergedInto, ErrBadEdit)
	}
	switch e.kind {
	case "merge":
		if e.other == e.theme {
			return fmt.Errorf("a theme cannot be merged into itself: %w", ErrBadEdit)
		}
		into, err := r.findTheme(ctx, process, e.other)
		if err != nil {
			return err
		}
		if into.scope != t.scope || into.scopeID != t.scopeID {
			return fmt.Errorf("themes %d and %d cover different texts: %w", e.theme, e.other, ErrBadEdit)
		}
		if into.mergedInto != 0 || into.isSplit || t.isSplit {
			return fmt.Errorf("a split or merged theme cannot take part in a merge (its children can): %w", ErrBadEdit)
		}
	case "split":
		if t.isSplit {
			return fmt.Errorf("theme %d is already split: %w", e.theme, ErrBadEdit)
		}
		if t.size < 4 {
			return fmt.Errorf("theme %d has %d texts, a split needs 4: %w", e.theme, t.size, ErrBadEdit)
		}
	}
	return nil
}

// refitThemes re-fits every scope of a process now, whatever changed.
func (r *Runner) refitThemes(ctx context.Context, process int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.themeMemo().fingerprint, process)
	return r.refreshThemes(ctx, process, true)
}
