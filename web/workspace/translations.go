package workspace

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
)

// textField is one content field of the process in its first language,
// with its translation into the page's language.
type textField struct {
	Entity   participation.EntityKind
	EntityID int64
	Field    string
	Label    string // what it is: "Phase 2 · name"
	Base     string
	Text     string
	Missing  bool
	Long     bool
}

// Name is the form field of the translation.
func (t textField) Name() string { return fmt.Sprintf("t|%s|%d|%s", t.Entity, t.EntityID, t.Field) }

// content lists every content field of the process that is set in its
// first language, in page order, with the documents and surveys it holds.
func (ws *Workspace) content(r *http.Request, p participation.Process) ([]textField, []participation.Document, []participation.Survey, error) {
	loc := ws.loc(r)
	var out []textField
	addf := func(e participation.EntityKind, id int64, field, label, base string, long bool) {
		if strings.TrimSpace(base) == "" {
			return
		}
		out = append(out, textField{Entity: e, EntityID: id, Field: field, Label: label, Base: base, Long: long})
	}
	for _, k := range []string{"title", "summary", "sector", "objective", "expected_outcome", "feedback_method"} {
		addf(participation.EntityProcess, p.ID, k, loc.T("field."+k), map[string]string{
			"title": p.Title, "summary": p.Summary, "sector": p.Sector, "objective": p.Objective, "expected_outcome": p.ExpectedOutcome,
			"feedback_method": p.FeedbackMethod}[k], k != "title" && k != "sector")
	}
	if p.PrivacyNotice != nil {
		addf(participation.EntityProcess, p.ID, "privacy_notice", loc.T("field.privacy_notice"), p.PrivacyNotice.Text, true)
		addf(participation.EntityProcess, p.ID, "agreement_purpose", loc.T("field.agreement_purpose"), p.PrivacyNotice.Purpose, true)
		addf(participation.EntityProcess, p.ID, "agreement_access", loc.T("field.agreement_access"), p.PrivacyNotice.Access, true)
	}
	for i, ph := range p.Phases {
		label := loc.T("tr.phase", i+1)
		addf(participation.EntityPhase, ph.ID, "name", label+" · "+loc.T("field.name"), ph.Name, false)
		addf(participation.EntityPhase, ph.ID, "description", label+" · "+loc.T("field.description"), ph.Description, true)
	}
	var docs []participation.Document
	var surveys []participation.Survey
	for _, c := range p.Components {
		label := c.Title
		addf(participation.EntityComponent, c.ID, "title", label+" · "+loc.T("field.title"), c.Title, false)
		addf(participation.EntityComponent, c.ID, "description", label+" · "+loc.T("field.description"), c.Description, true)
		switch c.Kind {
		case participation.KindDocument:
			d, err := ws.store.GetDocument(r.Context(), c.ID)
			if participation.IsNotFound(err) {
				continue
			}
			if err != nil {
				return nil, nil, nil, err
			}
			docs = append(docs, d)
			addf(participation.EntityComponent, c.ID, "document_title", label+" · "+loc.T("field.document_title"), d.Title, false)
			for i, s := range d.Sections {
				sl := label + " · " + loc.T("tr.section", i+1)
				addf(participation.EntitySection, s.ID, "heading", sl+" · "+loc.T("field.heading"), s.Heading, false)
				addf(participation.EntitySection, s.ID, "body", sl+" · "+loc.T("field.body"), s.Body, true)
			}
		case participation.KindSurvey:
			sv, err := ws.store.GetSurvey(r.Context(), c.ID)
			if participation.IsNotFound(err) {
				continue
			}
			if err != nil {
				return nil, nil, nil, err
			}
			surveys = append(surveys, sv)
			for i, q := range sv.Questions {
				ql := label + " · " + loc.T("tr.question", i+1)
				addf(participation.EntityQuestion, q.ID, "prompt", ql+" · "+loc.T("field.prompt"), q.Prompt, false)
				addf(participation.EntityQuestion, q.ID, "help", ql+" · "+loc.T("field.help"), q.Help, false)
				for j, o := range q.Options {
					addf(participation.EntityQuestion, q.ID, "option."+strconv.Itoa(j), ql+" · "+loc.T("tr.option", j+1), o, false)
				}
			}
		}
	}
	return out, docs, surveys, nil
}

// missingByLang counts, per language after the first, the fields not
// translated yet (participation.Untranslated decides).
func (ws *Workspace) missingByLang(r *http.Request, p participation.Process) (map[string]int, error) {
	out := map[string]int{}
	if len(p.Languages) < 2 {
		return out, nil
	}
	_, docs, surveys, err := ws.content(r, p)
	if err != nil {
		return nil, err
	}
	tr, err := ws.store.Translations(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range p.Languages[1:] {
		out[l] = 0
	}
	for _, m := range participation.Untranslated(p, docs, surveys, tr) {
		out[m.Lang]++
	}
	return out, nil
}

type translationsData struct {
	P       participation.Process
	Lang    string
	Fields  []textField
	Missing int
	F       *form
}

func (ws *Workspace) translationsPage(w http.ResponseWriter, r *http.Request) {
	ws.renderTranslations(w, r, http.StatusOK, nil)
}

func (ws *Workspace) renderTranslations(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	lang := mux.Vars(r)["lang"]
	if !contains(p.Languages, lang) || lang == p.Languages[0] {
		ws.failStatus(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	fields, docs, surveys, err := ws.content(r, p)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	tr, err := ws.store.Translations(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	missing := map[string]bool{}
	for _, m := range participation.Untranslated(p, docs, surveys, tr) {
		if m.Lang == lang {
			missing[fmt.Sprintf("t|%s|%d|%s", m.Entity, m.EntityID, m.Field)] = true
		}
	}
	have := map[string]string{}
	for _, t := range tr {
		if t.Lang == lang {
			have[fmt.Sprintf("t|%s|%d|%s", t.Entity, t.EntityID, t.Field)] = t.Text
		}
	}
	if f == nil {
		f = newForm(nil)
		for k, v := range have {
			f.V.Set(k, v)
		}
	}
	d := translationsData{P: p, Lang: lang, F: f}
	for _, tf := range fields {
		tf.Text = f.Get(tf.Name())
		tf.Missing = missing[tf.Name()]
		if tf.Missing {
			d.Missing++
		}
		d.Fields = append(d.Fields, tf)
	}
	title := ws.loc(r).T("translations.title", ws.loc(r).T("lang."+lang))
	if status == http.StatusOK {
		ws.render(w, r, status, "translations", title, d)
		return
	}
	var known []string
	for _, tf := range d.Fields {
		known = append(known, tf.Name())
	}
	ws.refuse(w, r, f, known, "translations", title, d)
}

// saveTranslations stores every field of the form: a text sets the
// translation, an empty one removes it.
func (ws *Workspace) saveTranslations(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	lang := mux.Vars(r)["lang"]
	if !contains(p.Languages, lang) || lang == p.Languages[0] {
		ws.failStatus(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	before, err := ws.store.Translations(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	var tr []participation.Translation
	for k, vs := range r.PostForm {
		parts := strings.SplitN(k, "|", 4)
		if len(parts) != 4 || parts[0] != "t" {
			continue
		}
		id, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			continue
		}
		tr = append(tr, participation.Translation{Entity: participation.EntityKind(parts[1]), EntityID: id, Field: parts[3],
			Lang: lang, Text: strings.TrimSpace(vs[0])})
	}
	if err := ws.store.SetTranslations(r.Context(), p.ID, tr); err != nil {
		if ws.absorb(r, f, err) {
			ws.renderTranslations(w, r, http.StatusUnprocessableEntity, f)
			return
		}
		ws.fail(w, r, err)
		return
	}
	var was []participation.Translation
	for _, t := range before {
		if t.Lang == lang {
			was = append(was, t)
		}
	}
	if err := ws.audit(r, "process.translations", p.ID, target(p.ID), was, tr); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("%s/translations/%s", processPath(p.ID), lang), "saved")
}
