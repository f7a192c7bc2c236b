// Package peakheap measures how long a function takes and the most heap it
// held meanwhile, for the benchmarks behind `civicpulse bench`.
package peakheap

import (
	"runtime"
	"time"
)

// Measure runs fn after a GC and returns its duration and the highest
// HeapInuse seen, sampled every 100 ms (and once at the start and end).
func Measure(fn func()) (took time.Duration, peak uint64) {
	runtime.GC()
	stop, done := make(chan struct{}), make(chan uint64)
	go func() {
		var ms runtime.MemStats
		var top uint64
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			top = max(top, ms.HeapInuse)
			select {
			case <-stop:
				done <- top
				return
			case <-tick.C:
			}
		}
	}()
	start := time.Now()
	fn()
	took = time.Since(start)
	close(stop)
	return took, <-done
}
