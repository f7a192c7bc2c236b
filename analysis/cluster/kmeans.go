package cluster

import (
	"math"
)

// rnd is a splitmix64 generator: reproducible whatever the Go version.
type rnd struct{ s uint64 }

func newRand(seed uint64) *rnd { return &rnd{s: seed ^ 0x5851f42d4c957f2d} }

func (r *rnd) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rnd) float() float64 { return float64(r.next()>>11) / (1 << 53) }
func (r *rnd) intn(n int) int { return int(r.next() % uint64(n)) }

// norm is a standard normal draw (Box–Muller).
func (r *rnd) norm() float64 {
	u := max(r.float(), 1e-300)
	return math.Sqrt(-2*math.Log(u)) * math.Cos(2*math.Pi*r.float())
}

// sampleIdx picks up to n of idx without replacement, in their order.
func sampleIdx(idx []int32, n int, r *rnd) []int32 {
	if len(idx) <= n {
		return idx
	}
	out := make([]int32, 0, n)
	// Selection sampling keeps the input order.
	need := n
	for k, i := range idx {
		if r.float()*float64(len(idx)-k) < float64(need) {
			out = append(out, i)
			need--
		}
	}
	return out
}

func sampleRows(x *sparse, n int, r *rnd) []int32 {
	var idx []int32
	for i := 0; i < x.rows(); i++ {
		if x.start[i+1] > x.start[i] {
			idx = append(idx, int32(i))
		}
	}
	return sampleIdx(idx, n, r)
}

func dot(a, b []float32) float32 {
	s := float32(0)
	for k := range a {
		s += a[k] * b[k]
	}
	return s
}

// nearest is the centroid with the highest cosine to a unit vector.
func nearest(v []float32, cents [][]float32) (int, float32) {
	best, bs := 0, float32(math.Inf(-1))
	for c, ct := range cents {
		if s := dot(v, ct); s > bs {
			best, bs = c, s
		}
	}
	return best, bs
}

// kmeans runs spherical k-means on the given rows: k-means++ seeding, then
// Lloyd iterations; on small samples it keeps the best of a few restarts.
func kmeans(z *dense, idx []int32, k int, r *rnd, iters int) [][]float32 {
	restarts := 1
	if len(idx)*k <= 50000 {
		restarts = 5
	}
	var best [][]float32
	bestFit := math.Inf(-1)
	for range restarts {
		c := kmeansOnce(z, idx, k, r, iters)
		fit := 0.0
		for _, i := range idx {
			_, s := nearest(z.row(int(i)), c)
			fit += float64(s)
		}
		if fit > bestFit {
			best, bestFit = c, fit
		}
	}
	return best
}

func kmeansOnce(z *dense, idx []int32, k int, r *rnd, iters int) [][]float32 {
	k = min(k, len(idx))
	cents := make([][]float32, 0, k)
	first := z.row(int(idx[r.intn(len(idx))]))
	cents = append(cents, append([]float32(nil), first...))
	d := make([]float64, len(idx))
	for p, i := range idx {
		d[p] = dist(z.row(int(i)), cents[0])
	}
	for len(cents) < k {
		sum := 0.0
		for _, x := range d {
			sum += x
		}
		if sum == 0 {
			break
		}
		t := r.float() * sum
		pick := len(idx) - 1
		for p, x := range d {
			t -= x
			if t < 0 {
				pick = p
				break
			}
		}
		c := append([]float32(nil), z.row(int(idx[pick]))...)
		cents = append(cents, c)
		for p, i := range idx {
			d[p] = min(d[p], dist(z.row(int(i)), c))
		}
	}
	return lloyd(z, idx, cents, iters)
}

// dist is the squared Euclidean distance between unit vectors, 2 - 2cos.
func dist(a, b []float32) float64 { return math.Max(0, 2-2*float64(dot(a, b))) }

func lloyd(z *dense, idx []int32, cents [][]float32, iters int) [][]float32 {
	k := len(cents)
	assign := make([]int32, len(idx))
	for i := range assign {
		assign[i] = -1
	}
	for it := 0; it < iters; it++ {
		changed := parallel(len(idx), func(lo, hi int) int {
			n := 0
			for p := lo; p < hi; p++ {
				c, _ := nearest(z.row(int(idx[p])), cents)
				if assign[p] != int32(c) {
					assign[p] = int32(c)
					n++
				}
			}
			return n
		})
		total := 0
		for _, c := range changed {
			total += c
		}
		sums := make([][]float32, k)
		for c := range sums {
			sums[c] = make([]float32, z.d)
		}
		for p, i := range idx {
			s := sums[assign[p]]
			for j, v := range z.row(int(i)) {
				s[j] += v
			}
		}
		for c := range cents {
			// An emptied centre keeps its place rather than vanish.
			if dot(sums[c], sums[c]) > 0 {
				normalize(sums[c])
				cents[c] = sums[c]
			}
		}
		if total*1000 < len(idx) {
			break
		}
	}
	return cents
}

// silhouette is the mean silhouette width of the points idx under their
// nearest centres, with Euclidean distance between unit vectors.
func silhouette(z *dense, idx []int32, cents [][]float32) float64 {
	k := len(cents)
	assign := make([]int, len(idx))
	sizes := make([]int, k)
	for p, i := range idx {
		assign[p], _ = nearest(z.row(int(i)), cents)
		sizes[assign[p]]++
	}
	parts := parallel(len(idx), func(lo, hi int) float64 {
		total := 0.0
		sum := make([]float64, k)
		for p := lo; p < hi; p++ {
			clear(sum)
			zp := z.row(int(idx[p]))
			for q, j := range idx {
				if q != p {
					sum[assign[q]] += math.Sqrt(dist(zp, z.row(int(j))))
				}
			}
			own := assign[p]
			if sizes[own] <= 1 {
				continue
			}
			a := sum[own] / float64(sizes[own]-1)
			b := math.Inf(1)
			for c := 0; c < k; c++ {
				if c != own && sizes[c] > 0 {
					b = math.Min(b, sum[c]/float64(sizes[c]))
				}
			}
			if math.IsInf(b, 1) {
				continue
			}
			if m := math.Max(a, b); m > 0 {
				total += (b - a) / m
			}
		}
		return total
	})
	s := 0.0
	for _, p := range parts {
		s += p
	}
	return s / float64(len(idx))
}
