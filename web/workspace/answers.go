package workspace

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// Official answers (issue 13): an official answers a citizen's document
// question, or any comment, as the institution. The answer is stored marked
// as official and shown apart on the citizen pages; it is the officials'
// (edit_process), not the moderators'.

func (ws *Workspace) answerRoutes(reg web.Registrar) {
	edit := staffweb.Rule(staff.EditProcess)
	const P = "/staff/processes/{process:[0-9]+}"
	reg.HandleFunc("ws.questions", http.MethodGet, P+"/questions", edit, ws.questionsPage)
	reg.HandleFunc("ws.answer", http.MethodPost, P+"/answers", edit, ws.answer)
}

type questionsData struct {
	P         participation.Process
	Questions []participation.OpenQuestion
	Comps     map[int64]string
	F         *form
	For       int64 // the comment the refused answer was for
}

func (ws *Workspace) questionsPage(w http.ResponseWriter, r *http.Request) {
	ws.renderQuestions(w, r, http.StatusOK, newForm(nil), 0)
}

func (ws *Workspace) renderQuestions(w http.ResponseWriter, r *http.Request, status int, f *form, forID int64) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := questionsData{P: p, Comps: map[int64]string{}, F: f, For: forID}
	for _, c := range p.Components {
		d.Comps[c.ID] = c.Title
	}
	if d.Questions, err = ws.store.ProcessQuestions(r.Context(), p.ID); err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.render(w, r, status, "questions", ws.loc(r).T("answers.title"), d)
}

func (ws *Workspace) answer(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	id, _ := strconv.ParseInt(f.Get("comment_id"), 10, 64)
	body := strings.TrimSpace(f.Get("body"))
	if id <= 0 {
		f.Other = append(f.Other, ws.loc(r).T("answers.which"))
		ws.renderQuestions(w, r, http.StatusUnprocessableEntity, f, 0)
		return
	}
	c, err := ws.store.GetComment(r.Context(), id)
	if err == nil && c.ProcessID != p.ID {
		err = participation.Errorf(participation.CodeNotFound, "comment_id", "err.not_found", "no such comment")
	}
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var staffID int64
	if u, ok := userFrom(r); ok {
		staffID = u.ID
	}
	var aid int64
	ws.formWrite(w, r, f, func() (err error) {
		aid, err = ws.store.AnswerAsInstitution(r.Context(), id, staffID, body)
		return err
	}, func() error {
		return ws.audit(r, "comment.answer", p.ID, "comment:"+itoa(aid), nil, map[string]any{"answers": id, "body": body})
	}, func(status int) {
		ws.renderQuestions(w, r, status, f, id)
	}, processPath(p.ID)+"/questions", "answered")
}
