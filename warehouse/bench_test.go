package warehouse

import (
	"context"
	"testing"
)

// BenchmarkWrite measures committed events per second for 5,000-event
// batches (each event a ledger row, a fact row and its rollups).
func BenchmarkWrite(b *testing.B) {
	w, err := Open("")
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	const size = 5000
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := w.Write(ctx, testBatch(int64(i*size+1), size)); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*size)/b.Elapsed().Seconds(), "events/s")
}
