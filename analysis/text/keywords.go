package text

import (
	_ "embed"
	"slices"

	"github.com/kljensen/snowball/english"
)

//go:embed generic_en.txt
var genericWordsEN string

//go:embed generic_sw.txt
var genericWordsSW string

// genericStems holds the stems (English) and words (Kiswahili) of words that
// appear in comments on any subject. Built with the stemmer itself, not the
// stem cache, whose entries refer back to this set.
var genericStems = func() map[string]struct{} {
	set := make(map[string]struct{})
	for w := range parseWordList(genericWordsEN) {
		set[english.Stem(w, true)] = struct{}{}
	}
	for w := range parseWordList(genericWordsSW) {
		set[w] = struct{}{}
	}
	return set
}()

func isGeneric(stem string) bool {
	_, ok := genericStems[stem]
	return ok
}

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
	generic := make([]bool, len(stems))
	for i, s := range stems {
		generic[i] = isGeneric(s)
	}
	return keywords(stems, generic, max)
}

type keywordCandidate struct {
	stem  string
	score float64
	first int
}

func keywords(stems []string, generic []bool, max int) []string {
	if len(stems) == 0 || max <= 0 {
		return nil
	}
	// Short texts dominate; a linear scan over the distinct stems seen so
	// far beats a map for them.
	var buf [64]keywordCandidate
	cands := buf[:0]
	var index map[string]int
	if len(stems) > len(buf) {
		index = make(map[string]int, len(stems))
	}
	for pos, s := range stems {
		w := 1.0
		if generic[pos] {
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
		cands = append(cands, keywordCandidate{stem: s, score: w, first: pos})
	}
	// first is unique, so this order is total and an unstable sort is
	// deterministic.
	slices.SortFunc(cands, func(a, b keywordCandidate) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case len(a.stem) != len(b.stem):
			return len(b.stem) - len(a.stem)
		}
		return a.first - b.first
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
