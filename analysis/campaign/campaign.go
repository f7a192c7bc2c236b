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
