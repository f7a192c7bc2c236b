package insights

import (
	"context"
	"fmt"
	"sort"

	"github.com/civicpulse/civicpulse/analysis/cluster"
	"github.com/civicpulse/civicpulse/analysis/text"
)

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
