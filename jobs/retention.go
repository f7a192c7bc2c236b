package jobs

import (
	"context"
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

// Retention is what the retention job needs: the store that knows the
// processes' data agreements and purges them, and the audit log that says
// so (*staff.Service).
type Retention struct {
	Store interface {
		RetentionDue(ctx context.Context, now time.Time) ([]participation.RetentionPurge, error)
		PurgeRetention(ctx context.Context, processID int64, now time.Time) (participation.RetentionPurge, bool, error)
		UnauditedPurges(ctx context.Context) ([]participation.RetentionPurge, error)
		MarkPurgeAudited(ctx context.Context, processID int64, at time.Time) error
	}
	Audit interface {
		Audit(ctx context.Context, e staff.Entry) error
	}
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// SetRetention gives the retention job what it needs and asks for a run
// now: the run at start found nothing set yet (cmd calls this once the
// staff service exists), and the next periodic one is an hour away. Until
// it is called the job does nothing.
func (s *Scheduler) SetRetention(ctx context.Context, r Retention) {
	if r.Now == nil {
		r.Now = time.Now
	}
	s.retention.Store(&r)
	if _, err := s.client.Insert(ctx, RetentionArgs{}, nil); err != nil {
		s.log.Warn("jobs: unable to queue the retention purge; the periodic one will run", "err", err)
	}
}

// RetentionArgs is the periodic job that purges the personal data of the
// closed processes whose retention period has ended.
type RetentionArgs struct{}

// Kind names the job in River's tables.
func (RetentionArgs) Kind() string { return "retention_purge" }

type retentionWorker struct {
	river.WorkerDefaults[RetentionArgs]
	s *Scheduler
}

func (w *retentionWorker) Work(ctx context.Context, _ *river.Job[RetentionArgs]) error {
	_, err := w.s.CheckRetention(ctx)
	return err
}

// retentionJobs registers the retention worker and returns its periodic job
// (at start, then every RetentionEvery: a period counts in days, so an hour
// late is on time).
func (s *Scheduler) retentionJobs(workers *river.Workers, o Options) ([]*river.PeriodicJob, error) {
	if err := river.AddWorkerSafely(workers, &retentionWorker{s: s}); err != nil {
		return nil, err
	}
	return []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(orDefault(o.RetentionEvery, time.Hour)),
		func() (river.JobArgs, *river.InsertOpts) { return RetentionArgs{}, nil },
		&river.PeriodicJobOpts{ID: "retention_purge", RunOnStart: true})}, nil
}

// CheckRetention purges every process that is due and writes one audit
// entry per purge. The store records each purge once and, separately,
// that its entry was written, so a job that stops between the two (or
// runs on two servers) neither purges twice nor leaves a purge unsaid: the
// next run writes the entries still missing. It returns how many
// processes it purged.
func (s *Scheduler) CheckRetention(ctx context.Context) (int, error) {
	r := s.retention.Load()
	if r == nil {
		return 0, nil
	}
	now := r.Now().UTC()
	due, err := r.Store.RetentionDue(ctx, now)
	if err != nil {
		return 0, fmt.Errorf("jobs: unable to list the processes due for purging: %w", err)
	}
	purged := 0
	for _, d := range due {
		p, done, err := r.Store.PurgeRetention(ctx, d.ProcessID, now)
		if err != nil {
			return purged, fmt.Errorf("jobs: unable to purge process %d: %w", d.ProcessID, err)
		}
		if done {
			purged++
			s.log.Info("jobs: retention period ended, personal data purged", "process_id", p.ProcessID, "profiles", p.Profiles)
		}
	}
	pending, err := r.Store.UnauditedPurges(ctx)
	if err != nil {
		return purged, fmt.Errorf("jobs: unable to list the purges to audit: %w", err)
	}
	for _, p := range pending {
		// Actor 0 is the system; the entry says what went and why, and
		// names no participant.
		if err := r.Audit.Audit(ctx, staff.Entry{Action: "process.retention_purge", ProcessID: p.ProcessID,
			Target: "process:" + strconv.FormatInt(p.ProcessID, 10), After: retentionEntry{
				Reason:           fmt.Sprintf("the retention period of %d days of data agreement version %d ended", p.RetentionDays, p.AgreementVersion),
				AgreementVersion: p.AgreementVersion, RetentionDays: p.RetentionDays, Profiles: p.Profiles, PurgedAt: p.PurgedAt,
				Contributions: "kept, anonymously",
			}}); err != nil {
			return purged, fmt.Errorf("jobs: process %d purged, but its audit entry failed: %w", p.ProcessID, err)
		}
		if err := r.Store.MarkPurgeAudited(ctx, p.ProcessID, now); err != nil {
			return purged, err
		}
	}
	return purged, nil
}

// retentionEntry is the audit entry's "after".
type retentionEntry struct {
	Reason           string    `json:"reason"`
	AgreementVersion int       `json:"agreement_version"`
	RetentionDays    int       `json:"retention_days"`
	Profiles         int64     `json:"profiles_deleted"`
	Contributions    string    `json:"contributions"`
	PurgedAt         time.Time `json:"purged_at"`
}

// retentionHolder keeps what the retention job needs; set after start.
type retentionHolder = atomic.Pointer[Retention]
