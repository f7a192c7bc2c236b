package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// CreateRegionSet stores a region set and its regions in the given order.
// Parent codes must be codes of the set; GeoJSON, when given, is checked
// and stored normalised (see participation.CheckGeoJSON).
func (s *Store) CreateRegionSet(ctx context.Context, rs participation.RegionSet) (int64, error) {
	v := participation.ValidateRegionSet(rs)
	codes := make([]string, 0, len(rs.Regions))
	known := map[string]bool{}
	for _, r := range rs.Regions {
		codes = append(codes, r.Code)
		known[r.Code] = true
	}
	for _, r := range rs.Regions {
		if r.ParentCode != "" && (!known[r.ParentCode] || r.ParentCode == r.Code) {
			v.Add("regions", "err.unknown_parent", "the parent %q of %q is not another region of the set", r.ParentCode, r.Code)
		}
	}
	if len(v) > 0 {
		return 0, v
	}
	geo := ""
	if len(rs.GeoJSON) > 0 {
		g, err := participation.CheckGeoJSON(rs.GeoJSON, codes, participation.MaxGeoJSONBytes)
		if err != nil {
			return 0, err
		}
		geo = string(g)
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		var err error
		id, err = w.insertID(ctx, "insert-region-set", rs.Name, rs.Source, geo)
		if err != nil {
			return fmt.Errorf("store: unable to create region set: %w", err)
		}
		for i, r := range rs.Regions {
			if _, err := w.exec(ctx, "insert-region", id, r.Code, r.Name, r.Population, i, r.ParentCode); err != nil {
				return fmt.Errorf("store: unable to add region %s: %w", r.Code, err)
			}
		}
		return nil
	})
	return id, err
}

// GetRegionSet returns a region set with its regions in their stored order.
// FillRegionSetMap gives region set id the map geojson, checked and
// normalised as at creation, when it has none; a set with a map keeps its
// own. It reports whether it filled one, so a start-up step can run it on
// every start (sets made before the ready-made Kenya set carried its map).
func (s *Store) FillRegionSetMap(ctx context.Context, id int64, geojson []byte) (bool, error) {
	rs, err := s.GetRegionSet(ctx, id)
	if err != nil || len(rs.GeoJSON) > 0 {
		return false, err
	}
	codes := make([]string, len(rs.Regions))
	for i, r := range rs.Regions {
		codes[i] = r.Code
	}
	g, err := participation.CheckGeoJSON(geojson, codes, participation.MaxGeoJSONBytes)
	if err != nil {
		return false, err
	}
	var n int64
	err = s.write(ctx, func(w *Store) error {
		var err error
		if n, err = w.exec(ctx, "fill-region-set-map", string(g), id); err != nil {
			return fmt.Errorf("store: unable to fill the map of region set %d: %w", id, err)
		}
		return nil
	})
	return n > 0, err
}

func (s *Store) GetRegionSet(ctx context.Context, id int64) (participation.RegionSet, error) {
	var row struct {
		participation.RegionSet
		GeoJSON string `db:"geojson"`
	}
	if err := s.get(ctx, &row, "get-region-set", id); err != nil {
		if noRows(err) {
			return row.RegionSet, notFound("region_set_id", "region set")
		}
		return row.RegionSet, fmt.Errorf("store: unable to get region set: %w", err)
	}
	rs := row.RegionSet
	if row.GeoJSON != "" {
		rs.GeoJSON = json.RawMessage(row.GeoJSON)
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
	FaceToFaceJSON     string `db:"face_to_face"`
	FieldReasonsJSON   string `db:"field_reasons"`
}

func (r processRow) process() (participation.Process, error) {
	p := r.Process
	for _, f := range []struct {
		text string
		dst  any
	}{{r.OfficialsJSON, &p.Officials}, {r.LanguagesJSON, &p.Languages}, {r.PersonalFieldsJSON, &p.PersonalFields},
		{r.FaceToFaceJSON, &p.FaceToFace}, {r.FieldReasonsJSON, &p.FieldReasons}} {
		if err := json.Unmarshal([]byte(f.text), f.dst); err != nil {
			return p, fmt.Errorf("store: process %d holds a broken list: %w", p.ID, err)
		}
	}
	p.StartsAt, p.EndsAt, p.CreatedAt, p.UpdatedAt = p.StartsAt.UTC(), p.EndsAt.UTC(), p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if p.ClosedAt != nil {
		t := p.ClosedAt.UTC()
		p.ClosedAt = &t
	}
	if p.FieldReasons == nil {
		p.FieldReasons = map[participation.PersonalField]string{}
	}
	if p.FaceToFace == nil {
		p.FaceToFace = []string{}
	}
	p.Published = p.State == participation.StatePublished
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
	v = append(v, participation.ValidateStrategy(p)...)
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
		nullID(p.RegionSetID), p.TargetParticipants, jsonList(p.FaceToFace), jsonMap(p.FieldReasons), p.IsTemplate}
}

func jsonMap[K comparable, V any](m map[K]V) string {
	if m == nil {
		return "{}"
	}
	b, _ := json.Marshal(m)
	return string(b)
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
		// Processes start as drafts; Published (kept for importers and the
		// demo) creates one published at once.
		state := participation.StateDraft
		if p.Published && !p.IsTemplate {
			state = participation.StatePublished
		}
		args := append(processArgs(p), state == participation.StatePublished, string(state), now, now)
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

// UpdateProcess replaces a process's strategy fields (not its state). A
// closed or archived process is read-only (CodeClosed); only a draft can
// become a template.
func (s *Store) UpdateProcess(ctx context.Context, p participation.Process) error {
	return s.write(ctx, func(w *Store) error {
		st, err := w.editable(ctx, p.ID)
		if err != nil {
			return err
		}
		if p.IsTemplate && st.State != participation.StateDraft {
			return participation.Errorf(participation.CodeConflict, "is_template", "err.template_state", "only a draft can become a template")
		}
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

// SetPublished publishes a process (state published) or takes it back to
// draft, without the checks of Transition: importers, the demo and tests
// load processes whose state they decide. Officials go through Transition.
func (s *Store) SetPublished(ctx context.Context, processID int64, published bool) error {
	state := participation.StateDraft
	if published {
		state = participation.StatePublished
	}
	return s.write(ctx, func(w *Store) error {
		n, err := w.exec(ctx, "set-published", published, string(state), w.now(ctx), processID)
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
	if onlyPublished && (!r.State.CitizenVisible() || r.IsTemplate) {
		return participation.Process{}, notFound("id", "process")
	}
	p, err := r.process()
	if err != nil {
		return p, err
	}
	if p.PrivacyNotice, err = s.latestNotice(ctx, p.ID); err != nil {
		return p, err
	}
	if p.Phases, err = s.phases(ctx, p.ID); err != nil {
		return p, err
	}
	if p.Components, err = s.components(ctx, p.ID); err != nil {
		return p, err
	}
	if p.Criteria, err = s.Criteria(ctx, p.ID); err != nil {
		return p, err
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
// components or notice, and without templates. onlyPublished keeps those
// citizens see: published, closed and archived.
func (s *Store) ListProcesses(ctx context.Context, onlyPublished bool) ([]participation.Process, error) {
	stmt := "list-processes"
	if onlyPublished {
		stmt = "list-published-processes"
	}
	ps, err := s.listProcesses(ctx, stmt)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list processes: %w", err)
	}
	return ps, nil
}

// listProcesses runs a named statement that selects process rows.
func (s *Store) listProcesses(ctx context.Context, stmt string) ([]participation.Process, error) {
	var rows []processRow
	if err := s.sel(ctx, &rows, stmt); err != nil {
		return nil, err
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

// PublishPrivacyNotice adds the next version of a process's notice with a
// new text; the agreement's other terms stay those of the current version
// (none for the first). Officials publish whole agreements through
// PublishDataAgreement (consent.go).
func (s *Store) PublishPrivacyNotice(ctx context.Context, processID int64, text string) (participation.PrivacyNotice, error) {
	n := participation.PrivacyNotice{ProcessID: processID, Text: strings.TrimSpace(text)}
	if n.Text == "" {
		return n, participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "text", "err.required", "is required")}
	}
	err := s.write(ctx, func(w *Store) error {
		current, err := w.latestNotice(ctx, processID)
		if err != nil {
			return err
		}
		if current != nil {
			n.AgreementTerms = current.AgreementTerms
		}
		return w.publishNotice(ctx, processID, &n)
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

// AddPhase adds a phase; its OpenComponents must belong to the process
// and it may not overlap another phase.
func (s *Store) AddPhase(ctx context.Context, ph participation.Phase) (int64, error) {
	if v := participation.ValidatePhase(ph); len(v) > 0 {
		return 0, v
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		if err := w.checkPhase(ctx, ph); err != nil {
			return err
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
		if err := w.openComponents(ctx, id, ph.OpenComponents); err != nil {
			return err
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: ph.ProcessID, entityID: id})
	})
	return id, err
}

// AddComponent adds a participation tool to a process, with its settings.
func (s *Store) AddComponent(ctx context.Context, c participation.Component) (int64, error) {
	settings, limit, err := componentSettings(c)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(w *Store) error {
		if _, err := w.editable(ctx, c.ProcessID); err != nil {
			return err
		}
		pos := c.Position
		if pos == 0 {
			if err := w.get(ctx, &pos, "next-component-position", c.ProcessID); err != nil {
				return fmt.Errorf("store: unable to number component: %w", err)
			}
		}
		var err error
		if id, err = w.insertID(ctx, "insert-component", c.ProcessID, string(c.Kind), pos, strings.TrimSpace(c.Title), c.Description, settings, limit); err != nil {
			return fmt.Errorf("store: unable to add component: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: c.ProcessID, componentID: id, entityID: id})
	})
	return id, err
}

// GetComponent returns one component with its settings.
func (s *Store) GetComponent(ctx context.Context, id int64) (participation.Component, error) {
	var r componentRow
	if err := s.get(ctx, &r, "get-component", id); err != nil {
		if noRows(err) {
			return r.Component, notFound("component_id", "component")
		}
		return r.Component, fmt.Errorf("store: unable to get component: %w", err)
	}
	return r.component()
}

func jsonInto(text string, dst any) error {
	if err := json.Unmarshal([]byte(text), dst); err != nil {
		return fmt.Errorf("store: broken JSON list: %w", err)
	}
	return nil
}
