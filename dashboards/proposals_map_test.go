package dashboards

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// The map fixture: process 3 (UTC), proposals components 30 and 31,
// regions A and B, view [Mar 1, Mar 4). Its located proposals span 9° of
// latitude (-4.40 to 4.60) and 8° of longitude (33.90 to 41.90), so the
// grid has 0.5° cells (9 / 0.25 = 36 cells would be more than 20):
//
//	cell centre          in view                        outside it
//	-1.25, 36.75  2,000 (comp 30, A, Mar 1)
//	 0.25, 34.75     10 (comp 30, B, Mar 2)           7 on Feb 20
//	-3.75, 39.75      3 (comp 30, A) + 5 (comp 31, A), all Mar 2;
//	                  lat -4.0 is the cell's southern edge, so inside it
//	-4.25, 33.75      1 (comp 30, A, Mar 2)
//	 4.75, 41.75      1 (comp 30, A, Mar 2)
//
// plus one unlocated proposal in the view and process 4's 50 located ones.
const mapProcess, mapComp, mapComp2 = 3, 30, 31

var (
	mapFrom = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	mapTo   = time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
)

func mapFixture(t *testing.T) *Dashboards {
	t.Helper()
	w, err := warehouse.Open(filepath.Join(t.TempDir(), "map.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	start := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{
			{ProcessID: mapProcess, Slug: "map", Title: "Map", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", Published: true, StartsAt: &start,
				Components: []warehouse.ComponentDim{{ComponentID: mapComp, Kind: "proposals", Position: 1, Title: "Ideas"}, {ComponentID: mapComp2, Kind: "proposals", Position: 2, Title: "More ideas"}}},
			{ProcessID: 4, Slug: "other", Title: "Other", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", StartsAt: &start,
				Components: []warehouse.ComponentDim{{ComponentID: 40, Kind: "proposals", Position: 1, Title: "Ideas"}}},
		},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "A", Name: "Alpha", Population: 1000}, {Code: "B", Name: "Beta", Population: 2000}}}},
	}}
	var seq int64
	prop := func(process, comp int64, region string, at time.Time, lat, lng *float64) {
		seq++
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "proposal.created", ProcessID: process, ComponentID: comp, EntityID: seq, Participant: fmt.Sprintf("p%d", seq), RegionCode: region, OccurredAt: at})
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: seq, ProcessID: process, ComponentID: comp, Participant: fmt.Sprintf("p%d", seq), RegionCode: region,
			Title: fmt.Sprintf("Proposal %d", seq), BudgetMinor: 100, Tags: []string{"roads"}, Lat: lat, Lng: lng, OccurredAt: at})
	}
	at := func(p, comp int64, region string, when time.Time, lat, lng float64, n int) {
		for range n {
			prop(p, comp, region, when, ptr(lat), ptr(lng))
		}
	}
	mar1, mar2 := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC), time.Date(2024, 3, 2, 9, 0, 0, 0, time.UTC)
	for k := range 2000 {
		// Spread inside the cell [-1.5, -1.0) × [36.5, 37.0).
		at(mapProcess, mapComp, "A", mar1, -1.26-float64(k)*0.0001, 36.76+float64(k)*0.0001, 1)
	}
	at(mapProcess, mapComp, "B", mar2, 0.10, 34.70, 10)
	at(mapProcess, mapComp, "B", time.Date(2024, 2, 20, 9, 0, 0, 0, time.UTC), 0.10, 34.70, 7)
	at(mapProcess, mapComp, "A", mar2, -4.0, 39.6, 3)
	at(mapProcess, mapComp2, "A", mar2, -4.0, 39.6, 5)
	at(mapProcess, mapComp, "A", mar2, -4.40, 33.90, 1)
	at(mapProcess, mapComp, "A", mar2, 4.60, 41.90, 1)
	prop(mapProcess, mapComp, "A", mar2, nil, nil)
	at(4, 40, "A", mar2, 0.10, 34.70, 50)
	b.To, b.Consumed = warehouse.Cursor{Seq: seq}, seq
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	d, err := New(context.Background(), w.Read(), func() time.Time { return mapTo })
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func mapView(t *testing.T, d *Dashboards, f Filter) View {
	t.Helper()
	f.Process = mapProcess
	if f.From.IsZero() {
		f.From, f.To = mapFrom, mapTo
	}
	p, err := d.Process(context.Background(), mapProcess)
	if err != nil {
		t.Fatal(err)
	}
	return d.Resolve(p, f)
}

func runMap(t *testing.T, d *Dashboards, f Filter, public bool) *Result {
	t.Helper()
	run := d.RunView
	if public {
		run = d.RunPublic
	}
	r, err := run(context.Background(), FindPanel("proposal-map"), mapView(t, d, f))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// mapCell is a grid row as the test reads it back.
type mapCell struct {
	lat, lng   float64
	n          float64
	suppressed bool
}

func cellsOf(t *testing.T, r *Result) []mapCell {
	t.Helper()
	if got := r.Table.Columns[len(r.Table.Columns)-1].Label; got != "Proposals" {
		t.Fatalf("not grid mode: columns %+v", r.Table.Columns)
	}
	lat, lng, n := col(t, r.Table, "Latitude"), col(t, r.Table, "Longitude"), col(t, r.Table, "Proposals")
	var out []mapCell
	for _, row := range r.Table.Rows {
		out = append(out, mapCell{row[lat].Num, row[lng].Num, row[n].Num, row[n].Suppressed})
	}
	return out
}

// drawn reads the chart's points back as (lng, lat, count).
func drawn(t *testing.T, r *Result) [][]float64 {
	t.Helper()
	if r.Chart == nil {
		t.Fatal("no chart")
	}
	var opt struct {
		Series []struct {
			CoordinateSystem string `json:"coordinateSystem"`
			Data             []struct {
				Value []float64 `json:"value"`
			} `json:"data"`
		} `json:"series"`
		VisualMap []struct {
			Dimension int `json:"dimension"`
		} `json:"visualMap"`
	}
	if err := json.Unmarshal([]byte(r.Chart.Option), &opt); err != nil {
		t.Fatal(err)
	}
	if len(opt.Series) != 1 || opt.Series[0].CoordinateSystem != "geo" {
		t.Fatalf("series = %+v", opt.Series)
	}
	var out [][]float64
	for _, p := range opt.Series[0].Data {
		out = append(out, p.Value)
	}
	return out
}

func titles(r *Result) []string {
	out := r.Table.labels(0)
	slices.Sort(out)
	return out
}

func TestCellSize(t *testing.T) {
	for _, c := range []struct{ span, want float64 }{
		{0, 0.01}, {0.2, 0.01}, {0.25, 0.02}, {9, 0.5}, {10, 0.5}, {10.1, 1}, {500, 10},
	} {
		if got := cellSize(c.span); got != c.want {
			t.Errorf("cellSize(%g) = %g, want %g", c.span, got, c.want)
		}
	}
}

func TestProposalMapGridCountsPerCell(t *testing.T) {
	d := mapFixture(t)
	r := runMap(t, d, Filter{}, false)
	want := []mapCell{{-1.25, 36.75, 2000, false}, {0.25, 34.75, 10, false}, {-3.75, 39.75, 8, false},
		{-4.25, 33.75, 1, false}, {4.75, 41.75, 1, false}}
	if got := cellsOf(t, r); !slices.Equal(got, want) {
		t.Fatalf("cells = %v\nwant    %v", got, want)
	}
	if r.Table.Rows[0][0].Text != "1.250°S 36.750°E" || r.Table.Rows[4][0].Text != "4.750°N 41.750°E" {
		t.Errorf("cell labels %q, %q", r.Table.Rows[0][0].Text, r.Table.Rows[4][0].Text)
	}
	if len(r.Summary) != 1 || r.Summary[0] != "2,020 located proposals, more than the map shows one by one: counts per cell of 0.5° (about 56 km), busiest first." {
		t.Errorf("summary = %q", r.Summary)
	}
	pts := drawn(t, r)
	if len(pts) != 5 || !slices.Equal(pts[0], []float64{36.75, -1.25, 2000}) || !slices.Equal(pts[4], []float64{41.75, 4.75, 1}) {
		t.Errorf("staff chart draws %v", pts)
	}
}

func TestProposalMapPublicHidesSmallCells(t *testing.T) {
	d := mapFixture(t)
	r := runMap(t, d, Filter{}, true)
	got := cellsOf(t, r)
	for i, c := range got {
		if small := c.n < SmallCell; c.suppressed != small {
			t.Errorf("cell %d %v: suppressed = %v", i, c, c.suppressed)
		}
	}
	pts := drawn(t, r)
	want := [][]float64{{36.75, -1.25, 2000}, {34.75, 0.25, 10}, {39.75, -3.75, 8}}
	if !slices.EqualFunc(pts, want, slices.Equal[[]float64]) {
		t.Errorf("public chart draws %v, want %v", pts, want)
	}
	// Component 30 alone: the edge cell holds 3, hidden too.
	r = runMap(t, d, Filter{Component: mapComp}, true)
	for _, p := range drawn(t, r) {
		if p[2] < SmallCell {
			t.Errorf("public chart draws a cell of %v", p)
		}
	}
	if c := cellsOf(t, r)[2]; c.n != 3 || !c.suppressed || r.Table.Format(2, 3) != "<5" {
		t.Errorf("component 30's edge cell = %v, shown %q", c, r.Table.Format(2, 3))
	}
}

func TestProposalMapFilters(t *testing.T) {
	d := mapFixture(t)
	// Component 30: 2,015 located, still a grid; the edge cell loses comp 31's 5.
	r := runMap(t, d, Filter{Component: mapComp}, false)
	if got := cellsOf(t, r); len(got) != 5 || got[2] != (mapCell{-3.75, 39.75, 3, false}) {
		t.Errorf("component 30 cells = %v", got)
	}
	// Component 31: its 5 proposals, one by one.
	r = runMap(t, d, Filter{Component: mapComp2}, false)
	if got := len(r.Table.Rows); got != 5 || len(r.Table.Columns) != 3 {
		t.Errorf("component 31: %d rows, columns %+v", got, r.Table.Columns)
	}
	// Region B: the 10 of Mar 2 (the 7 of Feb 20 are before the range).
	r = runMap(t, d, Filter{Region: "B"}, false)
	if got := len(r.Table.Rows); got != 10 || r.Table.Rows[0][0].Text != "Proposal 2001" {
		t.Errorf("region B: %d rows, first %q", got, r.Table.Rows[0][0].Text)
	}
	// From Mar 2: 10 + 8 + 2 = 20 points.
	r = runMap(t, d, Filter{From: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), To: mapTo}, false)
	if got := len(r.Table.Rows); got != 20 {
		t.Errorf("from Mar 2: %d points, want 20", got)
	}
	// Up to Feb 21: the 7 early ones, whatever the process's other data.
	r = runMap(t, d, Filter{From: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2024, 2, 21, 0, 0, 0, 0, time.UTC)}, false)
	if got := titles(r); len(got) != 7 || got[0] != "Proposal 2011" || got[6] != "Proposal 2017" {
		t.Errorf("to Feb 21: %v", got)
	}
}

func TestProposalMapPointsMode(t *testing.T) {
	d := mapFixture(t)
	r := runMap(t, d, Filter{From: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), To: mapTo, Component: mapComp}, false)
	// 10 + 3 + 1 + 1 located; the unlocated one is left out.
	if got := len(r.Table.Rows); got != 15 {
		t.Fatalf("points = %d, want 15", got)
	}
	first := r.Table.Rows[0]
	if first[0].Text != "Proposal 2001" || first[1].Num != 34.70 || first[2].Num != 0.10 {
		t.Errorf("first point = %+v", first)
	}
	pts := drawn(t, r)
	if len(pts) != 15 || !slices.Equal(pts[0], []float64{34.70, 0.10, 1}) {
		t.Errorf("points drawn = %v", pts)
	}
	// Public points carry no counts, so nothing is suppressed.
	pub := runMap(t, d, Filter{From: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), To: mapTo, Component: mapComp}, true)
	if got := len(drawn(t, pub)); got != 15 {
		t.Errorf("public points drawn = %d", got)
	}
}
