package staffweb

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

// ProcessLink is a page a later package hangs on a process (set-up,
// moderation, dashboards): shown on the staff home and the process page to
// those whose roles grant Perm there.
type ProcessLink struct {
	Label string // catalogue key of the staff area or plain text
	Perm  staff.Permission
	Path  func(processID int64) string
}

// AddProcessLink adds a link to every process's staff page. Call it before
// serving.
func (a *Area) AddProcessLink(l ProcessLink) { a.links = append(a.links, l) }

type processRow struct {
	Process participation.Process
	Roles   []staff.Role
	Links   []linkView
}

type linkView struct{ Label, URL string }

// visibleProcesses lists the processes u can see with u's roles on each.
func (a *Area) visibleProcesses(r *http.Request, u staff.User) ([]processRow, error) {
	ctx := r.Context()
	ids, all, err := a.svc.ProcessesVisibleTo(ctx, u)
	if err != nil {
		return nil, err
	}
	grants, err := a.svc.RolesOf(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ps, err := a.opts.Store.ListProcesses(ctx, false)
	if err != nil {
		return nil, err
	}
	var out []processRow
	for _, p := range ps {
		if !all && !slices.Contains(ids, p.ID) {
			continue
		}
		row := processRow{Process: p}
		if u.Admin {
			row.Roles = append(row.Roles, staff.RoleAdmin)
		}
		for _, g := range grants {
			if g.ProcessID == p.ID {
				row.Roles = append(row.Roles, g.Role)
			}
		}
		row.Links = a.linksFor(r, u, p.ID)
		out = append(out, row)
	}
	return out, nil
}

func (a *Area) linksFor(r *http.Request, u staff.User, processID int64) []linkView {
	loc := a.loc(r)
	var out []linkView
	for _, l := range a.links {
		if a.svc.Authorize(r.Context(), u, l.Perm, processID) == nil {
			out = append(out, linkView{Label: loc.T(l.Label), URL: l.Path(processID)})
		}
	}
	return out
}

func (a *Area) home(w http.ResponseWriter, r *http.Request) {
	u := callerOf(r).user
	rows, err := a.visibleProcesses(r, u)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "home", "home.title", rows)
}

func (a *Area) processPage(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	p, err := a.opts.Store.GetProcess(r.Context(), id, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	u := callerOf(r).user
	row := processRow{Process: p, Links: a.linksFor(r, u, id)}
	grants, err := a.svc.RolesOf(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if u.Admin {
		row.Roles = append(row.Roles, staff.RoleAdmin)
	}
	for _, g := range grants {
		if g.ProcessID == id {
			row.Roles = append(row.Roles, g.Role)
		}
	}
	a.render(w, r, http.StatusOK, "process", "process.title", row)
}

type memberView struct {
	User staff.User
	Role staff.Role
}

func (a *Area) processStaff(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	p, err := a.opts.Store.GetProcess(r.Context(), id, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	members, err := a.svc.StaffOf(r.Context(), id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var rows []memberView
	for _, m := range members {
		u, err := a.svc.GetUser(r.Context(), m.UserID)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		rows = append(rows, memberView{User: u, Role: m.Role})
	}
	a.render(w, r, http.StatusOK, "process_staff", "process.staff", map[string]any{"Process": p, "Members": rows})
}

type accountData struct {
	Sessions      []staff.Session
	Current       int64
	CodesLeft     int
	Done          string
	Message       string
	PasswordError bool
}

func (a *Area) account(w http.ResponseWriter, r *http.Request) {
	a.renderAccount(w, r, http.StatusOK, accountData{Done: doneKey(r, "totp_on", "totp_off", "revoked")})
}

func doneKey(r *http.Request, allowed ...string) string {
	if d := r.URL.Query().Get("done"); slices.Contains(allowed, d) {
		return "account.done_" + d
	}
	return ""
}

func (a *Area) renderAccount(w http.ResponseWriter, r *http.Request, status int, d accountData) {
	c := callerOf(r)
	var err error
	if d.Sessions, err = a.svc.Sessions(r.Context(), c.user.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	d.Current = c.session.ID
	if c.user.TOTPEnabled {
		if d.CodesLeft, err = a.svc.RecoveryCodesLeft(r.Context(), c.user.ID); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	a.render(w, r, status, "account", "account.title", d)
}

type totpData struct {
	QR      template.URL
	Secret  string
	Message string
}

func (a *Area) beginTOTP(w http.ResponseWriter, r *http.Request) {
	u := callerOf(r).user
	if u.TOTPEnabled {
		a.failStatus(w, r, http.StatusConflict, "totp.already")
		return
	}
	e, err := a.svc.BeginTOTP(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "totp", "totp.title", totpData{
		// A data URL keeps the QR code out of any cache or log on the way.
		QR:     template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(e.PNG)),
		Secret: groupSecret(e.Secret),
	})
}

// groupSecret splits the base32 secret into fours for typing it in.
func groupSecret(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (a *Area) confirmTOTP(w http.ResponseWriter, r *http.Request) {
	u := callerOf(r).user
	code := strings.TrimSpace(r.PostFormValue("code"))
	if code == "" {
		a.render(w, r, http.StatusUnprocessableEntity, "totp", "totp.title", totpData{Message: "totp.need_code"})
		return
	}
	codes, err := a.svc.ConfirmTOTP(r.Context(), u.ID, code)
	if errors.Is(err, staff.ErrBadCredentials) || errors.Is(err, staff.ErrInvalid) {
		a.render(w, r, http.StatusUnprocessableEntity, "totp", "totp.title", totpData{Message: "totp.bad_code"})
		return
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "codes", "codes.title", codes)
}

func (a *Area) disableTOTP(w http.ResponseWriter, r *http.Request) {
	u := callerOf(r).user
	pw := r.PostFormValue("password")
	if pw == "" || a.svc.VerifyPassword(r.Context(), u.ID, pw) != nil {
		a.renderAccount(w, r, http.StatusUnprocessableEntity, accountData{Message: "account.bad_password", PasswordError: true})
		return
	}
	if err := a.svc.DisableTOTP(r.Context(), u.ID, u.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/account?done=totp_off")
}

func (a *Area) regenerateCodes(w http.ResponseWriter, r *http.Request) {
	u := callerOf(r).user
	if !u.TOTPEnabled {
		a.failStatus(w, r, http.StatusConflict, "totp.not_enabled")
		return
	}
	codes, err := a.svc.RegenerateRecoveryCodes(r.Context(), u.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "codes", "codes.title", codes)
}

func (a *Area) revokeSession(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	id, _ := strconv.ParseInt(mux.Vars(r)["session"], 10, 64)
	if err := a.svc.Revoke(r.Context(), c.user.ID, id); err != nil {
		a.fail(w, r, err)
		return
	}
	if id == c.session.ID {
		a.clearSession(w)
		redirect(w, r, "/staff/sign-in?done=signout")
		return
	}
	redirect(w, r, "/staff/account?done=revoked")
}

func (a *Area) revokeAllSessions(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	if err := a.svc.RevokeAll(r.Context(), c.user.ID, c.user.ID); err != nil {
		a.fail(w, r, err)
		return
	}
	a.clearSession(w)
	redirect(w, r, "/staff/sign-in?done=signout")
}
