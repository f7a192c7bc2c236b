package staffweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

type userRow struct {
	User  staff.User
	Roles []staff.Grant
}

type usersData struct {
	Users     []userRow
	Processes []participation.Process
	Titles    map[int64]string
	Invited   string // the link, when no mailer sends it
	Sent      bool
	Email     string
	Message   string
}

func (a *Area) processTitles(r *http.Request) ([]participation.Process, map[int64]string, error) {
	ps, err := a.opts.Store.ListProcesses(r.Context(), false)
	if err != nil {
		return nil, nil, err
	}
	titles := make(map[int64]string, len(ps))
	for _, p := range ps {
		titles[p.ID] = p.Title
	}
	return ps, titles, nil
}

func (a *Area) users(w http.ResponseWriter, r *http.Request) {
	a.renderUsers(w, r, http.StatusOK, usersData{})
}

func (a *Area) renderUsers(w http.ResponseWriter, r *http.Request, status int, d usersData) {
	us, err := a.svc.ListUsers(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	for _, u := range us {
		g, err := a.svc.RolesOf(r.Context(), u.ID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.Users = append(d.Users, userRow{User: u, Roles: g})
	}
	if d.Processes, d.Titles, err = a.processTitles(r); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, status, "users", "users.title", d)
}

// invite reads the roles as one select per process (role_<id>) and an
// admin checkbox.
func (a *Area) invite(w http.ResponseWriter, r *http.Request) {
	admin := callerOf(r).user
	email := strings.TrimSpace(r.PostFormValue("email"))
	if err := r.ParseForm(); err != nil {
		a.failStatus(w, r, http.StatusBadRequest, "err.bad_form")
		return
	}
	var grants []staff.Grant
	if r.PostForm.Get("admin") != "" {
		grants = append(grants, staff.Grant{Role: staff.RoleAdmin})
	}
	for k, vs := range r.PostForm {
		id, ok := strings.CutPrefix(k, "role_")
		if !ok || len(vs) == 0 || vs[0] == "" {
			continue
		}
		pid, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			a.renderUsers(w, r, http.StatusUnprocessableEntity, usersData{Email: email, Message: "form.invalid"})
			return
		}
		grants = append(grants, staff.Grant{ProcessID: pid, Role: staff.Role(vs[0])})
	}
	token, err := a.svc.Invite(r.Context(), admin.ID, email, grants)
	if err != nil {
		switch {
		case isInvalid(err):
			a.renderUsers(w, r, http.StatusUnprocessableEntity, usersData{Email: email, Message: "users.invite_invalid"})
		case isExists(err):
			a.renderUsers(w, r, http.StatusConflict, usersData{Email: email, Message: "users.invite_exists"})
		default:
			a.fail(w, r, err)
		}
		return
	}
	link := a.baseURL(r) + "/staff/invite?token=" + url.QueryEscape(token)
	if a.opts.SendLink != nil {
		l := Link{Kind: "invite", Email: staff.NormalizeEmail(email), URL: link, Lang: a.loc(r).Lang()}
		ctx := contextWithoutCancel(r)
		go a.send(ctx, l)
		a.renderUsers(w, r, http.StatusOK, usersData{Sent: true})
		return
	}
	// Without a mailer the admin passes the link on; it is shown this once.
	a.renderUsers(w, r, http.StatusOK, usersData{Invited: link})
}

func targetUser(r *http.Request) int64 {
	id, _ := strconv.ParseInt(mux.Vars(r)["user"], 10, 64)
	return id
}

type userData struct {
	User      staff.User
	Roles     []staff.Grant
	Sessions  []staff.Session
	Processes []participation.Process
	Titles    map[int64]string
	Message   string
}

func (a *Area) userPage(w http.ResponseWriter, r *http.Request) {
	a.renderUser(w, r, http.StatusOK, "")
}

func (a *Area) renderUser(w http.ResponseWriter, r *http.Request, status int, msg string) {
	id := targetUser(r)
	u, err := a.svc.GetUser(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := userData{User: u, Message: msg}
	if d.Roles, err = a.svc.RolesOf(r.Context(), id); err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Sessions, err = a.svc.Sessions(r.Context(), id); err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Processes, d.Titles, err = a.processTitles(r); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, status, "user", "user.title", d)
}

// grantFromForm reads process and role; role admin is global.
func grantFromForm(r *http.Request) staff.Grant {
	g := staff.Grant{Role: staff.Role(r.PostFormValue("role"))}
	if g.Role != staff.RoleAdmin {
		g.ProcessID, _ = strconv.ParseInt(r.PostFormValue("process"), 10, 64)
	}
	return g
}

func (a *Area) grantRole(w http.ResponseWriter, r *http.Request) {
	a.userChange(w, r, func(by, id int64) error { return a.svc.Grant(r.Context(), by, id, grantFromForm(r)) })
}

func (a *Area) revokeRole(w http.ResponseWriter, r *http.Request) {
	a.userChange(w, r, func(by, id int64) error { return a.svc.RevokeRole(r.Context(), by, id, grantFromForm(r)) })
}

func (a *Area) setDisabled(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.userChange(w, r, func(by, id int64) error { return a.svc.SetDisabled(r.Context(), by, id, disabled) })
	}
}

func (a *Area) adminDisableTOTP(w http.ResponseWriter, r *http.Request) {
	a.userChange(w, r, func(by, id int64) error { return a.svc.DisableTOTP(r.Context(), by, id) })
}

func (a *Area) adminRevokeAll(w http.ResponseWriter, r *http.Request) {
	a.userChange(w, r, func(by, id int64) error { return a.svc.RevokeAll(r.Context(), by, id) })
}

// userChange runs one admin change on the user of the URL (the service
// checks the actor again and writes the audit record) and goes back to the
// user's page; invalid input re-renders it with a message.
func (a *Area) userChange(w http.ResponseWriter, r *http.Request, change func(by, id int64) error) {
	id := targetUser(r)
	err := change(callerOf(r).user.ID, id)
	switch {
	case err == nil:
		redirect(w, r, fmt.Sprintf("/staff/admin/users/%d", id))
	case isInvalid(err):
		a.renderUser(w, r, http.StatusUnprocessableEntity, "form.invalid")
	case isConflict(err):
		a.renderUser(w, r, http.StatusConflict, "user.conflict")
	default:
		a.fail(w, r, err)
	}
}

type auditData struct {
	Records   []auditRow
	Next      string // query of the next page, empty on the last
	Users     []staff.User
	Processes []participation.Process
	Filter    auditForm
}

type auditRow struct {
	staff.Record
	Actor   string
	Process string
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

func (a *Area) audit(w http.ResponseWriter, r *http.Request) {
	f, form, ok := a.auditFilter(r)
	if !ok {
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.invalid")
		return
	}
	recs, next, err := a.svc.ListAudit(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := auditData{Filter: form}
	if d.Users, err = a.svc.ListUsers(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	var titles map[int64]string
	if d.Processes, titles, err = a.processTitles(r); err != nil {
		a.fail(w, r, err)
		return
	}
	emails := map[int64]string{0: a.loc(r).T("audit.system")}
	for _, u := range d.Users {
		emails[u.ID] = u.Email
	}
	for _, rec := range recs {
		row := auditRow{Record: rec, Actor: emails[rec.ActorID], Process: titles[rec.ProcessID]}
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
	a.render(w, r, http.StatusOK, "audit", "audit.title", d)
}
