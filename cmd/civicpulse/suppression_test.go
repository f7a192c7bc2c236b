package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/demo"
)

// The public results page against an adversary who solves the linear
// equations of every published table. The adversary does not read the
// relations the panels declare: it finds them in the true (staff) tables
// — a count column that is the sum of others, a running sum, a difference
// chain, a column repeated, a column whose shares give its total away, the
// same series in two panels — and then, for every "<5" on the page, solves
// for the least and greatest value the published cells allow. Each must
// still be anything from 0 to 4. The demo is generated for several seeds:
// the suppression was written against the panels, not tuned to one data
// set.
func TestPublicResultsResistAnAdversary(t *testing.T) {
	for _, seed := range []uint64{11, 12, 13} {
		p := newDemoPipelineWith(t, demo.Options{Participants: 250, Seed: seed}, filepath.Join(t.TempDir(), "w.duckdb"))
		a := adversaryOn(t, p)
		p.Close()
		t.Logf("seed %d: %d public tables, %d relations found, %d small cells hidden, %d derivable with only the small cells hidden, %d derivable as published",
			seed, a.tables, len(a.rels), a.small, a.naive, a.derived)
		if a.naive == 0 {
			t.Errorf("seed %d: hiding only the small cells gave nothing away: the adversary is too weak to prove anything", seed)
		}
		if a.derived > 0 {
			t.Errorf("seed %d: %d small cells of the public page can be worked out (first: %s)", seed, a.derived, a.first)
		}
	}
}

const debugAdversary = false

// adversary is one solved results page: every cell of every public table
// as a row of one synthetic table, so that relations may cross panels.
type adversary struct {
	cells   dashboards.Table // one count column; row k is public cell k
	rels    []dashboards.Relation
	names   []string // row k's panel, row and column, for messages
	tables  int
	small   int // cells shown as "<5"
	naive   int // of them, derivable if only the small cells were hidden
	derived int // of them, derivable as published
	first   string
}

func adversaryOn(t *testing.T, p *demoPipeline) *adversary {
	t.Helper()
	ctx := context.Background()
	d, err := dashboards.New(ctx, p.wh.Read(), time.Now)
	if err != nil {
		t.Fatal(err)
	}
	proc, err := d.Process(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	a := &adversary{cells: dashboards.Table{Columns: []dashboards.Column{{Label: "n", Kind: dashboards.Count}}}}
	var all []series // every count column of every table, for cross-panel repeats
	for _, db := range dashboards.All() {
		for _, pn := range db.Panels {
			if !pn.Publishable {
				continue
			}
			v := d.Resolve(proc, dashboards.Filter{Process: proc.ID, Bucket: "day"})
			pubR, err := d.RunPublic(ctx, pn, v)
			if err != nil {
				t.Fatalf("%s: %v", pn.Name, err)
			}
			staffR, err := d.RunView(ctx, pn, v)
			if err != nil {
				t.Fatalf("%s: %v", pn.Name, err)
			}
			pubs, staffs := []*dashboards.Result{pubR}, []*dashboards.Result{staffR}
			if len(pubR.Parts) == len(staffR.Parts) {
				pubs, staffs = append(pubs, pubR.Parts...), append(staffs, staffR.Parts...)
			}
			for k := range pubs {
				all = a.addTable(t, pn.Name, pubs[k].Table, staffs[k].Table, all)
			}
		}
	}
	// The same series in two panels (supports per day in the monitor and
	// the proposals overview): each cell equals its twin.
	for x := range all {
		for y := x + 1; y < len(all); y++ {
			if !sameSeries(all[x], all[y]) {
				continue
			}
			for i := range all[x].refs {
				a.rels = append(a.rels, dashboards.Relation{Cells: []dashboards.CellRef{{Row: all[x].refs[i]}, {Row: all[y].refs[i]}}, Coefs: []float64{1, -1}, Prefer: -1})
			}
		}
	}
	a.solve()
	return a
}

// series is one count column of a public table: its row labels, true
// values and synthetic rows.
type series struct {
	labels []string
	vals   []float64
	refs   []int
}

func sameSeries(a, b series) bool {
	if len(a.labels) != len(b.labels) || len(a.labels) < 2 {
		return false
	}
	nonzero := 0
	for i := range a.labels {
		if a.labels[i] != b.labels[i] || a.vals[i] != b.vals[i] {
			return false
		}
		if a.vals[i] > 0 {
			nonzero++
		}
	}
	return nonzero >= 2
}

// discover finds the relations that hold on every row of one table's true
// counts (and are not trivially true: at least two rows with something).
func (a *adversary) discover(tb dashboards.Table, counts []int, ref [][]int, val func(i, j int) float64) {
	n := len(tb.Rows)
	cell := func(i, j int) dashboards.CellRef { return dashboards.CellRef{Row: ref[i][j]} }
	enough := func(f func(i int) float64, from, to int) bool {
		k := 0
		for i := from; i < to; i++ {
			if f(i) > 0 {
				k++
			}
		}
		return k >= 2
	}
	// A column the sum of a subset of at least two others.
	for _, c := range counts {
		// Parts that are zero on every row would make any sum "hold"
		// with them; they say nothing, so they are left out.
		var others []int
		for _, o := range counts {
			if o != c && enough(func(i int) float64 { return val(i, o) }, 0, n) {
				others = append(others, o)
			}
		}
		if len(others) > 16 {
			others = others[:16]
		}
		for mask := 1; mask < 1<<len(others); mask++ {
			var parts []int
			for b, o := range others {
				if mask&(1<<b) != 0 {
					parts = append(parts, o)
				}
			}
			holds := true
			for i := 0; i < n && holds; i++ {
				sum := 0.0
				for _, o := range parts {
					sum += val(i, o)
				}
				holds = sum == val(i, c)
			}
			if !holds || !enough(func(i int) float64 { return val(i, c) }, 0, n) {
				continue
			}
			for i := 0; i < n; i++ {
				r := dashboards.Relation{Cells: []dashboards.CellRef{cell(i, c)}, Coefs: []float64{1}, Prefer: -1}
				for _, o := range parts {
					r.Cells, r.Coefs = append(r.Cells, cell(i, o)), append(r.Coefs, -1)
				}
				a.rels = append(a.rels, r)
			}
		}
	}
	// Running sums (c_i = c_{i−1} + d_i, the first row's start known) and
	// difference chains (c_i = c_{i+1} + d_i).
	for _, c := range counts {
		for _, dcol := range counts {
			if dcol == c || n < 3 {
				continue
			}
			running, chain := true, true
			for i := 1; i < n; i++ {
				running = running && val(i, c) == val(i-1, c)+val(i, dcol)
			}
			for i := 0; i+1 < n; i++ {
				chain = chain && val(i, c) == val(i+1, c)+val(i, dcol)
			}
			add := func(i int) float64 { return val(i, dcol) }
			if running && enough(add, 1, n) {
				a.rels = append(a.rels, dashboards.Relation{Cells: []dashboards.CellRef{cell(0, c), cell(0, dcol)}, Coefs: []float64{1, -1}, Const: val(0, c) - val(0, dcol), Prefer: -1})
				for i := 1; i < n; i++ {
					a.rels = append(a.rels, dashboards.Relation{Cells: []dashboards.CellRef{cell(i, c), cell(i-1, c), cell(i, dcol)}, Coefs: []float64{1, -1, -1}, Prefer: -1})
				}
			}
			if chain && enough(add, 0, n-1) {
				for i := 0; i+1 < n; i++ {
					a.rels = append(a.rels, dashboards.Relation{Cells: []dashboards.CellRef{cell(i, c), cell(i+1, c), cell(i, dcol)}, Coefs: []float64{1, -1, -1}, Prefer: -1})
				}
			}
		}
	}
}

// solve counts, for every "<5", whether its range is narrower than 0…4:
// as published, and as it would be with only the small cells hidden.
func (a *adversary) solve() {
	narrow := func(rg dashboards.Range) bool { return !dashboards.Protected(rg) }
	published := dashboards.SolveRanges(&a.cells, a.rels, 0)
	naive := dashboards.Table{Columns: a.cells.Columns}
	for _, row := range a.cells.Rows {
		c := row[0]
		if c.Secondary {
			c.Suppressed, c.Secondary = false, false
		}
		naive.Rows = append(naive.Rows, []dashboards.Cell{c})
	}
	before := dashboards.SolveRanges(&naive, a.rels, 0)
	for k, row := range a.cells.Rows {
		c := row[0]
		if !c.Suppressed || c.Secondary {
			continue
		}
		a.small++
		ref := dashboards.CellRef{Row: k}
		if rg, ok := before[ref]; ok && narrow(rg) {
			a.naive++
		}
		if rg, ok := published[ref]; ok && narrow(rg) {
			a.derived++
			if a.first == "" {
				a.first = a.names[k]
			}
			if debugAdversary {
				fmt.Printf("DERIVED %s true=%v range=%+v\n", a.names[k], c.Num, rg)
				for _, r := range a.rels {
					for _, x := range r.Cells {
						if x == ref {
							fmt.Printf("   rel const=%v:", r.Const)
							for m, y := range r.Cells {
								cc := a.cells.Rows[y.Row][0]
								fmt.Printf(" %+v*[%s=%v hid=%v sec=%v]", r.Coefs[m], a.names[y.Row], cc.Num, cc.Suppressed, cc.Secondary)
							}
							fmt.Println()
						}
					}
				}
			}
		}
	}
}

// addTable adds one public table's counts as synthetic rows, and the
// relations its true counts obey.
func (a *adversary) addTable(t *testing.T, name string, tb, staffTable dashboards.Table, all []series) []series {
	t.Helper()
	if len(tb.Rows) == 0 {
		return all
	}
	a.tables++
	// True values by row label: the public table may leave rows out.
	truth := map[string][]dashboards.Cell{}
	for i := range staffTable.Rows {
		truth[staffTable.Format(i, 0)] = staffTable.Rows[i]
	}
	ref := make([][]int, len(tb.Rows)) // public cell → synthetic row
	val := func(i, j int) float64 { return truth[tb.Format(i, 0)][j].Num }
	for i, row := range tb.Rows {
		ref[i] = make([]int, len(row))
		for j, c := range row {
			ref[i][j] = -1
			if tb.Columns[j].Kind != dashboards.Count || c.Null {
				continue
			}
			if _, ok := truth[tb.Format(i, 0)]; !ok {
				t.Fatalf("%s: public row %q has no staff row", name, tb.Format(i, 0))
			}
			ref[i][j] = len(a.cells.Rows)
			a.cells.Rows = append(a.cells.Rows, []dashboards.Cell{{Num: val(i, j), Suppressed: c.Suppressed, Secondary: c.Secondary}})
			a.names = append(a.names, name+" / "+tb.Format(i, 0)+" / "+tb.Columns[j].Label)
		}
	}
	var counts []int
	for j, c := range tb.Columns {
		if c.Kind == dashboards.Count {
			counts = append(counts, j)
		}
	}
	a.discover(tb, counts, ref, val)
	for _, j := range counts {
		s := series{}
		for i := range tb.Rows {
			s.labels = append(s.labels, tb.Format(i, 0))
			s.vals = append(s.vals, val(i, j))
			s.refs = append(s.refs, ref[i][j])
		}
		all = append(all, s)
	}
	// A share column gives the total of a count column away.
	for j, c := range tb.Columns {
		if c.Kind != dashboards.Derived || c.Unit != "%" {
			continue
		}
		for _, k := range counts {
			total := 0.0
			for i := range tb.Rows {
				total += val(i, k)
			}
			shares := 0
			ok := total > 0
			for i := range tb.Rows {
				if tb.Rows[i][j].Suppressed || tb.Rows[i][j].Null {
					continue
				}
				shares++
				ok = ok && math.Abs(tb.Rows[i][j].Num-val(i, k)/total) < 1e-9
			}
			if ok && shares > 0 {
				r := dashboards.Relation{Const: total, Prefer: -1}
				for i := range tb.Rows {
					r.Cells, r.Coefs = append(r.Cells, dashboards.CellRef{Row: ref[i][k]}), append(r.Coefs, 1)
				}
				a.rels = append(a.rels, r)
			}
		}
	}
	return all
}
