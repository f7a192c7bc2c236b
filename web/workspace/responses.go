package workspace

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// The officials' answer to a tool's input: for a document, "you said / we
// did" per section of the version citizens commented on (what changed and
// why, linked to the section of the new version); for a survey, "what we
// take from this" per question or page.

// sectionResponse is one section of a document version with its response.
type sectionResponse struct {
	S participation.Section
	R participation.SectionResponse
	F *form
}

type responsesData struct {
	P         participation.Process
	C         participation.Component
	Versions  []participation.Document // every version, oldest first (document)
	Sections  []sectionResponse        // the chosen version's sections
	Version   int
	Latest    participation.Document
	Survey    participation.Survey
	Takeaways map[string]*form // "q<id>" or "p<page>" → its form (survey)
	Pages     []int
}

// responseComponent is the {component} of the route among its {process}'s.
func (ws *Workspace) responseComponent(r *http.Request) (participation.Process, participation.Component, error) {
	p, err := ws.process(r)
	if err != nil {
		return p, participation.Component{}, err
	}
	id := varID(r, "component")
	for _, c := range p.Components {
		if c.ID == id && (c.Kind == participation.KindDocument || c.Kind == participation.KindSurvey) {
			return p, c, nil
		}
	}
	return p, participation.Component{}, participation.Errorf(participation.CodeNotFound, "", "err.not_found", "no such document or survey")
}

func (ws *Workspace) responsesPage(w http.ResponseWriter, r *http.Request) {
	ws.renderResponses(w, r, http.StatusOK, 0, "", nil)
}

// renderResponses shows the forms; the one refused (its section id or
// takeaway key, with the form) keeps what was typed.
func (ws *Workspace) renderResponses(w http.ResponseWriter, r *http.Request, status int, refusedSection int64, refusedKey string, refused *form) {
	p, c, err := ws.responseComponent(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ctx := r.Context()
	d := responsesData{P: p, C: c, Takeaways: map[string]*form{}}
	if c.Kind == participation.KindSurvey {
		if d.Survey, err = ws.store.GetSurvey(ctx, c.ID); err != nil && !participation.IsNotFound(err) {
			ws.fail(w, r, err)
			return
		}
		tks, err := ws.store.Takeaways(ctx, c.ID)
		if err != nil {
			ws.fail(w, r, err)
			return
		}
		for _, q := range d.Survey.Questions {
			d.Takeaways["q"+itoa(q.ID)] = newForm(nil)
		}
		for pg := 1; pg <= d.Survey.Pages; pg++ {
			d.Pages = append(d.Pages, pg)
			d.Takeaways["p"+strconv.Itoa(pg)] = newForm(nil)
		}
		for _, t := range tks {
			key := "p" + strconv.Itoa(t.Page)
			if t.QuestionID != 0 {
				key = "q" + itoa(t.QuestionID)
			}
			if f := d.Takeaways[key]; f != nil {
				f.V.Set("text", t.Text)
			}
		}
		if refused != nil {
			d.Takeaways[refusedKey] = refused
		}
		ws.render(w, r, status, "responses", ws.loc(r).T("responses.survey_title", c.Title), d)
		return
	}
	latest, err := ws.store.GetDocument(ctx, c.ID)
	if err != nil && !participation.IsNotFound(err) {
		ws.fail(w, r, err)
		return
	}
	d.Latest = latest
	// The version answered: the one asked for, else the one before the
	// latest (citizens commented on it; the latest is what was done).
	d.Version = latest.Version - 1
	if v, err := strconv.Atoi(r.URL.Query().Get("version")); err == nil && v >= 1 && v <= latest.Version {
		d.Version = v
	}
	if d.Version < 1 {
		d.Version = latest.Version
	}
	resp, err := ws.store.SectionResponses(ctx, c.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	bySection := map[int64]participation.SectionResponse{}
	for _, x := range resp {
		bySection[x.SectionID] = x
	}
	doc := latest
	if d.Version != latest.Version {
		if doc, err = ws.store.DocumentVersion(ctx, c.ID, d.Version); err != nil {
			ws.fail(w, r, err)
			return
		}
	}
	for _, s := range doc.Sections {
		x := bySection[s.ID]
		f := newForm(nil)
		f.V.Set("changed", x.Changed)
		f.V.Set("why", x.Why)
		if x.NewSectionID != 0 {
			f.V.Set("new_section_id", itoa(x.NewSectionID))
		}
		if refused != nil && refusedSection == s.ID {
			f = refused
		}
		d.Sections = append(d.Sections, sectionResponse{S: s, R: x, F: f})
	}
	ws.render(w, r, status, "responses", ws.loc(r).T("responses.document_title", c.Title), d)
}

func (ws *Workspace) saveSectionResponse(w http.ResponseWriter, r *http.Request) {
	p, c, err := ws.responseComponent(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	sid, _ := strconv.ParseInt(f.Get("section_id"), 10, 64)
	nid, _ := strconv.ParseInt(f.Get("new_section_id"), 10, 64)
	x := participation.SectionResponse{ComponentID: c.ID, SectionID: sid, NewSectionID: nid,
		Changed: f.Get("changed"), Why: f.Get("why"), StaffID: staffID(r)}
	to := processPath(p.ID) + "/components/" + itoa(c.ID) + "/responses"
	if v := f.Get("version"); v != "" {
		to += "?version=" + url_(v)
	}
	ws.formWrite(w, r, f, func() error { return ws.store.SaveSectionResponse(r.Context(), x) }, func() error {
		return ws.audit(r, "section.respond", p.ID, "section:"+itoa(sid), nil, x)
	}, func(status int) {
		ws.renderResponses(w, r, status, sid, "", f)
	}, to, "saved")
}

// url_ keeps a version number as typed only when it is one.
func url_(v string) string {
	if _, err := strconv.Atoi(v); err != nil {
		return ""
	}
	return v
}

func (ws *Workspace) saveTakeaway(w http.ResponseWriter, r *http.Request) {
	p, c, err := ws.responseComponent(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	t := participation.SurveyTakeaway{ComponentID: c.ID, Text: f.Get("text"), StaffID: staffID(r)}
	key := strings.TrimSpace(f.Get("key"))
	switch {
	case strings.HasPrefix(key, "q"):
		t.QuestionID, _ = strconv.ParseInt(key[1:], 10, 64)
	case strings.HasPrefix(key, "p"):
		t.Page, _ = strconv.Atoi(key[1:])
	}
	ws.formWrite(w, r, f, func() error { return ws.store.SaveTakeaway(r.Context(), t) }, func() error {
		return ws.audit(r, "survey.takeaway", p.ID, "component:"+itoa(c.ID), nil, t)
	}, func(status int) {
		for k, msg := range f.Errors {
			if k != "text" {
				delete(f.Errors, k)
				f.Other = append(f.Other, msg)
			}
		}
		ws.renderResponses(w, r, status, 0, key, f)
	}, processPath(p.ID)+"/components/"+itoa(c.ID)+"/responses", "saved")
}
