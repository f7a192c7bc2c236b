package main

import (
	"context"
	"flag"

	"github.com/civicpulse/civicpulse/bench"
)

// benchExport measures the complete exports of a synthetic process through
// HTTP (bench.Export).
func benchExport(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench export", flag.ContinueOnError)
	n := fs.Int("submissions", 200_000, "submissions in the process (the issue's figure is 5,000,000)")
	xlsx := fs.Bool("xlsx", true, "also write the XLSX workbook (export.Write; no HTTP route serves it)")
	dir := fs.String("dir", "", "folder for the throwaway warehouse (default: a temporary folder)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return bench.Export(ctx, bench.ExportOptions{Submissions: *n, Dir: *dir, XLSX: *xlsx})
}
