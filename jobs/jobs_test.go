package jobs_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/jobs"
)

// TestPhaseJobRunsOnce schedules the two boundaries of a phase a second or
// two ahead, three times over (the workspace twice, the reconcile once):
// River keeps one job per boundary, each runs once, at its time, and the
// store applies each boundary once with one event.
func TestPhaseJobRunsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		logs := &logLines{}
		sch, err := jobs.Open(ctx, b.URL, s, jobs.Options{Logger: logs.logger(), PollInterval: testPoll, ReconcileEvery: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := sch.Stop(context.Background()); err != nil {
				t.Error(err)
			}
		})
		open := time.Now().Add(1500 * time.Millisecond)
		proc, phases := publishedProcess(t, s, "runs-once", span{open, open.Add(time.Second)})
		for range 2 {
			if err := sch.SchedulePhases(ctx, proc); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := sch.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}

		changes := waitApplied(t, s, proc, 2, 20*time.Second)
		for _, c := range changes {
			if c.AppliedAt.Before(c.At) {
				t.Fatalf("boundary %s applied at %v, before its time %v", c.Kind, c.AppliedAt, c.At)
			}
			t.Logf("%s: %s boundary applied %d ms after its time", b.Name, c.Kind, c.AppliedAt.Sub(c.At).Milliseconds())
		}
		time.Sleep(10 * testPoll) // long enough for a second run to show

		byBoundary, byJob := runs(logs)
		for _, k := range []string{"open " + strconv.FormatInt(phases[0], 10), "close " + strconv.FormatInt(phases[0], 10)} {
			if byBoundary[k] != 1 {
				t.Fatalf("boundary %q ran %d times, want once (runs %v)", k, byBoundary[k], byBoundary)
			}
		}
		js := boundaryJobs(t, s.DB())
		if len(js) != 2 || len(byJob) != 2 {
			t.Fatalf("%d jobs in River, %d ran; want 2 and 2: %+v", len(js), len(byJob), js)
		}
		for _, j := range js {
			if j.State != "completed" || byJob[j.ID] != 1 {
				t.Fatalf("job %d is %s and ran %d times, want completed once", j.ID, j.State, byJob[j.ID])
			}
		}
		evs := phaseEvents(t, s, 2)
		for _, k := range []string{fmt.Sprint("phase.opened ", phases[0]), fmt.Sprint("phase.closed ", phases[0])} {
			if evs[k] != 1 {
				t.Fatalf("%d events %q, want 1 (%v)", evs[k], k, evs)
			}
		}
	})
}

// TestPhaseJobsMigrateTwice runs River's migrations again over a migrated
// database (civicpulse migrate, then serve).
func TestPhaseJobsMigrateTwice(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		openStore(t, b)
		for range 2 {
			if err := jobs.Migrate(ctx, b.URL, nil); err != nil {
				t.Fatal(err)
			}
		}
	})
}
