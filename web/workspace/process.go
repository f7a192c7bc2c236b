package workspace

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
)

func varID(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(mux.Vars(r)[name], 10, 64)
	return n
}

// process is the {process} of the route with its phases, components and
// notice, as staff see it (drafts included).
func (ws *Workspace) process(r *http.Request) (participation.Process, error) {
	return ws.store.GetProcess(r.Context(), varID(r, "process"), false)
}

func target(processID int64) string { return "process:" + itoa(processID) }

// parse reads a posted form (urlencoded or multipart).
func parse(r *http.Request) error {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return r.ParseMultipartForm(1 << 20)
	}
	return r.ParseForm()
}

// --- creating a process --------------------------------------------------

type newData struct {
	F         *form
	Templates []participation.Process
	Levels    []participation.Level
	Scopes    []participation.Scope
}

func (ws *Workspace) newPage(w http.ResponseWriter, r *http.Request) {
	ws.renderNew(w, r, http.StatusOK, newForm(nil))
}

func (ws *Workspace) renderNew(w http.ResponseWriter, r *http.Request, status int, f *form) {
	tpls, err := ws.store.ListTemplates(r.Context())
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if f.Get("time_zone") == "" {
		f.V.Set("time_zone", "Africa/Nairobi")
	}
	if f.Get("languages") == "" {
		f.V.Set("languages", "en, sw")
	}
	d := newData{F: f, Templates: tpls, Levels: levels, Scopes: scopes}
	if status == http.StatusOK {
		ws.render(w, r, status, "new", ws.loc(r).T("new.title"), d)
		return
	}
	ws.refuse(w, r, f, []string{"title", "slug", "template", "time_zone", "languages"}, "new", ws.loc(r).T("new.title"), d)
}

// create makes a draft: blank (title, slug, time zone, languages — the rest
// is set on the strategy page) or as a copy of a template.
func (ws *Workspace) create(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	title, slug := strings.TrimSpace(f.Get("title")), strings.TrimSpace(f.Get("slug"))
	if title == "" {
		f.Errors["title"] = loc.T("err.required")
	}
	if slug == "" {
		f.Errors["slug"] = loc.T("err.required")
	}
	var id int64
	var err error
	if tpl, _ := strconv.ParseInt(f.Get("template"), 10, 64); tpl > 0 {
		if len(f.Errors) > 0 {
			ws.renderNew(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		id, err = ws.store.CopyProcess(r.Context(), tpl, slug, title, false)
	} else {
		p := participation.Process{Title: title, Slug: slug, TimeZone: strings.TrimSpace(f.Get("time_zone")),
			Level: participation.LevelConsult, Scope: participation.ScopeLocal, Mode: participation.ModeOpen, State: participation.StateDraft}
		for _, l := range strings.FieldsFunc(f.Get("languages"), func(r rune) bool { return r == ',' || r == ' ' }) {
			p.Languages = append(p.Languages, l)
		}
		now := nowFunc().UTC()
		p.StartsAt, p.EndsAt = now.Truncate(24*60*60e9), now.Truncate(24*60*60e9).AddDate(0, 1, 0)
		if len(f.Errors) > 0 {
			ws.renderNew(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		id, err = ws.store.CreateProcess(r.Context(), p)
	}
	if err != nil {
		if ws.absorb(r, f, err) {
			ws.renderNew(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		ws.fail(w, r, err)
		return
	}
	after, err := ws.store.GetProcess(r.Context(), id, false)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if err := ws.adopt(r, id); err != nil {
		ws.fail(w, r, err)
		return
	}
	if err := ws.audit(r, "process.create", id, target(id), nil, after); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(id)+"/strategy", "created")
}

// --- the overview --------------------------------------------------------

type setupData struct {
	P           participation.Process
	Next        []participation.State
	Problems    []problem
	Missing     map[string]int // language → fields not translated yet
	F           *form          // the close-early and copy forms
	PreviewPath string
}

// problem is one thing that keeps a process from being published, with the
// page where it is fixed.
type problem struct {
	Message string
	Fix     string
}

func (ws *Workspace) setupPage(w http.ResponseWriter, r *http.Request) {
	ws.renderSetup(w, r, http.StatusOK, newForm(nil))
}

func (ws *Workspace) renderSetup(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := setupData{P: p, F: f, PreviewPath: "/p/" + p.Slug}
	for _, s := range participation.AllStates {
		if participation.CheckTransition(p.State, s) == nil && !(p.IsTemplate && s != participation.StateDraft) {
			d.Next = append(d.Next, s)
		}
	}
	if p.State == participation.StateDraft || p.State == participation.StatePreview {
		if err := ws.store.ValidateForPublish(r.Context(), p.ID); err != nil {
			m, ok := ws.fieldErrors(r, withoutUntranslated(err))
			if !ok {
				ws.fail(w, r, err)
				return
			}
			for field, msg := range m {
				d.Problems = append(d.Problems, problem{Message: msg, Fix: fixPath(p, field)})
			}
		}
	}
	if d.Missing, err = ws.missingByLang(r, p); err != nil {
		ws.fail(w, r, err)
		return
	}
	if p.State == participation.StateDraft || p.State == participation.StatePreview {
		// One line per language, not one per untranslated field: the
		// translations page lists the fields.
		loc := ws.loc(r)
		for _, l := range p.Languages {
			if n := d.Missing[l]; n > 0 {
				d.Problems = append(d.Problems, problem{Message: loc.T("setup.untranslated", n, loc.T("lang."+l)),
					Fix: processPath(p.ID) + "/translations/" + l})
			}
		}
		sortProblems(d.Problems)
	}
	title := ws.loc(r).T("setup.title")
	if status == http.StatusOK {
		ws.render(w, r, status, "setup", title, d)
		return
	}
	ws.refuse(w, r, f, []string{"reason", "to", "copy_slug", "copy_title", "kind", "title", "description"}, "setup", title, d)
}

// withoutUntranslated drops the store's untranslated-field refusals, which
// the set-up page counts per language instead; nil when nothing else is left.
func withoutUntranslated(err error) error {
	var ve participation.ValidationErrors
	if !errors.As(err, &ve) {
		return err
	}
	var rest participation.ValidationErrors
	for _, e := range ve {
		if e.Key != "err.untranslated" {
			rest = append(rest, e)
		}
	}
	if len(rest) == 0 {
		return participation.ValidationErrors{}
	}
	return rest
}

// fixPath is the page where the problem named by a store field is fixed.
func fixPath(p participation.Process, field string) string {
	base := processPath(p.ID)
	head, _, _ := strings.Cut(field, ".")
	head, _, _ = strings.Cut(head, "[")
	switch head {
	case "mode", "personal_fields", "field_reasons", "privacy_notice", "privacy":
		return base + "/participation"
	case "phases", "phase":
		return base + "/phases"
	case "region_set_id", "regions", "region_set":
		return base + "/regions"
	case "components", "component", "questions", "question", "survey", "document", "sections":
		if len(p.Components) > 0 {
			return base + "/setup#components"
		}
		return base + "/setup#components"
	case "translations", "translation":
		if len(p.Languages) > 1 {
			return fmt.Sprintf("%s/translations/%s", base, p.Languages[1])
		}
	}
	if strings.HasPrefix(field, "translation") || strings.HasPrefix(field, "lang") {
		if len(p.Languages) > 1 {
			return fmt.Sprintf("%s/translations/%s", base, p.Languages[1])
		}
	}
	return base + "/strategy"
}

func sortProblems(ps []problem) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Message < ps[j-1].Message; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// transition moves the process to the posted state; closing early needs a
// reason (the store decides what "early" is).
func (ws *Workspace) transition(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.PostForm)
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	to := participation.State(f.Get("to"))
	if !to.Valid() {
		f.Errors["to"] = ws.loc(r).T("err.state")
		ws.renderSetup(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	reason := strings.TrimSpace(f.Get("reason"))
	if err := ws.store.Transition(r.Context(), before.ID, to, reason); err != nil {
		// Untranslated fields are counted per language in the page's list
		// of what blocks publication; the form says only where to look.
		if ws.absorb(r, f, withoutUntranslated(err)) {
			if len(f.Errors) == 0 {
				f.Errors["to"] = ws.loc(r).T("setup.publish_blocked")
			}
			ws.renderSetup(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		ws.fail(w, r, err)
		return
	}
	ws.schedule(r.Context(), r, before.ID)
	if err := ws.audit(r, "process.state", before.ID, target(before.ID),
		map[string]any{"state": before.State}, map[string]any{"state": to, "reason": reason}); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(before.ID)+"/setup", "state")
}

// copyProcess saves the set-up as a template (or a plain copy).
func (ws *Workspace) copyProcess(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	title, slug := strings.TrimSpace(f.Get("copy_title")), strings.TrimSpace(f.Get("copy_slug"))
	if title == "" {
		f.Errors["copy_title"] = loc.T("err.required")
	}
	if slug == "" {
		f.Errors["copy_slug"] = loc.T("err.required")
	}
	from := varID(r, "process")
	if len(f.Errors) > 0 {
		ws.renderSetup(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	asTemplate := f.Get("as_template") != "no"
	id, err := ws.store.CopyProcess(r.Context(), from, slug, title, asTemplate)
	if err != nil {
		if ws.absorb(r, f, err) {
			for _, k := range []string{"slug", "title"} {
				if msg, ok := f.Errors[k]; ok {
					delete(f.Errors, k)
					f.Errors["copy_"+k] = msg
				}
			}
			ws.renderSetup(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		ws.fail(w, r, err)
		return
	}
	if err := ws.audit(r, "process.copy", id, target(id), map[string]any{"from": from},
		map[string]any{"id": id, "slug": slug, "title": title, "template": asTemplate}); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(from)+"/setup", "copied")
}

// --- strategy ------------------------------------------------------------

type strategyData struct {
	P      participation.Process
	F      *form
	Levels []participation.Level
	Scopes []participation.Scope
}

func (ws *Workspace) strategyPage(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.render(w, r, http.StatusOK, "strategy", ws.loc(r).T("strategy.title"),
		strategyData{P: p, F: newForm(strategyValues(p)), Levels: levels, Scopes: scopes})
}

func (ws *Workspace) saveStrategy(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	p := before
	ws.applyStrategy(ws.loc(r), f, &p)
	ws.formWrite(w, r, f, func() error { return ws.store.UpdateProcess(r.Context(), p) }, func() error {
		return ws.auditProcess(r, "process.strategy", before)
	}, func(int) {
		alias(f.Errors)
		ws.refuse(w, r, f, strategyFields, "strategy", ws.loc(r).T("strategy.title"),
			strategyData{P: before, F: f, Levels: levels, Scopes: scopes})
	}, processPath(p.ID)+"/setup", "saved")
}

// auditProcess records a change of the process's own fields, read back
// from the store after the write.
func (ws *Workspace) auditProcess(r *http.Request, action string, before participation.Process) error {
	after, err := ws.store.GetProcess(r.Context(), before.ID, false)
	if err != nil {
		return err
	}
	return ws.audit(r, action, before.ID, target(before.ID), strategyOnly(before), strategyOnly(after))
}

// strategyOnly leaves out what other entries record (phases, components).
func strategyOnly(p participation.Process) participation.Process {
	p.Phases, p.Components = nil, nil
	return p
}

// --- participation mode, personal fields, privacy notice -----------------

type participationData struct {
	P      participation.Process
	F      *form
	Fields []participation.PersonalField
	Notice *form
	Bases  []participation.LawfulBasis // the data agreement's choices
}

func participationValues(p participation.Process) map[string][]string {
	v := map[string][]string{"mode": {string(p.Mode)}}
	for _, pf := range p.PersonalFields {
		v["fields"] = append(v["fields"], string(pf))
	}
	for k, reason := range p.FieldReasons {
		v["reason."+string(k)] = []string{reason}
	}
	return v
}

// agreementForm is the data agreement form filled with the current version.
func agreementForm(p participation.Process) *form {
	notice := newForm(nil)
	if n := p.PrivacyNotice; n != nil {
		notice.V.Set("text", n.Text)
		notice.V.Set("purpose", n.Purpose)
		notice.V.Set("lawful_basis", string(n.LawfulBasis))
		notice.V.Set("access", n.Access)
		notice.V.Set("retention_days", strconv.Itoa(n.RetentionDays))
		notice.V.Set("policy_url", n.PolicyURL)
	}
	return notice
}

// agreementKeys are the data agreement form's fields.
var agreementKeys = []string{"text", "purpose", "lawful_basis", "access", "retention_days", "policy_url"}

func (ws *Workspace) participationPage(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.render(w, r, http.StatusOK, "participation", ws.loc(r).T("participation.title"),
		participationData{P: p, F: newForm(participationValues(p)), Fields: participation.AllPersonalFields, Notice: agreementForm(p), Bases: participation.LawfulBases})
}

func (ws *Workspace) saveParticipation(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	p := before
	p.Mode = participation.Mode(f.Get("mode"))
	p.PersonalFields, p.FieldReasons = nil, map[participation.PersonalField]string{}
	if p.Mode != participation.ModeOpen && p.Mode != participation.ModeRegistered {
		f.Errors["mode"] = loc.T("err.choose")
	}
	if p.Mode == participation.ModeRegistered {
		for _, pf := range participation.AllPersonalFields {
			if !f.Has("fields", string(pf)) {
				continue
			}
			p.PersonalFields = append(p.PersonalFields, pf)
			reason := strings.TrimSpace(f.Get("reason." + string(pf)))
			if reason == "" {
				// Data minimisation: no field is asked without saying why.
				f.Errors["reason."+string(pf)] = loc.T("err.reason_required")
			}
			p.FieldReasons[pf] = reason
		}
		if len(p.PersonalFields) == 0 {
			f.Errors["fields"] = loc.T("err.fields_required")
		}
	}
	ws.formWrite(w, r, f, func() error { return ws.store.UpdateProcess(r.Context(), p) }, func() error {
		return ws.auditProcess(r, "process.participation", before)
	}, func(int) {
		for k, v := range f.Errors {
			if strings.HasPrefix(k, "field_reasons") || k == "personal_fields" {
				delete(f.Errors, k)
				add(f.Errors, "fields", v)
			}
		}
		notice := agreementForm(before)
		known := []string{"mode", "fields"}
		for _, pf := range participation.AllPersonalFields {
			known = append(known, "reason."+string(pf))
		}
		ws.refuse(w, r, f, known, "participation", loc.T("participation.title"),
			participationData{P: before, F: f, Fields: participation.AllPersonalFields, Notice: notice, Bases: participation.LawfulBases})
	}, processPath(p.ID)+"/participation", "saved")
}

// savePrivacy publishes a new version of the data agreement (its notice
// text and terms, with the fields the process asks now); registered
// participants confirm it again. A form with an error keeps what was typed.
func (ws *Workspace) savePrivacy(w http.ResponseWriter, r *http.Request) {
	before, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	notice := newForm(r.PostForm)
	loc := ws.loc(r)
	n := participation.PrivacyNotice{Text: strings.TrimSpace(notice.Get("text")), AgreementTerms: participation.AgreementTerms{
		Purpose: strings.TrimSpace(notice.Get("purpose")), LawfulBasis: participation.LawfulBasis(notice.Get("lawful_basis")),
		Access: strings.TrimSpace(notice.Get("access")), PolicyURL: strings.TrimSpace(notice.Get("policy_url"))}}
	if days := strings.TrimSpace(notice.Get("retention_days")); days != "" {
		if n.RetentionDays, err = strconv.Atoi(days); err != nil {
			notice.Errors["retention_days"] = loc.T("err.whole_number")
		}
	}
	if n.Text == "" {
		notice.Errors["text"] = loc.T("err.required")
	} else if cur := before.PrivacyNotice; cur != nil && cur.Text == n.Text && cur.AgreementTerms == n.AgreementTerms &&
		slices.Equal(cur.Fields, participation.AgreementFields(before)) {
		notice.Errors["text"] = loc.T("err.unchanged")
	}
	var pn participation.PrivacyNotice
	ws.formWrite(w, r, notice, func() (err error) {
		pn, err = ws.store.PublishDataAgreement(r.Context(), before.ID, n)
		return err
	}, func() error {
		return ws.audit(r, "process.privacy_notice", before.ID, target(before.ID), before.PrivacyNotice, pn)
	}, func(int) {
		ws.refuse(w, r, notice, agreementKeys, "participation", loc.T("participation.title"),
			participationData{P: before, F: newForm(participationValues(before)), Fields: participation.AllPersonalFields, Notice: notice, Bases: participation.LawfulBases})
	}, processPath(before.ID)+"/participation", "notice")
}
