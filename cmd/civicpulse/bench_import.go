package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/civicpulse/civicpulse/bench"
)

// benchImport measures issue 18's bulk intake: an intake file of N comments
// imported into each store through `import comments`' path (participants,
// counters and outbox events included), beside the one-comment-per-
// transaction path citizens take, measured on a sample in the same run.
func benchImport(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench import", flag.ContinueOnError)
	pg := fs.String("database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres server to create the throwaway bench database on; empty skips Postgres")
	comments := fs.Int("comments", 500_000, "rows in the intake file")
	baseline := fs.Int("baseline", 2000, "comments written one per transaction (CreateComment) for the baseline")
	skipSQLite := fs.Bool("skip-sqlite", false, "measure against Postgres only")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return bench.Import(ctx, bench.ImportOptions{PostgresURL: *pg, SkipSQLite: *skipSQLite, Comments: *comments,
		Baseline: *baseline, Log: slog.Default()})
}
