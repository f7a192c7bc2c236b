// Package staffweb is the staff area of the site (issue 4): sign-in, the
// staff home, account pages (TOTP, sessions), invitation and password-reset
// links, the admin's user and audit pages, and the one authorisation guard
// every staff route goes through (Area.Guard, handed to web.Config.StaffGuard).
//
// Handlers do no checks of their own: a route's web.Staff rule names what it
// needs and the guard decides, so the route table is the authorisation table.
package staffweb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// Link is a one-time link to deliver by mail: an invitation or a reset.
type Link struct {
	Kind  string // "invite" or "reset"
	Email string
	URL   string
	Lang  string
}

// Options configure the Area.
type Options struct {
	// Store gives the process titles shown on staff pages.
	Store participation.Store
	// Logger never receives emails, names, passwords, codes or tokens.
	Logger *slog.Logger
	// Secure marks the session cookie Secure and names it __Host-cp_staff.
	Secure bool
	// BaseURL (e.g. https://engage.example.org) starts the links sent by
	// mail. It is required: a link built from the request's Host header
	// would let anyone who can reach the server have an invitation or reset
	// link point at their own host.
	BaseURL string
	// SendLink delivers invitation and reset links. It runs off the request
	// path (a goroutine), so a reset request answers in the same time whether
	// or not the address is known. Nil: invitation links are shown to the
	// admin who made them, reset links are dropped with a warning.
	SendLink func(ctx context.Context, l Link) error
	// ShowSentLinks shows the admin an invitation link once even when
	// SendLink sent it: set it when mail goes only to the local mailbox.
	ShowSentLinks bool
	// AssetURL resolves an embedded static file of the web package
	// (web.Server.AssetURL); Attach sets it.
	AssetURL func(name string) string
	// TimeZone shows times on staff pages (UTC when nil).
	TimeZone *time.Location
	// Clock is the time (tests fix it); time.Now when nil.
	Clock func() time.Time
	// DefaultLang is the catalogue used when the browser asks for none we have.
	DefaultLang string
	// Deliveries is the message service's deliveries table, for
	// /staff/deliveries (messages.go). Nil: the page says messages are off.
	Deliveries Deliveries
	// Mailbox is the local mailbox, set only when messages go to it
	// (/staff/mailbox, mailbox.go); MailWhere says where they go instead.
	Mailbox   Mailbox
	MailWhere []string
	// Alerts keeps which alerts reach each staff member by email (the
	// account page, alerts.go). Nil: the account page offers no choice.
	Alerts AlertChoices
}

// Area is the staff area: its guard and its pages.
type Area struct {
	svc       *staff.Service
	opts      Options
	log       *slog.Logger
	i18n      *i18n.Bundle
	pages     htmlpage.Pages
	tz        *time.Location
	links     []ProcessLink
	homeLinks []HomeLink
	// renewCSRF is the web server's RenewCSRF (Attach sets it).
	renewCSRF func(http.ResponseWriter)
}

// New builds the Area over a staff service. It fails when its templates or
// catalogues do not load, so a broken page fails at boot.
func New(svc *staff.Service, opts Options) (*Area, error) {
	if svc == nil {
		return nil, errors.New("staffweb: a staff service is required")
	}
	if opts.Store == nil {
		return nil, errors.New("staffweb: Options.Store is required")
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	if u, err := url.Parse(opts.BaseURL); opts.BaseURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("staffweb: Options.BaseURL must be the site's absolute http(s) address, got %q", opts.BaseURL)
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	if opts.DefaultLang == "" {
		opts.DefaultLang = "en"
	}
	a := &Area{svc: svc, opts: opts, log: opts.Logger, tz: opts.TimeZone}
	if a.tz == nil {
		a.tz = time.UTC
	}
	var err error
	if a.i18n, err = loadCatalogue(opts.DefaultLang); err != nil {
		return nil, err
	}
	if a.pages, err = a.loadTemplates(); err != nil {
		return nil, err
	}
	return a, nil
}

// Attach mounts the staff pages on srv and takes its stylesheet, so the
// staff area looks like the citizen pages.
func (a *Area) Attach(srv *web.Server) {
	a.opts.AssetURL = srv.AssetURL
	a.renewCSRF = srv.RenewCSRF
	srv.Mount(a.Mount)
}

// Mount registers the staff pages and the staff API (see routes.go).
func (a *Area) Mount(r *mux.Router, reg web.Registrar) { a.routes(reg) }

// Rules a route can carry. Besides these, a web.Staff rule may name any
// staff.Permission ("view_dashboard", "export", "moderate", "edit_process",
// "manage_staff", "view_audit"): the guard asks staff.Authorize for it on
// the process named by the route's {process} variable (0 — global, admins
// only — when the route has none).
var (
	// SignedIn routes need any signed-in staff member (home, own account).
	SignedIn = web.Staff{Role: "signed_in"}
)

// Rule is the web.Staff rule for a permission, e.g. Rule(staff.ViewDashboard)
// on /staff/processes/{process}/dashboard.
func Rule(p staff.Permission) web.Staff { return web.Staff{Role: string(p)} }

// Role names are accepted as rules too, meaning "at least this role": the
// permission only that role (and those above it) holds.
var roleRules = map[string]staff.Permission{
	string(staff.RoleAnalyst):   staff.ViewDashboard,
	string(staff.RoleModerator): staff.Moderate,
	string(staff.RoleOfficial):  staff.EditProcess,
	string(staff.RoleAdmin):     staff.ManageStaff,
}

// permissionOf resolves a rule; ok is false for a rule nobody understands.
// signedIn is true for SignedIn.
func permissionOf(rule web.Staff) (perm staff.Permission, signedIn, ok bool) {
	if rule == SignedIn {
		return "", true, true
	}
	if p, found := roleRules[rule.Role]; found {
		return p, false, true
	}
	for _, p := range staff.Permissions {
		if string(p) == rule.Role {
			return p, false, true
		}
	}
	return "", false, false
}

// CheckRule reports whether the guard understands rule (the route walk
// test calls it for every staff route).
func CheckRule(rule web.Staff) error {
	if _, _, ok := permissionOf(rule); !ok {
		return fmt.Errorf("staffweb: unknown staff rule %q", rule.Role)
	}
	return nil
}

type ctxKey struct{}

type caller struct {
	user    staff.User
	session staff.Session
	token   string
}

// UserFrom returns the signed-in staff member of a request that passed the
// guard.
func UserFrom(ctx context.Context) (staff.User, bool) {
	c, ok := ctx.Value(ctxKey{}).(*caller)
	if !ok {
		return staff.User{}, false
	}
	return c.user, true
}

// SessionFrom returns the session of a request that passed the guard.
func SessionFrom(ctx context.Context) (staff.Session, bool) {
	c, ok := ctx.Value(ctxKey{}).(*caller)
	if !ok {
		return staff.Session{}, false
	}
	return c.session, true
}

func callerOf(r *http.Request) *caller {
	c, _ := r.Context().Value(ctxKey{}).(*caller)
	if c == nil {
		return &caller{}
	}
	return c
}

// Service is the staff service behind the area, for packages that mount
// pages using the guard and need to audit their changes.
func (a *Area) Service() *staff.Service { return a.svc }

func (a *Area) now() time.Time { return a.opts.Clock() }
