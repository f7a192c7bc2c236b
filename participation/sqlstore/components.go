package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// componentRow is a component as stored: its settings are JSON text.
type componentRow struct {
	participation.Component
	SettingsJSON string `db:"settings"`
}

func (r componentRow) component() (participation.Component, error) {
	c := r.Component
	if r.SettingsJSON != "" {
		var ps participation.ProposalSettings
		if err := json.Unmarshal([]byte(r.SettingsJSON), &ps); err != nil {
			return c, fmt.Errorf("store: component %d holds broken settings: %w", c.ID, err)
		}
		c.Proposals = &ps
	}
	return c, nil
}

// componentSettings checks a component and returns its settings as stored
// (JSON, ” for the defaults) and the support limit the statements read.
func componentSettings(c participation.Component) (string, int, error) {
	v := participation.ValidateComponent(c)
	if c.Proposals == nil {
		return "", 0, v.Err()
	}
	if c.Kind != participation.KindProposals {
		v.Add("proposals", "err.not_allowed", "only a proposals component takes proposal settings")
		return "", 0, v
	}
	v = append(v, participation.ValidateProposalSettings(*c.Proposals)...)
	if len(v) > 0 {
		return "", 0, v
	}
	b, err := json.Marshal(c.Proposals)
	if err != nil {
		return "", 0, fmt.Errorf("store: unable to encode settings: %w", err)
	}
	return string(b), c.Proposals.SupportLimit, nil
}

func (s *Store) components(ctx context.Context, processID int64) ([]participation.Component, error) {
	var rows []componentRow
	if err := s.sel(ctx, &rows, "list-components", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list components: %w", err)
	}
	out := make([]participation.Component, 0, len(rows))
	for _, r := range rows {
		c, err := r.component()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// processState is a process's place in its life.
type processState struct {
	State      participation.State `db:"state"`
	IsTemplate bool                `db:"is_template"`
}

// editable reads a process's state and refuses set-up writes to a closed
// or archived process: what citizens said there stays as they saw it.
func (s *Store) editable(ctx context.Context, processID int64) (processState, error) {
	var st processState
	if err := s.get(ctx, &st, "process-state", processID); err != nil {
		if noRows(err) {
			return st, notFound("process_id", "process")
		}
		return st, fmt.Errorf("store: unable to read process state: %w", err)
	}
	if st.State.ReadOnly() {
		return st, participation.Errorf(participation.CodeClosed, "", "err.process_closed", "this process is %s; it can no longer change", string(st.State))
	}
	return st, nil
}

// editableComponent returns a component whose process may still change.
func (s *Store) editableComponent(ctx context.Context, id int64) (participation.Component, error) {
	c, err := s.GetComponent(ctx, id)
	if err != nil {
		return c, err
	}
	_, err = s.editable(ctx, c.ProcessID)
	return c, err
}

// UpdateComponent changes a component's title, description and settings;
// its kind and process stay.
func (s *Store) UpdateComponent(ctx context.Context, c participation.Component) error {
	return s.write(ctx, func(w *Store) error {
		old, err := w.editableComponent(ctx, c.ID)
		if err != nil {
			return err
		}
		if c.Kind == "" {
			c.Kind = old.Kind
		}
		if c.Kind != old.Kind {
			return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "kind", "err.kind_fixed", "a component's kind cannot change")}
		}
		c.ProcessID = old.ProcessID
		settings, limit, err := componentSettings(c)
		if err != nil {
			return err
		}
		if _, err := w.exec(ctx, "update-component", strings.TrimSpace(c.Title), c.Description, settings, limit, c.ID); err != nil {
			return fmt.Errorf("store: unable to update component: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: old.ProcessID, componentID: c.ID, entityID: c.ID})
	})
}

// DeleteComponent removes a component that holds no contribution, with its
// document versions, survey, phase links and translations. One with
// contributions is CodeConflict: close it instead, so nothing citizens
// wrote is lost.
func (s *Store) DeleteComponent(ctx context.Context, id int64) error {
	return s.write(ctx, func(w *Store) error {
		c, err := w.editableComponent(ctx, id)
		if err != nil {
			return err
		}
		var n int
		if err := w.get(ctx, &n, "component-contributions", id, id, id); err != nil {
			return fmt.Errorf("store: unable to count contributions: %w", err)
		}
		if n > 0 {
			return participation.Errorf(participation.CodeConflict, "", "err.component_used", "this component has %d contributions; close it instead of deleting it", n)
		}
		// Children first, explicitly: SQLite enforces no cascade unless
		// foreign keys are switched on, and the order is the same on both.
		for _, st := range []string{"delete-component-section-translations", "delete-component-question-translations",
			"delete-component-phase-links", "delete-component-questions", "delete-component-survey",
			"delete-component-sections", "delete-component-documents"} {
			if _, err := w.exec(ctx, st, id); err != nil {
				return fmt.Errorf("store: unable to delete component (%s): %w", st, err)
			}
		}
		if _, err := w.exec(ctx, "delete-entity-translations", string(participation.EntityComponent), id); err != nil {
			return fmt.Errorf("store: unable to delete component translations: %w", err)
		}
		if _, err := w.exec(ctx, "delete-component", id); err != nil {
			return fmt.Errorf("store: unable to delete component: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: c.ProcessID, componentID: id, entityID: id})
	})
}

// MoveComponent moves a component delta places in its process's order
// (negative: earlier), stopping at either end, and renumbers them 1…n.
func (s *Store) MoveComponent(ctx context.Context, id int64, delta int) error {
	return s.write(ctx, func(w *Store) error {
		c, err := w.editableComponent(ctx, id)
		if err != nil {
			return err
		}
		all, err := w.components(ctx, c.ProcessID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(all))
		for i, x := range all {
			ids[i] = x.ID
		}
		for i, x := range moved(ids, id, delta) {
			if _, err := w.exec(ctx, "set-component-position", i+1, x); err != nil {
				return fmt.Errorf("store: unable to move component: %w", err)
			}
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: c.ProcessID, componentID: id, entityID: id})
	})
}

// moved returns ids with id moved delta places, clamped to the ends.
func moved(ids []int64, id int64, delta int) []int64 {
	from := -1
	for i, x := range ids {
		if x == id {
			from = i
		}
	}
	if from < 0 {
		return ids
	}
	to := min(max(from+delta, 0), len(ids)-1)
	out := append([]int64{}, ids[:from]...)
	out = append(out, ids[from+1:]...)
	out = append(out[:to], append([]int64{id}, out[to:]...)...)
	return out
}

// checkPhase checks a phase against its process: the process may change,
// its open components belong to it, and no other phase overlaps it.
func (s *Store) checkPhase(ctx context.Context, ph participation.Phase) error {
	if _, err := s.editable(ctx, ph.ProcessID); err != nil {
		return err
	}
	for _, c := range ph.OpenComponents {
		var owner int64
		if err := s.get(ctx, &owner, "component-process", c); err != nil && !noRows(err) {
			return fmt.Errorf("store: unable to check component: %w", err)
		}
		if owner != ph.ProcessID {
			return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "open_components", "err.unknown_component", "component %d is not part of this process", c)}
		}
	}
	others, err := s.phases(ctx, ph.ProcessID)
	if err != nil {
		return err
	}
	all := []participation.Phase{ph}
	for _, o := range others {
		if o.ID != ph.ID {
			all = append(all, o)
		}
	}
	return participation.CheckPhases(all).Err()
}

// openComponents sets the components a phase opens.
func (s *Store) openComponents(ctx context.Context, phaseID int64, components []int64) error {
	seen := map[int64]bool{}
	for _, c := range components {
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, err := s.exec(ctx, "insert-phase-component", phaseID, c); err != nil {
			return fmt.Errorf("store: unable to open component in phase: %w", err)
		}
	}
	return nil
}

func (s *Store) getPhase(ctx context.Context, id int64) (participation.Phase, error) {
	var ph participation.Phase
	if err := s.get(ctx, &ph, "get-phase", id); err != nil {
		if noRows(err) {
			return ph, notFound("id", "phase")
		}
		return ph, fmt.Errorf("store: unable to get phase: %w", err)
	}
	return ph, nil
}

// UpdatePhase changes a phase's name, description, dates, position and the
// components it opens (OpenComponents replaces them).
func (s *Store) UpdatePhase(ctx context.Context, ph participation.Phase) error {
	if v := participation.ValidatePhase(ph); len(v) > 0 {
		return v
	}
	return s.write(ctx, func(w *Store) error {
		old, err := w.getPhase(ctx, ph.ID)
		if err != nil {
			return err
		}
		ph.ProcessID = old.ProcessID
		if err := w.checkPhase(ctx, ph); err != nil {
			return err
		}
		if ph.Position == 0 {
			ph.Position = old.Position
		}
		if _, err := w.exec(ctx, "update-phase", ph.Position, strings.TrimSpace(ph.Name), ph.Description, ph.StartsAt.UTC(), ph.EndsAt.UTC(), ph.ID); err != nil {
			return fmt.Errorf("store: unable to update phase: %w", err)
		}
		if _, err := w.exec(ctx, "delete-phase-components", ph.ID); err != nil {
			return fmt.Errorf("store: unable to update phase components: %w", err)
		}
		if err := w.openComponents(ctx, ph.ID, ph.OpenComponents); err != nil {
			return err
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: ph.ProcessID, entityID: ph.ID})
	})
}

// DeletePhase removes a phase and its translations; the components it
// opened stay.
func (s *Store) DeletePhase(ctx context.Context, id int64) error {
	return s.write(ctx, func(w *Store) error {
		ph, err := w.getPhase(ctx, id)
		if err != nil {
			return err
		}
		if _, err := w.editable(ctx, ph.ProcessID); err != nil {
			return err
		}
		for _, st := range []string{"delete-phase-components", "delete-phase"} {
			if _, err := w.exec(ctx, st, id); err != nil {
				return fmt.Errorf("store: unable to delete phase: %w", err)
			}
		}
		if _, err := w.exec(ctx, "delete-entity-translations", string(participation.EntityPhase), id); err != nil {
			return fmt.Errorf("store: unable to delete phase translations: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: ph.ProcessID, entityID: id})
	})
}
