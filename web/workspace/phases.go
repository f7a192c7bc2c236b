package workspace

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
)

var phaseFields = []string{"name", "description", "starts_at", "ends_at", "open_components"}

func withVars(r *http.Request, vars map[string]string) *http.Request { return mux.SetURLVars(r, vars) }

// phaseValues is a phase's form, its times in the process's time zone.
func phaseValues(ph participation.Phase, loc *time.Location) url.Values {
	v := url.Values{}
	v.Set("name", ph.Name)
	v.Set("description", ph.Description)
	if !ph.StartsAt.IsZero() {
		v.Set("starts_at", formatPhaseTime(ph.StartsAt.In(loc)))
	}
	if !ph.EndsAt.IsZero() {
		v.Set("ends_at", formatPhaseTime(ph.EndsAt.In(loc)))
	}
	for _, id := range ph.OpenComponents {
		v.Add("open_components", itoa(id))
	}
	return v
}

// secondLayout is what a datetime-local field sends when its value holds
// seconds (a phase set to the second by the API or a process file, or a
// browser with step="1").
const secondLayout = "2006-01-02T15:04:05"

// formatPhaseTime shows a time to the minute, or to the second when it has
// seconds, so that saving the form again does not move the phase.
func formatPhaseTime(t time.Time) string {
	if t.Second() != 0 {
		return t.Format(secondLayout)
	}
	return t.Format(minuteLayout)
}

// parsePhaseTime reads a datetime-local value, with or without seconds.
func parsePhaseTime(s string, tz *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(minuteLayout, s, tz); err == nil {
		return t, nil
	}
	return time.ParseInLocation(secondLayout, s, tz)
}

type phasesData struct {
	P    participation.Process
	Loc  *time.Location
	F    map[int64]*form
	New  *form
	Zone string
	// Applied holds, per phase, the boundaries the job queue applied, as
	// "open"/"close" → time in the process's zone.
	Applied map[int64]map[string]string
}

func (ws *Workspace) phasesPage(w http.ResponseWriter, r *http.Request) {
	ws.renderPhases(w, r, http.StatusOK, func(*phasesData) {})
}

func (ws *Workspace) renderPhases(w http.ResponseWriter, r *http.Request, status int, edit func(*phasesData)) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	loc := zone(p.TimeZone)
	d := phasesData{P: p, Loc: loc, F: map[int64]*form{}, New: newForm(nil), Zone: loc.String(), Applied: map[int64]map[string]string{}}
	changes, err := ws.store.PhaseChanges(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	for _, c := range changes {
		if d.Applied[c.PhaseID] == nil {
			d.Applied[c.PhaseID] = map[string]string{}
		}
		d.Applied[c.PhaseID][c.Kind] = c.AppliedAt.In(loc).Format("2006-01-02 15:04:05")
	}
	for _, ph := range p.Phases {
		d.F[ph.ID] = newForm(phaseValues(ph, loc))
	}
	edit(&d)
	ws.render(w, r, status, "phases", ws.loc(r).T("phases.title"), d)
}

// readPhase reads a phase's form: times are typed in the process's time
// zone and stored in UTC.
func (ws *Workspace) readPhase(r *http.Request, f *form, p participation.Process, ph *participation.Phase) {
	loc := ws.loc(r)
	tz := zone(p.TimeZone)
	ph.Name, ph.Description = strings.TrimSpace(f.Get("name")), strings.TrimSpace(f.Get("description"))
	if ph.Name == "" {
		f.Errors["name"] = loc.T("err.required")
	}
	for _, k := range []string{"starts_at", "ends_at"} {
		t, err := parsePhaseTime(strings.TrimSpace(f.Get(k)), tz)
		if err != nil {
			f.Errors[k] = loc.T("err.datetime")
			continue
		}
		if k == "starts_at" {
			ph.StartsAt = t.UTC()
		} else {
			ph.EndsAt = t.UTC()
		}
	}
	if f.Errors["starts_at"] == "" && f.Errors["ends_at"] == "" && !ph.EndsAt.After(ph.StartsAt) {
		f.Errors["ends_at"] = loc.T("err.phase_dates")
	}
	ph.OpenComponents = nil
	for _, s := range f.All("open_components") {
		id, err := strconv.ParseInt(s, 10, 64)
		ok := false
		for _, c := range p.Components {
			ok = ok || c.ID == id
		}
		if err != nil || !ok {
			f.Errors["open_components"] = loc.T("err.choose")
			continue
		}
		ph.OpenComponents = append(ph.OpenComponents, id)
	}
}

// phaseErrors moves the store's messages about other phases (an overlap)
// beside the dates.
func phaseErrors(f *form) {
	for k, msg := range f.Errors {
		if !contains(phaseFields, k) {
			delete(f.Errors, k)
			add(f.Errors, "starts_at", msg)
		}
	}
}

func (ws *Workspace) addPhase(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	ph := participation.Phase{ProcessID: p.ID}
	ws.readPhase(r, f, p, &ph)
	ws.formWrite(w, r, f, func() (err error) {
		ph.ID, err = ws.store.AddPhase(r.Context(), ph)
		return err
	}, func() error {
		ws.schedule(r.Context(), r, p.ID)
		return ws.audit(r, "phase.add", p.ID, "phase:"+itoa(ph.ID), nil, ph)
	}, func(status int) {
		phaseErrors(f)
		ws.renderPhases(w, r, status, func(d *phasesData) { d.New = f })
	}, processPath(p.ID)+"/phases", "saved")
}

// phase is the {phase} of the route among the phases of its {process}.
func (ws *Workspace) phase(r *http.Request) (participation.Process, participation.Phase, error) {
	p, err := ws.process(r)
	if err != nil {
		return p, participation.Phase{}, err
	}
	id := varID(r, "phase")
	for _, ph := range p.Phases {
		if ph.ID == id {
			return p, ph, nil
		}
	}
	return p, participation.Phase{}, participation.Errorf(participation.CodeNotFound, "", "err.not_found", "no such phase")
}

func (ws *Workspace) savePhase(w http.ResponseWriter, r *http.Request) {
	p, before, err := ws.phase(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	ph := before
	ws.readPhase(r, f, p, &ph)
	ws.formWrite(w, r, f, func() error { return ws.store.UpdatePhase(r.Context(), ph) }, func() error {
		ws.schedule(r.Context(), r, p.ID)
		return ws.audit(r, "phase.update", p.ID, "phase:"+itoa(ph.ID), before, ph)
	}, func(status int) {
		phaseErrors(f)
		ws.renderPhases(w, r, status, func(d *phasesData) { d.F[ph.ID] = f })
	}, processPath(p.ID)+"/phases", "saved")
}

func (ws *Workspace) deletePhase(w http.ResponseWriter, r *http.Request) {
	p, ph, err := ws.phase(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	if f.Get("confirm") != "yes" {
		f.Errors["confirm"] = ws.loc(r).T("err.confirm")
	}
	ws.formWrite(w, r, f, func() error { return ws.store.DeletePhase(r.Context(), ph.ID) }, func() error {
		ws.schedule(r.Context(), r, p.ID)
		return ws.audit(r, "phase.delete", p.ID, "phase:"+itoa(ph.ID), ph, nil)
	}, func(status int) {
		ws.renderPhases(w, r, status, func(d *phasesData) { d.F[ph.ID].Errors = f.Errors })
	}, processPath(p.ID)+"/phases", "deleted")
}
