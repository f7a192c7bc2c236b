package workspace

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
)

var kinds = []participation.ComponentKind{participation.KindProposals, participation.KindDocument, participation.KindSurvey}

// component is the {component} of the route, if it belongs to {process}.
func (ws *Workspace) component(r *http.Request) (participation.Component, error) {
	c, err := ws.store.GetComponent(r.Context(), varID(r, "component"))
	if err != nil {
		return c, err
	}
	if c.ProcessID != varID(r, "process") {
		return c, participation.Errorf(participation.CodeNotFound, "", "err.not_found", "no such component")
	}
	return c, nil
}

func (ws *Workspace) addComponent(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	c := participation.Component{ProcessID: varID(r, "process"), Kind: participation.ComponentKind(f.Get("kind")),
		Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description"))}
	if !contains(kindNames(), string(c.Kind)) {
		f.Errors["kind"] = loc.T("err.choose")
	}
	if c.Title == "" {
		f.Errors["title"] = loc.T("err.required")
	}
	if c.Kind == participation.KindProposals {
		c.Proposals = &participation.ProposalSettings{}
	}
	var id int64
	var err error
	if len(f.Errors) == 0 {
		id, err = ws.store.AddComponent(r.Context(), c)
		if err != nil && !ws.absorb(r, f, err) {
			ws.fail(w, r, err)
			return
		}
	}
	if len(f.Errors) > 0 {
		for k := range f.Errors {
			if k != "kind" && k != "title" && k != "description" {
				add(f.Errors, "title", f.Errors[k])
				delete(f.Errors, k)
			}
		}
		f.V.Set("_form", "component")
		ws.renderSetup(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	c.ID = id
	if err := ws.audit(r, "component.add", c.ProcessID, "component:"+itoa(id), nil, c); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(c.ProcessID)+"/components/"+itoa(id), "created")
}

func kindNames() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = string(k)
	}
	return out
}

type componentData struct {
	P        participation.Process
	C        participation.Component
	F        *form // title, description, settings
	Doc      *participation.Document
	Import   *form // paste or upload Markdown
	Sections *form // edit the sections of the latest version
	Survey   *participation.Survey
	Q        map[int64]*form // one edit form per question
	NewQ     *form
	Types    []participation.QuestionType
}

// SectionRows is the number of section rows of the edit form: each section
// of the latest version and one blank row to add a section.
func (d componentData) SectionRows() []int {
	n := 1
	if d.Doc != nil {
		n += len(d.Doc.Sections)
	}
	if k := len(d.Sections.All("heading")); k > n {
		n = k
	}
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// At is the i-th value of a repeated field.
func (f *form) At(name string, i int) string {
	if vs := f.V[name]; i < len(vs) {
		return vs[i]
	}
	return ""
}

func componentValues(c participation.Component) *form {
	f := newForm(nil)
	f.V.Set("title", c.Title)
	f.V.Set("description", c.Description)
	if s := c.Proposals; s != nil {
		set := func(k string, on bool) {
			if on {
				f.V.Set(k, "on")
			}
		}
		set("budget", s.Budget)
		set("pictures", s.Pictures)
		set("map_point", s.MapPoint)
		if s.MaxBudgetMinor > 0 {
			f.V.Set("max_budget", minorToMajor(s.MaxBudgetMinor))
		}
		if s.SupportLimit > 0 {
			f.V.Set("support_limit", strconv.Itoa(s.SupportLimit))
		}
		if s.SupportThreshold > 0 {
			f.V.Set("support_threshold", strconv.Itoa(s.SupportThreshold))
		}
	}
	return f
}

var questionTypes = []participation.QuestionType{participation.QSingle, participation.QMulti, participation.QLikert,
	participation.QNumeric, participation.QRanking, participation.QText}

// componentPage is the editor of one component: its title and settings,
// and the document or the survey it holds.
func (ws *Workspace) componentPage(w http.ResponseWriter, r *http.Request) {
	ws.renderComponent(w, r, http.StatusOK, func(*componentData) {})
}

func (ws *Workspace) renderComponent(w http.ResponseWriter, r *http.Request, status int, edit func(*componentData)) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := componentData{P: p, C: c, F: componentValues(c), Import: newForm(nil), Sections: newForm(nil), NewQ: newForm(nil),
		Q: map[int64]*form{}, Types: questionTypes}
	d.NewQ.V.Set("page", "1")
	switch c.Kind {
	case participation.KindDocument:
		doc, err := ws.store.GetDocument(r.Context(), c.ID)
		if err != nil && !participation.IsNotFound(err) {
			ws.fail(w, r, err)
			return
		}
		if err == nil {
			d.Doc = &doc
			d.Import.V.Set("title", doc.Title)
			d.Sections.V.Set("title", doc.Title)
			for _, s := range doc.Sections {
				d.Sections.V.Add("heading", s.Heading)
				d.Sections.V.Add("body", s.Body)
			}
		}
	case participation.KindSurvey:
		sv, err := ws.store.GetSurvey(r.Context(), c.ID)
		if err != nil && !participation.IsNotFound(err) {
			ws.fail(w, r, err)
			return
		}
		if err == nil {
			d.Survey = &sv
			for _, q := range sv.Questions {
				d.Q[q.ID] = newForm(questionValues(q, sv))
			}
		}
	}
	edit(&d)
	title := ws.loc(r).T("component.title", c.Title)
	ws.render(w, r, status, "component", title, d)
}

// saveComponent stores the title, description and (for proposals) the
// settings.
func (ws *Workspace) saveComponent(w http.ResponseWriter, r *http.Request) {
	before, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	c := before
	c.Title, c.Description = strings.TrimSpace(f.Get("title")), strings.TrimSpace(f.Get("description"))
	if c.Title == "" {
		f.Errors["title"] = loc.T("err.required")
	}
	if c.Kind == participation.KindProposals {
		s := participation.ProposalSettings{Budget: f.Get("budget") != "", Pictures: f.Get("pictures") != "", MapPoint: f.Get("map_point") != ""}
		if v := strings.ReplaceAll(strings.TrimSpace(f.Get("max_budget")), ",", ""); v != "" {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil || n < 0 || n > 1e15 {
				f.Errors["max_budget"] = loc.T("err.number")
			} else {
				s.MaxBudgetMinor = int64(n*100 + 0.5)
			}
		}
		for _, k := range []string{"support_limit", "support_threshold"} {
			v := strings.TrimSpace(f.Get(k))
			if v == "" {
				continue
			}
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				f.Errors[k] = loc.T("err.whole_number")
				continue
			}
			if k == "support_limit" {
				s.SupportLimit = n
			} else {
				s.SupportThreshold = n
			}
		}
		c.Proposals = &s
	}
	ws.formWrite(w, r, f, func() error { return ws.store.UpdateComponent(r.Context(), c) }, func() error {
		return ws.audit(r, "component.update", c.ProcessID, "component:"+itoa(c.ID), before, c)
	}, func(int) {
		ws.refuseComponent(w, r, f, []string{"title", "description", "budget", "max_budget", "pictures", "map_point", "support_limit", "support_threshold"},
			func(d *componentData) { d.F = f })
	}, processPath(c.ProcessID)+"/components/"+itoa(c.ID), "saved")
}

// refuseComponent re-renders the component page with f's messages: those
// about no field of f go above it.
func (ws *Workspace) refuseComponent(w http.ResponseWriter, r *http.Request, f *form, known []string, edit func(*componentData)) {
	for k, msg := range f.Errors {
		if !contains(known, k) {
			f.Other = append(f.Other, msg)
			delete(f.Errors, k)
		}
	}
	ws.renderComponent(w, r, statusFor(f), edit)
}

// deleteComponent removes a component; one with contributions is refused
// by the store ("close it instead").
func (ws *Workspace) deleteComponent(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	if f.Get("confirm") != "yes" {
		f.Errors["confirm"] = ws.loc(r).T("err.confirm")
	}
	ws.formWrite(w, r, f, func() error { return ws.store.DeleteComponent(r.Context(), c.ID) }, func() error {
		return ws.audit(r, "component.delete", c.ProcessID, "component:"+itoa(c.ID), c, nil)
	}, func(int) {
		ws.refuseComponent(w, r, f, []string{"confirm"}, func(d *componentData) { d.F.Errors, d.F.Other = f.Errors, f.Other })
	}, processPath(c.ProcessID)+"/setup#components", "deleted")
}

// delta reads the move buttons: "up" or "down".
func delta(v string) int {
	switch v {
	case "up":
		return -1
	case "down":
		return 1
	}
	return 0
}

func (ws *Workspace) moveComponent(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := delta(r.PostForm.Get("direction"))
	if d == 0 {
		f := newForm(r.PostForm)
		f.Errors["direction"] = ws.loc(r).T("err.choose")
		ws.renderSetup(w, r, http.StatusUnprocessableEntity, f)
		return
	}
	if err := ws.store.MoveComponent(r.Context(), c.ID, d); err != nil {
		ws.fail(w, r, err)
		return
	}
	if err := ws.audit(r, "component.move", c.ProcessID, "component:"+itoa(c.ID),
		map[string]any{"position": c.Position}, map[string]any{"delta": d}); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(c.ProcessID)+"/setup#component-"+itoa(c.ID), "moved")
}

// --- documents -----------------------------------------------------------

// maxDocument bounds a document's Markdown (pasted or uploaded).
const maxDocument = 1 << 20

// importDocument publishes a new version from pasted Markdown or an
// uploaded .md/.txt file, split into sections at its headings.
func (ws *Workspace) importDocument(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	refuse := func() {
		ws.refuseComponent(w, r, f, []string{"title", "markdown", "file"}, func(d *componentData) { d.Import = f })
	}
	if c.Kind != participation.KindDocument {
		f.Errors["markdown"] = loc.T("err.not_document")
		f.V.Set("_conflict", "1")
		refuse()
		return
	}
	text := f.Get("markdown")
	data, err := formFile(r, "file", maxDocument)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if len(data) > 0 {
		name := ""
		if fh := r.MultipartForm.File["file"]; len(fh) > 0 {
			name = strings.ToLower(fh[0].Filename)
		}
		switch {
		case !strings.HasSuffix(name, ".md") && !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".markdown"):
			f.Errors["file"] = loc.T("err.file_type")
		case !utf8.Valid(data):
			f.Errors["file"] = loc.T("err.encoding")
		default:
			text = string(data)
		}
	}
	title := strings.TrimSpace(f.Get("title"))
	if title == "" {
		f.Errors["title"] = loc.T("err.required")
	}
	if strings.TrimSpace(text) == "" && f.Errors["file"] == "" {
		f.Errors["markdown"] = loc.T("err.required")
	}
	if len(text) > maxDocument {
		f.Errors["markdown"] = loc.T("err.too_long_text")
	}
	if len(f.Errors) > 0 {
		refuse()
		return
	}
	doc := participation.SplitMarkdown(title, text)
	doc.ComponentID = c.ID
	ws.publishDocument(w, r, c, doc, f, refuse)
}

func (ws *Workspace) publishDocument(w http.ResponseWriter, r *http.Request, c participation.Component, doc participation.Document, f *form, refuse func()) {
	before, err := ws.store.GetDocument(r.Context(), c.ID)
	if err != nil && !participation.IsNotFound(err) {
		ws.fail(w, r, err)
		return
	}
	version, err := ws.store.PublishDocument(r.Context(), doc)
	if err != nil {
		if ws.absorb(r, f, err) {
			refuse()
			return
		}
		ws.fail(w, r, err)
		return
	}
	doc.Version = version
	var was any
	if before.Version > 0 {
		was = before
	}
	if err := ws.audit(r, "document.publish", c.ProcessID, "component:"+itoa(c.ID), was, doc); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, processPath(c.ProcessID)+"/components/"+itoa(c.ID), "published")
}

// saveSections publishes a new version from the edited sections: a row
// with neither heading nor text is left out, a row with text is a section.
func (ws *Workspace) saveSections(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	refuse := func() {
		ws.refuseComponent(w, r, f, []string{"title", "sections"}, func(d *componentData) { d.Sections = f })
	}
	if c.Kind != participation.KindDocument {
		f.Errors["sections"] = loc.T("err.not_document")
		f.V.Set("_conflict", "1")
		refuse()
		return
	}
	doc := participation.Document{ComponentID: c.ID, Title: strings.TrimSpace(f.Get("title"))}
	if doc.Title == "" {
		f.Errors["title"] = loc.T("err.required")
	}
	heads, bodies := f.All("heading"), f.All("body")
	for i := 0; i < len(heads) || i < len(bodies); i++ {
		h, b := strings.TrimSpace(f.At("heading", i)), strings.TrimSpace(f.At("body", i))
		if h == "" && b == "" {
			continue
		}
		doc.Sections = append(doc.Sections, participation.Section{Position: len(doc.Sections) + 1, Heading: h, Body: b})
	}
	if len(doc.Sections) == 0 {
		f.Errors["sections"] = loc.T("err.sections_required")
	}
	if len(f.Errors) > 0 {
		refuse()
		return
	}
	ws.publishDocument(w, r, c, doc, f, refuse)
}
