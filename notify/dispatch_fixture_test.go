package notify_test

import (
	"context"
	"mime"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// clock is the one time of a dispatch test: the store's, the service's.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// dispatchStart is inside the consultation phase: 15:00 in Nairobi.
var dispatchStart = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// world is a published process in English and Kiswahili (Africa/Nairobi)
// with a proposals and a document component, its people, a notify
// Service on the same database sending to an in-process SMTP server, and
// a dispatcher.
type world struct {
	t      *testing.T
	ctx    context.Context
	b      sqldbtest.Backend
	clock  *clock
	s      *sqlstore.Store
	svc    *notify.Service
	smtp   *notifytest.SMTPServer
	proc   int64
	props  int64
	doc    int64
	phases []int64
	people map[string]int64
	disp   *notify.Dispatcher
}

func newWorld(t *testing.T, b sqldbtest.Backend) *world {
	t.Helper()
	w := &world{t: t, ctx: context.Background(), b: b, clock: &clock{t: dispatchStart}, people: map[string]int64{}}
	s, err := sqlstore.Open(w.ctx, b.URL, sqlstore.WithClock(w.clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	w.s = s
	w.smtp = notifytest.StartSMTP(t, notifytest.SMTPOptions{})
	box, err := notify.NewMailbox(t.TempDir(), "civicpulse <no-reply@county.example>")
	if err != nil {
		t.Fatal(err)
	}
	w.svc, err = notify.Open(w.ctx, s.DB(), notify.Options{Email: smtpTransport(t, w.smtp), SMS: box,
		BaseURL: "https://engage.county.example", UnsubscribeKey: testKey, Domain: "county.example",
		Logger: quietLog(), Clock: w.clock.now,
		Send: notify.SendOptions{MaxAttempts: 3, BackoffBase: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.svc.Close() })

	rs := must(s.CreateRegionSet(w.ctx, participation.RegionSet{Name: "Counties", Source: "test",
		Regions: []participation.Region{{Code: "001", Name: "Mombasa", Population: 1208333}}}))(w.t)
	day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }
	w.proc = must(s.CreateProcess(w.ctx, participation.Process{Slug: "budget-2026", Title: "County budget",
		Summary: "Where should the money go?", Objective: "Prioritise", Level: participation.LevelConsult,
		Scope: participation.ScopeProvincial, StartsAt: day(3, 1), EndsAt: day(4, 30), Languages: []string{"en", "sw"},
		TimeZone: "Africa/Nairobi", Mode: participation.ModeOpen, RegionSetID: rs}))(w.t)
	w.props = must(s.AddComponent(w.ctx, participation.Component{ProcessID: w.proc, Kind: participation.KindProposals, Title: "Ideas"}))(w.t)
	w.doc = must(s.AddComponent(w.ctx, participation.Component{ProcessID: w.proc, Kind: participation.KindDocument, Title: "Draft plan"}))(w.t)
	for _, ph := range []struct {
		name       string
		start, end time.Time
	}{{"Consultation", day(3, 1), day(4, 1)}, {"Review", day(4, 1), day(4, 20)}} {
		id := must(s.AddPhase(w.ctx, participation.Phase{ProcessID: w.proc, Name: ph.name, StartsAt: ph.start, EndsAt: ph.end,
			OpenComponents: []int64{w.props, w.doc}}))(w.t)
		w.phases = append(w.phases, id)
	}
	w.ok(s.SetTranslations(w.ctx, w.proc, []participation.Translation{
		{Entity: participation.EntityProcess, EntityID: w.proc, Field: "title", Lang: "sw", Text: "Bajeti ya Kaunti"},
		{Entity: participation.EntityPhase, EntityID: w.phases[0], Field: "name", Lang: "sw", Text: "Mashauriano"},
		{Entity: participation.EntityComponent, EntityID: w.doc, Field: "title", Lang: "sw", Text: "Rasimu ya mpango"},
	}))
	w.ok(s.SetPublished(w.ctx, w.proc, true))
	for _, name := range []string{"amina", "baraka", "chege", "withdrawn", "never", "anon"} {
		w.people[name] = must(s.CreateParticipant(w.ctx, ""))(w.t).ID
	}
	return w
}

// register makes the process registered-only (asking for an email) and
// registers everyone but anon: amina and chege in English, baraka in
// Kiswahili; withdrawn then withdraws their consent.
func (w *world) register() {
	w.t.Helper()
	p := must(w.s.GetProcess(w.ctx, w.proc, false))(w.t)
	p.Mode = participation.ModeRegistered
	p.PersonalFields = []participation.PersonalField{participation.FieldEmail}
	w.ok(w.s.UpdateProcess(w.ctx, p))
	must(w.s.PublishPrivacyNotice(w.ctx, w.proc, "We keep your email until the results are out."))(w.t)
	for _, name := range []string{"amina", "baraka", "chege", "withdrawn", "never"} {
		lang := "en"
		if name == "baraka" {
			lang = "sw"
		}
		secret := must(w.s.Register(w.ctx, w.proc, w.people[name], participation.Consent{NoticeVersion: 1},
			participation.Profile{Email: name + "@example.org", Lang: lang}))(w.t)
		w.ok(w.s.Verify(w.ctx, w.proc, w.people[name], secret))
	}
	w.ok(w.s.WithdrawConsent(w.ctx, w.proc, w.people["withdrawn"]))
}

// dispatcher opens the dispatcher (its checkpoint at the outbox's end).
func (w *world) dispatcher() *notify.Dispatcher {
	w.t.Helper()
	w.disp = must(w.svc.NewDispatcher(w.ctx, w.s, notify.DispatchOptions{Batch: 7}))(w.t)
	return w.disp
}

// catchUp steps the dispatcher until its checkpoint is the outbox's last
// event. On Postgres an event becomes readable once every older
// transaction of the cluster ended (other packages' tests share it).
func (w *world) catchUp() {
	w.t.Helper()
	var last int64
	w.ok(w.s.DB().GetContext(w.ctx, &last, "SELECT COALESCE(MAX(seq), 0) FROM outbox"))
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := w.disp.Step(w.ctx); err != nil {
			w.t.Fatal(err)
		}
		c := must(w.disp.Checkpoint(w.ctx))(w.t)
		if c.Seq >= last {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("dispatcher at %+v, outbox at %d after 20 s", c, last)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// drain sends until nothing is queued or sending.
func (w *world) drain() {
	w.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := w.svc.Drain(w.ctx, 5*time.Second); err != nil {
			w.t.Fatal(err)
		}
		c := must(w.svc.Counts(w.ctx))(w.t)
		if c["queued"] == 0 && c["sending"] == 0 {
			return
		}
		if time.Now().After(deadline) {
			w.t.Fatalf("deliveries still pending: %v", c)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// appendEvent writes an event straight into the outbox, as a writer of
// another package would (proposal.decided comes from assessment).
func (w *world) appendEvent(typ participation.EventType, entity int64, payload string) {
	w.t.Helper()
	q := `INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
		VALUES (?, ?, ?, ?, 0, '', ?, ?)`
	if w.s.DB().Dialect == sqldb.Postgres {
		q = strings.Replace(q, "?)", "CAST(? AS JSONB))", 1)
	}
	if _, err := w.s.DB().ExecContext(w.ctx, w.s.DB().Rebind(q), string(typ), w.proc, w.props, entity, w.clock.now(), payload); err != nil {
		w.t.Fatal(err)
	}
}

// sentMessage is a delivery as the deliveries table and the SMTP server
// saw it.
type sentMessage struct {
	Participant int64
	Kind        string
	Lang        string
}

// deliveries lists the table's rows (participant, kind, lang) with state.
func (w *world) deliveries() map[sentMessage]string {
	w.t.Helper()
	rows, err := w.s.DB().QueryContext(w.ctx, `SELECT participant_id, kind, lang, state FROM notify_deliveries`)
	if err != nil {
		w.t.Fatal(err)
	}
	defer rows.Close()
	out := map[sentMessage]string{}
	for rows.Next() {
		var m sentMessage
		var state string
		w.ok(rows.Scan(&m.Participant, &m.Kind, &m.Lang, &state))
		if _, dup := out[m]; dup {
			w.t.Fatalf("two deliveries of %+v", m)
		}
		out[m] = state
	}
	return out
}

// unsubscribeToken reads the token of a mail's List-Unsubscribe header.
func unsubscribeToken(t *testing.T, m notifytest.Mail) string {
	t.Helper()
	h := strings.Trim(m.Header().Get("List-Unsubscribe"), "<>")
	u, err := url.Parse(h)
	if err != nil || u.Path != "/unsubscribe" || u.Host != "engage.county.example" {
		t.Fatalf("List-Unsubscribe %q", h)
	}
	return u.Query().Get("token")
}

func subject(m notifytest.Mail) string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header().Get("Subject"))
	if err != nil {
		return m.Header().Get("Subject")
	}
	return s
}

func (w *world) ok(err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatal(err)
	}
}

func must[T any](v T, err error) func(testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return v
	}
}
