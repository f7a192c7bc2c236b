package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/polisimport"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// runImport loads data from elsewhere into the participation store, through
// the store's own writes, so that it reaches the warehouse by the outbox.
func runImport(ctx context.Context, args []string) error {
	switch {
	case len(args) > 0 && args[0] == "polis":
		return runImportPolis(ctx, args[1:])
	case len(args) > 0 && args[0] == "comments":
		return runImportComments(ctx, args[1:])
	}
	return errors.New("usage: civicpulse import polis DIR [--slug S] | import comments --process ID --component C --csv FILE [--strict] [--data DIR | --database-url URL]")
}

func runImportPolis(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import polis", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	slug := fs.String("slug", "", "slug of the new process (default polis-<folder name>); a second import under the same slug is refused")
	title := fs.String("title", "", "title of the new process (default the conversation's topic)")
	scope := fs.String("scope", string(participation.ScopeNational), "scope of the new process: local, provincial, national or regional")
	chunk := fs.Int("chunk", 2000, "writes per transaction")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: civicpulse import polis DIR [flags]\n\nLoads a Pol.is export (comments.csv, votes.csv, summary.csv) as a published document consultation.")
		fs.PrintDefaults()
	}
	dir, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return err
	}
	if dir == "" && fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	if dir == "" || fs.NArg() > 1 {
		fs.Usage()
		return errors.New("import polis: name one export folder")
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	began := time.Now()
	last := began
	res, err := polisimport.Import(ctx, store, dir, polisimport.Options{
		Slug: *slug, Title: *title, Scope: participation.Scope(*scope), ChunkWrites: *chunk,
		Progress: func(r polisimport.Result) {
			if time.Since(last) > 5*time.Second {
				last = time.Now()
				slog.Info("import polis", "comments", r.Comments, "votes", r.Votes, "participants", r.Participants)
			}
		},
	})
	if err != nil {
		return err
	}
	fmt.Printf("imported %s as process %q (id %d, document component %d): %d participants, %d comments (%d hidden as moderated out, %d skipped), %d votes (%d skipped) in %s\n",
		dir, res.Slug, res.ProcessID, res.ComponentID, res.Participants, res.Comments, res.Hidden, res.SkippedComments,
		res.Votes, res.SkippedVotes, time.Since(began).Round(time.Millisecond))
	return nil
}

// splitPositional takes a leading positional argument off args, so that
// `import polis DIR --slug x` works as well as `import polis --slug x DIR`
// (the flag package stops at the first non-flag).
func splitPositional(args []string) (string, []string) {
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		return args[0], args[1:]
	}
	return "", args
}
