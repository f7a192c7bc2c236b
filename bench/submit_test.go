package bench

import (
	"context"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

// The benchmark itself belongs to `civicpulse bench submit`; this only shows
// that a short run against a real Postgres produces its figures with writes
// that succeed.
func TestSubmitProducesFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a demo process on Postgres")
	}
	figs, err := Submit(context.Background(), SubmitOptions{
		PostgresURL: sqldbtest.PostgresURL(), Clients: 4, Duration: time.Second, Warmup: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"submit_requests_per_s", "submit_p50_ms", "submit_p99_ms"} {
		if figs[k] <= 0 {
			t.Errorf("%s = %v, want > 0", k, figs[k])
		}
	}
	if figs["submit_failed_count"] != 0 {
		t.Errorf("%v requests failed: %v", figs["submit_failed_count"], figs)
	}
}
