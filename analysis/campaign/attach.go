package campaign

import (
	"slices"
	"sort"

	"github.com/civicpulse/civicpulse/analysis/text"
)

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
