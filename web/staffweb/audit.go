package staffweb

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

type auditData struct {
	Records   []auditRow
	Next      string // query of the next page, empty on the last
	Users     []staff.User
	Processes []participation.Process
	Filter    auditForm
	Process   participation.Process // the process-scoped view only
}

type auditRow struct {
	staff.Record
	Actor   string
	Process string
	Changes []changeView
}

// changeView is one changed key as the page shows it: long values are cut
// so that one edited paragraph does not fill the screen (the API has them
// whole).
type changeView struct {
	Key, Before, After string
}

const maxShownValue = 160

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= maxShownValue {
		return s
	}
	r := []rune(s)
	return string(r[:maxShownValue]) + "…"
}

func changesOf(rec staff.Record) []changeView {
	var out []changeView
	for _, c := range staff.Diff(rec.Before, rec.After) {
		out = append(out, changeView{Key: c.Key, Before: shorten(c.Before), After: shorten(c.After)})
	}
	return out
}

type auditForm struct {
	Actor, Process, Action, From, To string
}

// auditFilter reads the audit filters from the query: actor and process
// ids, an action, and a day range (From and To inclusive, in the area's
// time zone).
func (a *Area) auditFilter(r *http.Request) (staff.AuditFilter, auditForm, bool) {
	q := r.URL.Query()
	form := auditForm{Actor: q.Get("actor"), Process: q.Get("process"), Action: strings.TrimSpace(q.Get("action")), From: q.Get("from"), To: q.Get("to")}
	f := staff.AuditFilter{Action: form.Action}
	ok := true
	num := func(s string) int64 {
		if s == "" {
			return 0
		}
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			ok = false
		}
		return n
	}
	f.ActorID, f.ProcessID, f.BeforeID = num(form.Actor), num(form.Process), num(q.Get("before"))
	if form.From != "" {
		t, err := time.ParseInLocation("2006-01-02", form.From, a.tz)
		ok = ok && err == nil
		f.From = t
	}
	if form.To != "" {
		t, err := time.ParseInLocation("2006-01-02", form.To, a.tz)
		ok = ok && err == nil
		f.To = t.AddDate(0, 0, 1)
	}
	if n := num(q.Get("limit")); n > 0 {
		f.Limit = int(n)
	}
	return f, form, ok
}

// auditPage reads one page of f and names each actor with label (the
// admin's page shows emails, the process's page names).
func (a *Area) auditPage(r *http.Request, f staff.AuditFilter, label func(staff.User) string) (auditData, error) {
	var d auditData
	recs, next, err := a.svc.ListAudit(r.Context(), f)
	if err != nil {
		return d, err
	}
	if d.Users, err = a.svc.ListUsers(r.Context()); err != nil {
		return d, err
	}
	var titles map[int64]string
	if d.Processes, titles, err = a.processTitles(r); err != nil {
		return d, err
	}
	actors := map[int64]string{0: a.loc(r).T("audit.system")}
	for _, u := range d.Users {
		actors[u.ID] = label(u)
	}
	for _, rec := range recs {
		row := auditRow{Record: rec, Actor: actors[rec.ActorID], Process: titles[rec.ProcessID], Changes: changesOf(rec)}
		if row.Actor == "" {
			row.Actor = fmt.Sprintf("#%d", rec.ActorID)
		}
		d.Records = append(d.Records, row)
	}
	if next != 0 {
		q := r.URL.Query()
		q.Set("before", strconv.FormatInt(next, 10))
		d.Next = q.Encode()
	}
	return d, nil
}

func (a *Area) audit(w http.ResponseWriter, r *http.Request) {
	f, form, ok := a.auditFilter(r)
	if !ok {
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.invalid")
		return
	}
	d, err := a.auditPage(r, f, func(u staff.User) string { return u.Email })
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Filter = form
	a.render(w, r, http.StatusOK, "audit", "audit.title", d)
}

// processAudit is the change history of one process for its officials:
// the entries recorded with its id, whatever the query asks (a process=
// filter cannot reach another process's entries). Actors are shown by name.
func (a *Area) processAudit(w http.ResponseWriter, r *http.Request) {
	id := processID(r)
	p, err := a.opts.Store.GetProcess(r.Context(), id, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f, form, ok := a.auditFilter(r)
	if !ok {
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.invalid")
		return
	}
	f.ProcessID, form.Process = id, ""
	d, err := a.auditPage(r, f, func(u staff.User) string { return u.Name })
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d.Filter, d.Process, d.Users, d.Processes = form, p, nil, nil
	a.render(w, r, http.StatusOK, "process_audit", "history.title", d)
}
