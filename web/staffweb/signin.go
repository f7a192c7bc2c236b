package staffweb

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/staff"
)

type signInData struct {
	Email    string
	Next     string
	NeedCode bool
	Message  string
	Done     string // a notice after an accepted invitation or a reset
}

func (a *Area) signInPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := signInData{Next: localTarget(q.Get("next"))}
	switch q.Get("done") {
	case "invite", "reset", "signout":
		d.Done = "signin.done_" + q.Get("done")
	}
	a.render(w, r, http.StatusOK, "signin", "signin.title", d)
}

func (a *Area) signIn(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	code := strings.TrimSpace(r.PostFormValue("code"))
	d := signInData{Email: email, Next: localTarget(r.PostFormValue("next")), NeedCode: code != ""}
	password := r.PostFormValue("password")
	if email == "" || password == "" {
		// Not an attempt: nothing to count against the email's lock-out.
		d.Message = "signin.bad"
		a.render(w, r, http.StatusUnprocessableEntity, "signin", "signin.title", d)
		return
	}
	sess, err := a.svc.Authenticate(r.Context(), email, password, code)
	var locked *staff.LockedError
	switch {
	case err == nil:
		// The session this browser held before (another account's, or an
		// earlier one of the same) ends here rather than living on beside
		// the new one, and the CSRF token is renewed with the session.
		if old, err := r.Cookie(a.cookieName()); err == nil && old.Value != "" {
			if err := a.svc.SignOut(r.Context(), old.Value); err != nil {
				a.fail(w, r, err)
				return
			}
		}
		if a.renewCSRF != nil {
			a.renewCSRF(w)
		}
		a.setSession(w, sess.Token)
		redirect(w, r, d.Next)
		return
	case errors.Is(err, staff.ErrTOTPRequired):
		d.NeedCode, d.Message = true, "signin.need_code"
		a.render(w, r, http.StatusUnprocessableEntity, "signin", "signin.title", d)
	case errors.Is(err, staff.ErrBadCredentials):
		d.Message = "signin.bad"
		a.render(w, r, http.StatusUnprocessableEntity, "signin", "signin.title", d)
	case errors.Is(err, staff.ErrDisabled):
		d.Message = "signin.disabled"
		a.render(w, r, http.StatusUnprocessableEntity, "signin", "signin.title", d)
	case errors.As(err, &locked):
		secs := max(int(locked.Until.Sub(a.now()).Seconds()+0.999), 1)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		d.Message = "signin.locked"
		a.render(w, r, http.StatusTooManyRequests, "signin", "signin.title", d)
	default:
		a.fail(w, r, err)
	}
}

func (a *Area) signOut(w http.ResponseWriter, r *http.Request) {
	if err := a.svc.SignOut(r.Context(), callerOf(r).token); err != nil {
		a.fail(w, r, err)
		return
	}
	a.clearSession(w)
	redirect(w, r, "/staff/sign-in?done=signout")
}

// Invitation and reset pages carry a token in their URL: no Referer may
// take it to another site. "same-origin" rather than "no-referrer": with
// no-referrer browsers send "Origin: null" on the form's own POST, which the
// CSRF check rightly refuses. The token travels in the query string, which
// the access log leaves out, and in a hidden field when the form is sent.
func noReferrer(w http.ResponseWriter) { w.Header().Set("Referrer-Policy", "same-origin") }

type passwordForm struct {
	Token   string
	Email   string
	Name    string
	Message string
	Arg     int // the one number a message may need (the minimum length)
}

func (a *Area) invitePage(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	token := r.URL.Query().Get("token")
	email, err := a.svc.CheckInvite(r.Context(), token)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "invite", "invite.title", passwordForm{Token: token, Email: email})
}

func (a *Area) acceptInvite(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	token := r.PostFormValue("token")
	email, err := a.svc.CheckInvite(r.Context(), token)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f := passwordForm{Token: token, Email: email, Name: strings.TrimSpace(r.PostFormValue("name"))}
	pw := r.PostFormValue("password")
	if msg, arg := passwordProblem(email, pw, r.PostFormValue("confirm")); msg != "" {
		f.Message, f.Arg = msg, arg
		a.render(w, r, http.StatusUnprocessableEntity, "invite", "invite.title", f)
		return
	}
	if _, err := a.svc.AcceptInvite(r.Context(), token, f.Name, pw); err != nil {
		if errors.Is(err, staff.ErrInvalid) || errors.Is(err, staff.ErrWeakPassword) {
			f.Message = "form.invalid"
			a.render(w, r, http.StatusUnprocessableEntity, "invite", "invite.title", f)
			return
		}
		a.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/sign-in?done=invite")
}

// passwordProblem checks a new password before the service does, to say
// precisely what is wrong.
func passwordProblem(email, pw, confirm string) (string, int) {
	if pw != confirm {
		return "password.mismatch", 0
	}
	if err := staff.CheckPassword(email, pw); err != nil {
		return "err.weak_password", staff.MinPasswordLength
	}
	return "", 0
}

func (a *Area) resetRequestPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "reset_request", "reset.title", nil)
}

// requestReset answers at once with the same page whatever the address:
// the reset link is made and sent in the background, so neither the answer
// nor its timing tells whether an account exists.
func (a *Area) requestReset(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	if email != "" {
		base, lang := a.baseURL(r), a.loc(r).Lang()
		ctx := context.WithoutCancel(r.Context())
		go func() {
			ctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			req, err := a.svc.RequestReset(ctx, email)
			if err != nil {
				a.log.Error("staffweb: unable to make a reset link", "err", err)
				return
			}
			if req.Token == "" {
				return
			}
			a.send(ctx, Link{Kind: "reset", Email: req.Email, URL: base + "/staff/reset/new?token=" + req.Token, Lang: lang})
		}()
	}
	a.render(w, r, http.StatusOK, "reset_sent", "reset.title", nil)
}

func (a *Area) send(ctx context.Context, l Link) {
	if a.opts.SendLink == nil {
		a.log.Warn("staffweb: no mailer configured; a link was dropped", "kind", l.Kind)
		return
	}
	if err := a.opts.SendLink(ctx, l); err != nil {
		a.log.Error("staffweb: unable to send a link", "kind", l.Kind, "err", err)
	}
}

// baseURL starts every link that leaves the site; never the Host header.
func (a *Area) baseURL(*http.Request) string { return a.opts.BaseURL }

func (a *Area) resetPage(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	a.render(w, r, http.StatusOK, "reset", "reset.title", passwordForm{Token: r.URL.Query().Get("token")})
}

func (a *Area) resetPassword(w http.ResponseWriter, r *http.Request) {
	noReferrer(w)
	f := passwordForm{Token: r.PostFormValue("token")}
	pw := r.PostFormValue("password")
	if msg, arg := passwordProblem("", pw, r.PostFormValue("confirm")); msg != "" {
		f.Message, f.Arg = msg, arg
		a.render(w, r, http.StatusUnprocessableEntity, "reset", "reset.title", f)
		return
	}
	if err := a.svc.ResetPassword(r.Context(), f.Token, pw); err != nil {
		if errors.Is(err, staff.ErrWeakPassword) {
			f.Message, f.Arg = "err.weak_password", staff.MinPasswordLength
			a.render(w, r, http.StatusUnprocessableEntity, "reset", "reset.title", f)
			return
		}
		a.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/sign-in?done=reset")
}
