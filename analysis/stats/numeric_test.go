package stats

import (
	"math"
	"testing"
)

// Grouped answers summarise as the same answers one by one would: the
// mean and interval of MeanCI, every answer in exactly one bin.
func TestSummariseNumericMatchesTheAnswersOneByOne(t *testing.T) {
	vals := []ValueCount{{V: 2, N: 3}, {V: 5, N: 1}, {V: 9.5, N: 4}, {V: 12, N: 2}}
	var xs []float64
	for _, x := range vals {
		for i := int64(0); i < x.N; i++ {
			xs = append(xs, x.V)
		}
	}
	s := SummariseNumeric(vals, 10)
	mean, lo, hi := MeanCI(xs, 0.95)
	if s.N != 10 || !s.HasCI || math.Abs(s.Mean-mean) > 1e-12 || math.Abs(s.CILo-lo) > 1e-9 || math.Abs(s.CIHi-hi) > 1e-9 {
		t.Fatalf("summary %+v, want n 10 mean %v [%v, %v]", s, mean, lo, hi)
	}
	var total int64
	for _, c := range s.Counts {
		total += c
	}
	if len(s.Counts) != 10 || total != 10 || s.Counts[0] != 3 || s.Counts[9] != 2 || s.Lo != 2 || s.Width != 1 {
		t.Fatalf("histogram %+v", s)
	}
	if one := SummariseNumeric([]ValueCount{{V: 4, N: 1}}, 10); one.HasCI || len(one.Counts) != 1 || one.Counts[0] != 1 {
		t.Fatalf("one answer: %+v", one)
	}
	if none := SummariseNumeric(nil, 10); none.N != 0 || none.Counts != nil {
		t.Fatalf("no answers: %+v", none)
	}
}
