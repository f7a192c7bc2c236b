package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// The personal data the warehouse must never see.
var personal = struct{ Names, Emails, Phones, IPs []string }{
	Names:  []string{"Wanjiru Kamau-Otieno", "Baraka Mwangi Njoroge"},
	Emails: []string{"wanjiru.kamau@example.org", "baraka.njoroge@example.net"},
	Phones: []string{"+254712345678", "+254798765432"},
	IPs:    []string{"203.0.113.77", "198.51.100.23"},
}

var texts = []string{
	"Build a covered market in Mombasa so traders are not out in the rain.",
	"The clinic in Baringo needs a maternity ward and more nurses at night.",
	"Please repair the road between Kisumu and Kakamega before the rains.",
	"Street lights on Moi Avenue would make walking home safer for everyone.",
	"Tunahitaji maji safi katika kijiji chetu, visima vimekauka.",
	"Plant trees along the river in Nairobi and keep the banks clean.",
	"More bursaries for secondary school students from poor families.",
	"Bus shelters at every stop on the Thika road, with benches.",
}

// clock advances 7 s per reading, so that events spread over minutes,
// hours and days, and stays inside the phase.
type clock struct{ n atomic.Int64 }

func (c *clock) now() time.Time {
	return time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC).Add(time.Duration(c.n.Add(1)) * 7 * time.Second)
}

// world is a published open process with proposals, a document and a
// survey, and a registered-only process whose participants gave a name,
// email and phone.
type world struct {
	s         *sqlstore.Store
	ctx       context.Context
	open, reg int64
	props     int64
	doc       int64
	survey    int64
	regProps  int64
	sections  []int64
	proposals []int64
	comments  []int64 // on sections, which take votes
	people    []participation.Participant
	regPeople []participation.Participant
}

func openStore(t testing.TB, url string, c *clock) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), url, sqlstore.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
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

func newWorld(t testing.TB, s *sqlstore.Store) *world {
	t.Helper()
	w := &world{s: s, ctx: context.Background()}
	ctx := w.ctx
	rs := must(s.CreateRegionSet(ctx, participation.RegionSet{Name: "Counties", Source: "KNBS 2019",
		Regions: []participation.Region{{Code: "001", Name: "Mombasa", Population: 1208333}, {Code: "030", Name: "Baringo", Population: 666763}, {Code: "047", Name: "Nairobi City", Population: 4397073}}}))(t)
	proc := func(slug string, mode participation.Mode) int64 {
		p := participation.Process{Slug: slug, Title: "County budget " + slug, Summary: "Where should the money go?",
			Objective: "Prioritise the development budget", Level: participation.LevelConsult, Sector: "finance",
			Scope: participation.ScopeProvincial, BudgetMinor: 120_000_000_00, Currency: "KES",
			StartsAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), EndsAt: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
			Officials: []string{"A. Official, CEC Finance"}, ExpectedOutcome: "A ranked list", FeedbackMethod: "Results page",
			Languages: []string{"en", "sw"}, TimeZone: "Africa/Nairobi", Mode: mode, RegionSetID: rs, TargetParticipants: 5000}
		if mode == participation.ModeRegistered {
			p.PersonalFields = []participation.PersonalField{participation.FieldName, participation.FieldEmail, participation.FieldPhone}
		}
		return must(s.CreateProcess(ctx, p))(t)
	}
	w.open = proc("open", participation.ModeOpen)
	w.reg = proc("registered", participation.ModeRegistered)
	comp := func(process int64, kind participation.ComponentKind, title string) int64 {
		return must(s.AddComponent(ctx, participation.Component{ProcessID: process, Kind: kind, Title: title}))(t)
	}
	w.props = comp(w.open, participation.KindProposals, "Ideas")
	w.doc = comp(w.open, participation.KindDocument, "Draft plan")
	w.survey = comp(w.open, participation.KindSurvey, "Priorities")
	w.regProps = comp(w.reg, participation.KindProposals, "Ideas from registered citizens")
	for _, ph := range []participation.Phase{
		{ProcessID: w.open, Name: "Consultation", OpenComponents: []int64{w.props, w.doc, w.survey}},
		{ProcessID: w.reg, Name: "Consultation", OpenComponents: []int64{w.regProps}},
	} {
		ph.StartsAt, ph.EndsAt = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
		must(s.AddPhase(ctx, ph))(t)
	}
	must(s.PublishDocument(ctx, participation.Document{ComponentID: w.doc, Title: "Draft plan", Sections: []participation.Section{
		{Heading: "Water", Body: "Boreholes in every ward."}, {Heading: "Roads", Body: "Tarmac the feeder roads."}}}))(t)
	doc := must(s.GetDocument(ctx, w.doc))(t)
	for _, sec := range doc.Sections {
		w.sections = append(w.sections, sec.ID)
	}
	min, max := 0.0, 100.0
	if err := s.SetSurvey(ctx, participation.Survey{ComponentID: w.survey, Pages: 2, Questions: []participation.Question{
		{Page: 1, Position: 1, Type: participation.QSingle, Prompt: "Your top sector?", Required: true, Options: []string{"Health", "Water", "Roads"}},
		{Page: 1, Position: 2, Type: participation.QMulti, Prompt: "Which else?", Options: []string{"Health", "Water", "Roads", "Schools"}, MaxChoices: 2},
		{Page: 1, Position: 3, Type: participation.QLikert, Prompt: "How well are you informed?"},
		{Page: 2, Position: 1, Type: participation.QRanking, Prompt: "Rank these", Options: []string{"Health", "Water", "Roads"}},
		{Page: 2, Position: 2, Type: participation.QNumeric, Prompt: "Percent for health?", Min: &min, Max: &max},
		{Page: 2, Position: 3, Type: participation.QText, Prompt: "Anything else?"},
	}}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []int64{w.open, w.reg} {
		if err := s.SetPublished(ctx, p, true); err != nil {
			t.Fatal(err)
		}
	}
	must(s.PublishPrivacyNotice(ctx, w.reg, "We keep your name, email and phone until the process closes."))(t)
	for i := 0; i < 12; i++ {
		w.people = append(w.people, must(s.CreateParticipant(ctx, []string{"001", "030", "047", ""}[i%4]))(t))
	}
	for i := range personal.Names {
		p := must(s.CreateParticipant(ctx, "047"))(t)
		secret := must(s.Register(ctx, w.reg, p.ID, participation.Consent{NoticeVersion: 1, Purpose: "participation"},
			participation.Profile{Name: personal.Names[i], Email: personal.Emails[i], Phone: personal.Phones[i]}))(t)
		if err := s.Verify(ctx, w.reg, p.ID, secret); err != nil {
			t.Fatal(err)
		}
		w.regPeople = append(w.regPeople, p)
	}
	return w
}

// act performs n random citizen actions through the store. Refusals the
// rules make (a second support, a completed survey) are part of real
// traffic and ignored; anything else fails the test.
func (w *world) act(t testing.TB, rng *rand.Rand, n int) {
	t.Helper()
	ctx := w.ctx
	for i := 0; i < n; i++ {
		p := w.people[rng.IntN(len(w.people))]
		var err error
		switch k := rng.IntN(20); {
		case k < 2:
			var id int64
			id, err = w.s.CreateProposal(ctx, participation.Proposal{ComponentID: w.props, ParticipantID: p.ID, Title: fmt.Sprintf("Idea %d", i),
				Description: texts[rng.IntN(len(texts))], Tags: []string{"water"}, RegionCode: "047"})
			if err == nil {
				w.proposals = append(w.proposals, id)
			}
		case k < 4 && len(w.proposals) > 0:
			_, err = w.s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: w.proposals[rng.IntN(len(w.proposals))],
				ParticipantID: p.ID, Body: texts[rng.IntN(len(texts))]})
		case k < 6:
			var id int64
			id, err = w.s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: w.sections[rng.IntN(len(w.sections))],
				ParticipantID: p.ID, Kind: participation.CommentPlain, Body: texts[rng.IntN(len(texts))]})
			if err == nil {
				w.comments = append(w.comments, id)
			}
		case k < 9 && len(w.comments) > 0:
			err = w.s.VoteComment(ctx, w.comments[rng.IntN(len(w.comments))], p.ID, []participation.Vote{participation.VoteAgree, participation.VoteDisagree, participation.VotePass}[rng.IntN(3)])
		case k < 12 && len(w.proposals) > 0:
			id := w.proposals[rng.IntN(len(w.proposals))]
			on, herr := w.s.HasSupported(ctx, id, p.ID)
			if herr != nil {
				t.Fatal(herr)
			}
			err = w.s.Support(ctx, id, p.ID, !on)
		case k < 14:
			page := 1 + rng.IntN(2)
			ans := []participation.Answer{{QuestionID: 0}}
			sv := must(w.s.GetSurvey(ctx, w.survey))(t)
			ans = ans[:0]
			for _, q := range sv.Questions {
				if q.Page != page {
					continue
				}
				switch q.Type {
				case participation.QSingle:
					ans = append(ans, participation.Answer{QuestionID: q.ID, Choices: []int{rng.IntN(3)}})
				case participation.QMulti:
					ans = append(ans, participation.Answer{QuestionID: q.ID, Choices: []int{0, 1 + rng.IntN(3)}})
				case participation.QLikert:
					v := float64(1 + rng.IntN(5))
					ans = append(ans, participation.Answer{QuestionID: q.ID, Number: &v})
				case participation.QRanking:
					ans = append(ans, participation.Answer{QuestionID: q.ID, Choices: []int{2, 0, 1}})
				case participation.QNumeric:
					v := float64(rng.IntN(101))
					ans = append(ans, participation.Answer{QuestionID: q.ID, Number: &v})
				case participation.QText:
					ans = append(ans, participation.Answer{QuestionID: q.ID, Text: texts[rng.IntN(len(texts))]})
				}
			}
			_, err = w.s.SaveSurveyPage(ctx, w.survey, p.ID, page, ans)
		case k < 15 && len(w.comments) > 0:
			err = w.s.SetCommentStatus(ctx, w.comments[rng.IntN(len(w.comments))], participation.StatusHidden)
		case k < 16:
			rp := w.regPeople[rng.IntN(len(w.regPeople))]
			_, err = w.s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: w.regProposal(t, rp),
				ParticipantID: rp.ID, Body: texts[rng.IntN(len(texts))]})
		default:
			device := []string{"mobile", "desktop", "tablet", "bot"}[rng.IntN(4)]
			err = w.s.RecordVisit(ctx, participation.Visit{ProcessID: w.open, ComponentID: w.props, VisitorHash: fmt.Sprintf("v%04x", rng.IntN(500)),
				Path: "/p/open/ideas?ref=sms", Referrer: "twitter.com", UTMSource: "sms", Device: device})
		}
		if err != nil && !refusal(err) {
			t.Fatalf("action %d: %v", i, err)
		}
	}
}

// regProposal returns a proposal of the registered process, creating it on
// first use.
func (w *world) regProposal(t testing.TB, p participation.Participant) int64 {
	ps, _, err := w.s.ListProposals(w.ctx, participation.ProposalFilter{ComponentID: w.regProps})
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) > 0 {
		return ps[0].ID
	}
	return must(w.s.CreateProposal(w.ctx, participation.Proposal{ComponentID: w.regProps, ParticipantID: p.ID, Title: "Registered idea", Description: texts[0]}))(t)
}

func refusal(err error) bool {
	var v participation.ValidationErrors
	return errors.As(err, &v) || participation.ErrorCode(err) != ""
}
