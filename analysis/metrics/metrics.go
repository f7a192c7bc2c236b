// Package metrics compares two clusterings of the same items: adjusted Rand
// index and normalised mutual information, the usual external checks for
// clustering against a reference labelling.
package metrics

import "math"

// contingency counts items per (a, b) label pair. Labels may be any ints.
type contingency struct {
	n     int
	cells map[[2]int]int
	rows  map[int]int
	cols  map[int]int
}

func newContingency(a, b []int) contingency {
	if len(a) != len(b) {
		panic("metrics: labelings of different lengths")
	}
	c := contingency{n: len(a), cells: map[[2]int]int{}, rows: map[int]int{}, cols: map[int]int{}}
	for i := range a {
		c.cells[[2]int{a[i], b[i]}]++
		c.rows[a[i]]++
		c.cols[b[i]]++
	}
	return c
}

func choose2(n int) float64 { return float64(n) * float64(n-1) / 2 }

// AdjustedRand is the adjusted Rand index of two labelings of the same items:
// 1 for identical partitions, about 0 for chance agreement. Two trivial
// partitions that agree (both one cluster, or both all singletons) score 1.
func AdjustedRand(a, b []int) float64 {
	c := newContingency(a, b)
	if c.n < 2 {
		return 1
	}
	var index, sumA, sumB float64
	for _, v := range c.cells {
		index += choose2(v)
	}
	for _, v := range c.rows {
		sumA += choose2(v)
	}
	for _, v := range c.cols {
		sumB += choose2(v)
	}
	expected := sumA * sumB / choose2(c.n)
	maxIndex := (sumA + sumB) / 2
	if maxIndex == expected {
		return 1
	}
	return (index - expected) / (maxIndex - expected)
}

// NMI is the normalised mutual information of two labelings, normalised by
// the arithmetic mean of the entropies (scikit-learn's default), in [0, 1].
func NMI(a, b []int) float64 {
	c := newContingency(a, b)
	if c.n == 0 {
		return 1
	}
	n := float64(c.n)
	entropy := func(m map[int]int) float64 {
		h := 0.0
		for _, v := range m {
			p := float64(v) / n
			h -= p * math.Log(p)
		}
		return h
	}
	ha, hb := entropy(c.rows), entropy(c.cols)
	if ha == 0 && hb == 0 {
		return 1
	}
	mi := 0.0
	for k, v := range c.cells {
		pij := float64(v) / n
		mi += pij * math.Log(pij*n*n/(float64(c.rows[k[0]])*float64(c.cols[k[1]])))
	}
	d := (ha + hb) / 2
	if d == 0 {
		return 0
	}
	return max(0, min(1, mi/d))
}
