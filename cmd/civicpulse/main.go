// Command civicpulse is the one binary: it serves the citizen pages, the API
// and the dashboards, runs the ingester, migrates, generates the demo and
// measures itself.
//
//	civicpulse serve   [--addr :8080] [--data ./data] [--demo]
//	civicpulse migrate
//	civicpulse demo    [--participants N]
//	civicpulse ingest  [--rebuild]
//	civicpulse bench   submit|ingest|... [--json]
//	civicpulse admin   create --email E --role admin
//	civicpulse process export ID > FILE.json | apply FILE.json
//
// Configuration comes from flags and environment variables (DATABASE_URL,
// CIVICPULSE_DATA, CIVICPULSE_ADDR, CIVICPULSE_SECRET or CIVICPULSE_SECRET_FILE).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "serve the site, the API and the ingester", runServe},
		{"migrate", "apply the participation store's migrations and exit", runMigrate},
		{"demo", "create the demo processes with synthetic participation", runDemo},
		{"ingest", "run the outbox ingester alone (--rebuild: rebuild the warehouse)", runIngest},
		{"bench", "measure: bench submit|ingest|import|dashboards|text|notify|report [--json]", runBench},
		{"admin", "staff accounts: admin create --email E --role admin", runAdmin},
		{"participant", "on a participant's request: participant erase --email E [--remove-contributions]", runParticipant},
		{"analyze", "analyze opinions|themes (offline analysis of exports)", runAnalyze},
		{"import", "import polis DIR (a Pol.is export as a document consultation) | import comments --process ID --component C --csv FILE [--strict] (comments received by email, paper, other portals)", runImport},
		{"process", "process export ID > FILE.json | process apply FILE.json (a process's set-up as a file)", runProcess},
		{"export", "export --process ID --format csv|xlsx|parquet --out DIR (stop serve first)", runExport},
		{"report", "report --process ID --kind ideas|comments|survey --format pdf|html --out FILE (an overview document; stop serve first)", runReport},
	}
}

func main() {
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	name := os.Args[1]
	for _, c := range commands() {
		if c.name == name {
			if err := c.run(ctx, os.Args[2:]); err != nil {
				if errors.Is(err, flag.ErrHelp) {
					os.Exit(2)
				}
				fmt.Fprintf(os.Stderr, "civicpulse %s: %v\n", name, err)
				os.Exit(1)
			}
			return
		}
	}
	if name == "-h" || name == "--help" || name == "help" {
		usage()
		return
	}
	fmt.Fprintf(os.Stderr, "civicpulse: unknown command %q\n\n", name)
	usage()
	os.Exit(2)
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: civicpulse <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(os.Stderr, "  %-8s %s\n", c.name, c.summary)
	}
}
