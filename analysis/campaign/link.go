package campaign

import (
	"cmp"
	"runtime"
	"slices"
	"sync"

	"github.com/civicpulse/civicpulse/analysis/text"
)

// linkBands links candidates in bands first, first+step, ... into uf. Each
// band's keys are sorted (stably, so a bucket lists its items in input
// order) and buckets are walked one after the other: with a million texts a
// sort is several times cheaper than a hash map, whose every access misses
// the cache. Keys are computed for a batch of bands per read of a
// signature, since reading one band of every signature is a cache miss per
// signature.
func linkBands(sigs [][]uint32, distinct []int32, uf *unionFind, first, step, bands int, threshold float64) {
	var batch []int
	keys := make([][]uint32, 0, linkBatch)
	entries := make([]bandEntry, len(distinct))
	scratch := make([]bandEntry, len(distinct))
	for b0 := first; b0 < bands; b0 += step * linkBatch {
		batch = batch[:0]
		for b := b0; b < bands && len(batch) < linkBatch; b += step {
			batch = append(batch, b)
		}
		for len(keys) < len(batch) {
			keys = append(keys, make([]uint32, len(distinct)))
		}
		for k, i := range distinct {
			sig := sigs[i]
			for j, b := range batch {
				keys[j][k] = uint32(bandKey(sig[b*linkRows:(b+1)*linkRows], b))
			}
		}
		for j := range batch {
			for k, i := range distinct {
				entries[k] = bandEntry{key: keys[j][k], item: i}
			}
			sortBand(entries, scratch)
			linkBuckets(sigs, entries, uf, threshold)
		}
	}
}

// linkBatch is how many bands' keys a worker computes per pass.
const linkBatch = 7

// linkBuckets links the items of each bucket of sorted entries.
func linkBuckets(sigs [][]uint32, entries []bandEntry, uf *unionFind, threshold float64) {
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].key == entries[lo].key {
			hi++
		}
		if hi-lo > 1 {
			linkBucket(sigs, entries[lo:hi], uf, threshold)
		}
		lo = hi
	}
}

// bandEntry is one item's key in one band. Keys are 32 bits: two unrelated
// texts sharing a key by chance only cost a similarity check.
type bandEntry struct {
	key  uint32
	item int32
}

// sortBand sorts entries by key, stably: a least-significant-digit radix
// sort in two passes of 16 bits, or a comparison sort for few entries,
// where clearing the radix counts would cost more than sorting.
func sortBand(entries, scratch []bandEntry) {
	if len(entries) < 1<<11 {
		// Entries come in ascending item order, so ordering by item
		// second is what a stable sort gives.
		slices.SortFunc(entries, func(a, b bandEntry) int {
			return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.item, b.item))
		})
		return
	}
	var counts [1 << 16]int32
	for shift := 0; shift < 32; shift += 16 {
		clear(counts[:])
		for _, e := range entries {
			counts[(e.key>>shift)&0xffff]++
		}
		sum := int32(0)
		for d, n := range counts {
			counts[d] = sum
			sum += n
		}
		for _, e := range entries {
			d := (e.key >> shift) & 0xffff
			scratch[counts[d]] = e
			counts[d]++
		}
		copy(entries, scratch)
	}
}

// linkBucket checks the items of one bucket, in input order, against its
// leaders and links those similar enough.
func linkBucket(sigs [][]uint32, bucket []bandEntry, uf *unionFind, threshold float64) {
	var ls leaders
	for _, e := range bucket {
		i := e.item
		root := uf.find(i)
		joined := false
		for _, l := range ls.idx[:ls.n] {
			if uf.find(l) == root {
				joined = true
				continue
			}
			if text.EstimateJaccard(sigs[i], sigs[l]) >= threshold {
				uf.union(i, l)
				root = uf.find(i)
				joined = true
			}
		}
		if !joined && int(ls.n) < len(ls.idx) {
			ls.idx[ls.n] = i
			ls.n++
		}
	}
}

// leaders are the few members of an LSH bucket that newcomers are checked
// against, each from a different component.
type leaders struct {
	idx [4]int32
	n   int8
}

// linkRows is the rows per band when linking.
const linkRows = 3

// link joins exact copies and LSH candidates whose estimated similarity
// passes the threshold, and returns the connected groups large enough to be
// campaigns (members in ascending order) and which items have an exact copy.
func link(sigs [][]uint32, hashes []uint64, opt Options) ([][]int32, []bool) {
	uf := newUnionFind(len(sigs))

	// Exact copies first: the first item with a hash stands for all of them
	// in the near-duplicate search.
	firstOf := make(map[uint64]int32, len(sigs))
	exact := make([]bool, len(sigs))
	var distinct []int32
	for i := range sigs {
		if len(sigs[i]) == 0 {
			continue // no words: nothing to compare
		}
		if j, ok := firstOf[hashes[i]]; ok {
			uf.union(int32(i), j)
			exact[i], exact[j] = true, true
			continue
		}
		firstOf[hashes[i]] = int32(i)
		distinct = append(distinct, int32(i))
	}

	// LSH: texts whose signatures agree on a whole band are candidates; a
	// candidate joins only after its estimated similarity is checked. Each
	// bucket keeps a few leaders from different components to check against,
	// so a bucket full of one campaign costs one check per newcomer.
	// Linking uses bands of linkRows: fewer, stricter bands than the attach
	// step's, since a campaign needs only enough links to form a core.
	// The bands are shared between workers, each with its own union-find
	// seeded with the exact copies; their components are merged at the end.
	bands := opt.SignatureSize / linkRows
	workers := max(1, min(runtime.GOMAXPROCS(0), bands))
	ufs := make([]*unionFind, workers)
	var wg sync.WaitGroup
	for w := range workers {
		ufs[w] = &unionFind{parent: append([]int32(nil), uf.parent...)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			linkBands(sigs, distinct, ufs[w], w, workers, bands, opt.Threshold)
		}()
	}
	wg.Wait()
	for _, u := range ufs {
		for i := range u.parent {
			uf.union(int32(i), u.find(int32(i)))
		}
	}

	return components(uf, sigs, 3), exact
}

// components lists uf's components of at least minSize items with
// signatures, members in ascending order, in the order of their first
// member (a component's root is its first member).
func components(uf *unionFind, sigs [][]uint32, minSize int) [][]int32 {
	size := make([]int32, len(sigs))
	for i := range sigs {
		if len(sigs[i]) > 0 {
			size[uf.find(int32(i))]++
		}
	}
	slot := make([]int32, len(sigs))
	var groups [][]int32
	for r, n := range size {
		slot[r] = -1
		if int(n) >= minSize {
			slot[r] = int32(len(groups))
			groups = append(groups, make([]int32, 0, n))
		}
	}
	for i := range sigs {
		if len(sigs[i]) == 0 {
			continue
		}
		if g := slot[uf.find(int32(i))]; g >= 0 {
			groups[g] = append(groups[g], int32(i))
		}
	}
	return groups
}

func bandKey(vals []uint32, band int) uint64 {
	h := uint64(band)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	for _, v := range vals {
		h ^= uint64(v)
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 29
	}
	return h
}

type unionFind struct{ parent []int32 }

func newUnionFind(n int) *unionFind {
	p := make([]int32, n)
	for i := range p {
		p[i] = int32(i)
	}
	return &unionFind{p}
}

func (u *unionFind) find(x int32) int32 {
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return x
}

// root is find without path compression, safe for concurrent readers.
func (u *unionFind) root(x int32) int32 {
	for u.parent[x] != x {
		x = u.parent[x]
	}
	return x
}

func (u *unionFind) union(a, b int32) {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return
	}
	if ra > rb {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra // the earliest item roots its campaign
}
