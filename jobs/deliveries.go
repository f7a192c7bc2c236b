package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/civicpulse/civicpulse/notify"
)

// Deliveries is the message queue the drain job empties (notify.Service).
type Deliveries interface {
	Drain(ctx context.Context, budget time.Duration) (notify.DrainResult, error)
}

// DrainArgs is the job that sends the queued messages. At (to the second)
// is when it should run: kicks within one second make one job, and a kick
// while a drain runs makes the next one, so a message queued at the end of
// a drain is not left for the periodic pass.
type DrainArgs struct {
	At time.Time `json:"at"`
}

// Kind names the job in River's tables.
func (DrainArgs) Kind() string { return "notify_drain" }

// InsertOpts makes drains unique by their second among the jobs not yet
// finished (a completed drain does not block the next one of its second).
func (DrainArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateScheduled, rivertype.JobStateRetryable}}}
}

// drainBudget is how long one drain sends before it hands over to the next
// job (which may run on another server): long enough for 30,000 emails at
// the default rate, short enough to stay well inside River's rescue time.
const drainBudget = time.Minute

// KickDeliveries asks for a drain now (notify.Options.Kick). An error is
// logged, not returned: the periodic drain finds the messages anyway.
func (s *Scheduler) KickDeliveries(ctx context.Context) {
	if s.deliveries == nil {
		return
	}
	if err := s.drainAt(ctx, time.Now()); err != nil {
		s.log.Warn("jobs: unable to kick the message sender; the periodic drain will", "err", err)
	}
}

// drainAt schedules a drain for at: a near one is available at once and
// snoozes until its time (see lookAhead), a later one is scheduled.
func (s *Scheduler) drainAt(ctx context.Context, at time.Time) error {
	at = at.UTC().Truncate(time.Second)
	opts := &river.InsertOpts{}
	if at.After(time.Now().Add(lookAhead)) {
		opts.ScheduledAt = at
	}
	res, err := s.client.Insert(ctx, DrainArgs{At: at}, opts)
	if err == nil && res.UniqueSkippedAsDuplicate && res.Job.State == rivertype.JobStateRunning {
		// That drain may be past its last claim (River marks a job
		// completed a moment after its work returns): messages queued now
		// would wait for the periodic drain. The next second's drain is
		// not its duplicate.
		return s.drainAt(ctx, at.Add(time.Second))
	}
	return err
}

type drainWorker struct {
	river.WorkerDefaults[DrainArgs]
	s *Scheduler
}

// Timeout leaves the drain its budget plus the last message's send.
func (w *drainWorker) Timeout(*river.Job[DrainArgs]) time.Duration {
	return drainBudget + 45*time.Second
}

// Work drains the queue for up to drainBudget, then schedules the next
// drain: at once when messages are left, at the next retry's time when
// one waits.
func (w *drainWorker) Work(ctx context.Context, job *river.Job[DrainArgs]) error {
	if wait := time.Until(job.Args.At); wait > 0 {
		return river.JobSnooze(wait)
	}
	res, err := w.s.deliveries.Drain(ctx, drainBudget)
	if err != nil {
		return fmt.Errorf("jobs: unable to drain the message queue: %w", err)
	}
	next := res.NextDue
	if res.More {
		next = time.Now().Add(time.Second)
	}
	if !next.IsZero() {
		// The next second at the earliest: this job holds its own.
		next = maxTime(next, job.Args.At.Add(time.Second))
		if err := w.s.drainAt(context.WithoutCancel(ctx), next); err != nil {
			w.s.log.Warn("jobs: unable to schedule the next drain; the periodic one will", "err", err)
		}
	}
	return nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// drainPeriodic is the safety net: a drain every DrainEvery whatever the
// kicks did (a kick lost with a crashed server, a retry whose job failed).
func drainPeriodic(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) {
			return DrainArgs{At: time.Now().UTC().Truncate(time.Second)}, nil
		},
		&river.PeriodicJobOpts{ID: "notify_drain", RunOnStart: true})
}
