// Package campaign finds form letters: comments sent many times from one
// template, verbatim or with words swapped. Exact copies share a normalised
// text hash; near copies are found with MinHash signatures over word
// shingles, LSH banding to propose pairs, and a check of the estimated
// Jaccard similarity before two texts are joined. Joined texts form
// campaigns (connected components), each described by its template (the
// medoid), copy count, first and last seen, peak copies per hour and regions.
package campaign

import (
	"cmp"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/civicpulse/civicpulse/analysis/text"
)

// Item is one text to check.
type Item struct {
	ID     string
	Text   string
	Time   time.Time
	Region string
	// Hash and Signature may be given (from stored text features); when
	// Signature is nil both are computed from Text. A given Signature must
	// come from text.MinHash over text.Shingles(tokens, Options.ShingleSize).
	Hash      uint64
	Signature []uint32
}

// Options tune detection; zero values take the defaults.
type Options struct {
	// Threshold is the estimated Jaccard similarity of shingle sets above
	// which two texts are linked as candidates (default 0.3). Two copies of
	// one template, each with 20% of its words swapped independently, share
	// about a quarter of their word pairs (a third of the pairs pass), enough
	// to link a campaign; texts that only link loosely are then checked
	// against the campaign's consensus.
	Threshold float64
	// ShingleSize is words per shingle (default 2): pairs keep copies with
	// swapped words closer than triples do.
	ShingleSize int
	// SignatureSize is the MinHash length (default 128).
	SignatureSize int
	// Rows per LSH band (default 2); bands = SignatureSize / Rows.
	Rows int
	// MinCopies is the smallest group reported as a campaign (default 10).
	// Smaller groups of short texts are often people who independently said
	// the same thing in nearly the same words ("X is a form of murder and
	// should be a criminal offence").
	MinCopies int
	// Agreement is the least share of signature positions a member must
	// share with its campaign's consensus signature (default 0.3).
	Agreement float64
	// WordAgreement is the least Jaccard similarity between a member's
	// words and its campaign's template words (default 0.6).
	WordAgreement float64
}

func (o *Options) defaults() {
	if o.Threshold <= 0 {
		o.Threshold = 0.3
	}
	if o.ShingleSize <= 0 {
		o.ShingleSize = 2
	}
	if o.SignatureSize <= 0 {
		o.SignatureSize = 128
	}
	if o.Rows <= 0 {
		o.Rows = 2
	}
	if o.MinCopies <= 0 {
		o.MinCopies = 10
	}
	if o.Agreement <= 0 {
		o.Agreement = 0.3
	}
	if o.WordAgreement <= 0 {
		o.WordAgreement = 0.6
	}
}

// Campaign is a group of copies of one template.
type Campaign struct {
	// Template is the medoid: the member most similar to the others.
	Template   string
	TemplateID string
	Members    []string // item IDs, in input order
	Copies     int
	// Exact counts members that are verbatim (normalised) copies of another.
	Exact     int
	FirstSeen time.Time
	LastSeen  time.Time
	// PeakPerHour is the most copies in any 60-minute window.
	PeakPerHour int
	Regions     []RegionCount // most copies first
}

// RegionCount is how many copies came from one region.
type RegionCount struct {
	Region string
	Copies int
}

// Signature computes an item's hash and signature as Detect would.
func Signature(s string, opt Options) (uint64, []uint32) {
	opt.defaults()
	tokens := text.Tokenize(s)
	return text.HashTokens(tokens), text.MinHash(text.Shingles(tokens, opt.ShingleSize), opt.SignatureSize)
}

// Detect groups items into campaigns, largest first.
func Detect(items []Item, opt Options) []Campaign {
	opt.defaults()
	sigs, hashes := signatures(items, opt)
	groups, exact := link(sigs, hashes, opt)
	// Cores: tight sets of copies around a consensus, found within each
	// linked group. A campaign may start as several cores.
	minCore := max(3, opt.MinCopies/3)
	cores := peelAll(items, sigs, groups, minCore, opt)
	campaigns := settle(sigs, cores, opt)
	checked := make([][]int32, len(campaigns))
	each(len(campaigns), func(c int) { checked[c] = checkWords(items, campaigns[c], opt) })
	var out []Campaign
	for _, c := range checked {
		if len(c) >= opt.MinCopies {
			out = append(out, describe(items, sigs, exact, c))
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Copies != out[b].Copies {
			return out[a].Copies > out[b].Copies
		}
		return out[a].FirstSeen.Before(out[b].FirstSeen)
	})
	return out
}

// settle grows cores into campaigns: every text joins the core whose
// consensus it agrees with best; then again against the consensus of the
// grown campaigns, until no text moves or after attachRounds rounds. A short
// template's copies link poorly and leave small cores, whose consensus needs
// rounds to settle.
func settle(sigs [][]uint32, cores [][]int32, opt Options) [][]int32 {
	cons := consensuses(sigs, cores, nil, nil)
	campaigns := attach(sigs, cores, cons, opt)
	for range attachRounds - 1 {
		nextCons := consensuses(sigs, campaigns, cores, cons)
		next := attach(sigs, campaigns, nextCons, opt)
		same := len(next) == len(campaigns)
		for c := 0; same && c < len(next); c++ {
			same = slices.Equal(next[c], campaigns[c])
		}
		cores, cons, campaigns = campaigns, nextCons, next
		if same {
			break
		}
	}
	return campaigns
}

// consensuses computes the consensus of each set, reusing the one of an
// equal set in known (sets ordered by first member): after the first
// rounds of settle, few campaigns still change.
func consensuses(sigs [][]uint32, sets, known [][]int32, knownCons [][]uint32) [][]uint32 {
	byFirst := make(map[int32]int, len(known))
	for k, set := range known {
		byFirst[set[0]] = k
	}
	cons := make([][]uint32, len(sets))
	each(len(sets), func(c int) {
		if k, ok := byFirst[sets[c][0]]; ok && slices.Equal(known[k], sets[c]) {
			cons[c] = knownCons[k]
			return
		}
		cons[c] = consensus(sigs, sets[c])
	})
	return cons
}

// attachRounds bounds the rounds of attach: on a million synthetic texts
// no text moves after the fourth.
const attachRounds = 4

// attach assigns every item to the core whose consensus signature (cons)
// it agrees with best (at least Options.Agreement), found through an LSH
// index of the consensus signatures, and merges cores whose consensus agree.
func attach(sigs [][]uint32, cores [][]int32, cons [][]uint32, opt Options) [][]int32 {
	if len(cores) == 0 {
		return nil
	}
	index := newCoreIndex(cons, opt.Rows)
	// Cores of one template merge.
	uf := newUnionFind(len(cores))
	seen := newStamps(len(cores))
	for c, sig := range cons {
		seen.next()
		index.candidates(sig, func(d int32) {
			if d != int32(c) && seen.first(d) && text.EstimateJaccard(sig, cons[d]) >= opt.Agreement {
				uf.union(int32(c), d)
			}
		})
	}
	owner := make([]int32, len(sigs))
	parallel(len(sigs), func(lo, hi int) {
		seen := newStamps(len(cores))
		for i := lo; i < hi; i++ {
			owner[i] = -1
			sig := sigs[i]
			if len(sig) == 0 {
				continue
			}
			seen.next()
			bc, ba := int32(-1), 0.0
			index.candidates(sig, func(c int32) {
				if !seen.first(c) {
					return
				}
				if a := text.EstimateJaccard(sig, cons[c]); a >= opt.Agreement && (a > ba || (a == ba && c < bc)) {
					bc, ba = c, a
				}
			})
			if bc >= 0 {
				owner[i] = uf.root(bc)
			}
		}
	})
	size := make([]int32, len(cores))
	for _, c := range owner {
		if c >= 0 {
			size[c]++
		}
	}
	slot := make([]int32, len(cores))
	var out [][]int32
	for c, n := range size {
		if n > 0 {
			slot[c] = int32(len(out))
			out = append(out, make([]int32, 0, n))
		}
	}
	for i, c := range owner {
		if c >= 0 {
			out[slot[c]] = append(out[slot[c]], int32(i))
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// coreIndex finds the cores whose consensus signature equals a signature on
// a whole band: one open-addressing table keyed by band keys (which differ
// between bands), since every item of the input is looked up once per band.
type coreIndex struct {
	rows  int
	slots []indexSlot
	cores []int32 // a slot's cores are cores[start : start+n]
	shift uint
	// maybe has a bit set for every key's low bits: most texts match no
	// core, and this small filter stays in cache where the table does not.
	maybe []uint64
}

type indexSlot struct {
	key      uint64
	start, n int32 // n = 0: a free slot
}

func newCoreIndex(cons [][]uint32, rows int) *coreIndex {
	type entry struct {
		key  uint64
		core int32
	}
	bands := len(cons[0]) / rows
	entries := make([]entry, 0, bands*len(cons))
	for c, sig := range cons {
		for b := 0; b < bands; b++ {
			entries = append(entries, entry{bandKey(sig[b*rows:(b+1)*rows], b), int32(c)})
		}
	}
	sort.Slice(entries, func(a, b int) bool {
		if entries[a].key != entries[b].key {
			return entries[a].key < entries[b].key
		}
		return entries[a].core < entries[b].core
	})
	bits := 4
	for 1<<bits < 2*len(entries) {
		bits++
	}
	x := &coreIndex{rows: rows, slots: make([]indexSlot, 1<<bits), cores: make([]int32, len(entries)), shift: uint(64 - bits),
		maybe: make([]uint64, 1<<(bits+3-6))} // 8 bits per slot: 16 or more per key
	for k, e := range entries {
		x.maybe[x.bit(e.key)/64] |= 1 << (x.bit(e.key) % 64)
		x.cores[k] = e.core
		s := x.slot(e.key)
		if x.slots[s].n == 0 {
			x.slots[s] = indexSlot{key: e.key, start: int32(k)}
		}
		x.slots[s].n++
	}
	return x
}

// slot is where key is or would go.
func (x *coreIndex) slot(key uint64) uint64 {
	mask := uint64(len(x.slots) - 1)
	s := (key * 0x9e3779b97f4a7c15) >> x.shift
	for x.slots[s].n != 0 && x.slots[s].key != key {
		s = (s + 1) & mask
	}
	return s
}

// bit is key's place in maybe.
func (x *coreIndex) bit(key uint64) uint64 { return key & (uint64(len(x.maybe))*64 - 1) }

// candidates calls f for each core sharing a band with sig, once per band
// shared.
func (x *coreIndex) candidates(sig []uint32, f func(c int32)) {
	for b := 0; b < len(sig)/x.rows; b++ {
		key := bandKey(sig[b*x.rows:(b+1)*x.rows], b)
		if x.maybe[x.bit(key)/64]&(1<<(x.bit(key)%64)) == 0 {
			continue
		}
		sl := x.slots[x.slot(key)]
		for _, c := range x.cores[sl.start : sl.start+sl.n] {
			f(c)
		}
	}
}

// stamps mark which cores one item has met, without clearing a set per
// item.
type stamps struct {
	seen []uint32
	gen  uint32
}

func newStamps(n int) *stamps { return &stamps{seen: make([]uint32, n)} }

// next starts a new item.
func (s *stamps) next() { s.gen++ }

// first reports whether c is met for the first time in this item.
func (s *stamps) first(c int32) bool {
	if s.seen[c] == s.gen {
		return false
	}
	s.seen[c] = s.gen
	return true
}

// each runs f(0), ..., f(n-1) on all cores, each call taken by the next
// free worker.
func each(n int, f func(k int)) {
	var next atomic.Int64
	parallel(runtime.GOMAXPROCS(0), func(_, _ int) {
		for k := int(next.Add(1)) - 1; k < n; k = int(next.Add(1)) - 1 {
			f(k)
		}
	})
}

// parallel runs f over two or more ranges of [0, n).
func parallel(n int, f func(lo, hi int)) {
	workers := max(1, runtime.GOMAXPROCS(0))
	chunk := (n + workers - 1) / workers
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(lo, hi)
		}()
	}
	wg.Wait()
}

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

// signatures computes the hashes and signatures of the items not given
// them. Signatures are carved from blocks rather than allocated one by one,
// and a worker signs identical normalised texts once: their signatures are
// equal, and form letters are often sent verbatim.
func signatures(items []Item, opt Options) ([][]uint32, []uint64) {
	sigs := make([][]uint32, len(items))
	hashes := make([]uint64, len(items))
	parallel(len(items), func(lo, hi int) {
		var g text.Signer
		var block []uint32
		signed := map[uint64]int32{}
		for i := lo; i < hi; i++ {
			if items[i].Signature != nil {
				sigs[i], hashes[i] = items[i].Signature, items[i].Hash
				continue
			}
			h, ok := g.Hash(items[i].Text)
			hashes[i] = h
			if !ok {
				continue
			}
			if j, ok := signed[h]; ok {
				sigs[i] = sigs[j]
				continue
			}
			if len(block) < opt.SignatureSize {
				block = make([]uint32, opt.SignatureSize*min(signatureBlock, hi-i))
			}
			sigs[i], block = block[:opt.SignatureSize:opt.SignatureSize], block[opt.SignatureSize:]
			g.FillMinHash(sigs[i], opt.ShingleSize)
			signed[h] = int32(i)
		}
	})
	return sigs, hashes
}

// signatureBlock is how many signatures one allocation holds.
const signatureBlock = 4096

func bandKey(vals []uint32, band int) uint64 {
	h := uint64(band)*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019
	for _, v := range vals {
		h ^= uint64(v)
		h *= 0xbf58476d1ce4e5b9
		h ^= h >> 29
	}
	return h
}

// medoidSample bounds the work of picking a template in a huge campaign.
const medoidSample = 64

func describe(items []Item, sigs [][]uint32, exact []bool, members []int32) Campaign {
	sort.Slice(members, func(a, b int) bool { return members[a] < members[b] })
	c := Campaign{Copies: len(members), Members: make([]string, len(members))}
	sample := members
	if len(sample) > medoidSample {
		sample = make([]int32, medoidSample)
		for k := range sample {
			sample[k] = members[k*len(members)/medoidSample]
		}
	}
	best, bestScore := sample[0], -1.0
	for _, i := range sample {
		s := 0.0
		for _, j := range sample {
			s += text.EstimateJaccard(sigs[i], sigs[j])
		}
		if s > bestScore {
			best, bestScore = i, s
		}
	}
	c.Template, c.TemplateID = items[best].Text, items[best].ID
	times := make([]time.Time, 0, len(members))
	regions := map[string]int{}
	for k, i := range members {
		it := items[i]
		c.Members[k] = it.ID
		if exact[i] {
			c.Exact++
		}
		if !it.Time.IsZero() {
			times = append(times, it.Time)
		}
		if it.Region != "" {
			regions[it.Region]++
		}
	}
	if len(times) > 0 {
		sort.Slice(times, func(a, b int) bool { return times[a].Before(times[b]) })
		c.FirstSeen, c.LastSeen = times[0], times[len(times)-1]
		lo := 0
		for hi := range times {
			for times[hi].Sub(times[lo]) >= time.Hour {
				lo++
			}
			c.PeakPerHour = max(c.PeakPerHour, hi-lo+1)
		}
	}
	for r, n := range regions {
		c.Regions = append(c.Regions, RegionCount{r, n})
	}
	sort.Slice(c.Regions, func(a, b int) bool {
		if c.Regions[a].Copies != c.Regions[b].Copies {
			return c.Regions[a].Copies > c.Regions[b].Copies
		}
		return c.Regions[a].Region < c.Regions[b].Region
	})
	return c
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
