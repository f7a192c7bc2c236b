// Package webtest builds a civicpulse web server over a real store holding
// a small, fully described fixture, for the web tests and for packages that
// mount their routes on the server (staff pages, dashboards).
package webtest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/web"
)

// Now is the fixture's clock: inside the consultation phase of the open
// process (1–31 March 2026).
var Now = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)

// Fixture is a running server and the ids of what the store holds.
type Fixture struct {
	Store  *sqlstore.Store
	Server *web.Server
	HTTP   *httptest.Server
	URL    string

	RegionSet int64

	// Open is published, open mode, with every tool open now.
	Open         participation.Process
	Proposals    int64 // component
	Document     int64 // component
	Survey       int64 // component, two pages
	OtherSurvey  int64 // component, one page
	Sections     []int64
	Questions    map[string]int64 // by name: single, multi, likert, numeric, ranking, text
	OtherQ       int64            // a question of OtherSurvey
	Proposal     int64            // an existing proposal in Proposals, with one comment
	Comment      int64            // top-level comment on Proposal
	SectionComm  int64            // top-level comment on Sections[0]
	Registered   participation.Process
	RegProposals int64
	Closed       participation.Process // its only phase ended
	ClosedProps  int64
	Draft        participation.Process // unpublished
	DraftProps   int64

	// Notify is the real message service on the same database (the
	// server's Config.Messages), delivering into Mailbox (a temp folder).
	Notify  *notify.Service
	Mailbox *notify.Mailbox

	mu   sync.Mutex
	sent []web.VerificationMessage
}

// Option changes the server's configuration before it starts.
type Option func(*web.Config)

// WithRateLimits sets the write limits (the fixture turns them off).
func WithRateLimits(perIP, perParticipant int) Option {
	return func(c *web.Config) {
		c.RateLimits = web.RateLimits{PerIPPerMinute: perIP, PerParticipantPerMinute: perParticipant}
	}
}

// WithConfig edits the configuration freely.
func WithConfig(f func(*web.Config)) Option { return Option(f) }

// Sent returns the verification messages the server handed out.
func (f *Fixture) Sent() []web.VerificationMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]web.VerificationMessage(nil), f.sent...)
}

// New opens the store at dsn (see sqldbtest for fresh databases), loads
// the fixture and starts the server; everything stops when t ends.
func New(t testing.TB, dsn string, opts ...Option) *Fixture {
	t.Helper()
	ctx := context.Background()
	clock := func() time.Time { return Now }
	st, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(clock))
	if err != nil {
		t.Fatalf("webtest: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	f := &Fixture{Store: st, Questions: map[string]int64{}}
	f.load(t, ctx)
	f.openNotify(t, ctx)

	cfg := web.Config{
		Store:       st,
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		SecretKey:   []byte("webtest-secret-key-0123456789abcdef"),
		Clock:       clock,
		RateLimits:  web.RateLimits{PerIPPerMinute: -1, PerParticipantPerMinute: -1},
		DefaultLang: "en",
		Messages:    Messages{Svc: f.Notify},
		SendVerification: func(_ context.Context, m web.VerificationMessage) error {
			f.mu.Lock()
			f.sent = append(f.sent, m)
			f.mu.Unlock()
			return nil
		},
	}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := web.New(cfg)
	if err != nil {
		t.Fatalf("webtest: %v", err)
	}
	f.Server = srv
	f.HTTP = httptest.NewServer(srv)
	t.Cleanup(f.HTTP.Close)
	f.URL = f.HTTP.URL
	srv.SetBaseURL(f.URL)
	return f
}

func check[T any](t testing.TB, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("webtest: %s: %v", what, err)
		}
		return v
	}
}

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 0, 0, 0, 0, time.UTC) }

func ptr(f float64) *float64 { return &f }

func (f *Fixture) load(t testing.TB, ctx context.Context) {
	t.Helper()
	s := f.Store
	f.RegionSet = check[int64](t, "region set")(s.CreateRegionSet(ctx, participation.RegionSet{Name: "Kenya (sample)", Source: "KNBS 2019 census",
		Regions: []participation.Region{{Code: "001", Name: "Mombasa", Population: 1208333}, {Code: "022", Name: "Kiambu", Population: 2417735}, {Code: "047", Name: "Nairobi City", Population: 4397073}}}))

	proc := func(slug, title string, mode participation.Mode, starts, ends time.Time) participation.Process {
		p := participation.Process{Slug: slug, Title: title, Summary: "Tell the county where the development money should go.",
			Objective: "Agree the 2026/27 development priorities with residents.", Level: participation.LevelConsult, Sector: "finance",
			Scope: participation.ScopeProvincial, BudgetMinor: 1_500_000_000_00, Currency: "KES", StartsAt: starts, EndsAt: ends,
			Officials: []string{"Jane Wanjiru, CEC Finance", "Peter Otieno, Chief Officer Planning"}, ExpectedOutcome: "A ranked list of projects in the budget estimates.",
			FeedbackMethod: "A results page with the decisions and reasons, and an SMS to every participant who asks for one.",
			Languages:      []string{"en", "sw"}, TimeZone: "Africa/Nairobi", Mode: mode, RegionSetID: f.RegionSet, TargetParticipants: 5000}
		if mode == participation.ModeRegistered {
			p.PersonalFields = []participation.PersonalField{participation.FieldName, participation.FieldEmail, participation.FieldRegion}
		}
		id := check[int64](t, "process "+slug)(s.CreateProcess(ctx, p))
		check[participation.PrivacyNotice](t, "notice")(s.PublishPrivacyNotice(ctx, id,
			"We keep your contributions to inform the budget.\nPersonal details are used only to verify you and are deleted after the process."))
		p.ID = id
		return p
	}
	comp := func(pid int64, kind participation.ComponentKind, title string) int64 {
		return check[int64](t, "component")(s.AddComponent(ctx, participation.Component{ProcessID: pid, Kind: kind, Title: title,
			Description: "Take part in " + title + "."}))
	}
	phase := func(pid int64, name string, from, to time.Time, open ...int64) {
		check[int64](t, "phase")(s.AddPhase(ctx, participation.Phase{ProcessID: pid, Name: name, Description: name + " phase.", StartsAt: from, EndsAt: to, OpenComponents: open}))
	}
	publish := func(p *participation.Process) {
		if err := s.SetPublished(ctx, p.ID, true); err != nil {
			t.Fatalf("webtest: publish: %v", err)
		}
		got := check[participation.Process](t, "get process")(s.GetProcess(ctx, p.ID, false))
		*p = got
	}

	// The open process with all three tools.
	f.Open = proc("budget-2026", "County budget 2026/27", participation.ModeOpen, day(3, 1), day(4, 30))
	f.Proposals = comp(f.Open.ID, participation.KindProposals, "Project ideas")
	f.Document = comp(f.Open.ID, participation.KindDocument, "Draft fiscal strategy")
	f.Survey = comp(f.Open.ID, participation.KindSurvey, "Priorities survey")
	f.OtherSurvey = comp(f.Open.ID, participation.KindSurvey, "Quick poll")
	phase(f.Open.ID, "Consultation", day(3, 1), day(4, 1), f.Proposals, f.Document, f.Survey, f.OtherSurvey)
	phase(f.Open.ID, "Feedback", day(4, 1), day(4, 30))
	check[int](t, "document")(s.PublishDocument(ctx, participation.Document{ComponentID: f.Document, Title: "County Fiscal Strategy Paper 2026",
		Sections: []participation.Section{
			{Heading: "Revenue", Body: "Own-source revenue is projected at KES 3.1 billion.\nParking fees rise by 10%."},
			{Heading: "Health", Body: "Two new level-4 hospitals are planned."},
		}}))
	doc := check[participation.Document](t, "get document")(s.GetDocument(ctx, f.Document))
	for _, sec := range doc.Sections {
		f.Sections = append(f.Sections, sec.ID)
	}
	if err := s.SetSurvey(ctx, participation.Survey{ComponentID: f.Survey, Pages: 2, Questions: []participation.Question{
		{Page: 1, Position: 1, Type: participation.QSingle, Prompt: "Which sector matters most to you?", Required: true, Options: []string{"Health", "Water", "Roads"}},
		{Page: 1, Position: 2, Type: participation.QMulti, Prompt: "Which services did you use this year?", Options: []string{"Clinic", "Market", "Library", "Bus park"}, MaxChoices: 2},
		{Page: 1, Position: 3, Type: participation.QLikert, Prompt: "The county spends money well.", Required: true},
		{Page: 2, Position: 1, Type: participation.QNumeric, Prompt: "How many minutes to the nearest clinic?", Min: ptr(0), Max: ptr(300)},
		{Page: 2, Position: 2, Type: participation.QRanking, Prompt: "Rank these projects.", Options: []string{"Boreholes", "Street lights", "Footbridge"}},
		{Page: 2, Position: 3, Type: participation.QText, Prompt: "Anything else?", Help: "Optional."},
	}}); err != nil {
		t.Fatalf("webtest: survey: %v", err)
	}
	sv := check[participation.Survey](t, "get survey")(s.GetSurvey(ctx, f.Survey))
	for i, name := range []string{"single", "multi", "likert", "numeric", "ranking", "text"} {
		f.Questions[name] = sv.Questions[i].ID
	}
	if err := s.SetSurvey(ctx, participation.Survey{ComponentID: f.OtherSurvey, Pages: 1, Questions: []participation.Question{
		{Page: 1, Position: 1, Type: participation.QLikert, Prompt: "Are you satisfied?", Required: true},
	}}); err != nil {
		t.Fatalf("webtest: other survey: %v", err)
	}
	f.OtherQ = check[participation.Survey](t, "get other survey")(s.GetSurvey(ctx, f.OtherSurvey)).Questions[0].ID
	publish(&f.Open)

	author := check[participation.Participant](t, "participant")(s.CreateParticipant(ctx, "047"))
	f.Proposal = check[int64](t, "proposal")(s.CreateProposal(ctx, participation.Proposal{ProcessID: f.Open.ID, ComponentID: f.Proposals,
		ParticipantID: author.ID, Title: "Borehole for Kiambu market", Description: "The market has no clean water; a borehole would serve 2,000 traders.",
		BudgetMinor: 4_500_000_00, Tags: []string{"water", "markets"}, RegionCode: "022"}))
	f.Comment = check[int64](t, "comment")(s.CreateComment(ctx, participation.Comment{ProcessID: f.Open.ID, ComponentID: f.Proposals,
		TargetKind: participation.TargetProposal, TargetID: f.Proposal, ParticipantID: author.ID, Kind: participation.CommentPlain, Body: "Traders would chip in for maintenance."}))
	f.SectionComm = check[int64](t, "section comment")(s.CreateComment(ctx, participation.Comment{ProcessID: f.Open.ID, ComponentID: f.Document,
		TargetKind: participation.TargetSection, TargetID: f.Sections[0], ParticipantID: author.ID, Kind: participation.CommentPlain, Body: "Parking fees hurt small traders."}))

	// Registered-only process.
	f.Registered = proc("youth-fund", "Youth enterprise fund", participation.ModeRegistered, day(3, 1), day(4, 30))
	f.RegProposals = comp(f.Registered.ID, participation.KindProposals, "Business ideas")
	phase(f.Registered.ID, "Ideas", day(3, 1), day(4, 1), f.RegProposals)
	publish(&f.Registered)

	// A process whose only phase is over.
	f.Closed = proc("water-2025", "Water master plan 2025", participation.ModeOpen, day(1, 1), day(2, 1))
	f.ClosedProps = comp(f.Closed.ID, participation.KindProposals, "Water points")
	phase(f.Closed.ID, "Ideas", day(1, 1), day(2, 1), f.ClosedProps)
	publish(&f.Closed)

	// An unpublished draft.
	f.Draft = proc("draft-plan", "Spatial plan (draft)", participation.ModeOpen, day(3, 1), day(4, 30))
	f.DraftProps = comp(f.Draft.ID, participation.KindProposals, "Zones")
	phase(f.Draft.ID, "Ideas", day(3, 1), day(4, 1), f.DraftProps)
	f.Draft = check[participation.Process](t, "draft")(s.GetProcess(ctx, f.Draft.ID, false))
}
