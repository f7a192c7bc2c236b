package opinion

import (
	"math"
	"sort"
)

// z90 is the one-sided 90% critical value Pol.is uses for every test.
const z90 = 1.2816

// tally counts one group's votes on one comment.
type tally struct{ agree, disagree, seen int }

// groupCounts[g][j] tallies group g's votes on comment j.
func groupCounts(rows [][]cell, nCols int, members [][]int) [][]tally {
	out := make([][]tally, len(members))
	for g, ms := range members {
		out[g] = make([]tally, nCols)
		for _, r := range ms {
			for _, c := range rows[r] {
				t := &out[g][c.col]
				t.seen++
				switch c.val {
				case Agree:
					t.agree++
				case Disagree:
					t.disagree++
				}
			}
		}
	}
	return out
}

// propTest is the z of a smoothed proportion against one half.
func propTest(succ, n int) float64 {
	s, t := float64(succ+1), float64(n+1)
	return 2 * math.Sqrt(t) * (s/t - 0.5)
}

// twoPropTest is the z of a two-proportion test with one pseudo-count added
// to every count, so that empty groups do not divide by zero.
func twoPropTest(succIn, succOut, nIn, nOut int) float64 {
	s1, s2 := float64(succIn+1), float64(succOut+1)
	n1, n2 := float64(nIn+1), float64(nOut+1)
	p1, p2 := s1/n1, s2/n2
	p := (s1 + s2) / (n1 + n2)
	if p >= 1 {
		return 0
	}
	return (p1 - p2) / math.Sqrt(p*(1-p)*(1/n1+1/n2))
}

type commentStats struct {
	col              int
	na, nd, ns       int
	pa, pd, pat, pdt float64
	ra, rd, rat, rdt float64
}

func statsFor(in tally, rest tally) commentStats {
	s := commentStats{na: in.agree, nd: in.disagree, ns: in.seen}
	s.pa = float64(in.agree+1) / float64(in.seen+2)
	s.pd = float64(in.disagree+1) / float64(in.seen+2)
	s.pat = propTest(in.agree, in.seen)
	s.pdt = propTest(in.disagree, in.seen)
	s.ra = s.pa / (float64(rest.agree+1) / float64(rest.seen+2))
	s.rd = s.pd / (float64(rest.disagree+1) / float64(rest.seen+2))
	s.rat = twoPropTest(in.agree, rest.agree, in.seen, rest.seen)
	s.rdt = twoPropTest(in.disagree, rest.disagree, in.seen, rest.seen)
	return s
}

func (s commentStats) finalize(comments []string) Repness {
	if s.rat > s.rdt {
		return Repness{Comment: comments[s.col], RepfulFor: "agree", NSuccess: s.na, NTrials: s.ns,
			PSuccess: s.pa, PTest: s.pat, Repness: s.ra, RepnessTest: s.rat}
	}
	return Repness{Comment: comments[s.col], RepfulFor: "disagree", NSuccess: s.nd, NTrials: s.ns,
		PSuccess: s.pd, PTest: s.pdt, Repness: s.rd, RepnessTest: s.rdt}
}

func metric(r Repness) float64 { return r.Repness * r.RepnessTest * r.PSuccess * r.PTest }

// representative picks up to five comments that set group g apart, following
// Pol.is: comments whose agreement (or disagreement) is significant both
// within the group and against the rest, ranked by repness × test ×
// probability × test, with the group's strongest agreement first. A group
// always gets at least one comment, even when nothing is significant.
func representative(comments []string, excluded []bool, counts [][]tally, g int) []Repness {
	var sufficient []Repness
	var best *commentStats
	var bestAgree *commentStats
	for j := range comments {
		if excluded[j] {
			continue
		}
		var rest tally
		for h := range counts {
			if h != g {
				rest.agree += counts[h][j].agree
				rest.disagree += counts[h][j].disagree
				rest.seen += counts[h][j].seen
			}
		}
		s := statsFor(counts[g][j], rest)
		s.col = j
		if (s.rat > z90 && s.pat > z90) || (s.rdt > z90 && s.pdt > z90) {
			sufficient = append(sufficient, s.finalize(comments))
		}
		if len(sufficient) == 0 && (best == nil || max(s.rat, s.rdt) > best.finalize(comments).RepnessTest) {
			c := s
			best = &c
		}
		if beatsBestAgree(s, bestAgree) {
			c := s
			bestAgree = &c
		}
	}
	var head []Repness
	if bestAgree != nil {
		r := bestAgree.finalize(comments)
		// The best agreement is shown as an agreement even when its
		// disagreement test is stronger.
		r = Repness{Comment: r.Comment, RepfulFor: "agree", NSuccess: bestAgree.na, NTrials: bestAgree.ns,
			PSuccess: bestAgree.pa, PTest: bestAgree.pat, Repness: bestAgree.ra, RepnessTest: bestAgree.rat, BestAgree: true}
		head = []Repness{r}
	} else if best != nil {
		head = []Repness{best.finalize(comments)}
	}
	if len(sufficient) == 0 {
		return head
	}
	rest := sufficient[:0]
	for _, r := range sufficient {
		if bestAgree == nil || r.Comment != comments[bestAgree.col] {
			rest = append(rest, r)
		}
	}
	sort.SliceStable(rest, func(a, b int) bool { return metric(rest[a]) > metric(rest[b]) })
	out := append(head, rest...)
	if len(out) > 5 {
		out = out[:5]
	}
	sort.SliceStable(out, func(a, b int) bool {
		return out[a].RepfulFor == "agree" && out[b].RepfulFor != "agree"
	})
	return out
}

// beatsBestAgree tracks the comment the group agrees with most distinctively,
// falling back to plain agreement while nothing is distinctive.
func beatsBestAgree(s commentStats, cur *commentStats) bool {
	switch {
	case s.na == 0 && s.nd == 0:
		return false
	case cur != nil && cur.ra > 1:
		return s.ra*s.rat*s.pa*s.pat > cur.ra*cur.rat*cur.pa*cur.pat
	case cur != nil:
		return s.pa*s.pat > cur.pa*cur.pat
	default:
		return s.pat > z90 || (s.ra > 1 && s.pa > 0.5)
	}
}

// consensus finds the comments most participants agree (disagree) with,
// across everyone who voted.
func consensus(rows [][]cell, comments []string, excluded []bool) Consensus {
	all := groupCounts(rows, len(comments), [][]int{seq(len(rows))})[0]
	pick := func(agree bool) []CommentStat {
		var out []CommentStat
		for j, t := range all {
			if excluded[j] {
				continue
			}
			n := t.agree
			if !agree {
				n = t.disagree
			}
			p := float64(n+1) / float64(t.seen+2)
			z := propTest(n, t.seen)
			if p > 0.5 && z > z90 {
				out = append(out, CommentStat{Comment: comments[j], NSuccess: n, NTrials: t.seen, PSuccess: p, PTest: z})
			}
		}
		sort.SliceStable(out, func(a, b int) bool { return out[a].PSuccess*out[a].PTest > out[b].PSuccess*out[b].PTest })
		if len(out) > 5 {
			out = out[:5]
		}
		return out
	}
	return Consensus{Agree: pick(true), Disagree: pick(false)}
}

// groupInformedConsensus scores each comment by the product over groups of
// (agrees+1)/(votes+2): high only when every group agrees, however small.
func groupInformedConsensus(comments []string, excluded []bool, counts [][]tally) []CommentScore {
	out := make([]CommentScore, 0, len(comments))
	for j, id := range comments {
		if excluded[j] {
			continue
		}
		p := 1.0
		for g := range counts {
			t := counts[g][j]
			p *= float64(t.agree+1) / float64(t.seen+2)
		}
		out = append(out, CommentScore{Comment: id, Score: p})
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Score > out[b].Score })
	return out
}

func seq(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}
