package staffweb

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/processfile"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// processFileRoutes serve a process's set-up as a process file
// (participation/processfile): download it, and apply one through the API.
//
// Applying names its process inside the body (by slug), so the route's rule
// is SignedIn and the handler asks the one check, staff.Authorize, once it
// has read the slug: edit_process on the process when it exists (an
// official of another process gets 404, an analyst 403), the global
// permission (admins) for a new one.
func (a *Area) processFileRoutes(reg web.Registrar) {
	edit := Rule(staff.EditProcess)
	body := web.MaxBody(processfile.MaxFileBytes + 1)
	reg.HandleFunc("staff.process.file", http.MethodGet, "/staff/processes/{process:[0-9]+}/process.json", edit, a.processFile)
	reg.HandleFunc("api.staff.process.file", http.MethodGet, "/api/v1/staff/processes/{process:[0-9]+}/process.json", edit, a.processFile)
	reg.HandleFunc("api.staff.process.apply", http.MethodPut, "/api/v1/staff/processes/apply", SignedIn, a.applyProcessFile, body)
	reg.HandleFunc("api.staff.process.apply.post", http.MethodPost, "/api/v1/staff/processes/apply", SignedIn, a.applyProcessFile, body)
}

// processFiles is the store as the process file needs it.
func (a *Area) processFiles() (processfile.Store, error) { return a.opts.Store, nil }

func (a *Area) processFile(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	st, err := a.processFiles()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f, err := processfile.Export(r.Context(), st, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if !isAPI(r) {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", f.Process.Slug+".process.json"))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	enc.Encode(f)
}

// applyResult is the API's answer to an applied file.
type applyResult struct {
	ID      int64  `json:"id"`
	Slug    string `json:"slug"`
	Result  string `json:"result"` // created, updated or unchanged
	Changed bool   `json:"changed"`
}

func (a *Area) applyProcessFile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st, err := a.processFiles()
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f, err := processfile.Decode(r.Body)
	if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
		a.fileProblems(w, r, participation.Errorf(participation.CodeTooLarge, "", "pf.too_large",
			"the file is larger than %d MiB", processfile.MaxFileBytes>>20))
		return
	}
	if err != nil {
		a.fileProblems(w, r, err)
		return
	}
	c := callerOf(r)
	var before *processfile.File
	existing, err := st.GetProcessBySlug(ctx, f.Process.Slug, false)
	switch {
	case err == nil:
		if err := a.svc.Authorize(ctx, c.user, staff.EditProcess, existing.ID); err != nil {
			a.fail(w, r, err)
			return
		}
		b, err := processfile.Export(ctx, st, existing.ID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		before = &b
	case participation.IsNotFound(err):
		if err := a.svc.Authorize(ctx, c.user, staff.EditProcess, 0); err != nil {
			a.fail(w, r, err)
			return
		}
	default:
		a.fail(w, r, err)
		return
	}
	id, changed, err := processfile.Apply(ctx, st, f)
	if err != nil {
		a.fileProblems(w, r, err)
		return
	}
	res := applyResult{ID: id, Slug: f.Process.Slug, Result: "unchanged", Changed: changed}
	status := http.StatusOK
	switch {
	case before == nil:
		res.Result, status = "created", http.StatusCreated
	case changed:
		res.Result = "updated"
	}
	if changed {
		after, err := processfile.Export(ctx, st, id)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		var was any
		if before != nil {
			was = processfile.ForAudit(*before)
		}
		if err := a.svc.Audit(ctx, staff.Entry{ActorID: c.user.ID, Action: "process.apply", ProcessID: id,
			Target: "process file " + f.Process.Slug, Before: was, After: processfile.ForAudit(after)}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	writeJSON(w, status, "application/json", res)
}

var fileCatalog = sync.OnceValues(func() (*i18n.Bundle, error) { return i18n.LoadFS(processfile.Catalog(), "en") })

// fileProblems answers a refused file (or a write the store refused) as
// problem details listing every problem at its JSON path, in the caller's
// language.
func (a *Area) fileProblems(w http.ResponseWriter, r *http.Request, err error) {
	var list participation.ValidationErrors
	var one *participation.Error
	switch {
	case errors.As(err, &list):
	case errors.As(err, &one):
		list = participation.ValidationErrors{one}
	default:
		a.fail(w, r, err)
		return
	}
	bundle, berr := fileCatalog()
	if berr != nil {
		a.fail(w, r, berr)
		return
	}
	loc := a.loc(r)
	floc := bundle.For(loc.Lang())
	type fieldError struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	}
	out := make([]fieldError, 0, len(list))
	status := http.StatusUnprocessableEntity
	for _, e := range list {
		msg := e.Msg
		switch {
		case floc.Has(e.Key):
			msg = floc.T(e.Key, e.Args...)
		case e.Key != "" && loc.Has(e.Key):
			msg = loc.T(e.Key, e.Args...)
		}
		out = append(out, fieldError{Field: e.Field, Message: msg})
		switch e.Code {
		case participation.CodeTooLarge:
			status = http.StatusRequestEntityTooLarge
		case participation.CodeConflict, participation.CodeDuplicate, participation.CodeClosed:
			status = http.StatusConflict
		}
	}
	writeJSON(w, status, "application/problem+json", map[string]any{
		"type": "about:blank", "title": http.StatusText(status), "status": status,
		"detail": loc.T("err.invalid"), "instance": r.URL.Path, "errors": out})
}
