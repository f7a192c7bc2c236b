package demo

import (
	"math/rand/v2"
	"sort"
)

// cumPick draws an index with fixed weights in O(log n).
type cumPick []float64

func newCumPick(w []float64) cumPick {
	c := make(cumPick, len(w))
	var s float64
	for i, x := range w {
		s += x
		c[i] = s
	}
	return c
}

func (c cumPick) pick(r *rand.Rand) int {
	x := r.Float64() * c[len(c)-1]
	return sort.SearchFloat64s(c, x)
}

// fenwick draws an index with weights that change as people support
// proposals (popular ones attract more), in O(log n) per draw and update.
type fenwick struct {
	tree []float64
	w    []float64
}

func (f *fenwick) add(w float64) int {
	i := len(f.w)
	f.w = append(f.w, 0)
	f.tree = append(f.tree, 0)
	// A new last node covers the range (i+1-lowbit, i+1]; rebuild its sum
	// from the nodes below it.
	n := i + 1
	var s float64
	for j := n - 1; j > n-(n&-n); j -= j & -j {
		s += f.tree[j-1]
	}
	f.tree[i] = s
	f.update(i, w)
	return i
}

func (f *fenwick) update(i int, delta float64) {
	f.w[i] += delta
	for n := i + 1; n <= len(f.tree); n += n & -n {
		f.tree[n-1] += delta
	}
}

func (f *fenwick) total() float64 {
	var s float64
	for n := len(f.tree); n > 0; n -= n & -n {
		s += f.tree[n-1]
	}
	return s
}

// pick returns an index drawn by weight, or -1 when empty.
func (f *fenwick) pick(r *rand.Rand) int {
	if len(f.w) == 0 {
		return -1
	}
	x := r.Float64() * f.total()
	pos := 0
	step := 1
	for step*2 <= len(f.tree) {
		step *= 2
	}
	for ; step > 0; step /= 2 {
		if next := pos + step; next <= len(f.tree) && f.tree[next-1] <= x {
			pos = next
			x -= f.tree[next-1]
		}
	}
	if pos >= len(f.w) {
		pos = len(f.w) - 1
	}
	return pos
}
