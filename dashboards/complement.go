package dashboards

import (
	"errors"
	"math"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/optimize/convex/lp"
)

// Hiding a count under five is not enough when the table also publishes a
// total, a running sum or a share: 685 − 682 = 3 gives the hidden cell
// back. A table therefore names the sums its cells obey (Relation), and
// Suppress hides further cells — complementary suppression — until an
// adversary who knows every relation and solves them (a linear programme
// over the hidden cells, with each "<5" in 0…4 and each other hidden count
// at least 5) learns nothing about any small cell beyond "under five".

// CellRef names one cell of a table.
type CellRef struct{ Row, Col int }

// Relation is a linear equation the table's counts satisfy:
// Σ Coefs[i]·cell(Cells[i]) = Const. Const is what a reader may know from
// elsewhere (a total implied by the shares, a count before the window):
// the table treats it as public, which can only hide more, never less.
type Relation struct {
	Cells []CellRef
	Coefs []float64
	Const float64
	// Prefer is the cell to hide first when the relation needs another
	// hidden cell (usually its total, which no other table shows), or -1.
	Prefer int
	// Running marks a running sum's step (see RunningSum).
	Running bool
}

// SumRows adds, for every row, the relation cell(total) = Σ cell(parts).
func (t *Table) SumRows(total int, parts ...int) {
	for i := range t.Rows {
		r := Relation{Cells: []CellRef{{i, total}}, Coefs: []float64{1}, Prefer: 0}
		for _, p := range parts {
			r.Cells = append(r.Cells, CellRef{i, p})
			r.Coefs = append(r.Coefs, -1)
		}
		t.Relations = append(t.Relations, r)
	}
}

// RunningSum adds cell(i, sum) = cell(i−1, sum) + cell(i, add), and for the
// first row cell(0, sum) = before + cell(0, add).
func (t *Table) RunningSum(sum, add int, before float64) {
	for i := range t.Rows {
		r := Relation{Cells: []CellRef{{i, sum}, {i, add}}, Coefs: []float64{1, -1}, Prefer: 0, Running: true}
		if i == 0 {
			r.Const = before
		} else {
			r.Cells, r.Coefs = append(r.Cells, CellRef{i - 1, sum}), append(r.Coefs, -1)
		}
		t.Relations = append(t.Relations, r)
	}
}

// ColumnTotal adds Σ cell(i, col) over every row = total: a total the
// reader knows, e.g. from the shares beside the counts.
func (t *Table) ColumnTotal(col int, total float64) {
	r := Relation{Const: total, Prefer: -1}
	for i := range t.Rows {
		r.Cells, r.Coefs = append(r.Cells, CellRef{i, col}), append(r.Coefs, 1)
	}
	t.Relations = append(t.Relations, r)
}

// SharesOf declares that the shares of a count column, over denominator,
// give the column's total away — when the rows add up to it.
func (t *Table) SharesOf(col int, denominator float64) {
	sum := 0.0
	for _, row := range t.Rows {
		sum += row[col].Num
	}
	if len(t.Rows) > 0 && math.Abs(sum-denominator) < 1e-9 {
		t.ColumnTotal(col, denominator)
	}
}

// complement hides further counts until every small cell is protected.
// Each round hides one cell for the first unprotected small cell, so it
// ends: at worst every count in a relation with a small cell is hidden.
func (t *Table) complement() {
	if len(t.Relations) == 0 {
		return
	}
	t.hideRunningSums()
	for {
		weak := Unprotected(t)
		// One cell for each weak cell whose relations this round has not
		// touched yet (a neighbour's new hidden cell may be enough), then
		// solve again.
		touched := map[CellRef]bool{}
		hid := false
		for _, c := range weak {
			if touched[c] {
				continue
			}
			if h, ok := t.hideFor(c); ok {
				hid = true
				for _, r := range t.Relations {
					if r.hasAny([]CellRef{h}) {
						for _, x := range r.Cells {
							touched[x] = true
						}
					}
				}
			}
		}
		if !hid {
			return // nothing left to hide around them
		}
	}
}

// hideRunningSums hides a running sum from the first step that adds a
// hidden count to the end: any visible sum after it would pin the hidden
// sum down (it is the next sum minus the next, visible, step), and so the
// small count with it. Done up front, it spares the solver a long chain
// of one-cell-at-a-time rounds.
func (t *Table) hideRunningSums() {
	from := map[int]int{} // sum column → first row adding a hidden count
	for _, r := range t.Relations {
		if !r.Running {
			continue
		}
		sum, add := r.Cells[0], r.Cells[1]
		if t.Rows[add.Row][add.Col].Suppressed {
			if f, ok := from[sum.Col]; !ok || add.Row < f {
				from[sum.Col] = add.Row
			}
		}
	}
	for col, first := range from {
		for i := first; i < len(t.Rows); i++ {
			if c := t.Rows[i][col]; !c.Suppressed && !c.Null {
				t.hide(i, col, true)
			}
		}
	}
}

// hideFor hides one visible count in a relation of c: the relation's
// preferred cell, else the smallest count that leaves room for the small
// cell to be anything under five, else the largest. When every count
// around c is hidden already, it looks one relation further out (a
// hidden neighbour that another sum pins down pins c down with it).
func (t *Table) hideFor(c CellRef) (CellRef, bool) {
	seen := map[CellRef]bool{c: true}
	frontier := []CellRef{c}
	used := make([]bool, len(t.Relations))
	for len(frontier) > 0 {
		best, bestScore := CellRef{-1, -1}, math.Inf(1)
		var next []CellRef
		for ri, r := range t.Relations {
			if used[ri] || !r.hasAny(frontier) {
				continue
			}
			used[ri] = true
			for k, x := range r.Cells {
				cell := t.Rows[x.Row][x.Col]
				if t.Columns[x.Col].Kind != Count || cell.Null {
					continue
				}
				if cell.Suppressed {
					if !seen[x] {
						seen[x] = true
						next = append(next, x)
					}
					continue
				}
				score := cell.Num
				switch {
				case k == r.Prefer:
					score = -1
				case cell.Num < 2*SmallCell-1:
					score = 1e15 - cell.Num // too small to cover 0…4: last resort, larger first
				}
				if score < bestScore {
					best, bestScore = x, score
				}
			}
		}
		if best.Row >= 0 {
			t.hide(best.Row, best.Col, true)
			return best, true
		}
		frontier = next
	}
	return CellRef{}, false
}

// hide marks a count hidden, and the derived values of its row (a share
// of a hidden count gives it away).
func (t *Table) hide(i, j int, secondary bool) {
	t.Rows[i][j].Suppressed = true
	t.Rows[i][j].Secondary = secondary
	for k, col := range t.Columns {
		if col.Kind == Derived {
			t.Rows[i][k].Suppressed = true
		}
	}
}

func (r Relation) hasAny(cs []CellRef) bool {
	for _, x := range r.Cells {
		for _, c := range cs {
			if x == c {
				return true
			}
		}
	}
	return false
}

// Range is what an adversary can tell of a hidden cell: Lo ≤ value ≤ Hi
// (Hi is +Inf when nothing bounds it).
type Range struct{ Lo, Hi float64 }

// Protected says whether a small cell's range leaves at least four of its
// five values (0…4) possible. Asking for all five cannot always be met
// while a complementary cell reads as "at least five": new + returning =
// a hidden 6 tells that new is not 0. Four is what every table here can
// keep, and no cell is ever pinned to one or two values.
func Protected(rg Range) bool { return rg.Hi-rg.Lo >= SmallCell-2-1e-9 }

// Unprotected lists the cells shown as "<5" whose range, solved from the
// table's relations, is narrower than Protected allows.
func Unprotected(t *Table) []CellRef {
	ranges := HiddenRanges(t, t.Relations)
	var out []CellRef
	for c, rg := range ranges {
		cell := t.Rows[c.Row][c.Col]
		if cell.Secondary {
			continue
		}
		if !Protected(rg) {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(a, b int) bool {
		if out[a].Row != out[b].Row {
			return out[a].Row < out[b].Row
		}
		return out[a].Col < out[b].Col
	})
	return out
}

// HiddenRanges solves, for every hidden count that appears in a relation,
// the least and greatest value the published cells and the relations
// allow: each "<5" is in 0…4, each other hidden count is at least 5. The
// relations split into independent groups (those sharing hidden cells),
// each a small linear programme.
func HiddenRanges(t *Table, rels []Relation) map[CellRef]Range {
	return SolveRanges(t, rels, maxSolved)
}

// SolveRanges is HiddenRanges with a bound on the hidden cells of a group
// solved exactly (0: none); a larger group's small cells are reported as
// derivable.
func SolveRanges(t *Table, rels []Relation, maxVars int) map[CellRef]Range {
	type row struct {
		vars  []CellRef
		coefs []float64
		rhs   float64
	}
	var rows []row
	for _, r := range rels {
		x := row{rhs: r.Const}
		for k, c := range r.Cells {
			cell := t.Rows[c.Row][c.Col]
			if cell.Suppressed && t.Columns[c.Col].Kind == Count {
				x.vars, x.coefs = append(x.vars, c), append(x.coefs, r.Coefs[k])
			} else {
				x.rhs -= r.Coefs[k] * cell.Num
			}
		}
		if len(x.vars) > 0 {
			rows = append(rows, x)
		}
	}
	// Group the equations by shared hidden cells (union-find on cells).
	parent := map[CellRef]CellRef{}
	var find func(CellRef) CellRef
	find = func(c CellRef) CellRef {
		p, ok := parent[c]
		if !ok || p == c {
			parent[c] = c
			return c
		}
		root := find(p)
		parent[c] = root
		return root
	}
	for _, r := range rows {
		for _, v := range r.vars[1:] {
			parent[find(v)] = find(r.vars[0])
		}
	}
	groups := map[CellRef][]row{}
	for _, r := range rows {
		g := find(r.vars[0])
		groups[g] = append(groups[g], r)
	}
	out := map[CellRef]Range{}
	for _, g := range groups {
		index := map[CellRef]int{}
		var vars []CellRef
		for _, r := range g {
			for _, v := range r.vars {
				if _, ok := index[v]; !ok {
					index[v] = len(vars)
					vars = append(vars, v)
				}
			}
		}
		lo, hi := make([]float64, len(vars)), make([]float64, len(vars))
		for k, v := range vars {
			if t.Rows[v.Row][v.Col].Secondary {
				lo[k], hi[k] = SmallCell, math.Inf(1)
			} else {
				lo[k], hi[k] = 0, SmallCell-1
			}
		}
		eq := make([][]float64, len(g))
		rhs := make([]float64, len(g))
		for i, r := range g {
			eq[i] = make([]float64, len(vars))
			rhs[i] = r.rhs
			for k, v := range r.vars {
				eq[i][index[v]] += r.coefs[k]
			}
		}
		for k, v := range vars {
			if t.Rows[v.Row][v.Col].Secondary {
				continue // at least five: nothing to protect
			}
			switch {
			case len(g) == 1:
				out[v] = singleRange(eq[0], rhs[0], lo, hi, k)
			case maxVars > 0 && len(vars) > maxVars:
				// Too large to solve on a page view: counted as
				// derivable, so more is hidden around it.
				out[v] = Range{Lo: lo[k], Hi: lo[k]}
			default:
				out[v] = solveRange(eq, rhs, lo, hi, k)
			}
		}
	}
	return out
}

// maxSolved bounds the hidden cells of one group of equations solved as
// a linear programme; public views (days over a process's weeks) stay
// well under it.
const maxSolved = 80

// singleRange is exact for one equation with bounded cells: x[k]'s range
// is what the others' extremes leave, within its own bounds.
func singleRange(eq []float64, rhs float64, lo, hi []float64, k int) Range {
	rest := Range{Lo: 0, Hi: 0} // Σ over i≠k of eq[i]·x[i]
	for i, c := range eq {
		if i == k || c == 0 {
			continue
		}
		a, b := c*lo[i], c*hi[i]
		if c < 0 {
			a, b = b, a
		}
		rest.Lo += a
		rest.Hi += b
	}
	// eq[k]·x = rhs − rest
	a, b := (rhs-rest.Hi)/eq[k], (rhs-rest.Lo)/eq[k]
	if eq[k] < 0 {
		a, b = b, a
	}
	if math.IsNaN(a) {
		a = math.Inf(-1)
	}
	if math.IsNaN(b) {
		b = math.Inf(1)
	}
	return Range{Lo: math.Max(lo[k], a), Hi: math.Min(hi[k], b)}
}

// solveRange is min and max of x[k] subject to eq·x = rhs, lo ≤ x ≤ hi.
func solveRange(eq [][]float64, rhs, lo, hi []float64, k int) Range {
	minV, errMin := optimise(eq, rhs, lo, hi, k, 1)
	maxV, errMax := optimise(eq, rhs, lo, hi, k, -1)
	// A solver failure, or equations the true counts do not satisfy (a
	// relation declared wrongly), count as pinned: more is hidden, never
	// less.
	if errMin != nil || (errMax != nil && !errors.Is(errMax, lp.ErrUnbounded)) {
		return Range{Lo: lo[k], Hi: lo[k]}
	}
	r := Range{Lo: minV, Hi: math.Inf(1)}
	if errMax == nil {
		r.Hi = -maxV
	}
	return r
}

// optimise minimises sign·x[k] in standard form: x = lo + y, y ≥ 0, one
// slack per finite upper bound, redundant equations dropped (the solver
// needs full row rank).
func optimise(eq [][]float64, rhs, lo, hi []float64, k int, sign float64) (float64, error) {
	n := len(lo)
	var bounded []int
	for v := range hi {
		if !math.IsInf(hi[v], 1) {
			bounded = append(bounded, v)
		}
	}
	cols := n + len(bounded)
	var A [][]float64
	var b []float64
	for i, e := range eq {
		row := make([]float64, cols)
		r := rhs[i]
		for v, c := range e {
			row[v] = c
			r -= c * lo[v]
		}
		A, b = append(A, row), append(b, r)
	}
	A, b = independentRows(A, b)
	for s, v := range bounded {
		row := make([]float64, cols)
		row[v], row[n+s] = 1, 1
		A, b = append(A, row), append(b, hi[v]-lo[v])
	}
	for i := range b { // the solver wants b ≥ 0
		if b[i] < 0 {
			b[i] = -b[i]
			for j := range A[i] {
				A[i][j] = -A[i][j]
			}
		}
	}
	c := make([]float64, cols)
	c[k] = sign
	// A column of zeros (a variable in no remaining equation) means it is
	// free within its bounds.
	for j := 0; j < cols; j++ {
		zero := true
		for i := range A {
			if A[i][j] != 0 {
				zero = false
				break
			}
		}
		if zero {
			if j == k {
				if sign > 0 {
					return lo[k] * sign, nil
				}
				if math.IsInf(hi[k], 1) {
					return 0, lp.ErrUnbounded
				}
				return sign * hi[k], nil
			}
			// Pin an unused variable with an equation of its own.
			row := make([]float64, cols)
			row[j] = 1
			A, b = append(A, row), append(b, 0)
		}
	}
	if len(A) == 0 {
		return 0, errors.New("dashboards: nothing to solve")
	}
	dense := mat.NewDense(len(A), cols, nil)
	for i := range A {
		dense.SetRow(i, A[i])
	}
	f, _, err := lp.Simplex(c, dense, b, 1e-9, nil)
	if err != nil {
		return 0, err
	}
	return f + sign*lo[k], nil
}

// independentRows keeps the equations that are not combinations of
// earlier ones (Gaussian elimination on a copy); a dependent row's right
// side agrees with the others for true data, so dropping it loses nothing.
func independentRows(A [][]float64, b []float64) ([][]float64, []float64) {
	var basis [][]float64 // reduced copies, each with its pivot column
	var pivots []int
	var keepA [][]float64
	var keepB []float64
	for i, row := range A {
		r := append([]float64(nil), row...)
		for k, p := range pivots {
			if f := r[p]; f != 0 {
				for j := range r {
					r[j] -= f * basis[k][j]
				}
			}
		}
		p, best := -1, 1e-9
		for j, x := range r {
			if math.Abs(x) > best {
				p, best = j, math.Abs(x)
			}
		}
		if p < 0 {
			continue
		}
		f := r[p]
		for j := range r {
			r[j] /= f
		}
		basis, pivots = append(basis, r), append(pivots, p)
		keepA, keepB = append(keepA, row), append(keepB, b[i])
	}
	return keepA, keepB
}
