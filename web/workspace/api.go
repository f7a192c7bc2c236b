package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// decode reads a JSON body strictly: an unknown field is refused, so a
// misspelt key is not silently dropped.
func (ws *Workspace) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			ws.fail(w, r, err)
			return false
		}
		msg := ws.loc(r).T("err.bad_json")
		if errors.Is(err, io.EOF) {
			msg = ws.loc(r).T("err.empty_body")
		} else if strings.HasPrefix(err.Error(), "json: unknown field") {
			msg = ws.loc(r).T("err.unknown_field", strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`))
		}
		ws.failMessage(w, r, http.StatusBadRequest, msg, nil)
		return false
	}
	return true
}

func (ws *Workspace) apiFail(w http.ResponseWriter, r *http.Request, err error) {
	if m, ok := ws.fieldErrors(r, err); ok && participation.ErrorCode(err) != participation.CodeConflict {
		alias(m)
		ws.failMessage(w, r, http.StatusUnprocessableEntity, ws.loc(r).T("err.invalid"), m)
		return
	}
	ws.fail(w, r, err)
}

// apiWrite finishes every staff API write once its body is read and
// checked, so they all answer alike: write is the store call (a refusal is
// answered by apiFail: the refused fields as 422), record is what must
// follow it (the audit entry; failing that is a 500, since the footer
// promises every change is recorded), then answer tells of the success.
func (ws *Workspace) apiWrite(w http.ResponseWriter, r *http.Request, write, record func() error, answer http.HandlerFunc) {
	if err := write(); err != nil {
		ws.apiFail(w, r, err)
		return
	}
	if err := record(); err != nil {
		ws.fail(w, r, err)
		return
	}
	answer(w, r)
}

// answerJSON answers status with v as it is once the write has run (pass a
// pointer to what the write fills in).
func answerJSON(status int, v any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { writeJSON(w, status, "application/json", v) }
}

// answerRead answers status with what get reads back after the write: the
// stored row, with what the store filled in.
func (ws *Workspace) answerRead(status int, get func() (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := get()
		if err != nil {
			ws.fail(w, r, err)
			return
		}
		writeJSON(w, status, "application/json", v)
	}
}

func noContent(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) }

// refused answers locally checked fields as 422.
func (ws *Workspace) refused(w http.ResponseWriter, r *http.Request, m map[string]string) {
	ws.failMessage(w, r, http.StatusUnprocessableEntity, ws.loc(r).T("err.invalid"), m)
}

// setupView is the whole set-up as the API returns it.
type setupView struct {
	Process      participation.Process       `json:"process"`
	Translations []participation.Translation `json:"translations"`
	Missing      []participation.Missing     `json:"missing"`
	Problems     []map[string]string         `json:"problems"`
	Next         []participation.State       `json:"next_states"`
}

func (ws *Workspace) apiSetup(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	_, docs, surveys, err := ws.content(r, p)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	tr, err := ws.store.Translations(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	v := setupView{Process: p, Translations: tr, Missing: participation.Untranslated(p, docs, surveys, tr),
		Problems: []map[string]string{}}
	for _, s := range participation.AllStates {
		if participation.CheckTransition(p.State, s) == nil {
			v.Next = append(v.Next, s)
		}
	}
	if p.State == participation.StateDraft || p.State == participation.StatePreview {
		if err := ws.store.ValidateForPublish(r.Context(), p.ID); err != nil {
			var ve participation.ValidationErrors
			if !errors.As(err, &ve) {
				ws.fail(w, r, err)
				return
			}
			for _, e := range ve {
				v.Problems = append(v.Problems, map[string]string{"field": e.Field, "message": ws.translate(r, e)})
			}
		}
	}
	writeJSON(w, http.StatusOK, "application/json", v)
}

func (ws *Workspace) apiCreate(w http.ResponseWriter, r *http.Request) {
	var in struct {
		participation.Process
		Template int64 `json:"template,omitempty"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	var id int64
	var after participation.Process
	ws.apiWrite(w, r, func() (err error) {
		if in.Template > 0 {
			id, err = ws.store.CopyProcess(r.Context(), in.Template, in.Slug, in.Title, false)
			return err
		}
		p := in.Process
		p.State, p.IsTemplate, p.Published = participation.StateDraft, false, false
		id, err = ws.store.CreateProcess(r.Context(), p)
		return err
	}, func() (err error) {
		// The creator gets a role on the new process before it is recorded.
		if after, err = ws.store.GetProcess(r.Context(), id, false); err != nil {
			return err
		}
		if err := ws.adopt(r, id); err != nil {
			return err
		}
		return ws.audit(r, "process.create", id, target(id), nil, after)
	}, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Location", fmt.Sprintf("/api/v1/staff/processes/%d/setup", id))
		writeJSON(w, http.StatusCreated, "application/json", after)
	})
}

// apiStrategy replaces the strategy fields (the body is a process; its
// state, phases, components and notice are not changed here).
func (ws *Workspace) apiStrategy(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var p participation.Process
	if !ws.decode(w, r, &p) {
		return
	}
	p.ID, p.State, p.Published, p.IsTemplate = before.ID, before.State, before.Published, before.IsTemplate
	p.ClosedAt, p.ClosedReason, p.PrivacyNotice = before.ClosedAt, before.ClosedReason, before.PrivacyNotice
	p.Phases, p.Components, p.CreatedAt = before.Phases, before.Components, before.CreatedAt
	if p.Mode == participation.ModeRegistered {
		m := map[string]string{}
		for _, pf := range p.PersonalFields {
			if strings.TrimSpace(p.FieldReasons[pf]) == "" {
				m["field_reasons."+string(pf)] = ws.loc(r).T("err.reason_required")
			}
		}
		if len(m) > 0 {
			ws.refused(w, r, m)
			return
		}
	}
	ws.apiWrite(w, r, func() error { return ws.store.UpdateProcess(r.Context(), p) },
		func() error { return ws.auditProcess(r, "process.strategy", before) }, ws.apiSetup)
}

func (ws *Workspace) apiPrivacy(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	// Without terms the new text keeps the current version's; with them it
	// is a whole data agreement, checked like the workspace form's.
	var in struct {
		Text  string                        `json:"text"`
		Terms *participation.AgreementTerms `json:"data_agreement"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Text) == "" {
		ws.refused(w, r, map[string]string{"text": ws.loc(r).T("err.required")})
		return
	}
	var pn participation.PrivacyNotice
	ws.apiWrite(w, r, func() (err error) {
		if in.Terms != nil {
			pn, err = ws.store.PublishDataAgreement(r.Context(), before.ID, participation.PrivacyNotice{Text: in.Text, AgreementTerms: *in.Terms})
			return err
		}
		pn, err = ws.store.PublishPrivacyNotice(r.Context(), before.ID, strings.TrimSpace(in.Text))
		return err
	}, func() error {
		return ws.audit(r, "process.privacy_notice", before.ID, target(before.ID), before.PrivacyNotice, pn)
	}, answerJSON(http.StatusCreated, &pn))
}

func (ws *Workspace) apiState(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var in struct {
		To     participation.State `json:"to"`
		Reason string              `json:"reason"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	if !in.To.Valid() {
		ws.refused(w, r, map[string]string{"to": ws.loc(r).T("err.state")})
		return
	}
	ws.apiWrite(w, r, func() error {
		return ws.store.Transition(r.Context(), before.ID, in.To, strings.TrimSpace(in.Reason))
	}, func() error {
		ws.schedule(r.Context(), r, before.ID)
		return ws.audit(r, "process.state", before.ID, target(before.ID),
			map[string]any{"state": before.State}, map[string]any{"state": in.To, "reason": in.Reason})
	}, ws.apiSetup)
}

func (ws *Workspace) apiCopy(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Slug       string `json:"slug"`
		Title      string `json:"title"`
		AsTemplate bool   `json:"as_template"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	from := varID(r, "process")
	var id int64
	ws.apiWrite(w, r, func() (err error) {
		id, err = ws.store.CopyProcess(r.Context(), from, in.Slug, in.Title, in.AsTemplate)
		return err
	}, func() error {
		return ws.audit(r, "process.copy", id, target(id), map[string]any{"from": from},
			map[string]any{"id": id, "slug": in.Slug, "title": in.Title, "template": in.AsTemplate})
	}, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusCreated, "application/json", map[string]int64{"id": id})
	})
}

func (ws *Workspace) apiTranslations(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var tr []participation.Translation
	if !ws.decode(w, r, &tr) {
		return
	}
	before, err := ws.store.Translations(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.apiWrite(w, r, func() error { return ws.store.SetTranslations(r.Context(), p.ID, tr) },
		func() error { return ws.audit(r, "process.translations", p.ID, target(p.ID), before, tr) }, ws.apiSetup)
}

// apiRegions takes either JSON {"region_set_id": N} or a multipart upload
// (name, source, csv, geojson) like the page.
func (ws *Workspace) apiRegions(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			ws.fail(w, r, err)
			return
		}
		u := newForm(r.PostForm)
		rs, csvErr, geoErr, err := ws.readRegionUpload(r, u)
		if err != nil {
			ws.fail(w, r, err)
			return
		}
		if len(u.Errors) > 0 || len(csvErr) > 0 || len(geoErr) > 0 {
			m := u.Errors
			if len(csvErr) > 0 {
				m["csv"] = strings.Join(csvErr, "\n")
			}
			if len(geoErr) > 0 {
				m["geojson"] = strings.Join(geoErr, "\n")
			}
			ws.refused(w, r, m)
			return
		}
		var id int64
		ws.apiWrite(w, r, func() (err error) {
			id, err = ws.store.CreateRegionSet(r.Context(), rs)
			return err
		}, func() error {
			rs.ID, rs.GeoJSON = id, nil
			return ws.audit(r, "region_set.create", before.ID, "region_set:"+itoa(id), nil, rs)
		}, func(w http.ResponseWriter, r *http.Request) { ws.apiUseRegionSet(w, r, before, id) })
		return
	}
	var in struct {
		RegionSetID int64 `json:"region_set_id"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	if _, err := ws.store.GetRegionSet(r.Context(), in.RegionSetID); err != nil {
		if participation.IsNotFound(err) {
			ws.refused(w, r, map[string]string{"region_set_id": ws.loc(r).T("err.choose")})
			return
		}
		ws.fail(w, r, err)
		return
	}
	ws.apiUseRegionSet(w, r, before, in.RegionSetID)
}

// apiUseRegionSet gives process before the region set id.
func (ws *Workspace) apiUseRegionSet(w http.ResponseWriter, r *http.Request, before participation.Process, id int64) {
	p := before
	p.RegionSetID = id
	ws.apiWrite(w, r, func() error { return ws.store.UpdateProcess(r.Context(), p) },
		func() error { return ws.auditProcess(r, "process.region_set", before) }, ws.apiSetup)
}
