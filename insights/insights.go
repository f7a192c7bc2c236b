// Package insights runs the text analyses of package analysis over the
// warehouse and writes their results back into it: themes per scope (fitted,
// then new texts assigned as they arrive, re-fitted when enough changed, with
// the officials' edits applied after every fit), form-letter campaigns per
// process, and opinion groups per conversation. Dashboards read the tables
// (see warehouse/migrations/004_insights.sql); nothing here serves pages.
package insights

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqlfile"
	"github.com/civicpulse/civicpulse/warehouse"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// Options tune the jobs; zero values take the defaults.
type Options struct {
	// Every is the longest wait between two passes when the warehouse does
	// not advance (default 1 minute); a pass also follows each advance, at
	// most once per MinGap (default 5 seconds).
	Every, MinGap time.Duration
	// Seed makes fits reproducible.
	Seed   uint64
	Logger *slog.Logger
	Now    func() time.Time
}

// Runner holds the jobs' state between passes.
type Runner struct {
	wh  *warehouse.Warehouse
	db  *sql.DB
	q   sqlfile.Set
	opt Options
	log *slog.Logger

	// mu serialises passes and officials' edits: both rewrite a scope's
	// rows, and both use what the jobs remember between passes.
	mu         sync.Mutex
	jobs       *memo
	themeState *themeState
}

// New prepares the jobs over a warehouse.
func New(wh *warehouse.Warehouse, opt Options) (*Runner, error) {
	if opt.Every <= 0 {
		opt.Every = time.Minute
	}
	if opt.MinGap <= 0 {
		opt.MinGap = 5 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	q, err := sqlfile.Load(sqlFS, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	return &Runner{wh: wh, db: wh.Read(), q: q, opt: opt, log: opt.Logger, jobs: newMemo(), themeState: newThemeState()}, nil
}

// Run passes over every process after the warehouse advances (at most once
// per MinGap) and at least every Every, until ctx ends.
func (r *Runner) Run(ctx context.Context) error {
	adv, stop := r.wh.Subscribe()
	defer stop()
	tick := time.NewTicker(r.opt.Every)
	defer tick.Stop()
	for {
		if err := r.Pass(ctx); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.log.Error("insights pass failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-adv:
		case <-tick.C:
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.opt.MinGap):
		}
	}
}

// Pass brings every process's insights up to date with the warehouse.
func (r *Runner) Pass(ctx context.Context) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	procs, err := r.processes(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range procs {
		for _, step := range []struct {
			name string
			fn   func(context.Context, int64) error
		}{{"themes", r.themes}, {"campaigns", r.campaigns}, {"opinions", r.opinions}} {
			if err := step.fn(ctx, p); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				errs = append(errs, fmt.Errorf("insights: %s of process %d: %w", step.name, p, err))
			}
		}
	}
	return errors.Join(errs...)
}

func (r *Runner) processes(ctx context.Context) ([]int64, error) {
	rows, err := r.db.QueryContext(ctx, r.q["processes"])
	if err != nil {
		return nil, fmt.Errorf("insights: unable to list processes: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
