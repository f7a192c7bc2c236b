package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
)

// Three events of one day for someone who asked for daily digests make
// one message the next morning at 07:00 in the process's time zone
// (Nairobi, UTC+3), listing the three; nothing before, nothing the day
// after, nothing twice.
func TestDigestGathersADayIntoOneMessage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		w := newWorld(t, b)
		ctx, s, p := w.ctx, w.s, w.people
		pa := must(s.CreateProposal(ctx, participation.Proposal{ComponentID: w.props, ParticipantID: p["amina"], Title: "Market roof", Description: "Fix the roof of the market."}))(t)
		must(s.PublishDocument(ctx, participation.Document{ComponentID: w.doc, Title: "Draft plan",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 40 km."}}}))(t)
		doc := must(s.GetDocument(ctx, w.doc))(t)
		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: doc.Sections[0].ID,
			ParticipantID: p["amina"], Kind: participation.CommentPlain, Body: "Roads first"}))(t)
		w.register()
		for _, k := range []notify.Kind{notify.KindReply, notify.KindDecision, notify.KindDocumentVersion} {
			w.ok(w.svc.SetPreference(ctx, p["amina"], k, notify.Daily))
		}
		w.dispatcher()

		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pa, ParticipantID: p["chege"], Body: "Yes"}))(t)
		w.appendEvent(participation.EvProposalDecided, pa, `{"from":"under_assessment","to":"selected","reason":"Cheap"}`)
		must(s.PublishDocument(ctx, participation.Document{ComponentID: w.doc, Title: "Draft plan",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 60 km."}}}))(t)
		w.catchUp()
		w.drain()
		if n := len(w.smtp.Mails()); n != 0 {
			t.Fatalf("%d mails sent at once to someone who wants a digest", n)
		}

		send := func(at time.Time) int {
			t.Helper()
			w.clock.set(at)
			n := must(w.disp.SendDigests(ctx))(t)
			w.drain()
			return n
		}
		morning := time.Date(2026, 3, 11, 4, 0, 0, 0, time.UTC) // 07:00 in Nairobi
		if n := send(morning.Add(-time.Minute)); n != 0 {
			t.Fatalf("%d digests before the morning", n)
		}
		if n := send(morning); n != 1 {
			t.Fatalf("%d digests in the morning, want 1", n)
		}
		mails := w.smtp.Mails()
		if len(mails) != 1 || mails[0].To[0] != "amina@example.org" {
			t.Fatalf("mails %d, to %v", len(mails), mails)
		}
		m := mails[0]
		body := strings.NewReplacer("=\r\n", "", "=E2=80=A2", "•", "=3D", "=").Replace(string(m.Data))
		if !strings.Contains(subject(m), "daily update") || strings.Count(body, "•") != 2*3 { // text and HTML parts
			t.Fatalf("digest %q lists %d items:\n%s", subject(m), strings.Count(body, "•"), body)
		}
		for _, want := range []string{"New reply in County budget", "A decision on", "New version of"} {
			if !strings.Contains(body, want) {
				t.Errorf("digest lacks %q", want)
			}
		}
		if _, kind, err := w.svc.VerifyUnsubscribe(unsubscribeToken(t, m)); err != nil || kind != notify.KindDigest {
			t.Fatalf("digest unsubscribes from %s: %v", kind, err)
		}
		if n := send(morning.Add(time.Hour)); n != 0 {
			t.Fatalf("%d digests again", n)
		}
		if n := send(morning.Add(24 * time.Hour)); n != 0 {
			t.Fatalf("%d digests the day after", n)
		}
		if n := len(w.smtp.Mails()); n != 1 {
			t.Fatalf("%d mails in all, want 1", n)
		}
	})
}
