package workspace

import (
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// The staff API of a process's components and phases.

func (ws *Workspace) apiAddComponent(w http.ResponseWriter, r *http.Request) {
	var c participation.Component
	if !ws.decode(w, r, &c) {
		return
	}
	c.ID, c.ProcessID = 0, varID(r, "process")
	ws.apiWrite(w, r, func() (err error) {
		c.ID, err = ws.store.AddComponent(r.Context(), c)
		return err
	}, func() error {
		return ws.audit(r, "component.add", c.ProcessID, "component:"+itoa(c.ID), nil, c)
	}, ws.answerRead(http.StatusCreated, func() (any, error) { return ws.store.GetComponent(r.Context(), c.ID) }))
}

func (ws *Workspace) apiSaveComponent(w http.ResponseWriter, r *http.Request) {
	before, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var c participation.Component
	if !ws.decode(w, r, &c) {
		return
	}
	c.ID, c.ProcessID, c.Kind, c.Position = before.ID, before.ProcessID, before.Kind, before.Position
	ws.apiWrite(w, r, func() error { return ws.store.UpdateComponent(r.Context(), c) },
		func() error { return ws.audit(r, "component.update", c.ProcessID, "component:"+itoa(c.ID), before, c) },
		ws.answerRead(http.StatusOK, func() (any, error) { return ws.store.GetComponent(r.Context(), c.ID) }))
}

// apiDeleteComponent needs ?confirm=yes, like the page's checkbox.
func (ws *Workspace) apiDeleteComponent(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("confirm") != "yes" {
		ws.refused(w, r, map[string]string{"confirm": ws.loc(r).T("err.confirm")})
		return
	}
	ws.apiWrite(w, r, func() error { return ws.store.DeleteComponent(r.Context(), c.ID) },
		func() error { return ws.audit(r, "component.delete", c.ProcessID, "component:"+itoa(c.ID), c, nil) },
		noContent)
}

func (ws *Workspace) apiMoveComponent(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var in struct {
		Delta int `json:"delta"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	if in.Delta == 0 {
		ws.refused(w, r, map[string]string{"delta": ws.loc(r).T("err.choose")})
		return
	}
	ws.apiWrite(w, r, func() error { return ws.store.MoveComponent(r.Context(), c.ID, in.Delta) }, func() error {
		return ws.audit(r, "component.move", c.ProcessID, "component:"+itoa(c.ID),
			map[string]any{"position": c.Position}, map[string]any{"delta": in.Delta})
	}, ws.apiSetup)
}

// apiDocument publishes a new version: {"title", "markdown"} (split at its
// headings) or {"title", "sections": [...]}.
func (ws *Workspace) apiDocument(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var in struct {
		Title    string                  `json:"title"`
		Markdown string                  `json:"markdown"`
		Sections []participation.Section `json:"sections"`
	}
	if !ws.decode(w, r, &in) {
		return
	}
	if c.Kind != participation.KindDocument {
		ws.failMessage(w, r, http.StatusConflict, ws.loc(r).T("err.not_document"), nil)
		return
	}
	doc := participation.Document{ComponentID: c.ID, Title: strings.TrimSpace(in.Title), Sections: in.Sections}
	if strings.TrimSpace(in.Markdown) != "" {
		doc = participation.SplitMarkdown(doc.Title, in.Markdown)
		doc.ComponentID = c.ID
	}
	before, err := ws.store.GetDocument(r.Context(), c.ID)
	if err != nil && !participation.IsNotFound(err) {
		ws.fail(w, r, err)
		return
	}
	ws.apiWrite(w, r, func() error {
		_, err := ws.store.PublishDocument(r.Context(), doc)
		return err
	}, func() error {
		return ws.audit(r, "document.publish", c.ProcessID, "component:"+itoa(c.ID), before, doc)
	}, ws.answerRead(http.StatusOK, func() (any, error) { return ws.store.GetDocument(r.Context(), c.ID) }))
}

func (ws *Workspace) apiSurvey(w http.ResponseWriter, r *http.Request) {
	c, err := ws.component(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var sv participation.Survey
	if !ws.decode(w, r, &sv) {
		return
	}
	if c.Kind != participation.KindSurvey {
		ws.failMessage(w, r, http.StatusConflict, ws.loc(r).T("err.not_survey"), nil)
		return
	}
	sv.ComponentID = c.ID
	before, err := ws.surveyOf(r, c.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.apiWrite(w, r, func() error { return ws.store.SetSurvey(r.Context(), sv) },
		func() error { return ws.audit(r, "survey.set", c.ProcessID, "component:"+itoa(c.ID), before, sv) },
		ws.answerRead(http.StatusOK, func() (any, error) { return ws.store.GetSurvey(r.Context(), c.ID) }))
}

func (ws *Workspace) apiAddPhase(w http.ResponseWriter, r *http.Request) {
	var ph participation.Phase
	if !ws.decode(w, r, &ph) {
		return
	}
	ph.ID, ph.ProcessID = 0, varID(r, "process")
	ws.apiWrite(w, r, func() (err error) {
		ph.ID, err = ws.store.AddPhase(r.Context(), ph)
		return err
	}, func() error {
		ws.schedule(r.Context(), r, ph.ProcessID)
		return ws.audit(r, "phase.add", ph.ProcessID, "phase:"+itoa(ph.ID), nil, ph)
	}, answerJSON(http.StatusCreated, &ph))
}

func (ws *Workspace) apiSavePhase(w http.ResponseWriter, r *http.Request) {
	p, before, err := ws.phase(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var ph participation.Phase
	if !ws.decode(w, r, &ph) {
		return
	}
	ph.ID, ph.ProcessID = before.ID, p.ID
	ws.apiWrite(w, r, func() error { return ws.store.UpdatePhase(r.Context(), ph) }, func() error {
		ws.schedule(r.Context(), r, p.ID)
		return ws.audit(r, "phase.update", p.ID, "phase:"+itoa(ph.ID), before, ph)
	}, answerJSON(http.StatusOK, &ph))
}

// apiDeletePhase needs ?confirm=yes, like the page's checkbox.
func (ws *Workspace) apiDeletePhase(w http.ResponseWriter, r *http.Request) {
	p, ph, err := ws.phase(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if r.URL.Query().Get("confirm") != "yes" {
		ws.refused(w, r, map[string]string{"confirm": ws.loc(r).T("err.confirm")})
		return
	}
	ws.apiWrite(w, r, func() error { return ws.store.DeletePhase(r.Context(), ph.ID) }, func() error {
		ws.schedule(r.Context(), r, p.ID)
		return ws.audit(r, "phase.delete", p.ID, "phase:"+itoa(ph.ID), ph, nil)
	}, noContent)
}
