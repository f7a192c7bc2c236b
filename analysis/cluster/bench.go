package cluster

import (
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/internal/peakheap"
)

// Synthetic makes n texts on 40 topics for benchmarks: each text mixes
// words of its topic with common words. topics[i] is text i's topic.
func Synthetic(n int, seed uint64) (texts []string, topics []int) {
	r := newRand(seed)
	const nTopics, perTopic, common = 40, 30, 2000
	word := func(prefix string, i int) string {
		// Letters only, so the words survive tokenising and stemming.
		var b strings.Builder
		b.WriteString(prefix)
		for i++; i > 0; i /= 26 {
			b.WriteByte(byte('a' + i%26))
		}
		return b.String()
	}
	topicWords := make([][]string, nTopics)
	for t := range topicWords {
		for w := range perTopic {
			topicWords[t] = append(topicWords[t], word("top"+word("", t), w))
		}
	}
	commons := make([]string, common)
	for w := range commons {
		commons[w] = word("com", w)
	}
	texts = make([]string, n)
	topics = make([]int, n)
	var b strings.Builder
	for i := range texts {
		t := r.intn(nTopics)
		topics[i] = t
		b.Reset()
		for w := range 8 + r.intn(18) {
			if w > 0 {
				b.WriteByte(' ')
			}
			if r.float() < 0.5 {
				b.WriteString(topicWords[t][r.intn(perTopic)])
			} else {
				b.WriteString(commons[r.intn(common)])
			}
		}
		texts[i] = b.String()
	}
	return texts, topics
}

// BenchResult is what Bench measured.
type BenchResult struct {
	Texts       int
	Themes      int
	Seconds     float64
	PeakHeapMiB float64 // highest heap in use seen while fitting
}

// Bench fits themes for n synthetic texts and reports the time and memory
// taken, for `civicpulse bench text`.
func Bench(n int) (BenchResult, error) {
	texts, _ := Synthetic(n, 1)
	var m *Model
	var err error
	took, top := peakheap.Measure(func() { m, _, err = Fit(texts, Options{}) })
	if err != nil {
		return BenchResult{}, fmt.Errorf("cluster: bench: %w", err)
	}
	return BenchResult{Texts: n, Themes: len(m.Themes), Seconds: took.Seconds(), PeakHeapMiB: float64(top) / (1 << 20)}, nil
}
