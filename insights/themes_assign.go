package insights

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"github.com/civicpulse/civicpulse/analysis/cluster"
)

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
