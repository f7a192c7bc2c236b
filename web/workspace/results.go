package workspace

import (
	"net/http"
	"strconv"

	"github.com/civicpulse/civicpulse/participation"
)

// The officials' report of a process ("what we heard, what we did"): the
// summary and the next steps in each language, saved as a draft, previewed
// as citizens will see it, then published with the results page.

// ResultsReports is the part of the store that keeps the report.
type ResultsReports = participation.Results

// blankSteps is how many empty next-step rows the form offers beyond the
// steps already written.
const blankSteps = 3

type resultsData struct {
	P       participation.Process
	R       participation.ResultsReport
	F       *form
	Steps   []int // row numbers of the next-step form
	Preview string
}

func (ws *Workspace) resultsPage(w http.ResponseWriter, r *http.Request) {
	ws.renderResults(w, r, http.StatusOK, nil)
}

// renderResults shows the editor; a refused form keeps what was typed.
func (ws *Workspace) renderResults(w http.ResponseWriter, r *http.Request, status int, refused *form) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	rep, err := ws.store.ResultsReport(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := refused
	rows := len(rep.NextSteps) + blankSteps
	if f == nil {
		f = newForm(nil)
		for l, s := range rep.Summary {
			f.V.Set("summary."+l, s)
		}
		for i, s := range rep.NextSteps {
			f.V.Set(stepKey(i, "due"), s.Due)
			for l, t := range s.Text {
				f.V.Set(stepKey(i, l), t)
			}
		}
	} else if n, _ := strconv.Atoi(f.Get("rows")); n > 0 && n <= participation.NextStepsMax+blankSteps {
		rows = n
	}
	d := resultsData{P: p, R: rep, F: f, Preview: "/staff/p/" + itoa(p.ID) + "/results/preview"}
	for i := range rows {
		d.Steps = append(d.Steps, i)
	}
	ws.render(w, r, status, "results", ws.loc(r).T("results.title"), d)
}

func stepKey(i int, f string) string { return "next_steps." + strconv.Itoa(i) + "." + f }

// reportFrom reads the editor's form.
func reportFrom(p participation.Process, f *form, staffID int64) participation.ResultsReport {
	rep := participation.ResultsReport{ProcessID: p.ID, StaffID: staffID, Summary: map[string]string{}}
	for _, l := range p.Languages {
		rep.Summary[l] = f.Get("summary." + l)
	}
	rows, _ := strconv.Atoi(f.Get("rows"))
	rows = min(max(rows, 0), participation.NextStepsMax+blankSteps)
	for i := range rows {
		s := participation.NextStep{Due: f.Get(stepKey(i, "due")), Text: map[string]string{}}
		for _, l := range p.Languages {
			s.Text[l] = f.Get(stepKey(i, l))
		}
		rep.NextSteps = append(rep.NextSteps, s)
	}
	return rep
}

func (ws *Workspace) saveResults(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	before, err := ws.store.ResultsReport(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var after participation.ResultsReport
	ws.formWrite(w, r, f,
		func() (err error) {
			after, _, err = ws.store.SaveResultsReport(r.Context(), reportFrom(p, f, staffID(r)))
			return err
		},
		func() error { return ws.audit(r, "results.save", p.ID, target(p.ID), before, after) },
		func(status int) { ws.renderResults(w, r, status, f) },
		processPath(p.ID)+"/results", "saved")
}

func (ws *Workspace) publishResults(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	publish := r.PostForm.Get("publish") == "1"
	before, err := ws.store.ResultsReport(r.Context(), p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	after, wr, err := ws.store.PublishResults(r.Context(), p.ID, publish, staffID(r))
	if err != nil {
		f := newForm(nil)
		if !ws.absorb(r, f, err) {
			ws.fail(w, r, err)
			return
		}
		// What is missing is about the texts the form holds: show the
		// stored report with the reasons beside its fields.
		refused := newForm(nil)
		for l, s := range before.Summary {
			refused.V.Set("summary."+l, s)
		}
		for i, s := range before.NextSteps {
			refused.V.Set(stepKey(i, "due"), s.Due)
			for l, t := range s.Text {
				refused.V.Set(stepKey(i, l), t)
			}
		}
		refused.V.Set("rows", strconv.Itoa(len(before.NextSteps)+blankSteps))
		refused.Errors = f.Errors
		refused.Other = append(refused.Other, ws.loc(r).T("results.not_publishable"))
		ws.renderResults(w, r, statusFor(f), refused)
		return
	}
	if wr.Seq != 0 {
		action := "results.publish"
		if !publish {
			action = "results.withdraw"
		}
		if err := ws.audit(r, action, p.ID, target(p.ID), before, after); err != nil {
			ws.fail(w, r, err)
			return
		}
	}
	done := "results_published"
	if !publish {
		done = "results_withdrawn"
	}
	redirect(w, r, processPath(p.ID)+"/results", done)
}
