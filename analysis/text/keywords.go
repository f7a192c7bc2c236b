package text

import (
	_ "embed"
	"sort"
)

//go:embed generic_en.txt
var genericWordsEN string

//go:embed generic_sw.txt
var genericWordsSW string

// genericStems holds the stems (English) and words (Kiswahili) of words that
// appear in comments on any subject.
var genericStems = func() map[string]struct{} {
	set := make(map[string]struct{})
	for w := range parseWordList(genericWordsEN) {
		set[stemEnglish(w)] = struct{}{}
	}
	for w := range parseWordList(genericWordsSW) {
		set[w] = struct{}{}
	}
	return set
}()

// MaxKeywords is how many keywords Features keeps per text.
const MaxKeywords = 8

// genericWeight ranks a generic stem as if it occurred this many times less
// often: a comment's one mention of "water" outranks three of "people".
const genericWeight = 0.25

// Keywords picks up to max salient stems of one text: frequency in the text
// times a prior weight (generic words weigh less), longer stems first on ties
// (they are rarer in general text), then the first occurrence, so the result
// is deterministic.
func Keywords(stems []string, max int) []string {
	if len(stems) == 0 || max <= 0 {
		return nil
	}
	type cand struct {
		stem  string
		score float64
		first int
	}
	// Short texts dominate; a linear scan over the distinct stems seen so
	// far beats a map for them and allocates once.
	cands := make([]cand, 0, len(stems))
	var index map[string]int
	if len(stems) > 64 {
		index = make(map[string]int, len(stems))
	}
	for pos, s := range stems {
		w := 1.0
		if _, ok := genericStems[s]; ok {
			w = genericWeight
		}
		at := -1
		if index != nil {
			if i, ok := index[s]; ok {
				at = i
			}
		} else {
			for i := range cands {
				if cands[i].stem == s {
					at = i
					break
				}
			}
		}
		if at >= 0 {
			cands[at].score += w
			continue
		}
		if index != nil {
			index[s] = len(cands)
		}
		cands = append(cands, cand{stem: s, score: w, first: pos})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.score != b.score {
			return a.score > b.score
		}
		if len(a.stem) != len(b.stem) {
			return len(a.stem) > len(b.stem)
		}
		return a.first < b.first
	})
	if len(cands) > max {
		cands = cands[:max]
	}
	out := make([]string, len(cands))
	for i, c := range cands {
		out[i] = c.stem
	}
	return out
}
