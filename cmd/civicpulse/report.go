package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/report"
)

// runReport writes one overview document of a process to a file, from
// the warehouse file (read-only, so it runs while nothing else holds it;
// beside a running serve the staff page's links are the way) and the
// store (the process's language and summary, scores, section responses).
func runReport(ctx context.Context, args []string) error {
	return reportTo(ctx, args, os.Stdout)
}

func reportTo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	process := fs.Int64("process", 0, "id of the process (required)")
	kind := fs.String("kind", report.Ideas, "ideas, comments or survey")
	format := fs.String("format", report.PDF, "pdf or html (printable)")
	out := fs.String("out", "", "file to write (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *process <= 0 || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("report: --process and --out are required")
	}
	if !report.Known(*kind, *format) {
		return fmt.Errorf("report: unknown document %q or format %q (ideas|comments|survey, pdf|html)", *kind, *format)
	}
	db, err := export.OpenReadOnly(cfg.warehousePath())
	if err != nil {
		return err
	}
	defer db.Close()
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := report.New(db, store)
	if err != nil {
		return err
	}
	// Written beside the target and renamed into place: a failed run never
	// leaves a truncated document under the name asked for.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".report-*")
	if err != nil {
		return fmt.Errorf("report: unable to write %s: %w", *out, err)
	}
	defer os.Remove(tmp.Name())
	if err := rep.Write(ctx, tmp, *process, *kind, *format); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("report: unable to write %s: %w", *out, err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("report: unable to write %s: %w", *out, err)
	}
	fmt.Fprintln(stdout, *out)
	return nil
}
