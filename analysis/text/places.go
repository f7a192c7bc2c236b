package text

import (
	"sort"
	"strings"
)

// gazetteer finds known region names in a token stream. Names are matched
// on their tokens, so case, hyphens and spacing do not matter: "Taita
// Taveta", "taita-taveta" and "TAITA  TAVETA" are all the region "Taita Taveta".
type gazetteer struct {
	byFirst map[string][]placeName // first token → names, longest first
}

type placeName struct {
	name   string
	tokens []string
}

func newGazetteer(names []string, aliases map[string]string) *gazetteer {
	g := &gazetteer{byFirst: make(map[string][]placeName)}
	add := func(spelling, name string) {
		toks := Tokenize(spelling)
		if len(toks) == 0 {
			return
		}
		// Clone: the tokens are slices of the caller's string.
		for i, t := range toks {
			toks[i] = strings.Clone(t)
		}
		g.byFirst[toks[0]] = append(g.byFirst[toks[0]], placeName{name: name, tokens: toks})
	}
	for _, n := range names {
		add(n, n)
	}
	// Sorted, so that equal-length spellings keep one order between runs.
	spellings := make([]string, 0, len(aliases))
	for a := range aliases {
		spellings = append(spellings, a)
	}
	sort.Strings(spellings)
	for _, a := range spellings {
		add(a, aliases[a])
	}
	for _, list := range g.byFirst {
		// Longest first, so "Tana River" wins over a region named "Tana".
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].tokens) > len(list[j].tokens) })
	}
	return g
}

// appendMatches appends the names found in tokens, each once, in order of
// first mention, skipping over a matched name's tokens.
func (g *gazetteer) appendMatches(dst []string, tokens []string) []string {
	if g == nil || len(g.byFirst) == 0 {
		return dst
	}
	for i := 0; i < len(tokens); i++ {
		cands, ok := g.byFirst[tokens[i]]
		if !ok {
			continue
		}
		for _, c := range cands {
			if !hasPrefix(tokens[i:], c.tokens) {
				continue
			}
			if !containsFold(dst, c.name) {
				dst = append(dst, c.name)
			}
			i += len(c.tokens) - 1
			break
		}
	}
	return dst
}

func hasPrefix(tokens, prefix []string) bool {
	if len(tokens) < len(prefix) {
		return false
	}
	for i := range prefix {
		if tokens[i] != prefix[i] {
			return false
		}
	}
	return true
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
