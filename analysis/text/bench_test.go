package text

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. The machine is shared, so
// wall-clock ns/op rises when others run; texts per CPU-second does not.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFeatures runs Features over real comments (Pol.is and ArgKP,
// median ~150 characters) with Kenya's 47 counties as places, and reports
// texts/s (wall clock, one goroutine) and texts per CPU-second.
func BenchmarkFeatures(b *testing.B) {
	texts := realComments(b)
	places := countyNames(b)
	var bytes int64
	for _, s := range texts {
		bytes += int64(len(s))
	}
	for _, ner := range []bool{false, true} {
		name := "NER=off"
		if ner {
			name = "NER=on"
		}
		b.Run(name, func(b *testing.B) {
			a := NewAnalyzer(Options{Places: places, NER: ner})
			b.SetBytes(bytes / int64(len(texts)))
			b.ReportAllocs()
			cpu0 := cpuTime()
			i := 0
			for b.Loop() {
				_ = a.Features(texts[i%len(texts)])
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
			b.ReportMetric(float64(b.N)/(cpuTime()-cpu0).Seconds(), "texts/cpu-s")
		})
	}
}

// BenchmarkFeaturesParallel is the ingester's case: all cores analysing.
func BenchmarkFeaturesParallel(b *testing.B) {
	texts := realComments(b)
	a := NewAnalyzer(Options{Places: countyNames(b)})
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = a.Features(texts[i%len(texts)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
	b.ReportMetric(float64(b.N)/(cpuTime()-cpu0).Seconds(), "texts/cpu-s")
}

func BenchmarkTokenize(b *testing.B) {
	texts := realComments(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = Tokenize(texts[i%len(texts)])
		i++
	}
}

// BenchmarkMinHash: 25 shingles (a ~150-character comment) into 128 values.
func BenchmarkMinHash(b *testing.B) {
	sh := make([]uint64, 25)
	for i := range sh {
		sh[i] = uint64(i) * 0x9e3779b97f4a7c15
	}
	sig := make([]uint32, DefaultMinHashSize)
	for b.Loop() {
		fillMinHash(sig, sh)
	}
}
