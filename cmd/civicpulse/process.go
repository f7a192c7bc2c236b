package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/processfile"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/staff"
)

const processUsage = `usage:
  civicpulse process export ID [--data DIR | --database-url URL] > FILE.json
  civicpulse process apply FILE.json [--data DIR | --database-url URL]   (- reads standard input)`

// runProcess writes a process's set-up as a process file, or creates or
// updates a process from one (participation/processfile).
func runProcess(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return errors.New(processUsage)
	}
	switch args[0] {
	case "export":
		return runProcessExport(ctx, os.Stdout, args[1:])
	case "apply":
		return runProcessApply(ctx, os.Stdout, args[1:])
	}
	return fmt.Errorf("unknown process command %q\n%s", args[0], processUsage)
}

func processFlags(name string, args []string) (*config, string, error) {
	fs := flag.NewFlagSet("process "+name, flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	fs.Usage = func() { fmt.Fprintln(fs.Output(), processUsage); fs.PrintDefaults() }
	arg, rest := splitPositional(args)
	if err := fs.Parse(rest); err != nil {
		return nil, "", err
	}
	if arg == "" && fs.NArg() > 0 {
		arg = fs.Arg(0)
	} else if fs.NArg() > 0 {
		arg = ""
	}
	if arg == "" || fs.NArg() > 1 {
		fs.Usage()
		return nil, "", fmt.Errorf("process %s: name one %s", name, map[string]string{"export": "process id", "apply": "file"}[name])
	}
	return &cfg, arg, nil
}

func runProcessExport(ctx context.Context, out io.Writer, args []string) error {
	cfg, arg, err := processFlags("export", args)
	if err != nil {
		return err
	}
	id, err := strconv.ParseInt(arg, 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("process export: %q is not a process id", arg)
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	f, err := processfile.Export(ctx, store, id)
	if err != nil {
		if participation.IsNotFound(err) {
			return fmt.Errorf("process export: no process %d", id)
		}
		return err
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

func runProcessApply(ctx context.Context, out io.Writer, args []string) error {
	cfg, path, err := processFlags("apply", args)
	if err != nil {
		return err
	}
	var in io.Reader = os.Stdin
	if path != "-" {
		fh, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("process apply: %w", err)
		}
		defer fh.Close()
		in = fh
	}
	f, err := processfile.Decode(in)
	if err != nil {
		return problemsError(path, err)
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return err
	}
	defer store.Close()
	var before any
	switch existing, err := store.GetProcessBySlug(ctx, f.Process.Slug, false); {
	case err == nil:
		b, err := processfile.Export(ctx, store, existing.ID)
		if err != nil {
			return err
		}
		before = processfile.ForAudit(b)
	case !participation.IsNotFound(err):
		return err
	}
	id, changed, err := processfile.Apply(ctx, store, f)
	if err != nil {
		return problemsError(path, err)
	}
	if changed {
		if err := auditApply(ctx, cfg, id, f.Process.Slug, before, store); err != nil {
			return err
		}
	}
	if changed {
		fmt.Fprintf(out, "applied %s: process %q (id %d) updated\n", path, f.Process.Slug, id)
	} else {
		fmt.Fprintf(out, "applied %s: process %q (id %d) unchanged\n", path, f.Process.Slug, id)
	}
	return nil
}

// auditApply records a change the command line made, as the staff API
// records its own: actor 0 is the command line.
func auditApply(ctx context.Context, cfg *config, id int64, slug string, before any, store *sqlstore.Store) error {
	after, err := processfile.Export(ctx, store, id)
	if err != nil {
		return err
	}
	db, svc, err := openStaff(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return svc.Audit(ctx, staff.Entry{Action: "process.apply", ProcessID: id,
		Target: "process file " + slug + " (command line)", Before: before, After: processfile.ForAudit(after)})
}

// problemsError lists every problem of a refused file, one a line.
func problemsError(path string, err error) error {
	var ve participation.ValidationErrors
	if !errors.As(err, &ve) {
		return err
	}
	msg := fmt.Sprintf("%s refused, nothing written (%d problems):", path, len(ve))
	if len(ve) == 1 {
		msg = fmt.Sprintf("%s refused, nothing written (1 problem):", path)
	}
	for _, e := range ve {
		msg += "\n  " + e.Error()
	}
	return errors.New(msg)
}
