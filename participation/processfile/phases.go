package processfile

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// phases brings the stored phases to the file's, pairing them by order of
// start. The store refuses overlapping phases at every write, so the
// changes are ordered: deletions first, then each update once its new
// dates clash with no phase as it stands, and a phase caught in a cycle
// (two phases swapping dates) is deleted and added again.
func (w *writer) phases(ctx context.Context) error {
	var old []participation.Phase
	if w.old != nil {
		old = slices.Clone(w.old.Phases)
		slices.SortStableFunc(old, func(a, b participation.Phase) int { return a.StartsAt.Compare(b.StartsAt) })
	}
	keyID := map[string]int64{}
	for i, c := range w.f.Components {
		keyID[c.Key] = w.comps[i]
	}
	want := make([]participation.Phase, len(w.f.Phases))
	for i, fp := range w.f.Phases {
		ph := participation.Phase{ProcessID: w.id, Name: fp.Name, Description: fp.Description,
			StartsAt: fp.StartsAt, EndsAt: fp.EndsAt, OpenComponents: []int64{}}
		for _, k := range fp.Opens {
			ph.OpenComponents = append(ph.OpenComponents, keyID[k])
		}
		want[i] = ph
	}
	slices.SortStableFunc(want, func(a, b participation.Phase) int { return a.StartsAt.Compare(b.StartsAt) })

	// current is the stored state as the writes go: id → dates.
	type span struct{ start, end time.Time }
	current := map[int64]span{}
	for _, ph := range old {
		current[ph.ID] = span{ph.StartsAt, ph.EndsAt}
	}
	clashes := func(self int64, s span) bool {
		for id, c := range current {
			if id != self && s.start.Before(c.end) && c.start.Before(s.end) {
				return true
			}
		}
		return false
	}
	for _, ph := range old[min(len(old), len(want)):] {
		w.writes++
		if err := w.s.DeletePhase(ctx, ph.ID); err != nil {
			return fmt.Errorf("processfile: unable to delete phase %q: %w", ph.Name, err)
		}
		delete(current, ph.ID)
	}
	var pending []int // indexes into want of paired phases that differ
	for i := range min(len(old), len(want)) {
		want[i].ID, want[i].Position = old[i].ID, old[i].Position
		if !samePhase(old[i], want[i]) {
			pending = append(pending, i)
		}
	}
	for len(pending) > 0 {
		progress := false
		for k := 0; k < len(pending); k++ {
			ph := want[pending[k]]
			if clashes(ph.ID, span{ph.StartsAt, ph.EndsAt}) {
				continue
			}
			w.writes++
			if err := w.s.UpdatePhase(ctx, ph); err != nil {
				return fmt.Errorf("processfile: unable to update phase %q: %w", ph.Name, err)
			}
			current[ph.ID] = span{ph.StartsAt, ph.EndsAt}
			pending = slices.Delete(pending, k, k+1)
			k--
			progress = true
		}
		if !progress {
			// A cycle: take the first phase out and add it back below.
			i := pending[0]
			w.writes++
			if err := w.s.DeletePhase(ctx, want[i].ID); err != nil {
				return fmt.Errorf("processfile: unable to replace phase %q: %w", want[i].Name, err)
			}
			delete(current, want[i].ID)
			want[i].ID, want[i].Position = 0, 0
			pending = pending[1:]
		}
	}
	for i := range want {
		if want[i].ID != 0 {
			continue
		}
		w.writes++
		id, err := w.s.AddPhase(ctx, want[i])
		if err != nil {
			return fmt.Errorf("processfile: unable to add phase %q: %w", want[i].Name, err)
		}
		want[i].ID = id
	}
	// Translations follow the file's order, which may differ from start order.
	for _, fp := range w.f.Phases {
		for _, ph := range want {
			if ph.StartsAt.Equal(fp.StartsAt) && ph.Name == fp.Name {
				w.texts(participation.EntityPhase, ph.ID, fp.Translations)
				break
			}
		}
	}
	return nil
}

func samePhase(a, b participation.Phase) bool {
	if a.Name != b.Name || a.Description != b.Description || !a.StartsAt.Equal(b.StartsAt) || !a.EndsAt.Equal(b.EndsAt) {
		return false
	}
	x, y := slices.Clone(a.OpenComponents), slices.Clone(b.OpenComponents)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// translations writes the difference between the stored translations and
// the file's: changed or new texts, and empty texts for the ones the file
// no longer has (which deletes them).
func (w *writer) translations(ctx context.Context) error {
	type key struct {
		e     participation.EntityKind
		id    int64
		field string
		lang  string
	}
	var have []participation.Translation
	if w.old != nil {
		var err error
		if have, err = w.s.Translations(ctx, w.id); err != nil {
			return fmt.Errorf("processfile: unable to read translations: %w", err)
		}
	}
	want := map[key]string{}
	for _, t := range w.tr {
		want[key{t.Entity, t.EntityID, t.Field, t.Lang}] = t.Text
	}
	var diff []participation.Translation
	seen := map[key]bool{}
	for _, t := range have {
		k := key{t.Entity, t.EntityID, t.Field, t.Lang}
		seen[k] = true
		if text, ok := want[k]; !ok {
			diff = append(diff, participation.Translation{Entity: t.Entity, EntityID: t.EntityID, Field: t.Field, Lang: t.Lang})
		} else if text != t.Text {
			diff = append(diff, participation.Translation{Entity: t.Entity, EntityID: t.EntityID, Field: t.Field, Lang: t.Lang, Text: text})
		}
	}
	for _, t := range w.tr {
		if !seen[key{t.Entity, t.EntityID, t.Field, t.Lang}] {
			diff = append(diff, t)
		}
	}
	if len(diff) == 0 {
		return nil
	}
	slices.SortFunc(diff, func(a, b participation.Translation) int {
		return cmpTranslation(a, b)
	})
	w.writes++
	if err := w.s.SetTranslations(ctx, w.id, diff); err != nil {
		return fmt.Errorf("processfile: unable to store translations: %w", err)
	}
	return nil
}

func cmpTranslation(a, b participation.Translation) int {
	switch {
	case a.Entity != b.Entity:
		return compare(string(a.Entity), string(b.Entity))
	case a.EntityID != b.EntityID:
		return int(a.EntityID - b.EntityID)
	case a.Field != b.Field:
		return compare(a.Field, b.Field)
	}
	return compare(a.Lang, b.Lang)
}

func compare(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
