package notify_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
)

// Each event kind the dispatcher reads makes its message, for the right
// people, in their language, with a working unsubscribe; withdrawn
// consent, an anonymous participant and a "none" preference get nothing;
// replaying the outbox from the start sends nothing twice.
func TestDispatcherEventsToMessages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		w := newWorld(t, b)
		ctx, s, p := w.ctx, w.s, w.people

		// Before anyone registered (the process was open): proposals,
		// follows and supports, document comments.
		pa := must(s.CreateProposal(ctx, participation.Proposal{ComponentID: w.props, ParticipantID: p["amina"], Title: "Market roof", Description: "Fix the roof of the market."}))(t)
		pb := must(s.CreateProposal(ctx, participation.Proposal{ComponentID: w.props, ParticipantID: p["baraka"], Title: "Visima vya maji", Description: "Boreholes for the wards."}))(t)
		for _, n := range []string{"anon", "withdrawn", "never"} {
			w.ok(s.Support(ctx, pa, p[n], true))
		}
		for _, n := range []string{"anon", "baraka", "never"} {
			w.ok(s.Follow(ctx, pa, p[n], true))
		}
		must(s.PublishDocument(ctx, participation.Document{ComponentID: w.doc, Title: "Draft plan",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 40 km."}, {Heading: "Water", Body: "Ten boreholes."}}}))(t)
		doc := must(s.GetDocument(ctx, w.doc))(t)
		for _, n := range []string{"amina", "baraka", "chege", "anon"} {
			must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: doc.Sections[0].ID,
				ParticipantID: p[n], Kind: participation.CommentPlain, Body: "Roads first, says " + n}))(t)
		}
		w.register()
		for _, k := range notify.Kinds() {
			w.ok(w.svc.SetPreference(ctx, p["never"], k, notify.Never))
		}
		w.dispatcher()
		w.catchUp()
		if n := len(w.deliveries()); n != 0 {
			t.Fatalf("%d messages about what happened before the dispatcher started", n)
		}

		// The events.
		onPa := must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pa, ParticipantID: p["chege"], Body: "Yes, it leaks."}))(t)
		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pb, ParticipantID: p["chege"], Body: "Ndiyo."}))(t)
		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pa, ParentID: &onPa, ParticipantID: p["amina"], Body: "Thanks!"}))(t)
		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pa, ParticipantID: p["amina"], Body: "My own idea, more detail."}))(t)
		w.appendEvent(participation.EvProposalDecided, pa, `{"from":"under_assessment","to":"selected","reason":"Within the budget"}`)
		must(s.PublishDocument(ctx, participation.Document{ComponentID: w.doc, Title: "Draft plan",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 60 km."}, {Heading: "Water", Body: "Ten boreholes."}}}))(t)
		must(s.AdvancePhases(ctx))(t) // the consultation opens
		must(s.PublishPanel(ctx, w.proc, "inputs", 0))(t)
		must(s.PublishPanel(ctx, w.proc, "regions", 0))(t) // the same day: no second message
		w.ok(s.SetCommentStatus(ctx, onPa, participation.StatusHidden))
		w.ok(s.Transition(ctx, w.proc, participation.StateClosed, "The budget was approved early"))
		w.catchUp()
		w.drain()

		type want = sentMessage
		var expected []want
		for _, n := range []string{"amina", "baraka", "chege"} {
			lang := "en"
			if n == "baraka" {
				lang = "sw"
			}
			kinds := []notify.Kind{notify.KindReply, notify.KindDocumentVersion, notify.KindPhaseOpened, notify.KindResults, notify.KindPhaseClosed}
			if n == "chege" {
				kinds = append(kinds, notify.KindModeration)
			} else {
				kinds = append(kinds, notify.KindDecision)
			}
			for _, k := range kinds {
				expected = append(expected, want{p[n], string(k), lang})
			}
		}
		got := w.deliveries()
		if len(got) != len(expected) {
			t.Errorf("%d deliveries, want %d: %v", len(got), len(expected), got)
		}
		for _, e := range expected {
			if st, ok := got[e]; !ok || st != "sent" {
				t.Errorf("delivery %+v: %q, %v", e, st, ok)
			}
		}
		mails := w.smtp.Mails()
		if len(mails) != len(expected) {
			t.Fatalf("%d mails, want %d", len(mails), len(expected))
		}
		byAddr := map[string][]string{}
		for _, m := range mails {
			to := m.To[0]
			if !strings.HasPrefix(to, "amina@") && !strings.HasPrefix(to, "baraka@") && !strings.HasPrefix(to, "chege@") {
				t.Errorf("a mail to %s", to)
			}
			byAddr[to] = append(byAddr[to], subject(m))
			// The unsubscribe link is the recipient's, for the mail's kind.
			pid, kind, err := w.svc.VerifyUnsubscribe(unsubscribeToken(t, m))
			if err != nil || fmt.Sprintf("%s@example.org", name(p, pid)) != to {
				t.Errorf("mail to %s unsubscribes participant %d (%s): %v", to, pid, kind, err)
			}
			// No one reads another's words in a mail: the commenter's
			// text is on the page it links to (a moderation message
			// quotes its author's own).
			body := string(m.Data)
			if to != "chege@example.org" && (strings.Contains(body, "Ndiyo") || strings.Contains(body, "it leaks")) ||
				strings.Contains(body, "Thanks!") {
				t.Errorf("a comment's text in a mail to %s", to)
			}
		}
		for _, subj := range byAddr["baraka@example.org"] {
			if !strings.Contains(subj, "Bajeti ya Kaunti") && !strings.Contains(subj, "Uamuzi") && !strings.Contains(subj, "Rasimu ya mpango") {
				t.Errorf("baraka's subject %q is not in Kiswahili", subj)
			}
		}
		for _, subj := range byAddr["amina@example.org"] {
			if strings.Contains(subj, "Bajeti") {
				t.Errorf("amina's subject %q is not in English", subj)
			}
		}
		sort.Strings(byAddr["baraka@example.org"])
		t.Logf("baraka's subjects: %q", byAddr["baraka@example.org"])

		// One click on a link unsubscribes from that kind.
		pid, kind := must2(w.svc.Unsubscribe(ctx, unsubscribeToken(t, mails[0])))(t)
		if f := must(w.svc.Preference(ctx, pid, kind))(t); f != notify.Never {
			t.Fatalf("after unsubscribing, %s is %s", kind, f)
		}

		// Replayed from the start (an older checkpoint, a second server):
		// nothing new.
		_, err := s.DB().ExecContext(ctx, `UPDATE notify_checkpoints SET tx = 0, seq = 0`)
		w.ok(err)
		w.catchUp()
		w.drain()
		if n := len(w.deliveries()); n != len(expected) {
			t.Fatalf("%d deliveries after the replay, want %d", n, len(expected))
		}
		time.Sleep(50 * time.Millisecond)
		if n := len(w.smtp.Mails()); n != len(mails) {
			t.Fatalf("%d mails after the replay, want %d", n, len(mails))
		}
	})
}

func name(people map[string]int64, id int64) string {
	for n, pid := range people {
		if pid == id {
			return n
		}
	}
	return "?"
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}
