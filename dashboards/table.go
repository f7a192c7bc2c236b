package dashboards

import (
	"math"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/internal/csvcell"
	"golang.org/x/text/message"
)

// ColumnKind says how a column's numbers read and whether suppression
// applies: Count columns count people or their inputs; Derived columns
// (shares, rates, intervals) are computed from the counts of their row.
type ColumnKind int

const (
	Text ColumnKind = iota
	Count
	Derived
	Number // a value that is neither (a population, a page number)
	Money  // an amount in major units of the column's Unit (the process's currency)
)

// Column heads a table column.
type Column struct {
	Label string
	Kind  ColumnKind
	Unit  string // "%", "per 1,000", "min", …; a Money column's currency
}

// Cell is one value. Num holds numbers; Text holds labels and overrides the
// formatted number when set.
type Cell struct {
	Text       string
	Num        float64
	Null       bool // no value (e.g. an interval of nothing)
	Suppressed bool // shown as "<5" on public pages
	// Secondary marks a count of 5 or more hidden so that a small count
	// beside it cannot be worked out; it shows as "*", never as "<5".
	Secondary bool
	// Thin marks a row's label (a tag, a region) backed by fewer than five
	// people: a public page does not list the row at all.
	Thin bool
	// Public, when set, replaces Text on a public page: a list of regions
	// without those behind fewer than five people.
	Public *string
	Flag   bool // highlighted (a region far below the median)
}

// Table is a panel's data, and the fallback every chart has for screen
// readers and for copying.
type Table struct {
	Columns []Column
	Rows    [][]Cell
	// Relations are the sums the counts obey (complement.go): what a
	// reader could solve for a hidden cell.
	Relations []Relation

	num *message.Printer // the numbers' language (English when nil)
}

// SmallCell is the smallest count published as is; below it a public
// number shows as "<5".
const SmallCell = 5

// SecondaryMark stands for a count hidden so that a small one cannot be
// worked out from it (the results page explains the mark).
const SecondaryMark = "*"

// Suppress hides every count under SmallCell, and the derived values of
// its row (a share or rate computed from a count under 5 gives it away).
// Zero is suppressed too: it is a count under five. Then it hides enough
// further counts that the table's relations give no small count back.
func (t *Table) Suppress() {
	t.dropThin()
	t.suppressSmall()
	t.complement()
}

// dropThin removes the rows whose label is Thin and puts each cell's
// public text in place. A table with relations keeps its rows (dropping
// one would change what its sums say); its builder marks no label thin.
func (t *Table) dropThin() {
	kept := t.Rows[:0]
	for _, row := range t.Rows {
		thin := false
		for j := range row {
			if row[j].Public != nil {
				row[j].Text = *row[j].Public
			}
			thin = thin || row[j].Thin
		}
		if !thin || len(t.Relations) > 0 {
			kept = append(kept, row)
		}
	}
	t.Rows = kept
}

func (t *Table) suppressSmall() {
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

// Format renders a cell for display, in the table's language. A text
// column shows its text, empty or not: it never falls through to a number.
func (t *Table) Format(row, col int) string {
	c := t.Rows[row][col]
	k := t.Columns[col]
	switch {
	case c.Secondary:
		return SecondaryMark
	case c.Suppressed:
		return "<5"
	case c.Text != "" || k.Kind == Text:
		return c.Text
	case c.Null:
		return "–"
	}
	p := t.num
	if p == nil {
		p = printer(nil)
	}
	switch k.Kind {
	case Count:
		return p.Sprintf("%d", int64(math.Round(c.Num)))
	case Derived:
		if k.Unit == "%" {
			return p.Sprintf("%.1f%%", c.Num*100)
		}
		return p.Sprintf("%.2f", c.Num)
	case Money:
		return FormatMoney(p, k.Unit, c.Num)
	default:
		if c.Num == math.Trunc(c.Num) && math.Abs(c.Num) < 1e15 {
			return p.Sprintf("%d", int64(c.Num))
		}
		return p.Sprintf("%.2f", c.Num)
	}
}

// FormatMoney is the one way an amount reads: the currency, then the whole
// amount grouped by the language's rule ("KES 14,170,000").
func FormatMoney(p *message.Printer, currency string, major float64) string {
	return strings.TrimSpace(currency + " " + p.Sprintf("%d", int64(math.Round(major))))
}

// Raw is a cell for a file (CSV): text as text (formula-guarded), numbers
// as plain numbers a spreadsheet reads, "<5" where suppressed, empty for
// no value. The same column rule as Format: a text column is its text.
func (t *Table) Raw(row, col int) string {
	c := t.Rows[row][col]
	switch {
	case c.Secondary:
		return SecondaryMark
	case c.Suppressed:
		return "<5"
	case c.Text != "" || t.Columns[col].Kind == Text:
		return csvcell.Safe(c.Text)
	case c.Null:
		return ""
	}
	return strconv.FormatFloat(c.Num, 'f', -1, 64)
}

// Header is a column's label for a file: a money column names its
// currency there, since its cells are bare numbers.
func (c Column) Header() string {
	if c.Kind == Money && c.Unit != "" {
		return c.Label + " (" + c.Unit + ")"
	}
	return c.Label
}

func text(s string) Cell { return Cell{Text: s} }

// named is a row's name backed by people (a tag's authors): under five, a
// public page leaves the row out.
func named(s string, people int64) Cell { return Cell{Text: s, Thin: people < SmallCell} }

// publicText is a text with what a public page shows instead.
func publicText(staff, public string) Cell { return Cell{Text: staff, Public: &public} }
func num(v float64) Cell                   { return Cell{Num: v} }
func count(n int64) Cell                   { return Cell{Num: float64(n)} }
func share(v float64) Cell                 { return Cell{Num: v} }
func nullCell() Cell                       { return Cell{Null: true} }
