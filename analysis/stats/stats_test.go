package stats

import (
	"errors"
	"math"
	"testing"
)

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

// wilsonByBisection finds the Wilson bounds a second way: the two p where
// the score statistic |p̂ − p| / sqrt(p(1−p)/n) equals z.
func wilsonByBisection(s, n int, z float64) (lo, hi float64) {
	ph := float64(s) / float64(n)
	f := func(p float64) float64 {
		return (ph-p)*(ph-p) - z*z*p*(1-p)/float64(n)
	}
	root := func(a, b float64) float64 { // f(a) and f(b) of opposite sign
		for i := 0; i < 200; i++ {
			m := (a + b) / 2
			if (f(a) > 0) == (f(m) > 0) {
				a = m
			} else {
				b = m
			}
		}
		return (a + b) / 2
	}
	lo, hi = 0, 1
	if s > 0 {
		lo = root(0, ph)
	}
	if s < n {
		hi = root(ph, 1)
	}
	return lo, hi
}

func TestWilsonTextbook(t *testing.T) {
	// Newcombe (1998), "Two-sided confidence intervals for the single
	// proportion", Table I, method 3 (Wilson score, no continuity correction).
	cases := []struct {
		s, n   int
		lo, hi float64
	}{
		{81, 263, 0.2553, 0.3662},
		{15, 148, 0.0624, 0.1605},
		{0, 20, 0, 0.1611},
		{1, 29, 0.0061, 0.1718},
	}
	for _, c := range cases {
		lo, hi := Wilson(c.s, c.n, Z95)
		if !near(lo, c.lo, 0.00005) || !near(hi, c.hi, 0.00005) {
			t.Errorf("Wilson(%d, %d) = (%.4f, %.4f), want (%.4f, %.4f)", c.s, c.n, lo, hi, c.lo, c.hi)
		}
		blo, bhi := wilsonByBisection(c.s, c.n, Z95)
		if !near(lo, blo, 1e-9) || !near(hi, bhi, 1e-9) {
			t.Errorf("Wilson(%d, %d) = (%.10f, %.10f), bisection gives (%.10f, %.10f)", c.s, c.n, lo, hi, blo, bhi)
		}
	}
}

func TestWilsonEdges(t *testing.T) {
	if lo, hi := Wilson(0, 0, Z95); lo != 0 || hi != 1 {
		t.Errorf("n=0: (%v, %v), want (0, 1)", lo, hi)
	}
	if lo, hi := Wilson(5, 5, Z95); hi != 1 || !(lo > 0 && lo < 1) {
		t.Errorf("all successes: (%v, %v)", lo, hi)
	}
	if lo, hi := Wilson(-3, 10, Z95); lo != 0 || !(hi > 0) {
		t.Errorf("negative successes: (%v, %v)", lo, hi)
	}
	if lo, hi := Wilson(12, 10, Z95); hi != 1 || math.IsNaN(lo) {
		t.Errorf("successes above n: (%v, %v)", lo, hi)
	}
	// Narrower with more data, always containing the estimate.
	prevWidth := 1.0
	for _, n := range []int{10, 100, 1000, 10000} {
		lo, hi := Wilson(n*3/10, n, Z95)
		if !(lo < 0.3 && 0.3 < hi) || hi-lo >= prevWidth {
			t.Errorf("n=%d: (%v, %v)", n, lo, hi)
		}
		prevWidth = hi - lo
	}
}

func TestShares(t *testing.T) {
	// Multiple choice: 10 respondents, options counted on their own.
	got := Shares([]int{7, 5, 0}, 10)
	if got[0].Share != 0.7 || got[1].Share != 0.5 || got[2].Share != 0 {
		t.Errorf("Shares = %+v", got)
	}
	lo, hi := Wilson(7, 10, Z95)
	if got[0].Lo != lo || got[0].Hi != hi {
		t.Errorf("Share interval = (%v, %v), want Wilson (%v, %v)", got[0].Lo, got[0].Hi, lo, hi)
	}
	if s := Shares([]int{0, 0}, 0); s[0].Share != 0 || s[0].Lo != 0 || s[0].Hi != 1 {
		t.Errorf("no respondents: %+v", s)
	}
}

func TestChiSquare2x2(t *testing.T) {
	counts := [][]float64{{10, 20}, {30, 40}}
	got, err := ChiSquareTest(counts)
	if err != nil {
		t.Fatal(err)
	}
	// Second method: the 2×2 shortcut N(ad−bc)²/(r1 r2 c1 c2), and for one
	// degree of freedom P(χ² ≥ x) = erfc(sqrt(x/2)).
	wantStat := 100.0 * math.Pow(10*40-20*30, 2) / (30 * 70 * 40 * 60)
	wantP := math.Erfc(math.Sqrt(wantStat / 2))
	if !near(got.Stat, wantStat, 1e-12) || !near(got.P, wantP, 1e-12) {
		t.Errorf("X² = %v, p = %v; want %v, %v", got.Stat, got.P, wantStat, wantP)
	}
	if !near(got.Stat, 0.794, 0.0005) || !near(got.P, 0.373, 0.0005) || got.DF != 1 {
		t.Errorf("X² = %.4f, DF = %d, p = %.4f; textbook 0.794, 1, 0.373", got.Stat, got.DF, got.P)
	}
	// Third: the two-proportion z test on the same table, z² = X².
	z, p := TwoProportionZ(10, 30, 30, 70)
	if !near(z*z, got.Stat, 1e-12) || !near(p, got.P, 1e-12) {
		t.Errorf("two-proportion z² = %v, p = %v; chi-square %v, %v", z*z, p, got.Stat, got.P)
	}
	if got.MinExpected != 12 || got.SmallExpected || got.N != 100 {
		t.Errorf("MinExpected = %v, SmallExpected = %v, N = %v", got.MinExpected, got.SmallExpected, got.N)
	}
	if !near(got.CramersV, math.Sqrt(wantStat/100), 1e-12) {
		t.Errorf("Cramér's V = %v", got.CramersV)
	}
}

// survivalDF4 is P(χ²₄ ≥ x) in closed form: e^(−x/2)(1 + x/2).
func survivalDF4(x float64) float64 { return math.Exp(-x/2) * (1 + x/2) }

// pearson computes X² the long way, for the 3×3 checks.
func pearson(t [][]float64) float64 {
	var n float64
	rs, cs := make([]float64, len(t)), make([]float64, len(t[0]))
	for i := range t {
		for j := range t[i] {
			rs[i] += t[i][j]
			cs[j] += t[i][j]
			n += t[i][j]
		}
	}
	var x float64
	for i := range t {
		for j := range t[i] {
			e := rs[i] * cs[j] / n
			x += (t[i][j] - e) * (t[i][j] - e) / e
		}
	}
	return x
}

func TestChiSquare3x3(t *testing.T) {
	// Worked by hand: row and column sums all 100, expected 33⅓ everywhere,
	// X² = 42 exactly.
	strong := [][]float64{{20, 30, 50}, {30, 30, 40}, {50, 40, 10}}
	got, err := ChiSquareTest(strong)
	if err != nil {
		t.Fatal(err)
	}
	if !near(got.Stat, 42, 1e-9) || got.DF != 4 || !near(got.P, 1.6681632941406194e-08, 1e-15) {
		t.Errorf("X² = %v, DF = %d, p = %v; want 42, 4, 1.668e-8", got.Stat, got.DF, got.P)
	}
	if !near(got.CramersV, math.Sqrt(42.0/(300*2)), 1e-12) {
		t.Errorf("Cramér's V = %v", got.CramersV)
	}
	// A table with no real association: p must be large, and agree with
	// the closed form for 4 degrees of freedom.
	weak := [][]float64{{12, 15, 9}, {10, 8, 14}, {7, 11, 13}}
	got, err = ChiSquareTest(weak)
	if err != nil {
		t.Fatal(err)
	}
	x := pearson(weak)
	if !near(got.Stat, x, 1e-12) || !near(got.P, survivalDF4(x), 1e-12) || got.P < 0.1 {
		t.Errorf("X² = %v, p = %v; want %v, %v", got.Stat, got.P, x, survivalDF4(x))
	}
	t.Logf("weak 3×3: X² = %.4f, p = %.4f, min expected %.2f", got.Stat, got.P, got.MinExpected)
}

func TestChiSquareSmallExpected(t *testing.T) {
	// 2×2 with one expected count below 5 (one cell = 25% of cells).
	got, err := ChiSquareTest([][]float64{{2, 8}, {10, 30}})
	if err != nil {
		t.Fatal(err)
	}
	if !got.SmallExpected || got.SmallCells != 1 || !near(got.MinExpected, 2.4, 1e-12) {
		t.Errorf("%+v: want a small-expected warning with min 2.4", got)
	}
	// 3×5 with the last column small.
	big := [][]float64{
		{30, 30, 30, 30, 3},
		{30, 30, 30, 30, 3},
		{30, 30, 30, 30, 4},
	}
	got, err = ChiSquareTest(big)
	if err != nil {
		t.Fatal(err)
	}
	// 3 of 15 cells below 5 is 20%, not more: no warning.
	if got.SmallCells != 3 || got.SmallExpected {
		t.Errorf("3 of 15 small cells: %+v", got)
	}
	// One expected count below 1 warns whatever the share.
	big[0][4], big[1][4], big[2][4] = 0, 0, 2
	got, err = ChiSquareTest(big)
	if err != nil {
		t.Fatal(err)
	}
	if !got.SmallExpected || got.MinExpected >= 1 {
		t.Errorf("expected count below 1: %+v", got)
	}
}

func TestChiSquareDegenerate(t *testing.T) {
	// An option nobody chose is dropped: same result as without it.
	with, err := ChiSquareTest([][]float64{{10, 20, 0}, {0, 0, 0}, {30, 40, 0}})
	if err != nil {
		t.Fatal(err)
	}
	without, _ := ChiSquareTest([][]float64{{10, 20}, {30, 40}})
	if with != without {
		t.Errorf("empty rows and columns changed the result: %+v vs %+v", with, without)
	}
	for name, counts := range map[string][][]float64{
		"nil":        nil,
		"one row":    {{1, 2, 3}},
		"one column": {{1}, {2}},
		"all zero":   {{0, 0}, {0, 0}},
		"one filled": {{5, 0}, {0, 0}},
	} {
		if _, err := ChiSquareTest(counts); !errors.Is(err, ErrTooFewCategories) {
			t.Errorf("%s: err = %v, want ErrTooFewCategories", name, err)
		}
	}
	for name, counts := range map[string][][]float64{
		"ragged":   {{1, 2}, {3}},
		"negative": {{1, -2}, {3, 4}},
		"NaN":      {{1, math.NaN()}, {3, 4}},
		"Inf":      {{1, math.Inf(1)}, {3, 4}},
	} {
		if _, err := ChiSquareTest(counts); err == nil || errors.Is(err, ErrTooFewCategories) {
			t.Errorf("%s: err = %v, want an input error", name, err)
		}
	}
	// Perfect independence: X² = 0, p = 1.
	got, err := ChiSquareTest([][]float64{{10, 20}, {20, 40}})
	if err != nil || got.Stat != 0 || got.P != 1 || got.CramersV != 0 {
		t.Errorf("independent table: %+v, %v", got, err)
	}
}

func TestCrosstab(t *testing.T) {
	c := NewCrosstab([]string{"yes", "no"}, []string{"Nairobi City", "Kisumu"})
	for _, a := range []struct {
		row, col string
		w        float64
	}{{"yes", "Nairobi City", 10}, {"yes", "Kisumu", 20}, {"no", "Nairobi City", 30}, {"no", "Kisumu", 40}} {
		if err := c.Add(a.row, a.col, a.w); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Add("maybe", "Kisumu", 1); err == nil {
		t.Error("unknown row accepted")
	}
	got, err := c.Test()
	if err != nil || !near(got.Stat, 0.7936507936507936, 1e-12) {
		t.Errorf("crosstab test: %+v, %v", got, err)
	}
}

func TestTwoProportionZ(t *testing.T) {
	// 45/100 vs 30/100: pooled 0.375, se = sqrt(0.375·0.625·0.02).
	z, p := TwoProportionZ(45, 100, 30, 100)
	wantZ := 0.15 / math.Sqrt(0.375*0.625*0.02)
	if !near(z, wantZ, 1e-12) || !near(p, math.Erfc(wantZ/math.Sqrt2), 1e-12) {
		t.Errorf("z = %v, p = %v; want %v, %v", z, p, wantZ, math.Erfc(wantZ/math.Sqrt2))
	}
	if !near(z, 2.1909, 0.0001) || !near(p, 0.0285, 0.0001) {
		t.Errorf("z = %.4f, p = %.4f; want 2.1909, 0.0285", z, p)
	}
	if z2, _ := TwoProportionZ(30, 100, 45, 100); z2 != -z {
		t.Errorf("swapped samples: z = %v, want %v", z2, -z)
	}
	for _, c := range [][4]int{{0, 0, 1, 2}, {1, 2, 0, 0}, {0, 10, 0, 10}, {10, 10, 5, 5}} {
		if z, p := TwoProportionZ(c[0], c[1], c[2], c[3]); z != 0 || p != 1 {
			t.Errorf("TwoProportionZ%v = %v, %v; want 0, 1", c, z, p)
		}
	}
}

func TestMeanCI(t *testing.T) {
	// 1..5: mean 3, s = sqrt(2.5), t(4, 0.975) = 2.776445105.
	mean, lo, hi := MeanCI([]float64{1, 2, 3, 4, 5}, 0.95)
	half := 2.7764451051977987 * math.Sqrt(2.5/5)
	if mean != 3 || !near(lo, 3-half, 1e-9) || !near(hi, 3+half, 1e-9) {
		t.Errorf("MeanCI = %v (%v, %v), want 3 (%v, %v)", mean, lo, hi, 3-half, 3+half)
	}
	// NaN (unanswered) is skipped.
	m2, lo2, hi2 := MeanCI([]float64{1, math.NaN(), 2, 3, 4, 5}, 0.95)
	if m2 != mean || lo2 != lo || hi2 != hi {
		t.Errorf("NaN not skipped: %v (%v, %v)", m2, lo2, hi2)
	}
	// Large n approaches the normal interval.
	xs := make([]float64, 100000)
	for i := range xs {
		xs[i] = float64(i % 2)
	}
	_, lo, hi = MeanCI(xs, 0.95)
	se := math.Sqrt(0.25 * 100000 / 99999 / 100000)
	if !near((hi-lo)/2, Z95*se, 1e-5) {
		t.Errorf("large n half-width %v, want ≈ %v", (hi-lo)/2, Z95*se)
	}
	// Stable for large nearly equal values.
	_, lo, hi = MeanCI([]float64{1e9 + 1, 1e9 + 2, 1e9 + 3}, 0.95)
	if !near(hi-lo, 2*4.302652729911275*math.Sqrt(1.0/3), 1e-6) {
		t.Errorf("large values: width %v", hi-lo)
	}
	for _, c := range []struct {
		xs           []float64
		mean, lo, hi float64
		level        float64
		name         string
	}{
		{nil, 0, 0, 0, 0.95, "empty"},
		{[]float64{math.NaN()}, 0, 0, 0, 0.95, "only NaN"},
		{[]float64{4}, 4, 4, 4, 0.95, "one value"},
		{[]float64{4, 4, 4}, 4, 4, 4, 0.95, "no spread"},
		{[]float64{1, 2}, 1.5, 1.5, 1.5, 1.5, "bad level"},
	} {
		m, l, h := MeanCI(c.xs, c.level)
		if m != c.mean || l != c.lo || h != c.hi {
			t.Errorf("%s: MeanCI = %v (%v, %v), want %v (%v, %v)", c.name, m, l, h, c.mean, c.lo, c.hi)
		}
	}
}

func TestHistogram(t *testing.T) {
	edges, counts := Histogram([]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 5)
	wantEdges := []float64{0, 2, 4, 6, 8, 10}
	wantCounts := []int{2, 2, 2, 2, 3} // the last bin includes the maximum
	for i := range wantEdges {
		if !near(edges[i], wantEdges[i], 1e-12) {
			t.Fatalf("edges = %v, want %v", edges, wantEdges)
		}
	}
	for i := range wantCounts {
		if counts[i] != wantCounts[i] {
			t.Fatalf("counts = %v, want %v", counts, wantCounts)
		}
	}
	// Every finite value lands in exactly one bin.
	xs := []float64{3.3, -1, 7, math.NaN(), 2, 2, 2, math.Inf(1), 100}
	edges, counts = Histogram(xs, 0)
	total := 0
	for _, c := range counts {
		total += c
	}
	if total != 7 || len(edges) != len(counts)+1 || edges[0] != -1 || edges[len(edges)-1] != 100 {
		t.Errorf("edges %v counts %v", edges, counts)
	}
	if e, c := Histogram(nil, 10); e != nil || c != nil {
		t.Error("no values should give no bins")
	}
	if e, c := Histogram([]float64{7, 7, 7}, 10); len(c) != 1 || c[0] != 3 || e[0] != 6.5 || e[1] != 7.5 {
		t.Errorf("equal values: %v %v", e, c)
	}
}

func TestFreedmanDiaconis(t *testing.T) {
	// 1..1000: IQR = 499.5 (type 7), width = 2·499.5/10 = 99.9, span 999
	// → 10 bins.
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = float64(i + 1)
	}
	if got := FreedmanDiaconisBins(xs); got != 10 {
		t.Errorf("FreedmanDiaconisBins(1..1000) = %d, want 10", got)
	}
	// IQR 0 falls back to Sturges: 64 values → log2(64)+1 = 7.
	ys := make([]float64, 64)
	ys[63] = 1
	if got := FreedmanDiaconisBins(ys); got != 7 {
		t.Errorf("IQR 0: %d bins, want 7", got)
	}
	// One outlier far away must not ask for millions of bins.
	zs := append(append([]float64(nil), xs...), 1e12)
	if got := FreedmanDiaconisBins(zs); got != MaxBins {
		t.Errorf("outlier: %d bins, want the cap %d", got, MaxBins)
	}
	if FreedmanDiaconisBins(nil) != 1 || FreedmanDiaconisBins([]float64{5}) != 1 {
		t.Error("fewer than two values should give one bin")
	}
}

func TestLikert(t *testing.T) {
	s := Likert([5]int{10, 20, 30, 25, 15})
	if s.N != 100 || s.Mean != 3.15 {
		t.Fatalf("N = %d, mean = %v", s.N, s.Mean)
	}
	xs := make([]float64, 0, 100)
	for v, c := range s.Counts {
		for i := 0; i < c; i++ {
			xs = append(xs, float64(v+1))
		}
	}
	_, lo, hi := MeanCI(xs, 0.95)
	if !near(s.MeanLo, lo, 1e-9) || !near(s.MeanHi, hi, 1e-9) {
		t.Errorf("mean interval (%v, %v), MeanCI gives (%v, %v)", s.MeanLo, s.MeanHi, lo, hi)
	}
	alo, ahi := Wilson(40, 100, Z95)
	if s.Agree != 0.4 || s.Disagree != 0.3 || s.Neutral != 0.3 || s.AgreeLo != alo || s.AgreeHi != ahi {
		t.Errorf("%+v", s)
	}
	want := [6]float64{-10, -20, -15, 15, 25, 15}
	if s.Diverging != want {
		t.Errorf("Diverging = %v, want %v", s.Diverging, want)
	}
	empty := Likert([5]int{})
	if empty.N != 0 || empty.Mean != 0 || empty.AgreeHi != 1 || empty.Diverging != [6]float64{} {
		t.Errorf("empty: %+v", empty)
	}
	one := Likert([5]int{0, 0, 0, 0, 1})
	if one.Mean != 5 || one.MeanLo != 5 || one.MeanHi != 5 || one.Agree != 1 {
		t.Errorf("one answer: %+v", one)
	}
}

func BenchmarkChiSquareTest(b *testing.B) {
	// A question with 5 options by Kenya's 47 counties.
	counts := make([][]float64, 5)
	for i := range counts {
		counts[i] = make([]float64, 47)
		for j := range counts[i] {
			counts[i][j] = float64(10 + (i*31+j*17)%50)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ChiSquareTest(counts); err != nil {
			b.Fatal(err)
		}
	}
}
