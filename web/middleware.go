package web

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gorilla/csrf"
	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// reqState travels with a request through the context; handlers fill in
// the participant when they resolve it.
type reqState struct {
	id          string
	nonce       string
	loc         *i18n.Localizer
	route       string
	participant *participation.Participant
	resolved    bool // participant looked up (found or not)
	api         bool
}

type stateKey struct{}

func state(r *http.Request) *reqState {
	if st, ok := r.Context().Value(stateKey{}).(*reqState); ok {
		return st
	}
	return &reqState{id: "-", loc: nil}
}

// RequestID returns the id logged for r (also sent as X-Request-Id).
func RequestID(r *http.Request) string { return state(r).id }

// Nonce returns the CSP nonce of r, for the rare inline <script> a page
// cannot avoid (chart options); everything else loads from /static.
func Nonce(r *http.Request) string { return state(r).nonce }

func randomString(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

const cspTemplate = "default-src 'self'; script-src 'self' 'nonce-%s'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	nonce := make([]byte, 16)
	rand.Read(nonce)
	st := &reqState{
		id:    randomString(8),
		nonce: base64.StdEncoding.EncodeToString(nonce),
		api:   strings.HasPrefix(r.URL.Path, "/api/"),
	}
	st.loc = s.pickLanguage(w, r)
	r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))

	h := w.Header()
	h.Set("X-Request-Id", st.id)
	h.Set("Content-Security-Policy", fmt.Sprintf(cspTemplate, st.nonce))
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	// The map picker is the only feature that could ask for a device
	// capability, and it takes a typed or clicked point, never the
	// citizen's location: nothing here needs a camera, a microphone or GPS.
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()")
	if s.cfg.Secure {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	h.Set("Content-Language", st.loc.Lang())

	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("http: panic", "request_id", st.id, "route", st.route, "panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if !rec.wrote {
				s.failStatus(rec, r, http.StatusInternalServerError, "err.internal")
			}
		}
		// No IP, no query string (search words, verification tokens), no user agent.
		s.log.Info("http", "request_id", st.id, "method", r.Method, "route", st.route, "path", r.URL.Path,
			"status", rec.status(), "bytes", rec.bytes, "ms", float64(time.Since(start).Microseconds())/1000)
	}()
	s.router.ServeHTTP(rec, r)
}

// pickLanguage applies ?lang=, the lang cookie and Accept-Language; an
// explicit ?lang= is remembered in the cookie.
func (s *Server) pickLanguage(w http.ResponseWriter, r *http.Request) *i18n.Localizer {
	q := r.URL.Query().Get("lang")
	var cookie string
	if c, err := r.Cookie("lang"); err == nil {
		cookie = c.Value
	}
	loc := s.i18n.Pick(q, cookie, r.Header.Get("Accept-Language"))
	if q != "" && q == loc.Lang() && q != cookie && !strings.HasPrefix(r.URL.Path, "/api/") {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: q, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	}
	return loc
}

// statusRecorder remembers the status for the access log and whether
// anything was written (so a panic can still send an error page).
type statusRecorder struct {
	http.ResponseWriter
	code  int
	bytes int64
	wrote bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wrote {
		r.code = code
		r.wrote = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wrote {
		r.code = http.StatusOK
		r.wrote = true
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

func (r *statusRecorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}

// Flush keeps server-sent events (dashboards) working through the recorder.
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		r.wrote = true
		f.Flush()
	}
}

func (r *statusRecorder) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if h, ok := r.ResponseWriter.(http.Hijacker); ok {
		return h.Hijack()
	}
	return nil, nil, errors.New("web: hijacking not supported")
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// wrap puts the per-route middleware around h, outermost first: body limit,
// CSRF (pages only), identity and access rule, write rate limits.
func (s *Server) wrap(info RouteInfo, o routeOptions, h http.Handler) http.Handler {
	h = s.withRateLimit(h)
	h = s.withAccess(info, h)
	if !info.API {
		checked := s.withCSRF(h)
		if o.oneClick {
			checked = s.withOneClick(h, checked)
		}
		h = checked
	}
	h = s.withBodyLimit(o.maxBody, h)
	name := info.Name
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		state(r).route = name
		h.ServeHTTP(w, r)
	})
}

func (s *Server) withBodyLimit(limit int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > limit {
			s.failStatus(w, r, http.StatusRequestEntityTooLarge, "err.body_too_large", limit>>20)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// csrfCookie names the CSRF cookie; behind HTTPS the __Host- prefix makes
// browsers refuse it from a sibling subdomain or without Secure, so nobody
// can plant a token pair of their own in an official's browser.
func (s *Server) csrfCookie() string {
	if s.cfg.Secure {
		return "__Host-cp_csrf"
	}
	return "cp_csrf"
}

// RenewCSRF drops the caller's CSRF cookie, so that the next page gets a new
// token: a sign-in calls it, so no token handed out before the session
// began (to this browser or to someone who saw its pages) works after it.
func (s *Server) RenewCSRF(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.csrfCookie(), Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
}

// withCSRF checks the token of every unsafe page request. Multipart bodies
// are parsed first so that an oversized upload answers 413 (and not a
// confusing CSRF failure from the library's own parse).
func (s *Server) withCSRF(next http.Handler) http.Handler {
	protect := csrf.Protect(s.csrfKey,
		csrf.Secure(s.cfg.Secure),
		csrf.Path("/"),
		csrf.HttpOnly(true),
		csrf.SameSite(csrf.SameSiteLaxMode),
		csrf.CookieName(s.csrfCookie()),
		csrf.FieldName("csrf_token"),
		csrf.RequestHeader("X-CSRF-Token"),
		csrf.ErrorHandler(http.HandlerFunc(s.csrfFailed)),
	)(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.cfg.Secure {
			// gorilla/csrf 1.7.3 assumes HTTPS and would demand an https
			// Referer; on plain http it must be told so.
			r = csrf.PlaintextHTTPRequest(r)
		}
		if !isSafeMethod(r.Method) {
			if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
				if err := r.ParseMultipartForm(8 << 20); err != nil {
					var tooBig *http.MaxBytesError
					if errors.As(err, &tooBig) {
						s.failStatus(w, r, http.StatusRequestEntityTooLarge, "err.body_too_large", tooBig.Limit>>20)
						return
					}
					s.failStatus(w, r, http.StatusBadRequest, "err.bad_form")
					return
				}
			}
		}
		protect.ServeHTTP(w, r)
	})
}

func (s *Server) csrfFailed(w http.ResponseWriter, r *http.Request) {
	s.log.Warn("http: csrf check failed", "request_id", state(r).id, "reason", csrf.FailureReason(r))
	s.failStatus(w, r, http.StatusForbidden, "err.csrf")
}

// withAccess resolves who is calling and enforces the route's rule.
func (s *Server) withAccess(info RouteInfo, next http.Handler) http.Handler {
	switch rule := info.Access.(type) {
	case publicAccess:
		return next
	case participantAccess:
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if info.API {
				p, err := s.bearer(r)
				if err != nil {
					s.fail(w, r, err)
					return
				}
				if p == nil {
					w.Header().Set("WWW-Authenticate", `Bearer realm="civicpulse"`)
					s.failStatus(w, r, http.StatusUnauthorized, "err.unauthorized")
					return
				}
			} else if !isSafeMethod(r.Method) {
				// Pages: the first write creates the anonymous participant.
				if _, err := s.ensureParticipant(w, r); err != nil {
					s.fail(w, r, err)
					return
				}
			}
			next.ServeHTTP(w, r)
		})
	case Staff:
		if s.cfg.StaffGuard == nil {
			return http.HandlerFunc(s.notFound)
		}
		return s.cfg.StaffGuard(rule, next)
	default:
		panic(fmt.Sprintf("web: unknown access rule %T", info.Access))
	}
}

// withRateLimit limits writes per client address and, once known, per
// participant. Reads are not limited here.
func (s *Server) withRateLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isSafeMethod(r.Method) {
			next.ServeHTTP(w, r)
			return
		}
		if wait := s.ipLimit.take("ip:" + s.clientIP(r)); wait > 0 {
			s.tooMany(w, r, wait)
			return
		}
		if p := state(r).participant; p != nil {
			if wait := s.pLimit.take(fmt.Sprintf("p:%d", p.ID)); wait > 0 {
				s.tooMany(w, r, wait)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(wait.Seconds() + 0.999)
	w.Header().Set("Retry-After", fmt.Sprint(secs))
	s.failStatus(w, r, http.StatusTooManyRequests, "err.rate_limited", secs)
}

// clientIP is used for rate limits and the daily visitor hash only; it is
// never logged or stored. Behind trusted proxies it walks X-Forwarded-For
// from the right (each proxy appends the address it received from) and
// stops at the first hop no trusted proxy vouches for: everything left of
// it is whatever the client chose to send.
func (s *Server) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(s.cfg.TrustedProxies) == 0 || !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if _, err := netip.ParseAddr(hop); err != nil {
			break // not an address: nothing further left can be believed
		}
		host = hop
		if !s.trusted(hop) {
			break
		}
	}
	return host
}

// trusted reports whether addr is one of the trusted proxies.
func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.failStatus(w, r, http.StatusNotFound, "err.not_found")
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.failStatus(w, r, http.StatusMethodNotAllowed, "err.method")
}

var _ = mux.Vars
var _ = slog.Info
