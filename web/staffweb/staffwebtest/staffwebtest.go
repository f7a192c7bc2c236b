// Package staffwebtest builds a civicpulse server with the staff area
// mounted over a real store, staff accounts in every role, and a walker
// that checks the whole route table against the declared access rules.
// Packages that mount staff pages (dashboards, set-up, moderation) pass
// their Mount to New and call WalkRoutes: their routes are then covered by
// the same test.
package staffwebtest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffnotify"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// Password is every fixture account's password.
const Password = "correct horse battery staple"

// Who names the callers the walk tries, in order.
var Who = []string{"anonymous", "citizen", "analyst", "moderator", "official", "official_b", "admin"}

// Person is a staff account of the fixture.
type Person struct {
	ID    int64
	Email string
}

// Clock is the staff service's clock; tests move it.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// Now returns the current fixture time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Logs collects every log line of the server, the staff service and the
// staff area (tests scan it for secrets).
type Logs struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String returns everything logged so far.
func (l *Logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Fixture is the web fixture plus the staff side.
type Fixture struct {
	*webtest.Fixture
	Staff *staff.Service
	Area  *staffweb.Area
	Clock *Clock
	Logs  *Logs
	// Links receives the invitation and reset links the area sends.
	Links chan staffweb.Link

	// ProcessA is the process the analyst, moderator and official hold
	// roles on; ProcessB is official_b's.
	ProcessA, ProcessB int64
	People             map[string]Person // by Who (staff only)
	Target             Person            // an account admin routes act on
	PendingInvite      int64             // an invitation nobody accepted yet (for {invite})
	Citizen            string            // bearer credential "id.token"
	// PreviewAllowed, when a mount sets it, answers web.Config.PreviewAllowed
	// (the workspace's staff preview of drafts on the citizen pages).
	PreviewAllowed func(r *http.Request, processID int64) bool
}

// Mount adds another package's routes to the fixture's server.
type Mount func(f *Fixture) func(r *mux.Router, reg web.Registrar)

// Cheap keeps argon2id fast in tests; production cost is staff.DefaultConfig.
var Cheap = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// New starts the server on the store at dsn (sqldbtest gives fresh ones),
// with the staff area and then each mount.
func New(t testing.TB, dsn string, mounts ...Mount) *Fixture {
	t.Helper()
	f := &Fixture{Clock: &Clock{now: webtest.Now}, Logs: &Logs{}, Links: make(chan staffweb.Link, 16),
		People: map[string]Person{}}
	logger := slog.New(slog.NewTextHandler(f.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.Fixture = webtest.New(t, dsn, webtest.WithConfig(func(c *web.Config) {
		c.Logger = logger
		// The area exists only once the store is open; the guard is looked
		// up per request.
		c.PreviewAllowed = func(r *http.Request, processID int64) bool {
			return f.PreviewAllowed != nil && f.PreviewAllowed(r, processID)
		}
		c.StaffGuard = func(rule web.Staff, next http.Handler) http.Handler {
			if err := staffweb.CheckRule(rule); err != nil {
				panic(err)
			}
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				f.Area.Guard(rule, next).ServeHTTP(w, r)
			})
		}
	}))
	ctx := context.Background()
	var err error
	f.Staff, err = staff.Open(ctx, f.Store.DB(), staff.WithClock(f.Clock.Now), staff.WithArgon2Params(Cheap),
		staff.WithLogger(logger), staff.WithSecretKey(bytes.Repeat([]byte{7}, 32)))
	if err != nil {
		t.Fatalf("staffwebtest: %v", err)
	}
	f.Area, err = staffweb.New(f.Staff, staffweb.Options{Store: f.Store, Logger: logger, Clock: f.Clock.Now, BaseURL: BaseURL,
		SendLink: func(_ context.Context, l staffweb.Link) error {
			f.Links <- l
			return nil
		},
		Deliveries: staffnotify.NewDeliveries(f.Notify), Mailbox: staffnotify.NewMailbox(f.Mailbox)})
	if err != nil {
		t.Fatalf("staffwebtest: %v", err)
	}
	f.Area.Attach(f.Server)
	for _, m := range mounts {
		f.Server.Mount(m(f))
	}
	f.ProcessA, f.ProcessB = f.Open.ID, f.Registered.ID
	f.people(t, ctx)
	return f
}

// BaseURL is the site address the fixture's staff area puts in its links;
// deliberately not the test server's, so a test sees where a link points.
const BaseURL = "https://engage.county.example"

func (f *Fixture) people(t testing.TB, ctx context.Context) {
	t.Helper()
	admin, err := f.Staff.CreateAdmin(ctx, "admin@county.example", Password)
	if err != nil {
		t.Fatalf("staffwebtest: admin: %v", err)
	}
	f.People["admin"] = Person{ID: admin.ID, Email: admin.Email}
	for _, p := range []struct {
		who     string
		role    staff.Role
		process int64
	}{
		{"analyst", staff.RoleAnalyst, f.ProcessA},
		{"moderator", staff.RoleModerator, f.ProcessA},
		{"official", staff.RoleOfficial, f.ProcessA},
		{"official_b", staff.RoleOfficial, f.ProcessB},
		{"target", staff.RoleAnalyst, f.ProcessA},
	} {
		email := p.who + "@county.example"
		u := f.Invite(t, email, []staff.Grant{{ProcessID: p.process, Role: p.role}})
		if p.who == "target" {
			f.Target = u
		} else {
			f.People[p.who] = u
		}
	}
	if _, err := f.Staff.Invite(ctx, f.People["admin"].ID, "pending@county.example", []staff.Grant{{ProcessID: f.ProcessA, Role: staff.RoleAnalyst}}); err != nil {
		t.Fatalf("staffwebtest: pending invitation: %v", err)
	}
	pending, err := f.Staff.PendingInvites(ctx, f.People["admin"].ID)
	if err != nil || len(pending) != 1 {
		t.Fatalf("staffwebtest: pending invitations: %d, %v", len(pending), err)
	}
	f.PendingInvite = pending[0].ID
	citizen, err := f.Store.CreateParticipant(ctx, "047")
	if err != nil {
		t.Fatalf("staffwebtest: citizen: %v", err)
	}
	f.Citizen = fmt.Sprintf("%d.%s", citizen.ID, citizen.Token)
}

// Invite creates an account through an invitation accepted at once.
func (f *Fixture) Invite(t testing.TB, email string, grants []staff.Grant) Person {
	t.Helper()
	ctx := context.Background()
	token, err := f.Staff.Invite(ctx, f.People["admin"].ID, email, grants)
	if err != nil {
		t.Fatalf("staffwebtest: invite %s: %v", email, err)
	}
	u, err := f.Staff.AcceptInvite(ctx, token, "Staff "+email, Password)
	if err != nil {
		t.Fatalf("staffwebtest: accept %s: %v", email, err)
	}
	return Person{ID: u.ID, Email: u.Email}
}

// SignIn opens a session for a staff member through the service and
// returns it (Token is the cookie value).
func (f *Fixture) SignIn(t testing.TB, who string) staff.Session {
	t.Helper()
	p, ok := f.People[who]
	if !ok {
		t.Fatalf("staffwebtest: no staff member %q", who)
	}
	s, err := f.Staff.Authenticate(context.Background(), p.Email, Password, "")
	if err != nil {
		t.Fatalf("staffwebtest: sign in %s: %v", who, err)
	}
	return s
}
