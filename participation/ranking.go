package participation

import (
	"math"
	"sort"
)

// Ranked is one proposal's standing in its process's assessment.
type Ranked struct {
	ProposalID int64
	// Score is the weighted score out of 100: per criterion the mean of
	// the assessors' scores placed on its scale (0 at the bottom, 1 at the
	// top), weighted by the criteria's weights. Only criteria someone
	// scored count, so a half-scored proposal is not pulled down by blanks.
	Score float64
	// Spread is how far the assessors disagree: the highest assessor's
	// weighted score minus the lowest one's, out of 100 (0 with one
	// assessor).
	Spread    float64
	Assessors int
	Rank      int // 1 is best; 0 when no one has scored it yet
}

// Rank scores the proposals (their ids in any order) and returns them best
// first, the unscored last in the order given.
func Rank(criteria []Criterion, scores []Score, proposals []int64) []Ranked {
	byID := map[int64]Criterion{}
	for _, c := range criteria {
		byID[c.ID] = c
	}
	type key struct{ p, c int64 }
	type agg struct{ sum, n float64 }
	perCrit := map[key]*agg{}
	perAssessor := map[int64]map[int64]map[int64]float64{} // proposal → staff → criterion → normalised score
	for _, s := range scores {
		c, ok := byID[s.CriterionID]
		if !ok || c.ScaleMax <= c.ScaleMin {
			continue
		}
		x := float64(s.Score-c.ScaleMin) / float64(c.ScaleMax-c.ScaleMin)
		k := key{s.ProposalID, s.CriterionID}
		if perCrit[k] == nil {
			perCrit[k] = &agg{}
		}
		perCrit[k].sum += x
		perCrit[k].n++
		if perAssessor[s.ProposalID] == nil {
			perAssessor[s.ProposalID] = map[int64]map[int64]float64{}
		}
		if perAssessor[s.ProposalID][s.StaffID] == nil {
			perAssessor[s.ProposalID][s.StaffID] = map[int64]float64{}
		}
		perAssessor[s.ProposalID][s.StaffID][s.CriterionID] = x
	}
	weighted := func(vals map[int64]float64) float64 {
		var num, den float64
		for cid, x := range vals {
			w := byID[cid].Weight
			num += w * x
			den += w
		}
		if den == 0 {
			return 0
		}
		return 100 * num / den
	}
	out := make([]Ranked, 0, len(proposals))
	for _, p := range proposals {
		r := Ranked{ProposalID: p}
		means := map[int64]float64{}
		for _, c := range criteria {
			if a := perCrit[key{p, c.ID}]; a != nil {
				means[c.ID] = a.sum / a.n
			}
		}
		if len(means) > 0 {
			r.Score = weighted(means)
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, vals := range perAssessor[p] {
				w := weighted(vals)
				lo, hi = math.Min(lo, w), math.Max(hi, w)
			}
			r.Assessors = len(perAssessor[p])
			r.Spread = hi - lo
		}
		out = append(out, r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a.Assessors > 0) != (b.Assessors > 0) {
			return a.Assessors > 0
		}
		return a.Score > b.Score
	})
	for i := range out {
		if out[i].Assessors > 0 {
			out[i].Rank = i + 1
		}
	}
	return out
}
