package dashboards

import (
	"math"
	"testing"
)

func countRow(label string, ns ...float64) []Cell {
	row := []Cell{text(label)}
	for _, n := range ns {
		row = append(row, Cell{Num: n})
	}
	return row
}

func countTable(cols int, rows ...[]Cell) *Table {
	t := &Table{Columns: []Column{{Label: "label", Kind: Text}}}
	for j := 0; j < cols; j++ {
		t.Columns = append(t.Columns, Column{Label: string(rune('a' + j)), Kind: Count})
	}
	t.Rows = rows
	return t
}

// The finding: 685 − 682 = 3. Hiding the 3 alone leaves it derivable; the
// suppression must hide the total as well, and then nothing narrows it.
func TestSuppressHidesTheTotalBesideASmallCell(t *testing.T) {
	tb := countTable(3, countRow("inputs", 682, 3, 685))
	tb.SumRows(3, 1, 2)
	tb.suppressSmall()
	if weak := Unprotected(tb); len(weak) != 1 || weak[0] != (CellRef{0, 2}) {
		t.Fatalf("before complementing, the adversary should solve the 3: %v", weak)
	}
	if rg := HiddenRanges(tb, tb.Relations)[CellRef{0, 2}]; rg.Lo != 3 || rg.Hi != 3 {
		t.Errorf("range of the 3 = %+v, want exactly 3", rg)
	}
	tb.complement()
	if got := []string{tb.Format(0, 1), tb.Format(0, 2), tb.Format(0, 3)}; got[0] != "682" || got[1] != "<5" || got[2] != SecondaryMark {
		t.Errorf("row shows %q, want 682, <5 and the total hidden", got)
	}
	if weak := Unprotected(tb); len(weak) != 0 {
		t.Errorf("still derivable: %v", weak)
	}
}

// New 59, active 59, returning hidden: active = new + returning gives 0.
func TestSuppressProtectsAZeroInASum(t *testing.T) {
	tb := countTable(3, countRow("day", 59, 0, 59))
	tb.Relations = append(tb.Relations, Relation{Cells: []CellRef{{0, 3}, {0, 1}, {0, 2}}, Coefs: []float64{1, -1, -1}, Prefer: 0})
	tb.Suppress()
	if tb.Format(0, 3) != SecondaryMark || len(Unprotected(tb)) != 0 {
		t.Errorf("active shows %q; unprotected %v", tb.Format(0, 3), Unprotected(tb))
	}
}

// Two small cells that add up to a published small total are all hidden,
// and each can still be anything from 0 to 4.
func TestSmallCellsBesideASmallTotal(t *testing.T) {
	tb := countTable(3, countRow("day", 0, 0, 0))
	tb.SumRows(3, 1, 2)
	tb.Suppress()
	for c, rg := range HiddenRanges(tb, tb.Relations) {
		if rg.Lo != 0 || rg.Hi != SmallCell-1 {
			t.Errorf("%v range %+v", c, rg)
		}
	}
}

// A table with row and column totals: one small cell needs a rectangle of
// hidden cells, which the LP audit finds and the greedy builds.
func TestSuppressInATableWithMargins(t *testing.T) {
	tb := countTable(3,
		countRow("r1", 2, 10, 12),
		countRow("r2", 10, 20, 30),
		countRow("total", 12, 30, 42),
	)
	tb.SumRows(3, 1, 2)
	for j := 1; j <= 3; j++ {
		tb.Relations = append(tb.Relations, Relation{Cells: []CellRef{{2, j}, {0, j}, {1, j}}, Coefs: []float64{1, -1, -1}, Prefer: 0})
	}
	tb.Suppress()
	if weak := Unprotected(tb); len(weak) != 0 {
		t.Fatalf("derivable after suppression: %v", weak)
	}
	// Brute force, independent of the LP: every value 0…4 of the small cell
	// fits some non-negative integer filling of the hidden cells that keeps
	// every sum and the "≥5" of each complementary cell.
	var hidden []CellRef
	for i, row := range tb.Rows {
		for j := 1; j < len(row); j++ {
			if row[j].Suppressed {
				hidden = append(hidden, CellRef{i, j})
			}
		}
	}
	fits := map[float64]bool{}
	// holds reports whether every relation whose hidden cells all have a
	// value adds up (the search prunes on it as it goes).
	holds := func(vals map[CellRef]float64) bool {
	next:
		for _, r := range tb.Relations {
			sum := 0.0
			for m, c := range r.Cells {
				x := tb.Rows[c.Row][c.Col].Num
				if tb.Rows[c.Row][c.Col].Suppressed {
					v, ok := vals[c]
					if !ok {
						continue next
					}
					x = v
				}
				sum += r.Coefs[m] * x
			}
			if math.Abs(sum-r.Const) > 1e-9 {
				return false
			}
		}
		return true
	}
	var try func(k int, vals map[CellRef]float64)
	try = func(k int, vals map[CellRef]float64) {
		if !holds(vals) {
			return
		}
		if k == len(hidden) {
			fits[vals[CellRef{0, 1}]] = true
			return
		}
		c := hidden[k]
		lo, hi := 0.0, SmallCell-1.0
		if tb.Rows[c.Row][c.Col].Secondary {
			lo, hi = SmallCell, 50
		}
		for x := lo; x <= hi; x++ {
			vals[c] = x
			try(k+1, vals)
		}
		delete(vals, c)
	}
	try(0, map[CellRef]float64{})
	for x := 0.0; x < SmallCell; x++ {
		if !fits[x] {
			t.Errorf("the small cell could not be %v: the hidden cells give it away (fits %v)", x, fits)
		}
	}
}

// A label behind fewer than five people is not listed on a public page;
// a list of regions keeps only those behind five or more.
func TestSuppressDropsThinLabels(t *testing.T) {
	tb := countTable(1, []Cell{named("water", 7), {Num: 7}}, []Cell{named("rare tag", 1), {Num: 1}}, []Cell{publicText("Nairobi, Lamu", "Nairobi"), {Num: 9}})
	tb.Suppress()
	if len(tb.Rows) != 2 || tb.Format(0, 0) != "water" || tb.Format(1, 0) != "Nairobi" {
		t.Errorf("rows = %q, %q (%d rows)", tb.Format(0, 0), tb.Format(1, 0), len(tb.Rows))
	}
}
