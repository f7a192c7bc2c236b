package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// startJobs starts the job queue (issue 10: phases open and close on time;
// issue 12: messages are sent) on the store's database. Its SchedulePhases is the workspace's
// PhaseScheduler.
func startJobs(ctx context.Context, cfg *config, store *sqlstore.Store, messages jobs.Deliveries) (*jobs.Scheduler, error) {
	return startJobsWith(ctx, cfg, store, jobs.Options{Deliveries: messages})
}

// startJobsWith is startJobs with every option (serve adds the digests).
func startJobsWith(ctx context.Context, cfg *config, store *sqlstore.Store, o jobs.Options) (*jobs.Scheduler, error) {
	o.Logger = slog.Default()
	s, err := jobs.Open(ctx, cfg.storeURL(), store, o)
	if err != nil {
		return nil, err
	}
	if err := s.Start(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// stopJobs lets running jobs finish and hands leadership to another server.
func stopJobs(s *jobs.Scheduler) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		slog.Error("jobs did not stop cleanly", "err", err)
	}
}
