// Package campaign finds form letters: comments sent many times from one
// template, verbatim or with words swapped. Exact copies share a normalised
// text hash; near copies are found with MinHash signatures over word
// shingles, LSH banding to propose pairs, and a check of the estimated
// Jaccard similarity before two texts are joined. Joined texts form
// campaigns (connected components), each described by its template (the
// medoid), copy count, first and last seen, peak copies per hour and regions.
package campaign

import (
	"runtime"
	"sort"
	"sync"
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
	var cores [][]int32
	for _, g := range groups {
		cores = append(cores, peel(items, sigs, g, minCore, opt)...)
	}
	// Every text joins the core whose consensus it agrees with best; twice,
	// the second time against the consensus of the grown campaigns.
	campaigns := attach(sigs, cores, opt)
	campaigns = attach(sigs, campaigns, opt)
	var out []Campaign
	for _, c := range campaigns {
		if c = checkWords(items, c, opt); len(c) >= opt.MinCopies {
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

// attach assigns every item to the campaign whose consensus signature it
// agrees with best (at least Options.Agreement), found through an LSH index
// of the consensus signatures, and merges campaigns whose consensus agree.
func attach(sigs [][]uint32, cores [][]int32, opt Options) [][]int32 {
	if len(cores) == 0 {
		return nil
	}
	cons := make([][]uint32, len(cores))
	for c, members := range cores {
		cons[c] = consensus(sigs, members)
	}
	bands := opt.SignatureSize / opt.Rows
	index := make([]map[uint64][]int32, bands)
	for b := range index {
		index[b] = map[uint64][]int32{}
		for c, sig := range cons {
			key := bandKey(sig[b*opt.Rows:(b+1)*opt.Rows], b)
			index[b][key] = append(index[b][key], int32(c))
		}
	}
	best := func(sig []uint32, seen map[int32]bool) (int32, float64) {
		clear(seen)
		bc, ba := int32(-1), 0.0
		for b := 0; b < bands; b++ {
			for _, c := range index[b][bandKey(sig[b*opt.Rows:(b+1)*opt.Rows], b)] {
				if seen[c] {
					continue
				}
				seen[c] = true
				if a := text.EstimateJaccard(sig, cons[c]); a >= opt.Agreement && (a > ba || (a == ba && c < bc)) {
					bc, ba = c, a
				}
			}
		}
		return bc, ba
	}
	// Cores of one template merge.
	uf := newUnionFind(len(cores))
	seen := map[int32]bool{}
	for c, sig := range cons {
		clear(seen)
		for b := 0; b < bands; b++ {
			for _, d := range index[b][bandKey(sig[b*opt.Rows:(b+1)*opt.Rows], b)] {
				if d != int32(c) && !seen[d] {
					seen[d] = true
					if text.EstimateJaccard(sig, cons[d]) >= opt.Agreement {
						uf.union(int32(c), d)
					}
				}
			}
		}
	}
	owner := make([]int32, len(sigs))
	parallel(len(sigs), func(lo, hi int) {
		seen := map[int32]bool{}
		for i := lo; i < hi; i++ {
			owner[i] = -1
			if len(sigs[i]) == 0 {
				continue
			}
			if c, _ := best(sigs[i], seen); c >= 0 {
				owner[i] = uf.root(c)
			}
		}
	})
	byRoot := map[int32][]int32{}
	for i, c := range owner {
		if c >= 0 {
			byRoot[c] = append(byRoot[c], int32(i))
		}
	}
	var out [][]int32
	for _, members := range byRoot {
		out = append(out, members)
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
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

// linkBands links candidates in bands first, first+step, ... into uf.
func linkBands(sigs [][]uint32, distinct []int32, uf *unionFind, first, step, bands int, threshold float64) {
	buckets := make(map[uint64]leaders, len(distinct))
	for b := first; b < bands; b += step {
		clear(buckets)
		for _, i := range distinct {
			sig := sigs[i]
			key := bandKey(sig[b*linkRows:(b+1)*linkRows], b)
			ls := buckets[key]
			root := uf.find(i)
			joined := false
			for _, l := range ls.idx[:ls.n] {
				if uf.find(l) == root {
					joined = true
					continue
				}
				if text.EstimateJaccard(sig, sigs[l]) >= threshold {
					uf.union(i, l)
					root = uf.find(i)
					joined = true
				}
			}
			if !joined && int(ls.n) < len(ls.idx) {
				ls.idx[ls.n] = i
				ls.n++
				buckets[key] = ls
			}
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

	byRoot := map[int32][]int32{}
	for i := range sigs {
		if len(sigs[i]) == 0 {
			continue
		}
		r := uf.find(int32(i))
		byRoot[r] = append(byRoot[r], int32(i))
	}
	var groups [][]int32
	for _, members := range byRoot {
		if len(members) >= 3 {
			groups = append(groups, members)
		}
	}
	sort.Slice(groups, func(a, b int) bool { return groups[a][0] < groups[b][0] })
	return groups, exact
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
	sample := members
	if len(sample) > consensusSample {
		sample = make([]int32, consensusSample)
		for k := range sample {
			sample[k] = members[k*len(members)/consensusSample]
		}
	}
	size := len(sigs[sample[0]])
	cons := make([]uint32, size)
	counts := make(map[uint32]int, len(sample))
	for p := 0; p < size; p++ {
		clear(counts)
		best, bestN := uint32(0), 0
		for _, m := range sample {
			v := sigs[m][p]
			counts[v]++
			if n := counts[v]; n > bestN || (n == bestN && v < best) {
				best, bestN = v, n
			}
		}
		cons[p] = best
	}
	return cons
}

func signatures(items []Item, opt Options) ([][]uint32, []uint64) {
	sigs := make([][]uint32, len(items))
	hashes := make([]uint64, len(items))
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	chunk := (len(items) + workers - 1) / max(workers, 1)
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(items))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				if items[i].Signature != nil {
					sigs[i], hashes[i] = items[i].Signature, items[i].Hash
					continue
				}
				hashes[i], sigs[i] = Signature(items[i].Text, opt)
			}
		}()
	}
	wg.Wait()
	return sigs, hashes
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
	sets := make([]map[string]struct{}, len(members))
	freq := map[string]int{}
	for k, m := range members {
		if items[m].Text == "" {
			return members
		}
		set := map[string]struct{}{}
		for _, t := range text.Tokenize(items[m].Text) {
			set[t] = struct{}{}
		}
		sets[k] = set
		for t := range set {
			freq[t]++
		}
	}
	template := map[string]struct{}{}
	for t, n := range freq {
		if 2*n >= len(members) {
			template[t] = struct{}{}
		}
	}
	var out []int32
	for k, m := range members {
		shared := 0
		for t := range sets[k] {
			if _, ok := template[t]; ok {
				shared++
			}
		}
		union := len(sets[k]) + len(template) - shared
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
