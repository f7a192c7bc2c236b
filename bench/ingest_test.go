package bench

import (
	"context"
	"flag"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

var (
	benchEvents       = flag.Int("ingest.events", 50_000, "backlog size for BenchmarkIngest")
	benchParticipants = flag.Int("ingest.participants", 300, "demo participants seeding the backlog")
	benchDuration     = flag.Duration("ingest.duration", 3*time.Second, "freshness run")
)

// BenchmarkIngest runs the bench harness, small by default; `civicpulse
// bench ingest` runs it at 1,000,000 events:
//
//	go test ./bench -run '^$' -bench Ingest -benchtime 1x -ingest.events 1000000 -ingest.participants 1000 -ingest.duration 20s
func BenchmarkIngest(b *testing.B) {
	for range b.N {
		res, err := Ingest(context.Background(), IngestOptions{Events: *benchEvents, Participants: *benchParticipants,
			Duration: *benchDuration, Dir: b.TempDir(), PostgresURL: sqldbtest.PostgresURL(),
			Log: func(msg string, args ...any) { b.Log(append([]any{msg}, args...)...) }})
		if err != nil {
			b.Fatal(err)
		}
		for k, v := range res {
			b.ReportMetric(v, k)
		}
	}
}
