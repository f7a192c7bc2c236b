package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

type documentPublished struct {
	Version int `json:"version"`
}

// PublishDocument stores the next version of a document component's text
// with its sections in the given order.
func (s *Store) PublishDocument(ctx context.Context, d participation.Document) (int, error) {
	if v := participation.ValidateDocument(d); len(v) > 0 {
		return 0, v
	}
	var version int
	err := s.write(ctx, func(w *Store) error {
		c, err := w.GetComponent(ctx, d.ComponentID)
		if err != nil {
			return err
		}
		if c.Kind != participation.KindDocument {
			return participation.Errorf(participation.CodeInvalid, "component_id", "err.wrong_component", "this is not a document component")
		}
		if _, err := w.editable(ctx, c.ProcessID); err != nil {
			return err
		}
		if err := w.get(ctx, &version, "next-document-version", d.ComponentID); err != nil {
			return fmt.Errorf("store: unable to number document: %w", err)
		}
		// Each section descends from the previous version's, so comments
		// stay on their lineage.
		var prev []participation.Section
		if version > 1 {
			if err := w.sel(ctx, &prev, "list-sections", d.ComponentID, version-1); err != nil {
				return fmt.Errorf("store: unable to read the previous version: %w", err)
			}
		}
		d.Sections = participation.MatchSections(prev, d.Sections)
		if _, err := w.exec(ctx, "insert-document", d.ComponentID, version, strings.TrimSpace(d.Title), w.now(ctx)); err != nil {
			return fmt.Errorf("store: unable to publish document: %w", err)
		}
		for i, sec := range d.Sections {
			id, err := w.insertID(ctx, "insert-section", d.ComponentID, version, i+1, strings.TrimSpace(sec.Heading), sec.Body, sec.LineageID, sec.Changed)
			if err != nil {
				return fmt.Errorf("store: unable to store section: %w", err)
			}
			if sec.LineageID == 0 {
				if _, err := w.exec(ctx, "set-section-lineage", id, id); err != nil {
					return fmt.Errorf("store: unable to start section lineage: %w", err)
				}
				continue
			}
			if sec.Changed {
				continue
			}
			for _, p := range prev {
				if p.LineageID == sec.LineageID {
					if _, err := w.exec(ctx, "copy-section-translations", id, p.ID); err != nil {
						return fmt.Errorf("store: unable to keep section translations: %w", err)
					}
				}
			}
		}
		return w.emit(ctx, event{typ: participation.EvDocumentPublished, processID: c.ProcessID, componentID: c.ID,
			entityID: c.ID, payload: documentPublished{version}})
	})
	return version, err
}

// GetDocument returns the latest version of a component's document.
func (s *Store) GetDocument(ctx context.Context, componentID int64) (participation.Document, error) {
	var d participation.Document
	if err := s.get(ctx, &d, "latest-document", componentID); err != nil {
		if noRows(err) {
			return d, notFound("component_id", "document")
		}
		return d, fmt.Errorf("store: unable to get document: %w", err)
	}
	d.CreatedAt = d.CreatedAt.UTC()
	if err := s.sel(ctx, &d.Sections, "list-sections", componentID, d.Version); err != nil {
		return d, fmt.Errorf("store: unable to list sections: %w", err)
	}
	return d, nil
}

// GetSection returns one section of any version.
func (s *Store) GetSection(ctx context.Context, id int64) (participation.Section, error) {
	var sec participation.Section
	if err := s.get(ctx, &sec, "get-section", id); err != nil {
		if noRows(err) {
			return sec, notFound("id", "section")
		}
		return sec, fmt.Errorf("store: unable to get section: %w", err)
	}
	return sec, nil
}
