package campaign

import (
	"slices"
	"sort"

	"github.com/civicpulse/civicpulse/analysis/text"
)

// peelAll peels the groups on all cores, largest groups first so that no
// worker is left with a big one at the end, and returns the cores in the
// order of their groups.
func peelAll(items []Item, sigs [][]uint32, groups [][]int32, minCore int, opt Options) [][]int32 {
	order := make([]int, len(groups))
	for g := range order {
		order[g] = g
	}
	sort.SliceStable(order, func(a, b int) bool { return len(groups[order[a]]) > len(groups[order[b]]) })
	peeled := make([][][]int32, len(groups))
	each(len(order), func(k int) { peeled[order[k]] = peel(items, sigs, groups[order[k]], minCore, opt) })
	var cores [][]int32
	for _, p := range peeled {
		cores = append(cores, p...)
	}
	return cores
}

// peel splits a connected group into campaigns. Single links chain: a
// comment that happens to resemble one copy drags in its own neighbours, and
// templates on one subject touch. So a campaign is grown around a seed and
// checked against its consensus signature, the most common value at each
// position: with enough copies that is the signature of the template itself,
// even when no copy is the template. Members that agree with it form the
// campaign; the rest are tried again, so further templates in the same group
// are found next, and comments that agree with nothing are left out.
func peel(items []Item, sigs [][]uint32, members []int32, minCore int, opt Options) [][]int32 {
	// Seeds are tried closest to the group's consensus first: they most
	// likely belong to its largest template.
	cons := consensus(sigs, members)
	agree := make(map[int32]float64, len(members))
	seeds := append([]int32(nil), members...)
	for _, m := range members {
		agree[m] = text.EstimateJaccard(sigs[m], cons)
	}
	sort.SliceStable(seeds, func(a, b int) bool { return agree[seeds[a]] > agree[seeds[b]] })

	var out [][]int32
	rest := members
	taken := map[int32]bool{}
	tries := 0
	for _, seed := range seeds {
		if len(rest) < minCore || tries >= maxSeeds {
			break
		}
		if taken[seed] {
			continue
		}
		tries++
		near, _ := split(sigs, rest, sigs[seed], opt.Threshold)
		in, _ := split(sigs, rest, consensus(sigs, near), opt.Agreement)
		if len(in) >= minCore {
			// Once more on the members alone, so that the others no
			// longer weigh on the consensus.
			in, _ = split(sigs, rest, consensus(sigs, in), opt.Agreement)
			in = checkWords(items, in, opt)
		}
		if len(in) < minCore {
			continue
		}
		out = append(out, in)
		for _, m := range in {
			taken[m] = true
		}
		rest = without(rest, in)
	}
	return out
}

// maxSeeds bounds the work spent on one group of chained comments.
const maxSeeds = 4096

func split(sigs [][]uint32, members []int32, cons []uint32, minAgree float64) (in, rest []int32) {
	for _, m := range members {
		if text.EstimateJaccard(sigs[m], cons) >= minAgree {
			in = append(in, m)
		} else {
			rest = append(rest, m)
		}
	}
	return in, rest
}

// consensusSample bounds the members read to find a consensus.
const consensusSample = 2000

func consensus(sigs [][]uint32, members []int32) []uint32 {
	n := min(len(members), consensusSample)
	size := len(sigs[members[0]])
	// Columns are copied out first: read in place, each value would be a
	// cache miss in another signature. The copy goes by blocks of members,
	// so that it writes whole cache lines of each column.
	cols := make([]uint32, size*n)
	var rows [16][]uint32
	for k0 := 0; k0 < n; k0 += len(rows) {
		block := rows[:min(len(rows), n-k0)]
		for j := range block {
			block[j] = sigs[members[(k0+j)*len(members)/n]][:size]
		}
		for p := range size {
			col := cols[p*n+k0 : p*n+k0+len(block)]
			for j, row := range block {
				col[j] = row[p]
			}
		}
	}
	cons := make([]uint32, size)
	counts := newCounter(n)
	for p := range cons {
		counts.reset()
		best, bestN := uint32(0), int32(0)
		for _, v := range cols[p*n : (p+1)*n] {
			if c := counts.add(v); c > bestN || (c == bestN && v < best) {
				best, bestN = v, c
			}
		}
		cons[p] = best
	}
	return cons
}

// counter counts values in an open-addressing table: a consensus counts
// 128 columns of up to consensusSample values, and a Go map spent most of
// the time of peeling on hashing and clearing.
type counter struct {
	keys   []uint32
	counts []int32 // 0 marks a free slot
	used   []int32 // slots to free on reset
	shift  uint
}

func newCounter(n int) *counter {
	bits := 4
	for 1<<bits < 2*n {
		bits++
	}
	return &counter{keys: make([]uint32, 1<<bits), counts: make([]int32, 1<<bits), shift: uint(32 - bits)}
}

func (c *counter) reset() {
	for _, s := range c.used {
		c.counts[s] = 0
	}
	c.used = c.used[:0]
}

// add counts v once more and returns its count; at most half the table's
// slots may be used between resets.
func (c *counter) add(v uint32) int32 {
	mask := uint32(len(c.keys) - 1)
	s := (v * 0x9e3779b1) >> c.shift
	for c.counts[s] != 0 && c.keys[s] != v {
		s = (s + 1) & mask
	}
	if c.counts[s] == 0 {
		c.keys[s] = v
		c.used = append(c.used, int32(s))
	}
	c.counts[s]++
	return c.counts[s]
}

// checkWords keeps the members whose words are mostly the campaign's
// template words (those in at least half the members) and which hold most
// of them. Shingles alone cannot tell a template with a few words swapped
// from texts that share a long opening and then each say something of their
// own ("X should be banned because ..."): in the first, members are the
// template; in the second, they merely start with it. Items given without
// text are kept as they are.
func checkWords(items []Item, members []int32, opt Options) []int32 {
	// Words are compared by their 64-bit hashes: a set of hashes per member
	// (sorted, in one buffer) and one count per word.
	var g text.Signer
	var words []uint64
	ends := make([]int, len(members))
	freq := map[uint64]int32{}
	for k, m := range members {
		if items[m].Text == "" {
			return members
		}
		g.Hash(items[m].Text)
		start := len(words)
		words = append(words, g.WordHashes()...)
		slices.Sort(words[start:])
		words = append(words[:start], slices.Compact(words[start:])...)
		ends[k] = len(words)
		for _, w := range words[start:] {
			freq[w]++
		}
	}
	inTemplate := func(w uint64) bool { return 2*int(freq[w]) >= len(members) }
	template := 0
	for w := range freq {
		if inTemplate(w) {
			template++
		}
	}
	var out []int32
	start := 0
	for k, m := range members {
		set := words[start:ends[k]]
		start = ends[k]
		shared := 0
		for _, w := range set {
			if inTemplate(w) {
				shared++
			}
		}
		union := len(set) + template - shared
		if union > 0 && float64(shared)/float64(union) >= opt.WordAgreement {
			out = append(out, m)
		}
	}
	return out
}

// without returns a minus b; both hold item indices in ascending order.
func without(a, b []int32) []int32 {
	var out []int32
	k := 0
	for _, x := range a {
		for k < len(b) && b[k] < x {
			k++
		}
		if k < len(b) && b[k] == x {
			continue
		}
		out = append(out, x)
	}
	return out
}
