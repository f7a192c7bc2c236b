package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// CreateRegionSet stores a region set and its regions in the given order.
func (s *Store) CreateRegionSet(ctx context.Context, rs participation.RegionSet) (int64, error) {
	if v := participation.ValidateRegionSet(rs); len(v) > 0 {
		return 0, v
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		var err error
		id, err = w.insertID(ctx, "insert-region-set", rs.Name, rs.Source)
		if err != nil {
			return fmt.Errorf("store: unable to create region set: %w", err)
		}
		for i, r := range rs.Regions {
			if _, err := w.exec(ctx, "insert-region", id, r.Code, r.Name, r.Population, i); err != nil {
				return fmt.Errorf("store: unable to add region %s: %w", r.Code, err)
			}
		}
		return nil
	})
	return id, err
}

// GetRegionSet returns a region set with its regions in their stored order.
func (s *Store) GetRegionSet(ctx context.Context, id int64) (participation.RegionSet, error) {
	var rs participation.RegionSet
	if err := s.get(ctx, &rs, "get-region-set", id); err != nil {
		if noRows(err) {
			return rs, notFound("region_set_id", "region set")
		}
		return rs, fmt.Errorf("store: unable to get region set: %w", err)
	}
	if err := s.sel(ctx, &rs.Regions, "list-regions", id); err != nil {
		return rs, fmt.Errorf("store: unable to list regions: %w", err)
	}
	return rs, nil
}

// knownRegion returns {code: true} when code belongs to the process's region
// set and an empty set otherwise: what the validators need, without reading
// all 47 (or 1,450) regions on every write.
func (s *Store) knownRegion(ctx context.Context, processID int64, code string) (map[string]bool, error) {
	if code == "" {
		return nil, nil
	}
	var n int
	if err := s.get(ctx, &n, "process-has-region", processID, code); err != nil {
		return nil, fmt.Errorf("store: unable to check region: %w", err)
	}
	return map[string]bool{code: n > 0}, nil
}

// processRow is a process as stored: list fields are JSON text.
type processRow struct {
	participation.Process
	OfficialsJSON      string `db:"officials"`
	LanguagesJSON      string `db:"languages"`
	PersonalFieldsJSON string `db:"personal_fields"`
}

func (r processRow) process() (participation.Process, error) {
	p := r.Process
	for _, f := range []struct {
		text string
		dst  any
	}{{r.OfficialsJSON, &p.Officials}, {r.LanguagesJSON, &p.Languages}, {r.PersonalFieldsJSON, &p.PersonalFields}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return p, fmt.Errorf("store: process %d holds a broken list: %w", p.ID, err)
		}
	}
	p.StartsAt, p.EndsAt, p.CreatedAt, p.UpdatedAt = p.StartsAt.UTC(), p.EndsAt.UTC(), p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return p, nil
}

func jsonList[T any](list []T) string {
	if list == nil {
		return "[]"
	}
	b, _ := json.Marshal(list)
	return string(b)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (s *Store) checkProcess(ctx context.Context, p participation.Process) error {
	v := participation.ValidateProcess(p)
	if p.RegionSetID != 0 {
		var n int
		if err := s.get(ctx, &n, "region-set-exists", p.RegionSetID); err != nil {
			return fmt.Errorf("store: unable to check region set: %w", err)
		}
		if n == 0 {
			v.Add("region_set_id", "err.not_found", "region set not found")
		}
	}
	return v.Err()
}

func processArgs(p participation.Process) []any {
	tz := p.TimeZone
	if tz == "" {
		tz = "UTC"
	}
	return []any{p.Slug, strings.TrimSpace(p.Title), p.Summary, p.Objective, string(p.Level), p.Sector, string(p.Scope),
		p.BudgetMinor, p.Currency, p.StartsAt.UTC(), p.EndsAt.UTC(), jsonList(p.Officials), p.ExpectedOutcome,
		p.FeedbackMethod, jsonList(p.Languages), tz, string(p.Mode), jsonList(p.PersonalFields),
		nullID(p.RegionSetID), p.TargetParticipants}
}

// CreateProcess stores a draft process's strategy fields.
func (s *Store) CreateProcess(ctx context.Context, p participation.Process) (int64, error) {
	var id int64
	err := s.write(ctx, func(w *Store) error {
		if err := w.checkProcess(ctx, p); err != nil {
			return err
		}
		var n int
		if err := w.get(ctx, &n, "slug-taken", p.Slug, int64(0)); err != nil {
			return fmt.Errorf("store: unable to check slug: %w", err)
		}
		if n > 0 {
			return participation.Errorf(participation.CodeDuplicate, "slug", "err.slug_taken", "another process uses this address")
		}
		now := w.now(ctx)
		args := append(processArgs(p), p.Published, now, now)
		var err error
		if id, err = w.insertID(ctx, "insert-process", args...); err != nil {
			if isUnique(err) {
				return participation.Errorf(participation.CodeDuplicate, "slug", "err.slug_taken", "another process uses this address")
			}
			return fmt.Errorf("store: unable to create process: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: id, entityID: id})
	})
	return id, err
}

// UpdateProcess replaces a process's strategy fields (not its publication).
func (s *Store) UpdateProcess(ctx context.Context, p participation.Process) error {
	return s.write(ctx, func(w *Store) error {
		if err := w.checkProcess(ctx, p); err != nil {
			return err
		}
		var n int
		if err := w.get(ctx, &n, "slug-taken", p.Slug, p.ID); err != nil {
			return fmt.Errorf("store: unable to check slug: %w", err)
		}
		if n > 0 {
			return participation.Errorf(participation.CodeDuplicate, "slug", "err.slug_taken", "another process uses this address")
		}
		args := append(processArgs(p), w.now(ctx), p.ID)
		n64, err := w.exec(ctx, "update-process", args...)
		if err != nil {
			return fmt.Errorf("store: unable to update process: %w", err)
		}
		if n64 == 0 {
			return notFound("id", "process")
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: p.ID, entityID: p.ID})
	})
}

// SetPublished publishes or withdraws a process.
func (s *Store) SetPublished(ctx context.Context, processID int64, published bool) error {
	return s.write(ctx, func(w *Store) error {
		n, err := w.exec(ctx, "set-published", published, w.now(ctx), processID)
		if err != nil {
			return fmt.Errorf("store: unable to publish process: %w", err)
		}
		if n == 0 {
			return notFound("id", "process")
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: processID, entityID: processID})
	})
}

// GetProcess returns a process with its latest privacy notice, phases and
// components.
func (s *Store) GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error) {
	return s.getProcess(ctx, "get-process", id, onlyPublished)
}

// GetProcessBySlug is GetProcess by the process's address.
func (s *Store) GetProcessBySlug(ctx context.Context, slug string, onlyPublished bool) (participation.Process, error) {
	return s.getProcess(ctx, "get-process-by-slug", slug, onlyPublished)
}

func (s *Store) getProcess(ctx context.Context, stmt string, key any, onlyPublished bool) (participation.Process, error) {
	var r processRow
	if err := s.get(ctx, &r, stmt, key); err != nil {
		if noRows(err) {
			return participation.Process{}, notFound("id", "process")
		}
		return participation.Process{}, fmt.Errorf("store: unable to get process: %w", err)
	}
	if onlyPublished && !r.Published {
		return participation.Process{}, notFound("id", "process")
	}
	p, err := r.process()
	if err != nil {
		return p, err
	}
	var notices []participation.PrivacyNotice
	if err := s.sel(ctx, &notices, "latest-privacy-notice", p.ID); err != nil {
		return p, fmt.Errorf("store: unable to get privacy notice: %w", err)
	}
	if len(notices) > 0 {
		n := notices[0]
		n.PublishedAt = n.PublishedAt.UTC()
		p.PrivacyNotice = &n
	}
	if p.Phases, err = s.phases(ctx, p.ID); err != nil {
		return p, err
	}
	if err := s.sel(ctx, &p.Components, "list-components", p.ID); err != nil {
		return p, fmt.Errorf("store: unable to list components: %w", err)
	}
	return p, nil
}

func (s *Store) phases(ctx context.Context, processID int64) ([]participation.Phase, error) {
	var phases []participation.Phase
	if err := s.sel(ctx, &phases, "list-phases", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list phases: %w", err)
	}
	var links []struct {
		PhaseID     int64 `db:"phase_id"`
		ComponentID int64 `db:"component_id"`
	}
	if err := s.sel(ctx, &links, "list-phase-components", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list phase components: %w", err)
	}
	for i := range phases {
		phases[i].StartsAt, phases[i].EndsAt = phases[i].StartsAt.UTC(), phases[i].EndsAt.UTC()
		phases[i].OpenComponents = []int64{}
		for _, l := range links {
			if l.PhaseID == phases[i].ID {
				phases[i].OpenComponents = append(phases[i].OpenComponents, l.ComponentID)
			}
		}
	}
	return phases, nil
}

// ListProcesses returns processes newest first, without their phases,
// components or notice.
func (s *Store) ListProcesses(ctx context.Context, onlyPublished bool) ([]participation.Process, error) {
	stmt := "list-processes"
	if onlyPublished {
		stmt = "list-published-processes"
	}
	var rows []processRow
	if err := s.sel(ctx, &rows, stmt); err != nil {
		return nil, fmt.Errorf("store: unable to list processes: %w", err)
	}
	out := make([]participation.Process, 0, len(rows))
	for _, r := range rows {
		p, err := r.process()
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, nil
}

// PublishPrivacyNotice adds the next version of a process's notice.
func (s *Store) PublishPrivacyNotice(ctx context.Context, processID int64, text string) (participation.PrivacyNotice, error) {
	n := participation.PrivacyNotice{ProcessID: processID, Text: text}
	if strings.TrimSpace(text) == "" {
		return n, participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "text", "err.required", "is required")}
	}
	err := s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, processID); err != nil {
			return err
		}
		if err := w.get(ctx, &n.Version, "next-notice-version", processID); err != nil {
			return fmt.Errorf("store: unable to number privacy notice: %w", err)
		}
		n.PublishedAt = w.now(ctx)
		if _, err := w.exec(ctx, "insert-privacy-notice", processID, n.Version, text, n.PublishedAt); err != nil {
			return fmt.Errorf("store: unable to publish privacy notice: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: processID, entityID: processID})
	})
	return n, err
}

func (s *Store) processExists(ctx context.Context, id int64) error {
	var n int
	if err := s.get(ctx, &n, "process-exists", id); err != nil {
		return fmt.Errorf("store: unable to find process: %w", err)
	}
	if n == 0 {
		return notFound("process_id", "process")
	}
	return nil
}

// AddPhase adds a phase; its OpenComponents must belong to the process.
func (s *Store) AddPhase(ctx context.Context, ph participation.Phase) (int64, error) {
	if v := participation.ValidatePhase(ph); len(v) > 0 {
		return 0, v
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, ph.ProcessID); err != nil {
			return err
		}
		for _, c := range ph.OpenComponents {
			var owner int64
			if err := w.get(ctx, &owner, "component-process", c); err != nil && !noRows(err) {
				return fmt.Errorf("store: unable to check component: %w", err)
			}
			if owner != ph.ProcessID {
				return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "open_components", "err.unknown_component", "component %d is not part of this process", c)}
			}
		}
		pos := ph.Position
		if pos == 0 {
			if err := w.get(ctx, &pos, "next-phase-position", ph.ProcessID); err != nil {
				return fmt.Errorf("store: unable to number phase: %w", err)
			}
		}
		var err error
		if id, err = w.insertID(ctx, "insert-phase", ph.ProcessID, pos, strings.TrimSpace(ph.Name), ph.Description, ph.StartsAt.UTC(), ph.EndsAt.UTC()); err != nil {
			return fmt.Errorf("store: unable to add phase: %w", err)
		}
		seen := map[int64]bool{}
		for _, c := range ph.OpenComponents {
			if seen[c] {
				continue
			}
			seen[c] = true
			if _, err := w.exec(ctx, "insert-phase-component", id, c); err != nil {
				return fmt.Errorf("store: unable to open component in phase: %w", err)
			}
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: ph.ProcessID, entityID: id})
	})
	return id, err
}

// AddComponent adds a participation tool to a process.
func (s *Store) AddComponent(ctx context.Context, c participation.Component) (int64, error) {
	if v := participation.ValidateComponent(c); len(v) > 0 {
		return 0, v
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, c.ProcessID); err != nil {
			return err
		}
		pos := c.Position
		if pos == 0 {
			if err := w.get(ctx, &pos, "next-component-position", c.ProcessID); err != nil {
				return fmt.Errorf("store: unable to number component: %w", err)
			}
		}
		var err error
		if id, err = w.insertID(ctx, "insert-component", c.ProcessID, string(c.Kind), pos, strings.TrimSpace(c.Title), c.Description); err != nil {
			return fmt.Errorf("store: unable to add component: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: c.ProcessID, componentID: id, entityID: id})
	})
	return id, err
}

// GetComponent returns one component.
func (s *Store) GetComponent(ctx context.Context, id int64) (participation.Component, error) {
	var c participation.Component
	if err := s.get(ctx, &c, "get-component", id); err != nil {
		if noRows(err) {
			return c, notFound("component_id", "component")
		}
		return c, fmt.Errorf("store: unable to get component: %w", err)
	}
	return c, nil
}

func jsonInto(text string, dst any) error {
	if err := json.Unmarshal([]byte(text), dst); err != nil {
		return fmt.Errorf("store: broken JSON list: %w", err)
	}
	return nil
}
