// Package web is civicpulse's HTTP face: the citizen pages (server-rendered,
// working without JavaScript and improved by htmx), the JSON API under
// /api/v1 with its OpenAPI document, and the middleware both share.
//
// Every route goes through one recorder (see Registrar) that demands an
// access rule, so the route table (Routes) is also the authorisation table.
// Other packages add their pages with Mount and get the same middleware.
//
// For packages that mount routes (staff pages, dashboards):
//   - Register with reg.Handle(name, method, path, rule, h). Staff{Role}
//     routes run through Config.StaffGuard, which the staff package
//     supplies; without one they answer 404.
//   - Every non-API route gets CSRF protection (gorilla/csrf): put
//     csrf.TemplateField(r) in each form, or send the token in the
//     X-CSRF-Token header (the citizen layout does so for htmx via
//     hx-headers). Paths under /api/ get no CSRF and no cookies: bearer
//     tokens only.
//   - The CSP allows scripts from 'self' and a per-request nonce
//     (Nonce(r)); inline styles are not allowed. Static files: AssetURL.
//   - Writes (non-GET) are rate limited per client address and per
//     participant; bodies are limited to 1 MB unless MaxBody says otherwise.
//   - The response writer passed on supports http.Flusher (server-sent events).
package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/gorilla/mux"
	"github.com/gorilla/securecookie"

	// Process time zones must load on machines without a zoneinfo database.
	_ "time/tzdata"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// Config is what the server needs from its caller.
type Config struct {
	Store  participation.Store
	Logger *slog.Logger
	// SecretKey signs the session and CSRF cookies; at least 32 random
	// bytes, the same on every replica.
	SecretKey   []byte
	Clock       func() time.Time
	RateLimits  RateLimits
	BaseURL     string // e.g. https://engage.example.org, for links in messages
	Secure      bool   // cookies Secure, HSTS; false for plain-http localhost
	DefaultLang string // catalogue language when the browser asks for none we have ("en")
	// SendVerification delivers a registration's link token or code. Nil
	// logs that one was issued (never the secret) and drops it.
	SendVerification func(ctx context.Context, v VerificationMessage) error
	// Messages keeps participants' choices of messages and answers the
	// unsubscribe links (messages.go). Nil: no "Messages" section on /me,
	// and /unsubscribe answers 404.
	Messages Messages
	// StaffGuard decides Staff routes: it returns the handler to run (next
	// when allowed, or its own sign-in page / 403). Nil: staff routes 404.
	StaffGuard func(rule Staff, next http.Handler) http.Handler
	// PreviewAllowed reports whether the request's staff member may see a
	// process that citizens cannot yet (draft, preview) on the citizen
	// pages (the workspace's preview). Nil: nobody may.
	PreviewAllowed func(r *http.Request, processID int64) bool
	// TrustedProxies are the reverse proxies (load balancers) in front of
	// the site. A request from one of them is taken to come from the
	// nearest X-Forwarded-For address that is not itself a trusted proxy;
	// from anywhere else the header is ignored, so a client cannot choose
	// the address its rate limit counts against.
	TrustedProxies []netip.Prefix
}

// VerificationMessage is one registration secret to deliver.
type VerificationMessage struct {
	ProcessID     int64
	ParticipantID int64
	Channel       string // "email" or "phone"
	To            string
	Secret        string // link token or 6-digit code
	Link          string // verification page URL with the token (email)
	Lang          string
}

// RateLimits bounds writes per minute. Zero takes the default; negative
// turns the limit off (the benchmark does).
type RateLimits struct {
	PerIPPerMinute          int
	PerParticipantPerMinute int
}

// Server is the http.Handler of the whole site.
type Server struct {
	cfg      Config
	store    participation.Store
	log      *slog.Logger
	router   *mux.Router
	routes   []RouteInfo
	i18n     *i18n.Bundle
	pages    htmlpage.Pages
	assets   *assets
	cookies  *securecookie.SecureCookie
	csrfKey  []byte
	ipLimit  *limiter
	pLimit   *limiter
	visitors *visitorHasher
	now      func() time.Time
	openapi  []byte
	maps     regionMaps // region sets' drawings, by set
	handler  http.Handler
}

// New builds the server and registers the citizen pages and the API.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil {
		return nil, errors.New("web: Config.Store is required")
	}
	if len(cfg.SecretKey) < 32 {
		return nil, errors.New("web: Config.SecretKey must be at least 32 bytes")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.DefaultLang == "" {
		cfg.DefaultLang = "en"
	}
	if cfg.RateLimits.PerIPPerMinute == 0 {
		cfg.RateLimits.PerIPPerMinute = 120
	}
	if cfg.RateLimits.PerParticipantPerMinute == 0 {
		cfg.RateLimits.PerParticipantPerMinute = 60
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	bundle, err := i18n.Load(cfg.DefaultLang)
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	s := &Server{
		cfg:     cfg,
		store:   cfg.Store,
		log:     cfg.Logger,
		router:  mux.NewRouter(),
		maps:    regionMaps{sets: map[int64]*regionMap{}},
		i18n:    bundle,
		now:     cfg.Clock,
		csrfKey: derive(cfg.SecretKey, "csrf"),
	}
	s.cookies = securecookie.New(derive(cfg.SecretKey, "session-hash"), derive(cfg.SecretKey, "session-block"))
	s.cookies.MaxAge(sessionMaxAge)
	s.ipLimit = newLimiter(cfg.RateLimits.PerIPPerMinute, cfg.Clock)
	s.pLimit = newLimiter(cfg.RateLimits.PerParticipantPerMinute, cfg.Clock)
	s.visitors = newVisitorHasher(cfg.Clock)
	if s.assets, err = loadAssets(); err != nil {
		return nil, err
	}
	if s.pages, err = s.loadTemplates(); err != nil {
		return nil, err
	}
	if s.openapi, err = openAPIDocument(); err != nil {
		return nil, err
	}
	s.router.NotFoundHandler = http.HandlerFunc(s.notFound)
	s.router.MethodNotAllowedHandler = http.HandlerFunc(s.methodNotAllowed)
	reg := registrar{s}
	s.registerStatic(reg)
	s.registerPages(reg)
	s.registerMessages(reg)
	s.registerAPI(reg)
	if s.handler, err = compressed(http.HandlerFunc(s.serve)); err != nil {
		return nil, err
	}
	return s, nil
}

// derive gives each use of the secret its own key, so a leak of one (say
// the CSRF cookie's MAC) says nothing about another.
func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("civicpulse/web/" + purpose))
	return m.Sum(nil)
}

// ServeHTTP runs the request through the site-wide middleware.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// SetBaseURL changes the address used in links sent to participants (tests
// learn theirs only once the listener is up).
func (s *Server) SetBaseURL(u string) { s.cfg.BaseURL = strings.TrimRight(u, "/") }
