package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/civicpulse/civicpulse/participation"
)

// BoundaryArgs is the job of one phase boundary. River keeps one such job
// per boundary (unique by its arguments: phase, kind and time), so the
// scheduling of a boundary by any number of servers, by the reconcile and
// by the workspace yields one job; a phase moved to another time gets a new
// job, and the old one finds nothing due and does nothing.
type BoundaryArgs struct {
	ProcessID int64     `json:"process_id"`
	PhaseID   int64     `json:"phase_id"`
	Boundary  string    `json:"kind"` // participation.BoundaryOpen or BoundaryClose
	At        time.Time `json:"at"`
}

// Kind names the job in River's tables.
func (BoundaryArgs) Kind() string { return "phase_boundary" }

// InsertOpts makes the job unique by its arguments, in every state but
// cancelled and discarded (River's default states): a boundary whose job
// completed is not scheduled again.
func (BoundaryArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// ReconcileArgs is the periodic job that schedules the boundaries without a
// job.
type ReconcileArgs struct{}

// Kind names the job in River's tables.
func (ReconcileArgs) Kind() string { return "phase_reconcile" }

// reconcileLimit bounds the boundaries one reconcile schedules; the
// earliest come first, and the rest follow on the next pass.
const reconcileLimit = 1000

// SchedulePhases schedules a job for every boundary of the process that is
// not applied yet (none unless it is published). The workspace calls it
// after a phase edit or a transition; the reconcile would catch up within a
// minute anyway.
func (s *Scheduler) SchedulePhases(ctx context.Context, processID int64) error {
	bs, err := s.phases.PendingPhaseBoundaries(ctx, processID)
	if err != nil {
		return fmt.Errorf("jobs: unable to schedule phases of process %d: %w", processID, err)
	}
	_, err = s.schedule(ctx, bs)
	return err
}

// Reconcile schedules every boundary not applied yet that has no job, and
// applies the due ones whose job has already run without applying them (a
// process published again after its boundary passed). It returns how many
// jobs it inserted.
func (s *Scheduler) Reconcile(ctx context.Context) (int, error) {
	bs, err := s.phases.UpcomingPhaseBoundaries(ctx, time.Time{}, reconcileLimit)
	if err != nil {
		return 0, fmt.Errorf("jobs: unable to reconcile phases: %w", err)
	}
	return s.schedule(ctx, bs)
}

// schedule inserts the boundaries' jobs. One due within lookAhead is
// available at once (its job snoozes until the boundary's time), a later
// one is scheduled at its time.
func (s *Scheduler) schedule(ctx context.Context, bs []participation.PhaseBoundary) (int, error) {
	if len(bs) == 0 {
		return 0, nil
	}
	now := time.Now()
	params := make([]river.InsertManyParams, len(bs))
	for i, b := range bs {
		opts := &river.InsertOpts{}
		if b.At.After(now.Add(lookAhead)) {
			opts.ScheduledAt = b.At
		}
		params[i] = river.InsertManyParams{Args: BoundaryArgs{ProcessID: b.ProcessID, PhaseID: b.PhaseID, Boundary: b.Kind, At: b.At.UTC()}, InsertOpts: opts}
	}
	res, err := s.client.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("jobs: unable to schedule %d phase boundaries: %w", len(bs), err)
	}
	inserted, missed := 0, 0
	for i, r := range res {
		switch {
		case !r.UniqueSkippedAsDuplicate:
			inserted++
		case r.Job.State == rivertype.JobStateCompleted && !bs[i].At.After(now):
			missed++ // its job ran when the boundary did not apply (the process was not published)
		}
	}
	if inserted > 0 {
		s.log.Info("jobs: phase boundaries scheduled", "jobs", inserted, "boundaries", len(bs))
	}
	if missed > 0 {
		changes, err := s.phases.AdvancePhases(ctx)
		if err != nil {
			return inserted, fmt.Errorf("jobs: unable to apply %d missed phase boundaries: %w", missed, err)
		}
		s.logChanges(changes)
	}
	return inserted, nil
}

func (s *Scheduler) logChanges(changes []participation.PhaseChange) {
	for _, c := range changes {
		s.log.Info("jobs: phase boundary applied", "process_id", c.ProcessID, "phase_id", c.PhaseID,
			"kind", c.Kind, "at", c.At, "late_ms", c.AppliedAt.Sub(c.At).Milliseconds())
	}
}

type boundaryWorker struct {
	river.WorkerDefaults[BoundaryArgs]
	s *Scheduler
}

// Work applies whatever is due once the boundary's time has come. It may be
// handed the job early (the job was inserted available, or the database's
// clock runs ahead of this server's), and then it snoozes until then.
func (w *boundaryWorker) Work(ctx context.Context, job *river.Job[BoundaryArgs]) error {
	if wait := time.Until(job.Args.At); wait > 0 {
		w.s.log.Debug("jobs: phase boundary job early, snoozing", "job_id", job.ID, "wait_ms", wait.Milliseconds())
		return river.JobSnooze(wait)
	}
	changes, err := w.s.phases.AdvancePhases(ctx)
	if err != nil {
		return fmt.Errorf("jobs: unable to advance phases: %w", err)
	}
	w.s.logChanges(changes)
	w.s.log.Info("jobs: phase boundary job ran", "job_id", job.ID, "phase_id", job.Args.PhaseID,
		"kind", job.Args.Boundary, "at", job.Args.At, "applied", len(changes))
	return nil
}

type reconcileWorker struct {
	river.WorkerDefaults[ReconcileArgs]
	s *Scheduler
}

func (w *reconcileWorker) Work(ctx context.Context, _ *river.Job[ReconcileArgs]) error {
	_, err := w.s.Reconcile(ctx)
	return err
}
