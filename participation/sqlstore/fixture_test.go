package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// now is the fixed clock of the suite: inside the consultation phase.
var now = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

// fx is a published process with one component of each kind, all open in
// one phase (March 2026), over a three-region set.
type fx struct {
	t        testing.TB
	b        sqldbtest.Backend
	s        *sqlstore.Store
	ctx      context.Context
	rs       int64
	proc     int64
	props    int64
	doc      int64
	survey   int64
	phase    int64
	citizen  participation.Participant
	citizen2 participation.Participant
}

func each(t *testing.T, f func(t *testing.T, x *fx)) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) { f(t, setup(t, b)) })
}

func openStore(t testing.TB, b sqldbtest.Backend) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), b.URL, sqlstore.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func setup(t testing.TB, b sqldbtest.Backend) *fx {
	t.Helper()
	x := &fx{t: t, b: b, s: openStore(t, b), ctx: context.Background()}
	x.rs = must(x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Test counties", Source: "test",
		Regions: []participation.Region{{Code: "001", Name: "Mombasa", Population: 1208333}, {Code: "030", Name: "Baringo", Population: 666763}, {Code: "047", Name: "Nairobi City", Population: 4397073}}}))(t)
	x.proc = must(x.s.CreateProcess(x.ctx, process("budget-2026", x.rs, participation.ModeOpen)))(t)
	x.props = must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: x.proc, Kind: participation.KindProposals, Title: "Ideas"}))(t)
	x.doc = must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: x.proc, Kind: participation.KindDocument, Title: "Draft plan"}))(t)
	x.survey = must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: x.proc, Kind: participation.KindSurvey, Title: "Priorities"}))(t)
	x.phase = must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: x.proc, Name: "Consultation",
		StartsAt: date(3, 1), EndsAt: date(4, 1), OpenComponents: []int64{x.props, x.doc, x.survey}}))(t)
	ok(t, x.s.SetPublished(x.ctx, x.proc, true))
	x.citizen = must(x.s.CreateParticipant(x.ctx, "047"))(t)
	x.citizen2 = must(x.s.CreateParticipant(x.ctx, ""))(t)
	return x
}

func process(slug string, rs int64, mode participation.Mode) participation.Process {
	p := participation.Process{Slug: slug, Title: "County budget 2026/27", Summary: "Where should the money go?",
		Objective: "Prioritise the development budget", Level: participation.LevelConsult, Sector: "finance",
		Scope: participation.ScopeProvincial, BudgetMinor: 120_000_000_00, Currency: "KES",
		StartsAt: date(3, 1), EndsAt: date(4, 30), Officials: []string{"A. Official, CEC Finance"},
		ExpectedOutcome: "A ranked list", FeedbackMethod: "Results page and SMS", Languages: []string{"en", "sw"},
		TimeZone: "Africa/Nairobi", Mode: mode, RegionSetID: rs, TargetParticipants: 5000}
	if mode == participation.ModeRegistered {
		p.PersonalFields = []participation.PersonalField{participation.FieldName, participation.FieldEmail, participation.FieldRegion}
	}
	return p
}

func date(month time.Month, day int) time.Time {
	return time.Date(2026, month, day, 0, 0, 0, 0, time.UTC)
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

func ok(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// code returns the domain code of err, looking into ValidationErrors too.
func code(err error) participation.Code {
	var v participation.ValidationErrors
	if errors.As(err, &v) && len(v) > 0 {
		return v[0].Code
	}
	return participation.ErrorCode(err)
}

func wantCode(t testing.TB, err error, want participation.Code) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s", want)
	}
	if got := code(err); got != want {
		t.Fatalf("got %v (code %q), want code %q", err, got, want)
	}
}

// wantField checks that err is a validation error naming field with key.
func wantField(t testing.TB, err error, field, key string) {
	t.Helper()
	var v participation.ValidationErrors
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want a validation error on %s", err, field)
	}
	for _, e := range v {
		if e.Field == field && e.Key == key {
			return
		}
	}
	t.Fatalf("got %v, want %s on %s", err, key, field)
}

// events returns every outbox event. On Postgres a committed event becomes
// readable only once every older transaction in the cluster has finished
// (other packages' tests share the server), so it waits for them.
func (x *fx) events() []participation.Event {
	x.t.Helper()
	return allEvents(x.t, x.s)
}

func allEvents(t testing.TB, s *sqlstore.Store) []participation.Event {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for {
		n, err := s.Outbox().Count(ctx)
		ok(t, err)
		evs, err := s.Outbox().Read(ctx, participation.Cursor{}, 100000)
		ok(t, err)
		if int64(len(evs)) == n {
			return evs
		}
		if err := s.Outbox().Wait(ctx, 20*time.Millisecond); err != nil {
			t.Fatalf("only %d of %d events became readable: %v", len(evs), n, err)
		}
	}
}

// last returns the newest event, which must be of type typ.
func (x *fx) last(typ participation.EventType) participation.Event {
	x.t.Helper()
	evs := x.events()
	if len(evs) == 0 {
		x.t.Fatalf("outbox is empty, want %s", typ)
	}
	e := evs[len(evs)-1]
	for _, ev := range evs {
		if ev.Seq > e.Seq {
			e = ev
		}
	}
	if e.Type != typ {
		x.t.Fatalf("last event is %s, want %s", e.Type, typ)
	}
	return e
}

func (x *fx) count() int64 {
	x.t.Helper()
	n, err := x.s.Outbox().Count(x.ctx)
	ok(x.t, err)
	return n
}

// payload decodes an event's payload into a generic map.
func payload(t testing.TB, e participation.Event) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(e.Payload, &m); err != nil {
		t.Fatalf("payload %s: %v", e.Payload, err)
	}
	return m
}

// sameJSON compares a payload with the expected JSON text.
func sameJSON(t testing.TB, got json.RawMessage, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Fatalf("payload\n got %s\nwant %s", gb, wb)
	}
}

func (x *fx) proposal(participantID int64, title string) int64 {
	x.t.Helper()
	return must(x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: x.props, ParticipantID: participantID,
		Title: title, Description: "A longer description of " + title}))(x.t)
}

func (x *fx) document() participation.Document {
	x.t.Helper()
	must(x.s.PublishDocument(x.ctx, participation.Document{ComponentID: x.doc, Title: "Draft plan",
		Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 40 km."}, {Heading: "Water", Body: "Ten boreholes."}}}))(x.t)
	return must(x.s.GetDocument(x.ctx, x.doc))(x.t)
}

func f64(v float64) *float64 { return &v }
