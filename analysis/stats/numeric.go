package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ValueCount is an answer's value and how many gave it: numeric answers
// arrive from the warehouse grouped this way.
type ValueCount struct {
	V float64
	N int64
}

// NumericSummary is what the survey pages and documents show of a numeric
// question: the mean with its 95% t interval (HasCI when there are two
// answers or more) and a histogram of equal bins from Lo, Width wide (one
// bin when every answer is the same).
type NumericSummary struct {
	N          int64
	Mean       float64
	CILo, CIHi float64
	HasCI      bool
	Lo, Width  float64
	Counts     []int64
}

// SummariseNumeric summarises grouped answers into bins bins (N 0: no
// answers, nothing else set).
func SummariseNumeric(vals []ValueCount, bins int) NumericSummary {
	var s NumericSummary
	var n, sum float64
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, x := range vals {
		n += float64(x.N)
		sum += x.V * float64(x.N)
		lo, hi = math.Min(lo, x.V), math.Max(hi, x.V)
	}
	if n == 0 {
		return s
	}
	s.N, s.Mean = int64(n), sum/n
	var ss float64
	for _, x := range vals {
		ss += (x.V - s.Mean) * (x.V - s.Mean) * float64(x.N)
	}
	if n > 1 {
		se := math.Sqrt(ss/(n-1)) / math.Sqrt(n)
		tq := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975)
		s.CILo, s.CIHi, s.HasCI = s.Mean-tq*se, s.Mean+tq*se, true
	}
	if hi == lo {
		bins = 1
	}
	s.Lo, s.Width = lo, (hi-lo)/float64(bins)
	s.Counts = make([]int64, bins)
	for _, x := range vals {
		i := bins - 1
		if s.Width > 0 {
			i = min(int((x.V-lo)/s.Width), bins-1)
		}
		s.Counts[i] += x.N
	}
	return s
}
