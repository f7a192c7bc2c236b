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

	"github.com/civicpulse/civicpulse/internal/bench"
)

// runBench measures one part of civicpulse on this machine and prints its
// figures, as text or (with --json) as one JSON object whose keys name the
// figure and its unit.
func runBench(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("bench: say what to measure: submit | ingest")
	}
	what, args := args[0], args[1:]
	fs := flag.NewFlagSet("bench "+what, flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print one JSON object of the figures")
	pg := fs.String("database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres server to create throwaway bench databases on")
	var figures map[string]float64
	var err error
	switch what {
	case "submit":
		clients := fs.Int("clients", 32, "concurrent API clients")
		dur := fs.Duration("duration", 15*time.Second, "measured period")
		withIngest := fs.Bool("ingest", true, "run the ingester in the server process, as serve does")
		if err := fs.Parse(args); err != nil {
			return err
		}
		figures, err = bench.Submit(ctx, bench.SubmitOptions{PostgresURL: *pg, Clients: *clients, Duration: *dur, Ingest: *withIngest, Log: slog.Default()})
	default:
		return fmt.Errorf("bench: unknown benchmark %q (submit | ingest)", what)
	}
	if err != nil {
		return err
	}
	return printFigures(figures, *asJSON)
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
		fmt.Printf("%-40s %12.2f\n", k, figures[k])
	}
	return nil
}
