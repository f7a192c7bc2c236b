package main

import (
	"context"
	"flag"

	"github.com/civicpulse/civicpulse/bench"
)

// benchReport times the overview documents of a consultation of N
// comments beside the CSV export of the same data (bench.Report).
func benchReport(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench report", flag.ContinueOnError)
	comments := fs.Int("comments", 100_000, "comments on the consultation's document")
	dir := fs.String("dir", "", "folder for the throwaway warehouse (default: a temporary folder)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return bench.Report(ctx, bench.ReportOptions{Comments: *comments, Dir: *dir})
}
