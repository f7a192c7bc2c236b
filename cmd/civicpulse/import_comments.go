package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/intakecsv"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// runImportComments loads comments the institution received outside the
// platform from a CSV file (see participation/intakecsv for its columns)
// into a document component, through the store's bulk path.
func runImportComments(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import comments", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	processID := fs.Int64("process", 0, "id of the process")
	componentID := fs.Int64("component", 0, "id of its document component")
	path := fs.String("csv", "", "the intake file: external_id, text, received_at and optionally channel, region, organisation, section")
	strict := fs.Bool("strict", false, "load nothing when any row is broken")
	chunk := fs.Int("chunk", 50_000, "rows per transaction (without --strict)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: civicpulse import comments --process ID --component C --csv FILE [--strict]\n\nLoads comments received by email, on paper or through other portals. Re-importing a file adds nothing (external ids); a broken row is reported with its line and the rest loads, unless --strict.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *processID <= 0 || *componentID <= 0 || *path == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("import comments: name the process, its component and the file")
	}
	f, err := os.Open(*path)
	if err != nil {
		return fmt.Errorf("import comments: %w", err)
	}
	defer f.Close()
	r, err := intakecsv.NewReader(f)
	if err != nil {
		return err
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	began := time.Now()
	res, err := store.ImportComments(ctx, participation.IntakeOptions{ProcessID: *processID, ComponentID: *componentID,
		Strict: *strict, Chunk: *chunk, Progress: func(r participation.IntakeResult) {
			slog.Info("import comments", "rows", r.Rows, "imported", r.Imported, "duplicates", r.Duplicates, "broken", r.Broken)
		}}, r.Next)
	if err != nil {
		return err
	}
	for _, p := range res.Problems {
		fmt.Fprintf(os.Stderr, "%s: %v\n", *path, p)
	}
	if res.Broken > len(res.Problems) {
		fmt.Fprintf(os.Stderr, "%s: … and %d more broken rows\n", *path, res.Broken-len(res.Problems))
	}
	fmt.Printf("%s: %d rows, %d comments imported, %d already there, %d broken, %d participants created in %s\n",
		*path, res.Rows, res.Imported, res.Duplicates, res.Broken, res.Participants, time.Since(began).Round(time.Millisecond))
	if *strict && res.Broken > 0 {
		return fmt.Errorf("import comments: %d broken rows, nothing imported (--strict)", res.Broken)
	}
	return nil
}
