package stats

import (
	"math"
	"sort"
)

// MaxBins bounds the number of bins Histogram chooses by itself: beyond it
// a chart on a phone is noise.
const MaxBins = 100

// Histogram counts xs in bins of equal width from min to max (the last bin
// includes max). bins ≤ 0 means FreedmanDiaconisBins(xs). NaN and infinite
// values are skipped. No values give nil, nil; all values equal give one
// bin of width 1 centred on the value. len(edges) = len(counts)+1.
func Histogram(xs []float64, bins int) (edges []float64, counts []int) {
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		lo, hi = min(lo, x), max(hi, x)
		n++
	}
	if n == 0 {
		return nil, nil
	}
	if lo == hi {
		return []float64{lo - 0.5, lo + 0.5}, []int{n}
	}
	if bins <= 0 {
		bins = FreedmanDiaconisBins(xs)
	}
	width := (hi - lo) / float64(bins)
	edges = make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + float64(i)*width
	}
	edges[bins] = hi
	counts = make([]int, bins)
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		i := int((x - lo) / width)
		if i >= bins {
			i = bins - 1
		}
		counts[i]++
	}
	return edges, counts
}

// FreedmanDiaconisBins picks a bin count from the data: bin width
// 2·IQR·n^(-1/3), robust to the outliers free-number answers have ("how many
// people live in your household?" → 400). When the IQR is 0 (most answers
// equal) it falls back to Sturges' log2(n)+1. The result is in [1, MaxBins].
func FreedmanDiaconisBins(xs []float64) int {
	vals := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			vals = append(vals, x)
		}
	}
	n := len(vals)
	if n < 2 {
		return 1
	}
	sort.Float64s(vals)
	span := vals[n-1] - vals[0]
	if span == 0 {
		return 1
	}
	iqr := quantileSorted(vals, 0.75) - quantileSorted(vals, 0.25)
	var bins int
	if iqr > 0 {
		width := 2 * iqr / math.Cbrt(float64(n))
		bins = int(math.Ceil(span / width))
	} else {
		bins = int(math.Ceil(math.Log2(float64(n)))) + 1
	}
	return min(max(bins, 1), MaxBins)
}

// quantileSorted interpolates linearly between order statistics (type 7,
// the default of R and NumPy).
func quantileSorted(s []float64, q float64) float64 {
	h := q * float64(len(s)-1)
	i := int(math.Floor(h))
	if i+1 >= len(s) {
		return s[len(s)-1]
	}
	return s[i] + (h-float64(i))*(s[i+1]-s[i])
}
