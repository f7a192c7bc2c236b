package stats

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Crosstab is a contingency table: Counts[i][j] respondents answered Rows[i]
// to one question and Cols[j] to the other (or live in region Cols[j]).
type Crosstab struct {
	Rows, Cols []string
	Counts     [][]float64
}

// NewCrosstab makes an all-zero table with the given labels.
func NewCrosstab(rows, cols []string) *Crosstab {
	c := &Crosstab{Rows: rows, Cols: cols, Counts: make([][]float64, len(rows))}
	for i := range c.Counts {
		c.Counts[i] = make([]float64, len(cols))
	}
	return c
}

// Add counts w respondents in cell (row, col); unknown labels are an error
// rather than a silently dropped answer.
func (c *Crosstab) Add(row, col string, w float64) error {
	i, j := indexOf(c.Rows, row), indexOf(c.Cols, col)
	if i < 0 || j < 0 {
		return fmt.Errorf("stats: unable to add to crosstab: no cell (%q, %q)", row, col)
	}
	c.Counts[i][j] += w
	return nil
}

// Test is ChiSquareTest on the table's counts.
func (c *Crosstab) Test() (ChiSquare, error) { return ChiSquareTest(c.Counts) }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// ChiSquare is Pearson's test of independence for a contingency table.
type ChiSquare struct {
	Stat float64 // Pearson's X², no continuity correction
	DF   int     // (rows−1)(cols−1), counting only rows and columns with any respondents
	P    float64 // P(χ²_DF ≥ Stat)
	N    float64 // respondents in the table

	MinExpected float64 // smallest expected count
	SmallCells  int     // cells with an expected count below 5
	// SmallExpected warns that the χ² approximation is doubtful (Cochran's
	// rule): an expected count below 1, or more than 20% of cells below 5 —
	// for a 2×2 table, any cell below 5.
	SmallExpected bool
	CramersV      float64 // effect size in [0, 1]: sqrt(X² / (N·(min(r,c)−1)))
}

// ErrTooFewCategories is returned when, after dropping empty rows and
// columns, fewer than two of either remain: there is nothing to compare.
var ErrTooFewCategories = errors.New("stats: chi-square needs at least two non-empty rows and two non-empty columns")

// ChiSquareTest runs Pearson's chi-square test of independence on counts.
// Rows or columns with no respondents (an option nobody chose) carry no
// information and would divide by zero, so they are left out, and DF counts
// only the rest. Ragged rows, negative, NaN or infinite counts are errors.
func ChiSquareTest(counts [][]float64) (ChiSquare, error) {
	var res ChiSquare
	if len(counts) == 0 {
		return res, ErrTooFewCategories
	}
	cols := len(counts[0])
	rowSum := make([]float64, len(counts))
	colSum := make([]float64, cols)
	for i, row := range counts {
		if len(row) != cols {
			return res, fmt.Errorf("stats: unable to test crosstab: row %d has %d cells, row 0 has %d", i, len(row), cols)
		}
		for j, x := range row {
			if !(x >= 0) || math.IsInf(x, 1) {
				return res, fmt.Errorf("stats: unable to test crosstab: cell (%d, %d) is %v", i, j, x)
			}
			rowSum[i] += x
			colSum[j] += x
			res.N += x
		}
	}
	r, c := nonZero(rowSum), nonZero(colSum)
	if r < 2 || c < 2 {
		return res, ErrTooFewCategories
	}
	res.DF = (r - 1) * (c - 1)
	res.MinExpected = math.Inf(1)
	for i, row := range counts {
		if rowSum[i] == 0 {
			continue
		}
		for j, x := range row {
			if colSum[j] == 0 {
				continue
			}
			e := rowSum[i] * colSum[j] / res.N
			d := x - e
			res.Stat += d * d / e
			res.MinExpected = min(res.MinExpected, e)
			if e < 5 {
				res.SmallCells++
			}
		}
	}
	res.SmallExpected = res.MinExpected < 1 || float64(res.SmallCells) > 0.2*float64(r*c)
	res.P = distuv.ChiSquared{K: float64(res.DF)}.Survival(res.Stat)
	res.CramersV = math.Sqrt(res.Stat / (res.N * float64(min(r, c)-1)))
	return res, nil
}

func nonZero(xs []float64) int {
	n := 0
	for _, x := range xs {
		if x > 0 {
			n++
		}
	}
	return n
}
