package opinion

import (
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/civicpulse/civicpulse/analysis/metrics"
)

// Pol.is' k-means starts from the first distinct points in participant
// order, so a one-shot fit is decided by whoever voted first, and Pol.is' own
// groups by an update history nobody can replay. Analyze instead fits the map
// once on the final votes, runs the clustering (base clusters, group k-means,
// k by silhouette) from Runs seeded participant orders and returns the
// consensus: participants who share a group in most runs share one.

// DefaultRuns is the number of seeded participant orders Analyze clusters
// from when Options.Runs is zero.
const DefaultRuns = 30

// StableAgreement is the mean agreement (ARI) of the runs with the consensus
// above which the groups are called stable: below it, a different start
// moves a noticeable share of participants between groups, and officials
// should read the groups as one plausible split among several.
const StableAgreement = 0.8

// Stability tells how much the groups depend on where the clustering starts.
type Stability struct {
	// Runs is the number of seeded participant orders clustered.
	Runs int
	// KRuns counts the runs that chose k groups (index k-2); the consensus
	// has the most common k.
	KRuns []int
	// Agreement is the mean adjusted Rand index of each run's groups with the
	// consensus over the clustered participants (1: every run found the same
	// groups), and MinAgreement the worst run's.
	Agreement, MinAgreement float64
}

// Stable reports whether the groups hardly depend on the start.
func (s Stability) Stable() bool { return s.Runs > 0 && s.Agreement >= StableAgreement }

// Analyze groups participants by their final votes: one map, the clustering
// from many seeded starts, their consensus. votes come in the order they were
// cast, which only decides who Pol.is would have taken into the map early
// (streamInclude) and the order participants are listed in.
func Analyze(votes []Vote, opt Options) (*Result, error) {
	c := NewConversation(opt)
	c.Add(votes...)
	err := c.Fit()
	return c.Result(), err
}

// Fit is Analyze over the votes added so far, for a caller that feeds a
// conversation as votes arrive (the warehouse job) and should not keep them
// all to refit: it starts from nothing each time, ignoring any earlier
// Update or Fit, so the result depends only on the votes and their order.
// Runs and Seed of the Options apply. Read the outcome with Result.
func (c *Conversation) Fit() error { return c.fitConsensus() }

// run is one clustering from one participant order: a group per map point.
type run struct {
	k     int
	group []int
	sil   []float64 // per tried k, index k-2
}

func (c *Conversation) fitConsensus() error {
	nComments, nExcluded, center, err := c.fitMap([2][]float64{})
	if err != nil {
		return err
	}
	var inConv []int
	for i, row := range c.rows {
		c.x[i], c.y[i] = project(row, c.isExcluded, center, c.comps, nComments, nExcluded)
		c.inConv[i] = c.everIn[i]
		if c.inConv[i] {
			inConv = append(inConv, i)
		}
	}
	pts := make([][2]float64, len(inConv))
	for k, i := range inConv {
		pts[k] = [2]float64{c.x[i], c.y[i]}
	}
	if distinctPoints(pts) < 2 {
		return ErrTooFewParticipants
	}

	runs := c.opt.Runs
	if runs <= 0 {
		runs = DefaultRuns
	}
	results := make([]run, runs)
	// The map is shared; only the k-means starts differ, so the runs are
	// independent and split over the cores. Each writes its own slot, and
	// everything after adds them up in run order: the result does not depend
	// on scheduling.
	workers := min(runtime.GOMAXPROCS(0), runs)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := w; r < runs; r += workers {
				order := permutation(len(pts), c.opt.Seed<<32+uint64(r))
				results[r] = clusterOnce(pts, order, c.opt.BaseClusters, c.opt.MaxGroups)
			}
		}()
	}
	wg.Wait()

	maxK := 0
	for _, r := range results {
		maxK = max(maxK, len(r.sil)+1)
	}
	kRuns := make([]int, max(maxK-1, 0))
	c.silhouette = make([]float64, len(kRuns))
	silN := make([]int, len(kRuns))
	for _, r := range results {
		if r.k >= 2 {
			kRuns[r.k-2]++
		}
		for i, s := range r.sil {
			c.silhouette[i] += s
			silN[i]++
		}
	}
	for i := range c.silhouette {
		c.silhouette[i] /= float64(max(silN[i], 1))
	}
	k := 0
	for i, n := range kRuns {
		if n > 0 && (k == 0 || n > kRuns[k-2]) { // ties go to the smaller k
			k = i + 2
		}
	}
	if k == 0 {
		return fmt.Errorf("%w: no run found two groups", ErrTooFewParticipants)
	}

	group := consensusGroups(pts, results, c.opt.BaseClusters, k)
	agree, worst := 0.0, 1.0
	for _, r := range results {
		a := metrics.AdjustedRand(r.group, group)
		agree += a
		worst = min(worst, a)
	}
	c.stability = Stability{Runs: runs, KRuns: kRuns, Agreement: agree / float64(runs), MinAgreement: worst}

	sizes := make([]float64, k)
	for _, g := range group {
		sizes[g]++
	}
	rank := rankBySize(sizes)
	for p, i := range inConv {
		c.groupOf[i] = rank[group[p]]
	}
	c.nGroups = 0
	for _, s := range sizes {
		if s > 0 {
			c.nGroups++
		}
	}
	c.updated = true
	return nil
}

// permutation is a Fisher–Yates shuffle of 0..n-1 by seed.
func permutation(n int, seed uint64) []int {
	p := seq(n)
	r := newSplitmix(seed)
	for i := n - 1; i > 0; i-- {
		j := int(r.uint64() % uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// clusterOnce is Pol.is' clustering of one map from a cold start, with the
// participants taken in the given order: base clusters, then k-means over
// them for k = 2..maxGroups, k by silhouette.
func clusterOnce(pts [][2]float64, order []int, baseClusters, maxGroups int) run {
	sh := make([][2]float64, len(order))
	ones := make([]float64, len(order))
	for k, i := range order {
		sh[k] = pts[i]
		ones[k] = 1
	}
	base := kmeans(sh, ones, baseClusters, nil)
	out := run{group: make([]int, len(pts))}
	if len(base) < 2 {
		return out
	}
	centers := make([][2]float64, len(base))
	weights := make([]float64, len(base))
	for b, cl := range base {
		centers[b] = cl.center
		weights[b] = float64(len(cl.members))
	}
	dist := distances(centers)
	maxK := min(maxGroups, 2+len(base)/12)
	var best []cluster
	bestSil := math.Inf(-1)
	for k := 2; k <= maxK; k++ {
		g := kmeans(centers, weights, k, nil)
		assign := make([]int, len(base))
		for gi, cl := range g {
			for _, b := range cl.members {
				assign[b] = gi
			}
		}
		s := silhouette(dist, assign, len(g))
		out.sil = append(out.sil, s)
		if s > bestSil {
			best, bestSil, out.k = g, s, len(g)
		}
	}
	for gi, cl := range best {
		for _, b := range cl.members {
			for _, m := range base[b].members {
				out.group[order[m]] = gi
			}
		}
	}
	return out
}

// consensusGroups cuts an average-linkage tree over how often participants
// share a group across the runs into k groups.
//
// Co-assignment between every pair of participants would be n² (25M pairs
// for 5,000 participants). Instead participants are pooled into the base
// clusters of the map in its own order (at most baseClusters, 100 by default,
// neighbours on the map), and the co-assignment of two pools is the share of
// their member pairs that shared a group, averaged over runs: exact for the
// pairs it averages, computed from per-pool group counts in pools² × k per
// run. Average linkage weighted by pool size then equals average linkage over
// the participant pairs; members of a pool stay together, which at ≤ 1% of
// the map each is below what the groups resolve.
func consensusGroups(pts [][2]float64, runs []run, baseClusters, k int) []int {
	ones := make([]float64, len(pts))
	for i := range ones {
		ones[i] = 1
	}
	pools := kmeans(pts, ones, baseClusters, nil)
	m := len(pools)
	poolOf := make([]int, len(pts))
	size := make([]float64, m)
	for a, cl := range pools {
		size[a] = float64(len(cl.members))
		for _, i := range cl.members {
			poolOf[i] = a
		}
	}
	co := make([][]float64, m)
	for a := range co {
		co[a] = make([]float64, m)
	}
	for _, r := range runs {
		nk := 0
		for _, g := range r.group {
			nk = max(nk, g+1)
		}
		counts := make([][]float64, m)
		for a := range counts {
			counts[a] = make([]float64, nk)
		}
		for i, g := range r.group {
			counts[poolOf[i]][g]++
		}
		for a := range m {
			for b := a; b < m; b++ {
				s := 0.0
				for g := range nk {
					s += counts[a][g] * counts[b][g]
				}
				co[a][b] += s / (size[a] * size[b])
			}
		}
	}
	dist := make([][]float64, m)
	for a := range dist {
		dist[a] = make([]float64, m)
		for b := range dist[a] {
			lo, hi := min(a, b), max(a, b)
			dist[a][b] = 1 - co[lo][hi]/float64(len(runs))
		}
	}
	label := averageLinkage(dist, size, k)
	group := make([]int, len(pts))
	for i := range group {
		group[i] = label[poolOf[i]]
	}
	return group
}

// averageLinkage clusters m weighted items with distances d (UPGMA: the
// distance between two clusters is the weighted mean over their item pairs)
// and cuts the tree at k clusters, labelled 0..k-1 in order of their first
// item. Naive O(m³), fine for the ≤ 100 pools it is given; ties merge the
// lowest indices first, so it is deterministic.
func averageLinkage(d [][]float64, w []float64, k int) []int {
	m := len(d)
	dist := make([][]float64, m)
	for i := range dist {
		dist[i] = append([]float64(nil), d[i]...)
	}
	weight := append([]float64(nil), w...)
	root := seq(m) // root[i]: the cluster item i belongs to, named by its lowest item
	alive := make([]bool, m)
	for i := range alive {
		alive[i] = true
	}
	for n := m; n > k; n-- {
		bi, bj, bd := -1, -1, math.Inf(1)
		for i := range m {
			if !alive[i] {
				continue
			}
			for j := i + 1; j < m; j++ {
				if alive[j] && dist[i][j] < bd {
					bi, bj, bd = i, j, dist[i][j]
				}
			}
		}
		if bi < 0 {
			break
		}
		wi, wj := weight[bi], weight[bj]
		for x := range m {
			if alive[x] && x != bi && x != bj {
				v := (wi*dist[bi][x] + wj*dist[bj][x]) / (wi + wj)
				dist[bi][x], dist[x][bi] = v, v
			}
		}
		weight[bi] = wi + wj
		alive[bj] = false
		for x := range root {
			if root[x] == bj {
				root[x] = bi
			}
		}
	}
	label := make([]int, m)
	names := map[int]int{}
	for i, r := range root {
		if _, ok := names[r]; !ok {
			names[r] = len(names)
		}
		label[i] = names[r]
	}
	return label
}
