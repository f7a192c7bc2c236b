package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/insights"
	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

func runMigrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := sqldb.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer db.Close()
	if err := sqlstore.Migrate(ctx, db); err != nil {
		return err
	}
	if err := jobs.Migrate(ctx, cfg.storeURL(), slog.Default()); err != nil {
		return err
	}
	slog.Info("migrated", "store", storeKind(cfg.storeURL()))
	return nil
}

func runDemo(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	participants := fs.Int("participants", 3000, "participants to simulate (scales to millions)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	days := fs.Int("days", 28, "days of simulated activity, ending now")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	last := time.Now()
	res, err := demo.Generate(ctx, store, demo.Options{
		Participants: *participants, Seed: *seed, Days: *days,
		Progress: func(p demo.Progress) {
			if time.Since(last) > 5*time.Second {
				last = time.Now()
				slog.Info("demo", "simulated", p.Simulated.Format(time.DateTime), "participants", p.Participants, "writes", p.Writes)
			}
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("demo process %q (id %d): %d participants, %d proposals, %d comments, %d votes, %d supports, %d survey responses, %d visits in %s\n",
		res.Slug, res.ProcessID, res.Participants, res.Proposals, res.Comments, res.Votes, res.Supports, res.Responses, res.Visits, res.Elapsed.Round(time.Millisecond))
	return nil
}

func runIngest(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	rebuild := fs.Bool("rebuild", false, "rebuild the warehouse from the whole outbox, then exit")
	once := fs.Bool("once", false, "ingest what is committed now, then exit")
	withInsights := fs.Bool("insights", true, "also bring themes, campaigns and opinion groups up to date (once with --once, else as the warehouse advances)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	key, err := pseudonymKey(&cfg)
	if err != nil {
		return err
	}
	if *rebuild {
		began := time.Now()
		if err := ingest.Rebuild(ctx, store, cfg.warehousePath(), ingest.Options{Key: key}); err != nil {
			return err
		}
		slog.Info("warehouse rebuilt", "path", cfg.warehousePath(), "took", time.Since(began).Round(time.Millisecond))
		return nil
	}
	wh, ing, err := openIngester(&cfg, store)
	if err != nil {
		return err
	}
	defer wh.Close()
	// The insights jobs live where the warehouse is open: here when the
	// ingester runs on its own, so that exports and a later serve find them.
	var jobs *insights.Runner
	if *withInsights {
		if jobs, err = insights.New(wh, insights.Options{}); err != nil {
			return err
		}
	}
	if *once {
		if err := ing.CatchUp(ctx); err != nil {
			return err
		}
		if jobs != nil {
			return jobs.Pass(ctx)
		}
		return nil
	}
	slog.Info("ingesting; stop with Ctrl-C")
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan struct{})
	if jobs != nil {
		go func() {
			defer close(done)
			if err := jobs.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
				slog.Error("insights stopped", "err", err)
			}
		}()
	} else {
		close(done)
	}
	err = ing.Run(runCtx)
	stop()
	<-done
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
