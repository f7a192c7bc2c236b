package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/civicpulse/civicpulse/analysis/campaign"
	"github.com/civicpulse/civicpulse/analysis/cluster"
	"github.com/civicpulse/civicpulse/analysis/opinion"
)

// benchText measures issue 6's analysis at its named sizes: themes for 100k
// and 1M comments, campaign detection for 1M, opinion groups for 5,000
// participants × 2,000 comments, on synthetic data with planted structure.
func benchText(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench text", flag.ContinueOnError)
	themeSizes := fs.String("themes", "100000,1000000", "comment counts for theme clustering")
	campaignSize := fs.Int("campaigns", 1_000_000, "comment count for campaign detection")
	participants := fs.Int("participants", 5000, "participants for opinion groups")
	comments := fs.Int("comments", 2000, "comments for opinion groups")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, n := range splitInts(*themeSizes) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		r, err := cluster.Bench(n)
		if err != nil {
			return nil, fmt.Errorf("bench text: themes for %d: %w", n, err)
		}
		out[fmt.Sprintf("themes_%d_s", n)] = r.Seconds
		out[fmt.Sprintf("themes_%d_peak_heap_mib", n)] = r.PeakHeapMiB
		out[fmt.Sprintf("themes_%d_count", n)] = float64(r.Themes)
	}
	if *campaignSize > 0 {
		r := campaign.Bench(*campaignSize)
		n := *campaignSize
		out[fmt.Sprintf("campaigns_%d_s", n)] = r.Seconds
		out[fmt.Sprintf("campaigns_%d_peak_heap_mib", n)] = r.PeakHeapMiB
		out[fmt.Sprintf("campaigns_%d_precision", n)] = r.Precision
		out[fmt.Sprintf("campaigns_%d_recall", n)] = r.Recall
	}
	if *participants > 0 && *comments > 0 {
		r, err := opinion.Bench(*participants, *comments)
		if err != nil {
			return nil, fmt.Errorf("bench text: opinion groups: %w", err)
		}
		out[fmt.Sprintf("opinions_%dx%d_s", *participants, *comments)] = r.Seconds
		out[fmt.Sprintf("opinions_%dx%d_groups", *participants, *comments)] = float64(r.Groups)
	}
	return out, nil
}
