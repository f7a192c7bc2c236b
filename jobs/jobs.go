// Package jobs is the durable job queue and the jobs that run on time.
//
// The queue is River (github.com/riverqueue/river) on the participation
// database: riverdatabasesql on Postgres, riversqlite on the embedded SQLite
// file. Jobs are rows in that database, so a job scheduled before a restart
// is still there after it, and River's fetch (FOR UPDATE SKIP LOCKED on
// Postgres, one writer at a time on SQLite) hands each job to one server.
//
// The retention job (retention.go) purges the personal data of closed
// processes whose data agreement's retention period has ended.
//
// Besides phases, the queue drains the message queue of notify when it is
// given one (Options.Deliveries): a drain job kicked whenever messages are
// queued, rescheduled for the next retry, and a periodic one as a safety
// net. notify never imports jobs; cmd passes KickDeliveries to it.
//
// The phase jobs: a job at each phase boundary calls the
// store's AdvancePhases, and a periodic reconcile (at start and every
// minute) schedules the boundaries that have no job yet — a phase added or
// moved on another server, or a process published while this one was down.
// Applying a boundary is exactly-once in the store itself (a unique row per
// boundary written with its event), so a job that runs late, or a reconcile
// that applies a missed boundary, never opens a phase twice.
//
// Nothing imports jobs but cmd, which starts the Scheduler beside the web
// server and hands its SchedulePhases to the officials' workspace.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/participation"
)

// Options tune a Scheduler; the zero value is what serve runs with.
type Options struct {
	Logger *slog.Logger
	// PollInterval is how often a server looks for jobs that became due
	// (default 1 s): the most a boundary waits after its time once its job
	// is available.
	PollInterval time.Duration
	// ReconcileEvery is the period of the reconcile job (default 1 minute).
	ReconcileEvery time.Duration
	// ID names this server among the queue's clients (default: River's,
	// host name and start time).
	ID string
	// Deliveries, when set, is the message queue the drain job sends
	// (notify.Service); KickDeliveries wakes it.
	Deliveries Deliveries
	// DrainEvery is the period of the safety-net drain (default 30 s).
	DrainEvery time.Duration
	// Digests, when set, sends the morning digests every DigestEvery
	// (default 15 minutes).
	Digests     Digests
	DigestEvery time.Duration
	// AlertEvery is the period of the low-engagement alert check (default
	// 15 minutes); it does nothing until SetAlerts.
	AlertEvery time.Duration
	// RetentionEvery is the period of the retention purge (default an
	// hour); it does nothing until SetRetention.
	RetentionEvery time.Duration
}

// Scheduler runs the job queue of one server.
type Scheduler struct {
	db     *sqldb.DB // River's own pool on the participation database
	client *river.Client[*sql.Tx]
	phases participation.PhaseJobs
	log    *slog.Logger
	// deliveries is nil when this server sends no messages.
	deliveries Deliveries
	digests    Digests
	alerts     alertsHolder
	retention  retentionHolder
}

// lookAhead is how far ahead River's scheduler (which only the elected
// leader runs, every 5 s) moves scheduled jobs to available. A boundary
// due sooner than that is inserted available at once and its job snoozes
// until the boundary's time: a snooze that short makes the job available
// with its new time, which every server's fetch then honours within
// PollInterval, without waiting for the leader's next pass.
const lookAhead = 5 * time.Second

// Open connects to the participation database at dsn (the store's DSN,
// "postgres://…" or "sqlite:PATH"), applies River's migrations and returns
// a Scheduler that is not started yet.
func Open(ctx context.Context, dsn string, phases participation.PhaseJobs, o Options) (*Scheduler, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := migrate(ctx, db, o.Logger); err != nil {
		db.Close()
		return nil, err
	}
	s := &Scheduler{db: db, phases: phases, log: o.Logger, deliveries: o.Deliveries, digests: o.Digests}
	workers := river.NewWorkers()
	if err := river.AddWorkerSafely(workers, &boundaryWorker{s: s}); err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if err := river.AddWorkerSafely(workers, &reconcileWorker{s: s}); err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	poll := orDefault(o.PollInterval, time.Second)
	every := orDefault(o.ReconcileEvery, time.Minute)
	periodic := []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return ReconcileArgs{}, nil },
		&river.PeriodicJobOpts{ID: "phase_reconcile", RunOnStart: true})}
	if o.Deliveries != nil {
		if err := river.AddWorkerSafely(workers, &drainWorker{s: s}); err != nil {
			db.Close()
			return nil, fmt.Errorf("jobs: %w", err)
		}
		periodic = append(periodic, drainPeriodic(orDefault(o.DrainEvery, 30*time.Second)))
	}
	more, err := s.messageJobs(workers, o)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	periodic = append(periodic, more...)
	purges, err := s.retentionJobs(workers, o)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	periodic = append(periodic, purges...)
	s.client, err = river.NewClient(driver(db), &river.Config{
		ID:                o.ID,
		Logger:            quiet(o.Logger),
		PollOnly:          true, // database/sql has no LISTEN; SQLite's listener would only poll too
		FetchPollInterval: poll,
		FetchCooldown:     min(poll, 100*time.Millisecond),
		Queues:            map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: 4}},
		// A job whose server died while it ran stays "running" until the
		// leader rescues it; River's default waits an hour. Phase jobs take
		// milliseconds, so two minutes is plenty (a worker that needs more
		// sets its own Timeout).
		JobTimeout:           30 * time.Second,
		RescueStuckJobsAfter: 2 * time.Minute,
		Workers:              workers,
		PeriodicJobs:         periodic,
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("jobs: unable to create the queue client: %w", err)
	}
	return s, nil
}

// Start starts working jobs (and, on the elected server, scheduling and
// the periodic reconcile). It returns at once; Stop ends it.
func (s *Scheduler) Start(ctx context.Context) error {
	// River stops hard when the context given to Start ends; Stop is the
	// graceful way, so the request's cancellation must not reach it.
	if err := s.client.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: unable to start the queue: %w", err)
	}
	s.log.Info("jobs: queue started", "store", string(s.db.Dialect))
	return nil
}

// Stop lets running jobs finish (until ctx ends), gives up leadership so
// that another server takes over at once, and closes River's connections.
func (s *Scheduler) Stop(ctx context.Context) error {
	err := s.client.Stop(ctx)
	if cerr := s.db.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("jobs: unable to stop the queue: %w", err)
	}
	s.log.Info("jobs: queue stopped")
	return nil
}

// Close releases the connections of a Scheduler that was never started.
func (s *Scheduler) Close() error { return s.db.Close() }

// Migrate applies River's migrations to the participation database at dsn
// (civicpulse migrate; Open does it too).
func Migrate(ctx context.Context, dsn string, log *slog.Logger) error {
	if log == nil {
		log = slog.Default()
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return migrate(ctx, db, log)
}

// openDB opens River's own small pool. The store's Postgres pool asks
// lib/pq for binary parameters, which River's JSON arguments do not
// survive; on SQLite one connection is what riversqlite asks for (the
// store's pool and this one take turns through the busy timeout).
func openDB(ctx context.Context, dsn string) (*sqldb.DB, error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if db.Dialect == sqldb.SQLite {
		db.SetMaxOpenConns(1)
	} else {
		db.SetMaxOpenConns(8)
		db.SetMaxIdleConns(4)
	}
	return db, nil
}

func driver(db *sqldb.DB) riverdriver.Driver[*sql.Tx] {
	if db.Dialect == sqldb.SQLite {
		return riversqlite.New(db.DB.DB)
	}
	return riverdatabasesql.New(db.DB.DB)
}

// migrationLock serialises River's migrations between servers starting at
// once on Postgres (rivermigrate takes no lock of its own).
const migrationLock = 727275

func migrate(ctx context.Context, db *sqldb.DB, log *slog.Logger) error {
	if db.Dialect == sqldb.Postgres {
		conn, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("jobs: unable to migrate the queue: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLock); err != nil {
			return fmt.Errorf("jobs: unable to lock for the queue's migrations: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrationLock)
	}
	m, err := rivermigrate.New(driver(db), &rivermigrate.Config{Logger: quiet(log)})
	if err != nil {
		return fmt.Errorf("jobs: unable to migrate the queue: %w", err)
	}
	res, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	if err != nil {
		return fmt.Errorf("jobs: unable to migrate the queue: %w", err)
	}
	if len(res.Versions) > 0 {
		var vs []string
		for _, v := range res.Versions {
			vs = append(vs, fmt.Sprint(v.Version))
		}
		log.Info("jobs: queue migrated", "store", string(db.Dialect), "versions", strings.Join(vs, ","))
	}
	return nil
}

// quiet passes River's own warnings and errors on and drops its routine
// information (every maintenance pass logs one).
func quiet(log *slog.Logger) *slog.Logger {
	return slog.New(minLevel{log.Handler(), slog.LevelWarn})
}

type minLevel struct {
	slog.Handler
	min slog.Level
}

func (h minLevel) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

func (h minLevel) WithAttrs(as []slog.Attr) slog.Handler {
	return minLevel{h.Handler.WithAttrs(as), h.min}
}

func (h minLevel) WithGroup(name string) slog.Handler {
	return minLevel{h.Handler.WithGroup(name), h.min}
}

func orDefault(v, def time.Duration) time.Duration {
	if v > 0 {
		return v
	}
	return def
}
