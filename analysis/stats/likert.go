package stats

import "math"

// LikertSummary describes the answers to one five-point Likert item
// (1 = strongly disagree … 5 = strongly agree).
type LikertSummary struct {
	N      int
	Counts [5]int

	Mean, MeanLo, MeanHi float64 // 95% t interval; 0 when N = 0

	Agree, AgreeLo, AgreeHi          float64 // share answering 4 or 5, 95% Wilson interval
	Neutral                          float64 // share answering 3
	Disagree, DisagreeLo, DisagreeHi float64 // share answering 1 or 2, 95% Wilson interval

	// Diverging holds the percentages of a diverging stacked bar, in stacking
	// order: −strongly disagree, −disagree, −neutral/2, +neutral/2, +agree,
	// +strongly agree. Neutral straddles zero, so the bar's centre line
	// separates the two sides and bars for different items line up.
	Diverging [6]float64
}

// Likert summarises the counts of answers 1..5 (counts[0] is "strongly
// disagree"). Negative counts are treated as 0.
func Likert(counts [5]int) LikertSummary {
	var s LikertSummary
	var sum, sumSq float64
	for i, c := range counts {
		c = max(c, 0)
		s.Counts[i] = c
		s.N += c
		v := float64(i + 1)
		sum += float64(c) * v
		sumSq += float64(c) * v * v
	}
	if s.N == 0 {
		s.AgreeHi, s.DisagreeHi = 1, 1
		return s
	}
	n := float64(s.N)
	s.Mean = sum / n
	s.MeanLo, s.MeanHi = s.Mean, s.Mean
	if s.N > 1 {
		variance := max((sumSq-n*s.Mean*s.Mean)/(n-1), 0)
		t := tQuantile95(s.N - 1)
		half := t * math.Sqrt(variance/n)
		s.MeanLo, s.MeanHi = s.Mean-half, s.Mean+half
	}
	agree, disagree := s.Counts[3]+s.Counts[4], s.Counts[0]+s.Counts[1]
	s.Agree, s.Neutral, s.Disagree = float64(agree)/n, float64(s.Counts[2])/n, float64(disagree)/n
	s.AgreeLo, s.AgreeHi = Wilson(agree, s.N, Z95)
	s.DisagreeLo, s.DisagreeHi = Wilson(disagree, s.N, Z95)
	pct := func(c int) float64 { return 100 * float64(c) / n }
	s.Diverging = [6]float64{
		-pct(s.Counts[0]), -pct(s.Counts[1]), -pct(s.Counts[2]) / 2,
		pct(s.Counts[2]) / 2, pct(s.Counts[3]), pct(s.Counts[4]),
	}
	return s
}
