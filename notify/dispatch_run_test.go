package notify_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
)

// Run tails the outbox live and returns once its context ends; a new
// dispatcher of the same name resumes at the checkpoint, so what was
// written while none ran is told then, and what was told is not again.
func TestDispatcherRunStopsAndResumes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		w := newWorld(t, b)
		ctx, s, p := w.ctx, w.s, w.people
		pa := must(s.CreateProposal(ctx, participation.Proposal{ComponentID: w.props, ParticipantID: p["amina"], Title: "Market roof", Description: "Fix the roof."}))(t)
		pb := must(s.CreateProposal(ctx, participation.Proposal{ComponentID: w.props, ParticipantID: p["baraka"], Title: "Visima", Description: "Boreholes."}))(t)
		w.register()

		run := func() (stop func()) {
			d := must(w.svc.NewDispatcher(ctx, s, notify.DispatchOptions{Idle: 50 * time.Millisecond}))(t)
			rctx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- d.Run(rctx) }()
			return func() {
				cancel()
				select {
				case err := <-done:
					if err != nil {
						t.Fatalf("Run: %v", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("Run did not return 5 s after its context ended")
				}
			}
		}
		waitFor := func(n int) {
			t.Helper()
			deadline := time.Now().Add(20 * time.Second)
			for len(w.deliveries()) < n {
				if time.Now().After(deadline) {
					t.Fatalf("%d deliveries, want %d", len(w.deliveries()), n)
				}
				time.Sleep(20 * time.Millisecond)
			}
		}

		stop := run()
		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pa, ParticipantID: p["chege"], Body: "Yes"}))(t)
		waitFor(1)
		stop()

		// While no dispatcher runs.
		must(s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pb, ParticipantID: p["chege"], Body: "Ndiyo"}))(t)
		time.Sleep(100 * time.Millisecond)
		if n := len(w.deliveries()); n != 1 {
			t.Fatalf("%d deliveries with no dispatcher running", n)
		}
		stop = run()
		defer stop()
		waitFor(2)
		got := w.deliveries()
		for _, want := range []sentMessage{{p["amina"], string(notify.KindReply), "en"}, {p["baraka"], string(notify.KindReply), "sw"}} {
			if _, ok := got[want]; !ok {
				t.Errorf("no delivery %+v in %v", want, got)
			}
		}
	})
}

// Officials' alert choices: every alert reaches them until they turn one
// off, or all of them.
func TestStaffAlertChoices(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		f := open(t, b, nil, nil)
		ctx := context.Background()
		on := func(staff, rule int64) bool { return must(f.svc.StaffAlertOn(ctx, staff, rule))(t) }
		if !on(7, 3) {
			t.Fatal("an alert is off before any choice")
		}
		if err := f.svc.SetStaffAlert(ctx, 7, 3, false); err != nil {
			t.Fatal(err)
		}
		if on(7, 3) || !on(7, 4) || !on(8, 3) {
			t.Fatal("turning rule 3 off for staff 7 reached further")
		}
		if err := f.svc.SetStaffAlert(ctx, 7, notify.AllAlerts, false); err != nil {
			t.Fatal(err)
		}
		if on(7, 4) {
			t.Fatal("every alert off, yet rule 4 reaches staff 7")
		}
		if err := f.svc.SetStaffAlert(ctx, 7, notify.AllAlerts, true); err != nil {
			t.Fatal(err)
		}
		if err := f.svc.SetStaffAlert(ctx, 7, 3, true); err != nil {
			t.Fatal(err)
		}
		if !on(7, 3) || len(must(f.svc.StaffAlertsOff(ctx, 7))(t)) != 0 {
			t.Fatal("alerts turned back on are still off")
		}
		if err := f.svc.SetStaffAlert(ctx, 0, 3, false); err == nil {
			t.Fatal("an alert choice without a staff user was stored")
		}
	})
}

// Phases opening and closing tell every registered participant, in their
// language, each boundary once; the process closing because its last
// phase ended adds no second "closed".
func TestDispatcherPhases(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		w := newWorld(t, b)
		w.register()
		w.dispatcher()
		for _, at := range []time.Time{dispatchStart, time.Date(2026, 4, 1, 0, 1, 0, 0, time.UTC), time.Date(2026, 4, 20, 0, 1, 0, 0, time.UTC)} {
			w.clock.set(at)
			must(w.s.AdvancePhases(w.ctx))(t)
		}
		if p := must(w.s.GetProcess(w.ctx, w.proc, false))(t); p.State != participation.StateClosed || p.ClosedReason != participation.ClosedByLastPhase {
			t.Fatalf("process %s (%q), want closed by its last phase", p.State, p.ClosedReason)
		}
		w.catchUp()
		w.drain()
		count := func(who string, kind notify.Kind) (n int, lang string) {
			t.Helper()
			rows, err := w.s.DB().QueryContext(w.ctx, w.s.DB().Rebind(`SELECT lang FROM notify_deliveries WHERE participant_id = ? AND kind = ? AND state = 'sent'`),
				w.people[who], string(kind))
			w.ok(err)
			defer rows.Close()
			for rows.Next() {
				w.ok(rows.Scan(&lang))
				n++
			}
			return n, lang
		}
		for who, lang := range map[string]string{"amina": "en", "baraka": "sw", "chege": "en"} {
			if n, l := count(who, notify.KindPhaseOpened); n != 2 || l != lang {
				t.Errorf("%s: %d phase_opened in %q, want 2 in %s", who, n, l, lang)
			}
			if n, l := count(who, notify.KindPhaseClosed); n != 2 || l != lang {
				t.Errorf("%s: %d phase_closed in %q, want 2 in %s", who, n, l, lang)
			}
		}
		for _, who := range []string{"withdrawn", "anon"} {
			if n, _ := count(who, notify.KindPhaseOpened); n != 0 {
				t.Errorf("%s got %d phase messages", who, n)
			}
		}
		var subjects []string
		for _, m := range w.smtp.Mails() {
			if m.To[0] == "baraka@example.org" {
				subjects = append(subjects, subject(m))
			}
		}
		if len(subjects) != 4 || !strings.Contains(strings.Join(subjects, "|"), "Mashauriano imefungwa: Bajeti ya Kaunti") {
			t.Fatalf("baraka's subjects %q", subjects)
		}
	})
}
