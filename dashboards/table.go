package dashboards

import (
	"math"
	"strconv"
	"strings"
)

// ColumnKind says how a column's numbers read and whether suppression
// applies: Count columns count people or their inputs; Derived columns
// (shares, rates, intervals) are computed from the counts of their row.
type ColumnKind int

const (
	Text ColumnKind = iota
	Count
	Derived
	Number // a value that is neither (a population, a budget, a page number)
)

// Column heads a table column.
type Column struct {
	Label string
	Kind  ColumnKind
	Unit  string // "%", "per 1,000", "min", …
}

// Cell is one value. Num holds numbers; Text holds labels and overrides the
// formatted number when set.
type Cell struct {
	Text       string
	Num        float64
	Null       bool // no value (e.g. an interval of nothing)
	Suppressed bool // shown as "<5" on public pages
	Flag       bool // highlighted (a region far below the median)
}

// Table is a panel's data, and the fallback every chart has for screen
// readers and for copying.
type Table struct {
	Columns []Column
	Rows    [][]Cell
}

// SmallCell is the smallest count published as is; below it a public
// number shows as "<5".
const SmallCell = 5

// Suppress hides every count under SmallCell, and the derived values of
// its row (a share or rate computed from a count under 5 gives it away).
// Zero is suppressed too: it is a count under five.
func (t *Table) Suppress() {
	for _, row := range t.Rows {
		small := false
		for j, c := range t.Columns {
			if c.Kind == Count && !row[j].Null && row[j].Num < SmallCell {
				row[j].Suppressed = true
				small = true
			}
		}
		if small {
			for j, c := range t.Columns {
				if c.Kind == Derived {
					row[j].Suppressed = true
				}
			}
		}
	}
}

// Format renders a cell for display.
func (t *Table) Format(row, col int) string {
	c := t.Rows[row][col]
	switch {
	case c.Suppressed:
		return "<5"
	case c.Text != "":
		return c.Text
	case c.Null:
		return "–"
	}
	k := t.Columns[col]
	switch k.Kind {
	case Count:
		return thousands(int64(math.Round(c.Num)))
	case Derived:
		if k.Unit == "%" {
			return strconv.FormatFloat(c.Num*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(c.Num, 'f', 2, 64)
	default:
		if c.Num == math.Trunc(c.Num) && math.Abs(c.Num) < 1e15 {
			return thousands(int64(c.Num))
		}
		return strconv.FormatFloat(c.Num, 'f', 2, 64)
	}
}

func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func text(s string) Cell   { return Cell{Text: s} }
func num(v float64) Cell   { return Cell{Num: v} }
func count(n int64) Cell   { return Cell{Num: float64(n)} }
func share(v float64) Cell { return Cell{Num: v} }
func nullCell() Cell       { return Cell{Null: true} }
