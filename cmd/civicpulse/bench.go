package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"time"

	"github.com/civicpulse/civicpulse/bench"
)

// benchmarks are the parts of civicpulse that `civicpulse bench` measures.
// Each parses its own flags and returns figures whose keys name the figure
// and its unit.
var benchmarks = map[string]func(ctx context.Context, args []string) (map[string]float64, error){
	"submit":     benchSubmit,
	"dashboards": benchDashboards,
	"text":       benchText,
	"ingest":     benchIngest,
	"notify":     benchNotify,
	"import":     benchImport,
	"report":     benchReport,
	"export":     benchExport,
}

// runBench measures one part of civicpulse on this machine and prints its
// figures, as text or (with --json) as one JSON object.
func runBench(ctx context.Context, args []string) error {
	names := make([]string, 0, len(benchmarks))
	for n := range benchmarks {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return fmt.Errorf("bench: say what to measure: %v [--json]", names)
	}
	run, ok := benchmarks[args[0]]
	if !ok {
		return fmt.Errorf("bench: unknown benchmark %q (one of %v)", args[0], names)
	}
	asJSON := false
	rest := make([]string, 0, len(args))
	for _, a := range args[1:] {
		if a == "--json" || a == "-json" {
			asJSON = true
			continue
		}
		rest = append(rest, a)
	}
	figures, err := run(ctx, rest)
	if err != nil {
		return err
	}
	return printFigures(figures, asJSON)
}

func benchSubmit(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench submit", flag.ContinueOnError)
	pg := fs.String("database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres server to create the throwaway bench database on")
	clients := fs.Int("clients", 16, "concurrent API clients (16 keeps p99 lowest at the highest throughput here)")
	dur := fs.Duration("duration", 15*time.Second, "measured period")
	withIngest := fs.Bool("ingest", true, "run the ingester in the server process, as serve does")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return bench.Submit(ctx, bench.SubmitOptions{PostgresURL: *pg, Clients: *clients, Duration: *dur, Ingest: *withIngest, Log: slog.Default()})
}

func benchIngest(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	pg := fs.String("database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres server to create the throwaway bench database on; empty skips Postgres")
	events := fs.Int("events", 1_000_000, "backlog size in events")
	participants := fs.Int("participants", 1000, "demo participants whose activity seeds the backlog")
	rate := fs.Int("rate", 1000, "submissions per second during the freshness run")
	dur := fs.Duration("duration", 20*time.Second, "freshness run")
	skipSQLite := fs.Bool("skip-sqlite", false, "measure against Postgres only")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return bench.Ingest(ctx, bench.IngestOptions{Events: *events, Participants: *participants, Rate: *rate,
		Duration: *dur, PostgresURL: *pg, SkipSQLite: *skipSQLite})
}

func printFigures(figures map[string]float64, asJSON bool) error {
	if asJSON {
		return json.NewEncoder(os.Stdout).Encode(figures)
	}
	keys := make([]string, 0, len(figures))
	for k := range figures {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("%-44s %14.3f\n", k, figures[k])
	}
	return nil
}
