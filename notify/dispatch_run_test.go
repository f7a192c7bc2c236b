package notify_test

import (
	"context"
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
