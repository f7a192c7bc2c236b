package staffweb

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
		d := usersData{Sent: true}
		if a.opts.ShowSentLinks {
			d.Invited = link // mail goes only to the local mailbox: shown this once too
		}
		a.renderUsers(w, r, http.StatusOK, d)
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

type invitationsData struct {
	Invitations []invitationRow
	Titles      map[int64]string
	Done        string
	Message     string
}

type invitationRow struct {
	staff.Invitation
	By string // the admin who invited
}

func (a *Area) invitations(w http.ResponseWriter, r *http.Request) {
	d := invitationsData{}
	if r.URL.Query().Get("done") == "revoked" {
		d.Done = "invites.done_revoked"
	}
	a.renderInvitations(w, r, http.StatusOK, d)
}

func (a *Area) renderInvitations(w http.ResponseWriter, r *http.Request, status int, d invitationsData) {
	invs, err := a.svc.PendingInvites(r.Context(), callerOf(r).user.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	us, err := a.svc.ListUsers(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	by := map[int64]string{0: a.loc(r).T("audit.system")}
	for _, u := range us {
		by[u.ID] = u.Email
	}
	for _, inv := range invs {
		d.Invitations = append(d.Invitations, invitationRow{Invitation: inv, By: by[inv.CreatedBy]})
	}
	if _, d.Titles, err = a.processTitles(r); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, status, "invitations", "invites.title", d)
}

// revokeInvite withdraws a pending invitation; one accepted, revoked or
// expired meanwhile re-renders the list with a message (409).
func (a *Area) revokeInvite(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(mux.Vars(r)["invite"], 10, 64)
	err := a.svc.RevokeInvite(r.Context(), callerOf(r).user.ID, id)
	switch {
	case err == nil:
		redirect(w, r, "/staff/admin/invitations?done=revoked")
	case isConflict(err):
		a.renderInvitations(w, r, http.StatusConflict, invitationsData{Message: "invites.not_pending"})
	default:
		a.fail(w, r, err)
	}
}
