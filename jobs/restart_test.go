package jobs_test

import (
	"context"
	"fmt"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

// TestPhaseJobScheduledBeforeRestartRunsOnceAfter: a server schedules a
// phase's boundaries four seconds ahead and stops before they come — cleanly
// (SIGTERM) or killed (SIGKILL) — and a new server process started on the
// same store runs each of those jobs, the same rows, exactly once, at
// their time.
func TestPhaseJobScheduledBeforeRestartRunsOnceAfter(t *testing.T) {
	for _, stop := range []struct {
		name string
		sig  os.Signal
	}{{"sigterm", syscall.SIGTERM}, {"sigkill", syscall.SIGKILL}} {
		t.Run(stop.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
				store := openStore(t, b)
				first := startServer(t, b.URL, "first server")
				// Far enough ahead that a loaded machine (the race detector,
				// other packages' tests) still stops the first server first,
				// and within the queue's look-ahead (5 s), so the job takes
				// the snooze path this test is about.
				open := time.Now().Add(4 * time.Second)
				proc, phases := publishedProcess(t, store, "restart", span{open, open.Add(500 * time.Millisecond)})
				first.schedule(t, proc)
				waitSnoozed(t, store.DB(), first, 2)
				before := boundaryJobs(t, store.DB())
				first.stop(t, stop.sig)
				if cs, err := store.PhaseChanges(context.Background(), proc); err != nil || len(cs) != 0 || !time.Now().Before(open) {
					t.Fatalf("the first server stopped too late: %d boundaries applied (%v), %s before the boundary", len(cs), err, time.Until(open))
				}

				restarted := time.Now()
				second := startServer(t, b.URL, "second server")
				changes := waitApplied(t, store, proc, 2, 30*time.Second)
				time.Sleep(10 * testPoll) // long enough for a second run to show
				second.stop(t, syscall.SIGTERM)

				if ran, _ := runs(first.logs); len(ran) != 0 {
					t.Fatalf("the first server ran %v before it stopped", ran)
				}
				byBoundary, byJob := runs(second.logs)
				for _, k := range []string{fmt.Sprint("open ", phases[0]), fmt.Sprint("close ", phases[0])} {
					if byBoundary[k] != 1 {
						t.Fatalf("boundary %q ran %d times after the restart, want once (%v)", k, byBoundary[k], byBoundary)
					}
				}
				after := boundaryJobs(t, store.DB())
				if len(before) != 2 || len(after) != 2 {
					t.Fatalf("%d jobs before the restart, %d after; want 2 and 2", len(before), len(after))
				}
				for i, j := range after {
					if j.ID != before[i].ID || j.State != "completed" || byJob[j.ID] != 1 {
						t.Fatalf("job %d (before: %d) is %s and ran %d times; want the job scheduled before the restart, completed once", j.ID, before[i].ID, j.State, byJob[j.ID])
					}
				}
				for _, c := range changes {
					if c.AppliedAt.Before(restarted) || c.AppliedAt.Before(c.At) {
						t.Fatalf("%s applied at %v: before the restart (%v) or its time (%v)", c.Kind, c.AppliedAt, restarted, c.At)
					}
					t.Logf("%s, %s: %s boundary applied %d ms after its time", b.Name, stop.name, c.Kind, c.AppliedAt.Sub(c.At).Milliseconds())
				}
				evs := phaseEvents(t, store, 2)
				for _, k := range []string{fmt.Sprint("phase.opened ", phases[0]), fmt.Sprint("phase.closed ", phases[0])} {
					if evs[k] != 1 {
						t.Fatalf("%d events %q, want 1 (%v)", evs[k], k, evs)
					}
				}
			})
		})
	}
}

// TestPhaseJobsTwoServersOnOnePostgres runs two server processes on one
// Postgres database; both schedule the same process's six boundaries
// (three back-to-back phases), and each boundary's job runs once between
// them, each boundary is applied once.
func TestPhaseJobsTwoServersOnOnePostgres(t *testing.T) {
	url := sqldbtest.NewPostgresURL(t)
	store := openStore(t, sqldbtest.Backend{Name: "postgres", URL: url})
	a := startServer(t, url, "server A")
	b := startServer(t, url, "server B")
	t0 := time.Now().Add(2 * time.Second).Truncate(time.Millisecond) // Postgres keeps microseconds
	step := 500 * time.Millisecond
	proc, phases := publishedProcess(t, store, "two-servers",
		span{t0, t0.Add(step)}, span{t0.Add(step), t0.Add(2 * step)}, span{t0.Add(2 * step), t0.Add(3 * step)})
	a.schedule(t, proc)
	b.schedule(t, proc)

	changes := waitApplied(t, store, proc, 6, 30*time.Second)
	time.Sleep(10 * testPoll)
	a.stop(t, syscall.SIGTERM)
	b.stop(t, syscall.SIGTERM)

	byBoundary, byJob := runs(a.logs, b.logs)
	onA, _ := runs(a.logs)
	onB, _ := runs(b.logs)
	for _, ph := range phases {
		for _, kind := range []string{"open", "close"} {
			if k := fmt.Sprint(kind, " ", ph); byBoundary[k] != 1 {
				t.Fatalf("boundary %q ran %d times across both servers, want once (A %v, B %v)", k, byBoundary[k], onA, onB)
			}
		}
	}
	js := boundaryJobs(t, store.DB())
	if len(js) != 6 || len(byJob) != 6 {
		t.Fatalf("%d jobs in River and %d ran, want 6 and 6", len(js), len(byJob))
	}
	for _, j := range js {
		if j.State != "completed" || byJob[j.ID] != 1 {
			t.Fatalf("job %d is %s and ran %d times, want completed once", j.ID, j.State, byJob[j.ID])
		}
	}
	evs := phaseEvents(t, store, 6)
	if len(evs) != 6 {
		t.Fatalf("phase events %v, want 6 distinct", evs)
	}
	for k, n := range evs {
		if n != 1 {
			t.Fatalf("%d events %q, want 1", n, k)
		}
	}
	for _, c := range changes {
		t.Logf("two servers: %s of phase %d applied %d ms after its time", c.Kind, c.PhaseID, c.AppliedAt.Sub(c.At).Milliseconds())
	}
	t.Logf("jobs run on server A: %d, on server B: %d", len(onA), len(onB))
}
