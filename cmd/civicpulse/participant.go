package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/staff"
)

// runParticipant acts for a participant on their request:
//
//	civicpulse participant erase --email E [--remove-contributions]
//
// Every participant registered with that email is erased, and each erasure
// is a line of the staff audit log (actor 0, the command line). An email
// that names nobody is an error, so a repeated request says so instead of
// pretending: after the first, nothing holds the email any more.
func runParticipant(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "erase" {
		return errors.New("participant: want a subcommand: erase")
	}
	return runParticipantErase(ctx, os.Stdout, args[1:])
}

func runParticipantErase(ctx context.Context, out io.Writer, args []string) error {
	fs := flag.NewFlagSet("participant erase", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	email := fs.String("email", "", "the email the participant registered with")
	remove := fs.Bool("remove-contributions", false, "also take their proposals and comments down and withdraw their supports (default: keep them, anonymously)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		return errors.New("participant erase: --email is required")
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	ids, err := store.ParticipantsByEmail(ctx, *email)
	if err != nil {
		return fmt.Errorf("participant erase: %w", err)
	}
	if len(ids) == 0 {
		return errors.New("participant erase: no participant is registered with that email (already erased, or never registered)")
	}
	db, svc, err := openStaff(ctx, &cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	for _, id := range ids {
		e, err := store.Erase(ctx, id, *remove)
		if err != nil {
			return fmt.Errorf("participant erase: participant %d: %w", id, err)
		}
		// The entry names the participant by id only: the email is what was
		// just erased.
		if err := svc.Audit(ctx, staff.Entry{Action: "participant.erase", Target: "participant " + strconv.FormatInt(id, 10) + " (command line, on request)", After: e}); err != nil {
			return fmt.Errorf("participant erase: participant %d erased, but the audit entry failed: %w", id, err)
		}
		what := "contributions kept anonymously"
		if *remove {
			what = fmt.Sprintf("%d proposals and %d comments taken down, %d supports withdrawn", e.Proposals, e.Comments, e.Supports)
		}
		fmt.Fprintf(out, "erased participant %d: %d profiles deleted, %s\n", id, e.Profiles, what)
	}
	return nil
}
