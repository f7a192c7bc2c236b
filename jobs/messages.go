package jobs

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"
)

// The message jobs besides the drain: the morning digests and the
// officials' low-engagement alerts (alerts.go). Both are periodic and
// cheap when there is nothing to do; River runs each period's job on one
// server, and the messages' idempotency keys cover a job run twice.

// Digests sends the daily digests that are due (*notify.Dispatcher).
type Digests interface {
	SendDigests(ctx context.Context) (int, error)
}

// DigestArgs is the periodic job that sends the due digests. A digest is
// due at 07:00 in its process's time zone (the dispatcher stores that
// moment in UTC with each item), so a pass every DigestEvery sends each
// process's digests within that much of its local morning.
type DigestArgs struct{}

// Kind names the job in River's tables.
func (DigestArgs) Kind() string { return "notify_digests" }

type digestWorker struct {
	river.WorkerDefaults[DigestArgs]
	s *Scheduler
}

func (w *digestWorker) Work(ctx context.Context, _ *river.Job[DigestArgs]) error {
	n, err := w.s.digests.SendDigests(ctx)
	if err != nil {
		return fmt.Errorf("jobs: unable to send the digests: %w", err)
	}
	if n > 0 {
		w.s.log.Info("jobs: digests queued", "digests", n)
	}
	return nil
}

// messageJobs registers the digest and alert workers and returns their
// periodic jobs.
func (s *Scheduler) messageJobs(workers *river.Workers, o Options) ([]*river.PeriodicJob, error) {
	var periodic []*river.PeriodicJob
	if o.Digests != nil {
		if err := river.AddWorkerSafely(workers, &digestWorker{s: s}); err != nil {
			return nil, err
		}
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(orDefault(o.DigestEvery, 15*time.Minute)),
			func() (river.JobArgs, *river.InsertOpts) { return DigestArgs{}, nil },
			&river.PeriodicJobOpts{ID: "notify_digests", RunOnStart: true}))
	}
	if err := river.AddWorkerSafely(workers, &alertWorker{s: s}); err != nil {
		return nil, err
	}
	periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(orDefault(o.AlertEvery, 15*time.Minute)),
		func() (river.JobArgs, *river.InsertOpts) { return AlertArgs{}, nil },
		&river.PeriodicJobOpts{ID: "low_engagement_alerts", RunOnStart: true}))
	return periodic, nil
}

// alertsHolder keeps what the alert job reads; cmd sets it once the
// warehouse and the staff service exist, after the queue started.
type alertsHolder struct{ p atomic.Pointer[Alerts] }
