package ingest_test

import (
	"context"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

// BenchmarkIngest runs the bench harness at a small size on both stores;
// `civicpulse bench ingest` runs it at 1,000,000 events.
func BenchmarkIngest(b *testing.B) {
	for range b.N {
		res, err := ingest.Bench(context.Background(), ingest.BenchOptions{Events: 50_000, Participants: 300,
			Duration: 3 * time.Second, Dir: b.TempDir(), PostgresURL: sqldbtest.PostgresURL(), Log: b.Logf})
		if err != nil {
			b.Fatal(err)
		}
		for k, v := range res {
			b.ReportMetric(v, k)
		}
	}
}
