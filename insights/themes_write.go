package insights

import (
	"context"
	"database/sql/driver"
	"fmt"
	"sort"
	"strings"

	"github.com/civicpulse/civicpulse/warehouse"
)

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
