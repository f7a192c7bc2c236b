package stats

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Wilson is the Wilson score interval for a proportion of successes out of
// n (Wilson 1927), z the normal quantile (Z95 for 95%). Unlike the
// textbook p ± z·se it stays inside [0, 1] and keeps its coverage for small
// n and for proportions near 0 or 1 — the usual case for a survey option few
// people chose. n ≤ 0 gives the uninformative (0, 1); successes are clamped
// to [0, n].
func Wilson(successes, n int, z float64) (lo, hi float64) {
	if n <= 0 {
		return 0, 1
	}
	s := min(max(successes, 0), n)
	nf := float64(n)
	p := float64(s) / nf
	z2 := z * z
	centre := p + z2/(2*nf)
	half := z * math.Sqrt(p*(1-p)/nf+z2/(4*nf*nf))
	den := 1 + z2/nf
	lo, hi = (centre-half)/den, (centre+half)/den
	// The bounds are exactly 0 and 1 at the extremes; rounding must not
	// push them past.
	if s == 0 {
		lo = 0
	}
	if s == n {
		hi = 1
	}
	return max(lo, 0), min(hi, 1)
}

// Share is one answer's count as a proportion of the respondents, with its
// 95% Wilson interval.
type Share struct {
	Count  int
	Share  float64 // Count / N, 0 when N = 0
	Lo, Hi float64
}

// Shares turns answer counts into proportions of n respondents. For a
// single-choice question n is the sum of the counts; for a multiple-choice
// question it is the number of respondents, so shares may add up to more
// than 1 (each option is counted on its own, not per combination).
func Shares(counts []int, n int) []Share {
	out := make([]Share, len(counts))
	for i, c := range counts {
		out[i].Count = c
		if n > 0 {
			out[i].Share = float64(c) / float64(n)
		}
		out[i].Lo, out[i].Hi = Wilson(c, n, Z95)
	}
	return out
}

// TwoProportionZ tests whether two proportions differ (pooled two-sample
// z test): z > 0 when s1/n1 is the larger, p two-sided. For a 2×2 table z²
// equals the chi-square statistic without continuity correction. With an
// empty sample, or a pooled proportion of 0 or 1 (no variance), there is no
// evidence of a difference: z = 0, p = 1.
func TwoProportionZ(s1, n1, s2, n2 int) (z, p float64) {
	if n1 <= 0 || n2 <= 0 {
		return 0, 1
	}
	s1, s2 = min(max(s1, 0), n1), min(max(s2, 0), n2)
	p1, p2 := float64(s1)/float64(n1), float64(s2)/float64(n2)
	pooled := float64(s1+s2) / float64(n1+n2)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(n1) + 1/float64(n2)))
	if se == 0 {
		return 0, 1
	}
	z = (p1 - p2) / se
	return z, 2 * distuv.UnitNormal.Survival(math.Abs(z))
}
