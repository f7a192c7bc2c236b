package campaign

import (
	"fmt"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/internal/peakheap"
)

// Synthetic makes n texts for benchmarks: 30% are copies of 200 templates
// with 20% of their words swapped, the rest are random texts over a
// 5,000-word vocabulary. campaign[i] is text i's template, -1 for the rest.
func Synthetic(n int, seed uint64) (items []Item, campaign []int) {
	r := &splitmix{s: seed}
	word := func(i int) string {
		var b strings.Builder
		for i++; i > 0; i /= 26 {
			b.WriteByte(byte('a' + i%26))
		}
		return b.String()
	}
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = word(i)
	}
	sentence := func(n int) []string {
		w := make([]string, n)
		for k := range w {
			w[k] = vocab[r.intn(len(vocab))]
		}
		return w
	}
	templates := make([][]string, 200)
	for t := range templates {
		templates[t] = sentence(15 + r.intn(16))
	}
	items = make([]Item, n)
	campaign = make([]int, n)
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range items {
		var w []string
		campaign[i] = -1
		if r.intn(10) < 3 {
			t := r.intn(len(templates))
			campaign[i] = t
			w = append([]string(nil), templates[t]...)
			swaps := (len(w)*2 + 5) / 10
			for _, k := range r.perm(len(w))[:swaps] {
				w[k] = vocab[r.intn(len(vocab))]
			}
		} else {
			w = sentence(8 + r.intn(25))
		}
		items[i] = Item{ID: fmt.Sprint(i), Text: strings.Join(w, " "), Time: start.Add(time.Duration(i) * time.Second),
			Region: fmt.Sprint("region-", r.intn(47))}
	}
	return items, campaign
}

type splitmix struct{ s uint64 }

func (r *splitmix) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *splitmix) intn(n int) int { return int(r.next() % uint64(n)) }

func (r *splitmix) perm(n int) []int {
	p := make([]int, n)
	for i := range p {
		j := r.intn(i + 1)
		p[i], p[j] = p[j], i
	}
	return p
}

// BenchResult is what Bench measured.
type BenchResult struct {
	Texts       int
	Campaigns   int
	Precision   float64 // share of reported members that are planted copies
	Recall      float64 // share of planted copies reported
	Seconds     float64
	PeakHeapMiB float64
}

// Bench detects campaigns in n synthetic texts and reports time, memory and
// accuracy, for `civicpulse bench text`.
func Bench(n int) BenchResult {
	items, truth := Synthetic(n, 1)
	var found []Campaign
	took, peak := peakheap.Measure(func() { found = Detect(items, Options{}) })
	res := BenchResult{Texts: n, Campaigns: len(found), Seconds: took.Seconds(), PeakHeapMiB: float64(peak) / (1 << 20)}
	index := make(map[string]int, n)
	planted := 0
	for i, it := range items {
		index[it.ID] = i
		if truth[i] >= 0 {
			planted++
		}
	}
	reported, hit := 0, 0
	for _, c := range found {
		for _, id := range c.Members {
			reported++
			if truth[index[id]] >= 0 {
				hit++
			}
		}
	}
	res.Precision = float64(hit) / float64(max(reported, 1))
	res.Recall = float64(hit) / float64(max(planted, 1))
	return res
}
