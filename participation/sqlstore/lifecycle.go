package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
)

type processStateChanged struct {
	From   participation.State `json:"from"`
	To     participation.State `json:"to"`
	Reason string              `json:"reason"`
}

// Transition moves a process to another state. Inside a Batch (or another
// write) it runs in that transaction, so the phase jobs close a process
// through the same rules.
func (s *Store) Transition(ctx context.Context, processID int64, to participation.State, reason string) error {
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > participation.ClosedReasonMax {
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "reason", "err.too_long", "must be at most %d characters", participation.ClosedReasonMax)}
	}
	return s.write(ctx, func(w *Store) error {
		var st processState
		if err := w.get(ctx, &st, "lock-process-state", processID); err != nil {
			if noRows(err) {
				return notFound("process_id", "process")
			}
			return fmt.Errorf("store: unable to read process state: %w", err)
		}
		if err := participation.CheckTransition(st.State, to); err != nil {
			return err
		}
		if st.IsTemplate {
			return participation.Errorf(participation.CodeConflict, "state", "err.template_state", "a template stays a draft; copy it into a process first")
		}
		now := w.now(ctx)
		switch to {
		case participation.StatePublished:
			if err := w.ValidateForPublish(ctx, processID); err != nil {
				return err
			}
		case participation.StateClosed:
			var last []time.Time
			if err := w.sel(ctx, &last, "last-phase-end", processID); err != nil {
				return fmt.Errorf("store: unable to read phases: %w", err)
			}
			if len(last) > 0 && last[0].After(now) && reason == "" {
				return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "reason", "err.close_reason", "say why the process closes before its last phase ends")}
			}
		}
		// Closing records why and when; archiving keeps that record; going
		// back to draft or forward to published has none.
		var closedReason string
		var closedAt *time.Time
		switch to {
		case participation.StateClosed:
			closedReason, closedAt = reason, &now
		case participation.StateArchived:
			var cur processRow
			if err := w.get(ctx, &cur, "get-process", processID); err != nil {
				return fmt.Errorf("store: unable to read process: %w", err)
			}
			closedReason, closedAt = cur.ClosedReason, cur.ClosedAt
		}
		if _, err := w.exec(ctx, "set-process-state", string(to), to == participation.StatePublished, closedReason, closedAt, now, processID); err != nil {
			return fmt.Errorf("store: unable to change process state: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessState, processID: processID, entityID: processID,
			payload: processStateChanged{st.State, to, reason}})
	})
}

// ValidateForPublish lists every problem that keeps the process from being
// published (participation.CheckPublish), as ValidationErrors.
func (s *Store) ValidateForPublish(ctx context.Context, processID int64) error {
	p, docs, surveys, tr, err := s.setUp(ctx, processID)
	if err != nil {
		return err
	}
	return participation.CheckPublish(p, docs, surveys, tr).Err()
}

// setUp reads everything an official sets up for a process: the process
// with its notice, phases and components, the latest version of each
// document, each survey and the translations.
func (s *Store) setUp(ctx context.Context, processID int64) (participation.Process, []participation.Document, []participation.Survey, []participation.Translation, error) {
	p, err := s.GetProcess(ctx, processID, false)
	if err != nil {
		return p, nil, nil, nil, err
	}
	var docs []participation.Document
	var surveys []participation.Survey
	for _, c := range p.Components {
		switch c.Kind {
		case participation.KindDocument:
			d, err := s.GetDocument(ctx, c.ID)
			if participation.IsNotFound(err) {
				continue
			}
			if err != nil {
				return p, nil, nil, nil, err
			}
			docs = append(docs, d)
		case participation.KindSurvey:
			sv, err := s.GetSurvey(ctx, c.ID)
			if participation.IsNotFound(err) {
				continue
			}
			if err != nil {
				return p, nil, nil, nil, err
			}
			surveys = append(surveys, sv)
		}
	}
	tr, err := s.Translations(ctx, processID)
	return p, docs, surveys, tr, err
}

// ListTemplates returns the processes kept as templates, by title.
func (s *Store) ListTemplates(ctx context.Context) ([]participation.Process, error) {
	ps, err := s.listProcesses(ctx, "list-templates")
	if err != nil {
		return nil, fmt.Errorf("store: unable to list templates: %w", err)
	}
	return ps, nil
}

// ListRegionSets returns every region set with its regions, without GeoJSON.
func (s *Store) ListRegionSets(ctx context.Context) ([]participation.RegionSet, error) {
	var sets []participation.RegionSet
	if err := s.sel(ctx, &sets, "list-region-sets"); err != nil {
		return nil, fmt.Errorf("store: unable to list region sets: %w", err)
	}
	var regions []struct {
		SetID int64 `db:"region_set_id"`
		participation.Region
	}
	if err := s.sel(ctx, &regions, "list-all-regions"); err != nil {
		return nil, fmt.Errorf("store: unable to list regions: %w", err)
	}
	at := map[int64]int{}
	for i := range sets {
		at[sets[i].ID] = i
		sets[i].Regions = []participation.Region{}
	}
	for _, r := range regions {
		if i, ok := at[r.SetID]; ok {
			sets[i].Regions = append(sets[i].Regions, r.Region)
		}
	}
	if sets == nil {
		sets = []participation.RegionSet{}
	}
	return sets, nil
}

// CopyProcess copies a process's set-up into a new draft (or template):
// strategy, translations, region set, components with their settings, the
// latest version of each document, each survey, phases and the privacy
// notice. Nothing citizens contributed is copied.
func (s *Store) CopyProcess(ctx context.Context, fromID int64, slug, title string, asTemplate bool) (int64, error) {
	var id int64
	err := s.write(ctx, func(w *Store) error {
		p, docs, surveys, tr, err := w.setUp(ctx, fromID)
		if err != nil {
			return err
		}
		np := p
		np.ID, np.Slug, np.Published, np.IsTemplate = 0, slug, false, asTemplate
		if strings.TrimSpace(title) != "" {
			np.Title = title
		}
		if id, err = w.CreateProcess(ctx, np); err != nil {
			return err
		}
		// Old ids → new ones, per entity kind, to carry the translations.
		newID := map[participation.EntityKind]map[int64]int64{
			participation.EntityProcess: {fromID: id}, participation.EntityPhase: {}, participation.EntityComponent: {},
			participation.EntitySection: {}, participation.EntityQuestion: {},
		}
		if p.PrivacyNotice != nil {
			// The copy's agreement has the same text and terms; its fields
			// are the copy's own (the same set-up).
			n := participation.PrivacyNotice{Text: p.PrivacyNotice.Text, AgreementTerms: p.PrivacyNotice.AgreementTerms}
			if err := w.publishNotice(ctx, id, &n); err != nil {
				return err
			}
		}
		for _, c := range p.Components {
			nc := c
			nc.ID, nc.ProcessID = 0, id
			cid, err := w.AddComponent(ctx, nc)
			if err != nil {
				return err
			}
			newID[participation.EntityComponent][c.ID] = cid
		}
		for _, ph := range p.Phases {
			nph := ph
			nph.ID, nph.ProcessID, nph.OpenComponents = 0, id, nil
			for _, c := range ph.OpenComponents {
				nph.OpenComponents = append(nph.OpenComponents, newID[participation.EntityComponent][c])
			}
			pid, err := w.AddPhase(ctx, nph)
			if err != nil {
				return err
			}
			newID[participation.EntityPhase][ph.ID] = pid
		}
		for _, d := range docs {
			nd := participation.Document{ComponentID: newID[participation.EntityComponent][d.ComponentID], Title: d.Title}
			for _, sec := range d.Sections {
				nd.Sections = append(nd.Sections, participation.Section{Heading: sec.Heading, Body: sec.Body})
			}
			if _, err := w.PublishDocument(ctx, nd); err != nil {
				return err
			}
			copied, err := w.GetDocument(ctx, nd.ComponentID)
			if err != nil {
				return err
			}
			for i, sec := range d.Sections {
				newID[participation.EntitySection][sec.ID] = copied.Sections[i].ID
			}
		}
		for _, sv := range surveys {
			ns := participation.Survey{ComponentID: newID[participation.EntityComponent][sv.ComponentID], Pages: sv.Pages}
			for _, q := range sv.Questions {
				nq := q
				nq.ID, nq.ComponentID = 0, ns.ComponentID
				ns.Questions = append(ns.Questions, nq)
			}
			if err := w.SetSurvey(ctx, ns); err != nil {
				return err
			}
			copied, err := w.GetSurvey(ctx, ns.ComponentID)
			if err != nil {
				return err
			}
			for i, q := range sv.Questions {
				newID[participation.EntityQuestion][q.ID] = copied.Questions[i].ID
			}
		}
		var ntr []participation.Translation
		for _, t := range tr {
			if nid, ok := newID[t.Entity][t.EntityID]; ok {
				t.EntityID = nid
				ntr = append(ntr, t)
			}
		}
		return w.SetTranslations(ctx, id, ntr)
	})
	return id, err
}
