package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// MeanCI is the mean of xs with its two-sided confidence interval at level
// (e.g. 0.95) from Student's t with n−1 degrees of freedom. NaN values are
// skipped (an unanswered question). With no values everything is 0; with one
// value, or when level is outside (0, 1), lo = hi = mean: there is no spread
// to estimate, and callers show n beside the figure.
func MeanCI(xs []float64, level float64) (mean, lo, hi float64) {
	n, mean, variance := meanVar(xs)
	if n == 0 {
		return 0, 0, 0
	}
	if n < 2 || !(level > 0 && level < 1) {
		return mean, mean, mean
	}
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(1 - (1-level)/2)
	half := t * math.Sqrt(variance/float64(n))
	return mean, mean - half, mean + half
}

// meanVar is Welford's one-pass mean and sample variance, stable for the
// large, nearly equal values survey answers often are.
func meanVar(xs []float64) (n int, mean, variance float64) {
	var m2 float64
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		n++
		d := x - mean
		mean += d / float64(n)
		m2 += d * (x - mean)
	}
	if n > 1 {
		variance = m2 / float64(n-1)
	}
	return n, mean, variance
}

// tQuantile95 is the 0.975 quantile of Student's t with df degrees of freedom.
func tQuantile95(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}
