package staffweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
)

// Guard is the one authorisation layer of the staff area (web.Config.StaffGuard):
// session from the cookie (or, on the API, the bearer token) → user →
// staff.Authorize for the rule's permission on the route's {process}.
// Anonymous callers are sent to the sign-in page (401 problem+json on the
// API); a process the user has no role on is 404, a role too weak 403.
//
// It panics on a rule it does not understand: Guard runs when the route is
// registered, so a mistyped rule stops the server at boot.
func (a *Area) Guard(rule web.Staff, next http.Handler) http.Handler {
	perm, signedIn, ok := permissionOf(rule)
	if !ok {
		panic(fmt.Sprintf("staffweb: unknown staff rule %q", rule.Role))
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		token := a.token(r)
		sess, user, err := a.svc.SessionByToken(r.Context(), token)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		var processID int64
		if v, has := mux.Vars(r)["process"]; has {
			processID, err = strconv.ParseInt(v, 10, 64)
			if err != nil || processID <= 0 {
				a.failStatus(w, r, http.StatusNotFound, "err.not_found")
				return
			}
		}
		if !signedIn {
			if err := a.svc.Authorize(r.Context(), user, perm, processID); err != nil {
				if errors.Is(err, staff.ErrForbidden) || errors.Is(err, staff.ErrNotFound) {
					// Refusals are logged (ASVS 16.3.2): who, by id, asked
					// for what; the answer stays a plain 403 or 404.
					route := ""
					if cr := mux.CurrentRoute(r); cr != nil {
						route = cr.GetName()
					}
					a.log.Info("staffweb: access refused", "request_id", web.RequestID(r), "user_id", user.ID,
						"permission", fmt.Sprint(perm), "process_id", processID, "route", route)
				}
				a.fail(w, r, err)
				return
			}
		}
		ctx := context.WithValue(r.Context(), ctxKey{}, &caller{user: user, session: sess, token: token})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// token is the caller's session token. The API takes "Authorization: Bearer
// <token>"; it takes the cookie only for reads, because the API has no CSRF
// check and a cookie rides along with any cross-site form.
func (a *Area) token(r *http.Request) string {
	if isAPI(r) {
		if scheme, cred, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
			return strings.TrimSpace(cred)
		}
		if !safeMethod(r.Method) {
			return ""
		}
	}
	if c, err := r.Cookie(a.cookieName()); err == nil {
		return c.Value
	}
	return ""
}

// cookieName: with TLS the __Host- prefix pins the cookie to this host and
// path /, so a sibling subdomain cannot plant one.
func (a *Area) cookieName() string {
	if a.opts.Secure {
		return "__Host-cp_staff"
	}
	return "cp_staff"
}

// setSession sets the session cookie. No Max-Age: the server enforces the
// idle and absolute limits, and the cookie dies with the browser.
func (a *Area) setSession(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: a.cookieName(), Value: token, Path: "/", HttpOnly: true,
		Secure: a.opts.Secure, SameSite: http.SameSiteStrictMode})
}

func (a *Area) clearSession(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: a.cookieName(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: a.opts.Secure, SameSite: http.SameSiteStrictMode})
}

// signInURL sends the caller back where they were after signing in; only
// local GET targets are kept.
func signInURL(r *http.Request) string {
	if safeMethod(r.Method) && r.URL.Path != "/staff" {
		return "/staff/sign-in?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	return "/staff/sign-in"
}

// localTarget accepts only a path on this site under /staff, so next= cannot
// send a freshly signed-in user elsewhere.
func localTarget(next string) string {
	if strings.HasPrefix(next, "/staff") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		if u, err := url.Parse(next); err == nil && u.Host == "" && u.Scheme == "" {
			return next
		}
	}
	return "/staff"
}

// fail answers err with its status: the staff errors as the staff package
// documents them, a missing participation record as 404, the rest 500
// (logged once, without the request's data).
func (a *Area) fail(w http.ResponseWriter, r *http.Request, err error) {
	var locked *staff.LockedError
	switch {
	case errors.Is(err, staff.ErrNoSession):
		if isAPI(r) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="civicpulse-staff"`)
			a.failStatus(w, r, http.StatusUnauthorized, "err.unauthorized")
			return
		}
		a.clearSession(w)
		if r.Header.Get("HX-Request") != "" {
			// htmx would swap the sign-in page into a fragment; send the browser there.
			w.Header().Set("HX-Redirect", signInURL(r))
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, signInURL(r), http.StatusSeeOther)
	case errors.As(err, &locked):
		secs := int(locked.Until.Sub(a.now()).Seconds() + 0.999)
		w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
		a.failStatus(w, r, http.StatusTooManyRequests, "err.locked")
	case errors.Is(err, staff.ErrForbidden):
		a.failStatus(w, r, http.StatusForbidden, "err.forbidden")
	case errors.Is(err, staff.ErrNotFound), participation.IsNotFound(err):
		a.failStatus(w, r, http.StatusNotFound, "err.not_found")
	case errors.Is(err, staff.ErrWeakPassword):
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.weak_password", staff.MinPasswordLength)
	case errors.Is(err, staff.ErrInvalid):
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.invalid")
	case errors.Is(err, staff.ErrExists):
		a.failStatus(w, r, http.StatusConflict, "err.exists")
	case errors.Is(err, staff.ErrConflict):
		a.failStatus(w, r, http.StatusConflict, "err.conflict")
	case errors.Is(err, staff.ErrRevoked):
		a.failStatus(w, r, http.StatusGone, "err.invite_revoked")
	case errors.Is(err, staff.ErrInvalidToken):
		a.failStatus(w, r, http.StatusGone, "err.invalid_token")
	default:
		a.log.Error("staffweb: request failed", "request_id", web.RequestID(r), "err", err)
		a.failStatus(w, r, http.StatusInternalServerError, "err.internal")
	}
}
