package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/civicpulse/civicpulse/export"
)

// runExport writes one process's results for analysts from the warehouse
// file. It opens the file read-only, so it runs while nothing else holds
// it; beside a running serve, the dashboards' downloads are the way.
func runExport(ctx context.Context, args []string) error {
	return exportTo(ctx, args, os.Stdout)
}

func exportTo(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	var cfg config
	cfg.register(fs)
	process := fs.Int64("process", 0, "id of the process to export (required)")
	format := fs.String("format", export.CSV, "csv (one file per table), xlsx (one workbook) or parquet (one file per table)")
	out := fs.String("out", "", "folder to write into, created if missing (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *process <= 0 || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("export: --process and --out are required")
	}
	switch *format {
	case export.CSV, export.XLSX, export.Parquet:
	default:
		return fmt.Errorf("export: unknown format %q (csv, xlsx or parquet)", *format)
	}
	db, err := export.OpenReadOnly(cfg.warehousePath())
	if err != nil {
		return err
	}
	defer db.Close()
	ex, err := export.New(db)
	if err != nil {
		return err
	}
	files, err := ex.Write(ctx, export.Options{Process: *process, Format: *format, Dir: *out})
	if err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintf(stdout, "%s\t%d rows\n", f.Path, f.Rows)
	}
	return nil
}
