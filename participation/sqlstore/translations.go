package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
)

// ownerStatement names the statement that finds the process of an entity.
var ownerStatement = map[participation.EntityKind]string{
	participation.EntityPhase:     "phase-process",
	participation.EntityComponent: "component-process",
	participation.EntitySection:   "section-process",
	participation.EntityQuestion:  "question-process",
}

// SetTranslations stores translations of a process's texts: each must be a
// translatable field of an entity of the process, into one of its
// languages other than the first. An empty Text deletes the translation.
func (s *Store) SetTranslations(ctx context.Context, processID int64, tr []participation.Translation) error {
	return s.write(ctx, func(w *Store) error {
		if _, err := w.editable(ctx, processID); err != nil {
			return err
		}
		p, err := w.GetProcess(ctx, processID, false)
		if err != nil {
			return err
		}
		var v participation.ValidationErrors
		for i, t := range tr {
			f := "translations." + strconv.Itoa(i)
			switch {
			case !participation.TranslatableField(t.Entity, t.Field):
				v.Add(f, "err.translation_field", "%s has no translatable field %q", string(t.Entity), t.Field)
				continue
			case len(p.Languages) == 0 || t.Lang == p.Languages[0] || !slices.Contains(p.Languages, t.Lang):
				v.Add(f, "err.translation_lang", "%q is not one of the process's other languages", t.Lang)
				continue
			case utf8.RuneCountInString(t.Text) > participation.TranslationMax:
				v.Add(f, "err.too_long", "must be at most %d characters", participation.TranslationMax)
				continue
			}
			owner := t.EntityID
			if st, ok := ownerStatement[t.Entity]; ok {
				owner = 0
				if err := w.get(ctx, &owner, st, t.EntityID); err != nil && !noRows(err) {
					return fmt.Errorf("store: unable to check translation owner: %w", err)
				}
			}
			if owner != processID {
				v.Add(f, "err.translation_entity", "%s %d is not part of this process", string(t.Entity), t.EntityID)
			}
		}
		if len(v) > 0 {
			return v
		}
		for _, t := range tr {
			var err error
			if t.Text == "" {
				_, err = w.exec(ctx, "delete-translation", processID, string(t.Entity), t.EntityID, t.Field, t.Lang)
			} else {
				_, err = w.exec(ctx, "upsert-translation", processID, string(t.Entity), t.EntityID, t.Field, t.Lang, t.Text)
			}
			if err != nil {
				return fmt.Errorf("store: unable to store translation: %w", err)
			}
		}
		if len(tr) == 0 {
			return nil
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: processID, entityID: processID})
	})
}

// Translations returns every translation of a process's texts.
func (s *Store) Translations(ctx context.Context, processID int64) ([]participation.Translation, error) {
	out := []participation.Translation{}
	if err := s.sel(ctx, &out, "list-translations", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list translations: %w", err)
	}
	return out, nil
}
