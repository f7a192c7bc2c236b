package text

import (
	"testing"
)

// BenchmarkFeatures runs Features over real comments (Pol.is and ArgKP,
// median ~150 characters) and reports texts/s, with and without NER.
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
			b.ResetTimer()
			i := 0
			for b.Loop() {
				_ = a.Features(texts[i%len(texts)])
				i++
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
		})
	}
}

// BenchmarkFeaturesParallel is the ingester's case: all cores analysing.
func BenchmarkFeaturesParallel(b *testing.B) {
	texts := realComments(b)
	a := NewAnalyzer(Options{Places: countyNames(b)})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			_ = a.Features(texts[i%len(texts)])
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "texts/s")
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
