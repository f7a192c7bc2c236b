package insights

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/analysis/cluster"
)

// Errors of the officials' theme edits; the API wraps them with context, so
// test with errors.Is.
var (
	ErrUnknownTheme = errors.New("insights: unknown theme")
	ErrBadEdit      = errors.New("insights: theme edit not allowed")
)

// MaxThemeLabel is the longest name an official can give a theme, in runes.
const MaxThemeLabel = 80

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

// CheckEdit says whether an official's edit (kind "rename", "merge" or
// "split" of theme, into other for a merge, to label for a rename) can be
// made on the themes as they stand, and returns the scope of texts the
// theme covers, which the stored edit names. Errors wrap ErrUnknownTheme or
// ErrBadEdit. The edit itself is a store write; the ingester carries it to
// theme_edits, and ApplyEdits (or the next pass) shows it.
func (r *Runner) CheckEdit(ctx context.Context, process int64, kind string, theme, other int64, label string) (scope string, scopeID int64, err error) {
	e := themeEdit{kind: kind, theme: theme, other: other, label: strings.TrimSpace(label)}
	switch kind {
	case "rename":
		if e.label == "" || utf8.RuneCountInString(e.label) > MaxThemeLabel || strings.IndexFunc(e.label, unicode.IsControl) >= 0 {
			return "", 0, fmt.Errorf("insights: unable to rename theme %d: label must be one line of 1 to %d characters: %w", theme, MaxThemeLabel, ErrBadEdit)
		}
	case "merge", "split":
	default:
		return "", 0, fmt.Errorf("insights: edit kind %q: %w", kind, ErrBadEdit)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.checkEdit(ctx, process, &e); err != nil {
		return "", 0, fmt.Errorf("insights: unable to %s theme %d: %w", e.kind, e.theme, err)
	}
	return e.scope, e.scopeID, nil
}

// ApplyEdits brings a process's themes up to date now, with the edits
// theme_edits holds, so an official sees their edit on the next page
// without waiting for the next pass.
func (r *Runner) ApplyEdits(ctx context.Context, process int64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.themeMemo().fingerprint, process)
	if err := r.themes(ctx, process); err != nil {
		return fmt.Errorf("insights: unable to apply the theme edits of process %d: %w", process, err)
	}
	return nil
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
