package opinion

import (
	"math"
	"sort"
	"sync"

	"gonum.org/v1/gonum/mat"
)

// principalComponents returns the two leading principal axes of the centred
// vote matrix. Missing votes are filled with the comment mean, so once centred
// they are zeros and the matrix stays sparse: X'X·v is computed from the cast
// votes alone, by subspace iteration with a Rayleigh–Ritz step.
// Excluded columns take no part.
//
// prev holds the previous update's axes (by column; new columns are missing):
// they start the iteration and fix each axis' sign and order, so that the map
// does not mirror between updates and clusters carried over stay meaningful.
func principalComponents(rows [][]cell, excluded []bool, center []float64, prev [2][]float64) [2][]float64 {
	nc := len(center)
	const block = 4
	b := min(block, nc)
	var out [2][]float64
	out[0] = make([]float64, nc)
	out[1] = make([]float64, nc)
	if b == 0 {
		return out
	}
	rng := newSplitmix(1)
	v := make([][]float64, b)
	for k := range v {
		v[k] = make([]float64, nc)
		for j := range v[k] {
			v[k][j] = rng.float64() - 0.5
		}
	}
	for k := range v {
		for j := range v[k] {
			if excluded[j] {
				v[k][j] = 0
			}
		}
	}
	var old [2][]float64
	if len(prev[0]) > 0 {
		old = [2][]float64{make([]float64, nc), make([]float64, nc)}
		copy(old[0], prev[0])
		copy(old[1], prev[1])
		for r := 0; r < min(2, b); r++ {
			copy(v[r], old[r])
			axpy(1e-3, v[b-1], v[r]) // keep new comments in play
		}
	}
	orthonormalize(v)
	w := make([][]float64, b)
	for k := range w {
		w[k] = make([]float64, nc)
	}
	x := centre(rows, excluded, center)
	prev0 := [2][]float64{make([]float64, nc), make([]float64, nc)}
	for iter := 0; iter < maxPCAIters; iter++ {
		x.gram(v, w)
		// Rayleigh–Ritz: the eigenvectors of V'X'XV rotate V onto the best
		// approximations of the leading axes within the current subspace.
		h := mat.NewSymDense(b, nil)
		for i := 0; i < b; i++ {
			for j := i; j < b; j++ {
				h.SetSym(i, j, dot(v[i], w[j]))
			}
		}
		var eig mat.EigenSym
		if !eig.Factorize(h, true) {
			break
		}
		vals := eig.Values(nil)
		var vecs mat.Dense
		eig.VectorsTo(&vecs)
		order := make([]int, b)
		for i := range order {
			order[i] = i
		}
		sort.Slice(order, func(a, c int) bool { return vals[order[a]] > vals[order[c]] })
		// Next subspace: X'X V rotated, then orthonormalised.
		next := make([][]float64, b)
		for r, col := range order {
			next[r] = make([]float64, nc)
			for i := 0; i < b; i++ {
				axpy(vecs.At(i, col), w[i], next[r])
			}
		}
		ritz := make([][]float64, 2)
		for r := 0; r < min(2, b); r++ {
			ritz[r] = make([]float64, nc)
			for i := 0; i < b; i++ {
				axpy(vecs.At(i, order[r]), v[i], ritz[r])
			}
		}
		converged := iter > 0
		for r := 0; r < min(2, b); r++ {
			if 1-math.Abs(dot(ritz[r], prev0[r])) > 1e-10 {
				converged = false
			}
			copy(prev0[r], ritz[r])
		}
		if converged {
			break
		}
		orthonormalize(next)
		v = next
	}
	for r := 0; r < min(2, b); r++ {
		copy(out[r], prev0[r])
	}
	if old[0] != nil {
		if math.Abs(dot(out[0], old[1])) > math.Abs(dot(out[0], old[0])) {
			out[0], out[1] = out[1], out[0]
		}
		for r := range out {
			if dot(out[r], old[r]) < 0 {
				for j := range out[r] {
					out[r][j] = -out[r][j]
				}
			}
		}
		return out
	}
	for r := 0; r < min(2, b); r++ {
		// Fix the sign so that results do not depend on the start: the
		// largest loading is positive.
		big := 0
		for j := range out[r] {
			if math.Abs(out[r][j]) > math.Abs(out[r][big]) {
				big = j
			}
		}
		if out[r][big] < 0 {
			for j := range out[r] {
				out[r][j] = -out[r][j]
			}
		}
	}
	return out
}

// maxPCAIters bounds the subspace iteration; close eigenvalues converge slowly
// and then the exact axis within their plane hardly matters.
const maxPCAIters = 300

// centred is the vote matrix without excluded columns, each vote minus its
// comment's mean, laid out flat for the many passes of the iteration.
type centred struct {
	start []int // row i is cols[start[i]:start[i+1]]
	cols  []int32
	vals  []float64
}

func centre(rows [][]cell, excluded []bool, center []float64) *centred {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	x := &centred{start: make([]int, 1, len(rows)+1), cols: make([]int32, 0, n), vals: make([]float64, 0, n)}
	for _, r := range rows {
		for _, c := range r {
			if !excluded[c.col] {
				x.cols = append(x.cols, c.col)
				x.vals = append(x.vals, float64(c.val)-center[c.col])
			}
		}
		x.start = append(x.start, len(x.cols))
	}
	return x
}

// gram computes w = X'X v for each vector of v in one pass over the votes,
// with the vectors interleaved so that a vote touches one cache line. Large
// matrices are split between two goroutines, each with its own sums.
func (x *centred) gram(v, w [][]float64) {
	b, nc := len(v), len(v[0])
	vi := make([]float64, nc*b)
	for k := range v {
		for j, a := range v[k] {
			vi[j*b+k] = a
		}
	}
	rows := len(x.start) - 1
	parts := 1
	if len(x.vals) > 200000 {
		parts = 2
	}
	wis := make([][]float64, parts)
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wi := make([]float64, nc*b)
			var s [8]float64
			for i := p * rows / parts; i < (p+1)*rows/parts; i++ {
				lo, hi := x.start[i], x.start[i+1]
				clear(s[:b])
				for e := lo; e < hi; e++ {
					d, o := x.vals[e], int(x.cols[e])*b
					for k := 0; k < b; k++ {
						s[k] += d * vi[o+k]
					}
				}
				for e := lo; e < hi; e++ {
					d, o := x.vals[e], int(x.cols[e])*b
					for k := 0; k < b; k++ {
						wi[o+k] += d * s[k]
					}
				}
			}
			wis[p] = wi
		}()
	}
	wg.Wait()
	for k := range w {
		for j := range w[k] {
			sum := 0.0
			for _, wi := range wis {
				sum += wi[j*b+k]
			}
			w[k][j] = sum
		}
	}
}

func orthonormalize(v [][]float64) {
	for k := range v {
		for j := 0; j < k; j++ {
			axpy(-dot(v[j], v[k]), v[j], v[k])
		}
		n := math.Sqrt(dot(v[k], v[k]))
		if n == 0 {
			continue
		}
		for j := range v[k] {
			v[k][j] /= n
		}
	}
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func axpy(a float64, x, y []float64) {
	for i := range x {
		y[i] += a * x[i]
	}
}
