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

	"github.com/civicpulse/civicpulse/staff"
)

type accountData struct {
	Sessions      []staff.Session
	Current       int64
	CodesLeft     int
	Done          string
	Message       string
	PasswordError bool
	Change        passwordChange
	Alerts        []alertChoice // alerts.go; nil when not offered
}

// passwordChange is the change-password form's state: which field is wrong
// and why. It never holds what was typed: passwords are not echoed back.
type passwordChange struct {
	Message string
	Arg     int
	Field   string // "current", "password" or "confirm"
}

func (a *Area) account(w http.ResponseWriter, r *http.Request) {
	a.renderAccount(w, r, http.StatusOK, accountData{Done: doneKey(r, "totp_on", "totp_off", "revoked", "password", "alerts")})
}

// changePassword checks the form field by field before the service does,
// so each mistake gets its own message, then lets the service check the
// current password, apply the policy and end the other sessions.
func (a *Area) changePassword(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	current, pw, confirm := r.PostFormValue("current"), r.PostFormValue("password"), r.PostFormValue("confirm")
	refuse := func(status int, field, msg string, arg int) {
		a.renderAccount(w, r, status, accountData{Change: passwordChange{Message: msg, Arg: arg, Field: field}})
	}
	switch {
	case current == "":
		refuse(http.StatusUnprocessableEntity, "current", "password.need_current", 0)
		return
	case pw != confirm:
		refuse(http.StatusUnprocessableEntity, "confirm", "password.mismatch", 0)
		return
	case pw == current:
		refuse(http.StatusUnprocessableEntity, "password", "password.same", 0)
		return
	case staff.CheckPassword(c.user.Email, pw) != nil:
		refuse(http.StatusUnprocessableEntity, "password", "err.weak_password", staff.MinPasswordLength)
		return
	}
	err := a.svc.ChangePassword(r.Context(), c.user.ID, c.session.ID, current, pw)
	var locked *staff.LockedError
	switch {
	case err == nil:
		redirect(w, r, "/staff/account?done=password")
	case errors.Is(err, staff.ErrBadCredentials):
		refuse(http.StatusUnprocessableEntity, "current", "password.wrong_current", 0)
	case errors.Is(err, staff.ErrSamePassword):
		refuse(http.StatusUnprocessableEntity, "password", "password.same", 0)
	case errors.Is(err, staff.ErrWeakPassword):
		refuse(http.StatusUnprocessableEntity, "password", "err.weak_password", staff.MinPasswordLength)
	case errors.As(err, &locked):
		w.Header().Set("Retry-After", strconv.Itoa(max(int(locked.Until.Sub(a.now()).Seconds()+0.999), 1)))
		refuse(http.StatusTooManyRequests, "current", "password.locked", 0)
	default:
		a.fail(w, r, err)
	}
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
	if d.Alerts, err = a.alertChoices(r); err != nil {
		a.fail(w, r, err)
		return
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
