package main

import (
	"context"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

// TestBenchNotifyFigures runs bench notify small on both stores: the
// announcement is queued and every message reaches the sink (the bench
// fails otherwise), and each figure is there.
func TestBenchNotifyFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the job queue four times")
	}
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			out, err := benchNotify(context.Background(), []string{"--recipients", "200", "--small", "50", "--raw", "100",
				"--store", store, "--database-url", sqldbtest.PostgresURL()})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"smtp_raw_messages_per_second", "email_pacing_messages_per_second",
				"followers_50_peak_heap_mib", "followers_200_peak_heap_mib", "peak_heap_ratio_full_to_small",
				"followers_200_queue_seconds", "followers_200_queue_messages_per_second",
				"followers_200_deliver_seconds", "followers_200_deliver_messages_per_second", "followers_200_create_seconds"} {
				if out[k] <= 0 {
					t.Errorf("%s = %v", k, out[k])
				}
			}
		})
	}
}
