package opinion

import (
	"math"
	"sort"
)

// splitmix is a small splitmix64 generator for reproducible start vectors.
type splitmix struct{ s uint64 }

func newSplitmix(seed uint64) *splitmix { return &splitmix{s: seed + 0x632be59bd9b4e019} }

func (r *splitmix) uint64() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *splitmix) float64() float64 { return float64(r.uint64()>>11) / (1 << 53) }

func sqDist(a, b [2]float64) float64 {
	dx, dy := a[0]-b[0], a[1]-b[1]
	return dx*dx + dy*dy
}

// cluster is a k-means cluster of weighted 2-D points; its id survives from
// one run to the next so that groups keep their identity as votes arrive.
type cluster struct {
	id      int
	members []int // point indices
	center  [2]float64
}

// prior is a cluster from the previous run, its members as current point
// indices (those still present).
type prior struct {
	id      int
	members []int
}

func weightedCenter(pts [][2]float64, w []float64, members []int) ([2]float64, bool) {
	var c [2]float64
	total := 0.0
	for _, i := range members {
		c[0] += w[i] * pts[i][0]
		c[1] += w[i] * pts[i][1]
		total += w[i]
	}
	if total == 0 {
		return c, false
	}
	return [2]float64{c[0] / total, c[1] / total}, true
}

// kmeans clusters weighted points into at most k clusters. Like Pol.is it
// starts from the previous clusters when there are any (recentred on their
// current members, then split off the most distant point until there are k),
// and otherwise from the first k distinct points. Starting from the past
// keeps groups stable between runs; the distant-point rule lets a new
// cluster form where the crowd has moved.
func kmeans(pts [][2]float64, w []float64, k int, prev []prior) []cluster {
	k = min(k, distinctPoints(pts))
	if k <= 0 {
		return nil
	}
	var cs []cluster
	if len(prev) == 0 {
		seen := map[[2]float64]bool{}
		for i, p := range pts {
			if len(cs) == k {
				break
			}
			if !seen[p] {
				seen[p] = true
				cs = append(cs, cluster{id: len(cs), members: []int{i}, center: p})
			}
		}
	} else {
		cs = warmStart(pts, w, k, prev)
	}
	return lloyd(pts, w, cs)
}

func warmStart(pts [][2]float64, w []float64, k int, prev []prior) []cluster {
	var cs []cluster
	nextID := 0
	byCenter := map[[2]float64]int{}
	for _, p := range prev {
		nextID = max(nextID, p.id+1)
		c, ok := weightedCenter(pts, w, p.members)
		if !ok {
			continue
		}
		// Clusters that now coincide merge into the larger one.
		if j, dup := byCenter[c]; dup {
			if len(p.members) > len(cs[j].members) {
				cs[j].id = p.id
			}
			cs[j].members = append(cs[j].members, p.members...)
			continue
		}
		byCenter[c] = len(cs)
		cs = append(cs, cluster{id: p.id, members: append([]int(nil), p.members...), center: c})
	}
	if len(cs) == 0 {
		return kmeans(pts, w, k, nil)
	}
	for len(cs) < k {
		// The point farthest from every centre seeds a new cluster.
		far, farD, farC := -1, 0.0, -1
		for i, p := range pts {
			best, bc := math.Inf(1), -1
			for j := range cs {
				if d := sqDist(p, cs[j].center); d < best {
					best, bc = d, j
				}
			}
			if best > farD {
				far, farD, farC = i, best, bc
			}
		}
		if far < 0 {
			break
		}
		m := cs[farC].members[:0:0]
		for _, i := range cs[farC].members {
			if i != far {
				m = append(m, i)
			}
		}
		cs[farC].members = m
		cs = append(cs, cluster{id: nextID, members: []int{far}, center: pts[far]})
		nextID++
		for j := range cs {
			if c, ok := weightedCenter(pts, w, cs[j].members); ok {
				cs[j].center = c
			}
		}
	}
	return cs
}

func lloyd(pts [][2]float64, w []float64, cs []cluster) []cluster {
	assign := make([]int, len(pts))
	for iter := 0; iter < 100; iter++ {
		changed := iter == 0
		for i, p := range pts {
			bi, bd := 0, math.Inf(1)
			for j := range cs {
				if d := sqDist(p, cs[j].center); d < bd {
					bi, bd = j, d
				}
			}
			if assign[i] != bi {
				changed = true
			}
			assign[i] = bi
		}
		if !changed {
			break
		}
		for j := range cs {
			cs[j].members = cs[j].members[:0]
		}
		for i, a := range assign {
			cs[a].members = append(cs[a].members, i)
		}
		live := cs[:0]
		for _, c := range cs {
			if cen, ok := weightedCenter(pts, w, c.members); ok {
				c.center = cen
				live = append(live, c)
			}
		}
		if len(live) < len(cs) {
			// Dropping empty clusters renumbers the rest: reassign next round.
			cs = live
			for i := range assign {
				assign[i] = -1
			}
			continue
		}
		cs = live
	}
	sort.Slice(cs, func(a, b int) bool { return cs[a].id < cs[b].id })
	return cs
}

func distinctPoints(pts [][2]float64) int {
	seen := make(map[[2]float64]bool, len(pts))
	for _, p := range pts {
		seen[p] = true
	}
	return len(seen)
}

func distances(pts [][2]float64) [][]float64 {
	d := make([][]float64, len(pts))
	for i := range pts {
		d[i] = make([]float64, len(pts))
		for j := range pts {
			d[i][j] = math.Sqrt(sqDist(pts[i], pts[j]))
		}
	}
	return d
}

// silhouette is the mean silhouette width over points (0 for a point alone in
// its cluster), as Pol.is computes it over base clusters.
func silhouette(d [][]float64, assign []int, k int) float64 {
	n := len(assign)
	if n == 0 {
		return 0
	}
	sizes := make([]int, k)
	for _, a := range assign {
		sizes[a]++
	}
	total := 0.0
	sum := make([]float64, k)
	for i := 0; i < n; i++ {
		clear(sum)
		for j := 0; j < n; j++ {
			if j != i {
				sum[assign[j]] += d[i][j]
			}
		}
		own := assign[i]
		if sizes[own] <= 1 {
			continue
		}
		a := sum[own] / float64(sizes[own]-1)
		b := math.Inf(1)
		for c := 0; c < k; c++ {
			if c != own && sizes[c] > 0 {
				b = min(b, sum[c]/float64(sizes[c]))
			}
		}
		if math.IsInf(b, 1) {
			continue
		}
		if m := max(a, b); m > 0 {
			total += (b - a) / m
		}
	}
	return total / float64(n)
}
