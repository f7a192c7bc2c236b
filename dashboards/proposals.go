package dashboards

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Proposals is the overview of all proposals.
var Proposals = &Dashboard{
	Name: "proposals", Title: "Proposals overview", Audience: "analysts", Needs: "proposals",
	Panels: []*Panel{
		{Name: "proposal-activity", Title: "Proposals and supports over time", Queries: []string{"proposal-activity-by-hour"}, ChartKind: "line",
			Live: []string{"proposal.created", "support.added", "support.removed"}, Publishable: true, build: buildProposalActivity},
		{Name: "proposal-ranking", Title: "Most supported proposals", Queries: []string{"proposal-ranking", "supports-after", "proposal-ranking-at"}, ChartKind: "bar",
			Live: []string{"proposal.created", "support.added", "support.removed"}, Publishable: true, build: buildRanking},
		{Name: "proposal-budget-tags", Title: "Budget asked per tag", Queries: []string{"proposal-budget-by-tag", "proposal-budget-by-tag-at"}, ChartKind: "bar",
			Live: []string{"proposal.created"}, Publishable: true, build: budgetBy("proposal-budget-by-tag", "dash.col.tag", false)},
		{Name: "proposal-budget-regions", Title: "Budget asked per region", Queries: []string{"proposal-budget-by-region", "proposal-budget-by-region-at"}, ChartKind: "bar",
			Live: []string{"proposal.created"}, Publishable: true, build: budgetBy("proposal-budget-by-region", "dash.col.region", true)},
		{Name: "proposal-map", Title: "Located proposals", Queries: []string{"proposal-locations-count", "proposal-locations", "proposal-location-cells"}, ChartKind: "geo",
			Live: []string{"proposal.created"}, build: buildProposalMap},
	},
}

func buildProposalActivity(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	pts, err := d.hourly(ctx, "proposal-activity-by-hour", v)
	if err != nil {
		return nil, err
	}
	b := v.Buckets()
	created, added, removed := b.Fill(pts["proposal.created"]), b.Fill(pts["support.added"]), b.Fill(pts["support.removed"])
	t := Table{Columns: []Column{{Label: v.T("dash.col.period"), Kind: Text}, {Label: v.T("dash.col.proposals"), Kind: Count}, {Label: v.T("dash.col.supports"), Kind: Count}, {Label: v.T("dash.col.withdrawn"), Kind: Count}}}
	for i, l := range b.Labels() {
		t.Rows = append(t.Rows, []Cell{text(l), count(created[i]), count(added[i]), count(removed[i])})
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		c := LineChart(t.labels(0), []Series{{Name: v.T("dash.col.proposals"), Values: t.column(1)}, {Name: v.T("dash.col.supports"), Values: t.column(2)}, {Name: v.T("dash.col.withdrawn"), Values: t.column(3)}})
		return &c
	}}, nil
}

func buildRanking(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	t := Table{Columns: []Column{{Label: v.T("dash.col.proposal"), Kind: Text}, {Label: v.T("dash.col.region"), Kind: Text},
		{Label: v.T("dash.col.budget"), Kind: Money, Unit: v.P.Currency},
		{Label: v.T("dash.col.supports"), Kind: Count}, {Label: v.T("dash.col.supporters"), Kind: Count}}}
	// The rollup holds supports to date; a range that ends before the last
	// support (an earlier phase, a date asked) ranks from the facts.
	query := "proposal-ranking"
	var later int64
	if err := d.queryRow(ctx, "supports-after", v.args()).Scan(&later); err != nil {
		return nil, fmt.Errorf("dashboards: unable to run supports-after: %w", err)
	}
	if later > 0 {
		query = "proposal-ranking-at"
	}
	args := v.args()
	args["limit"] = v.limit(rankingShown)
	var total int64
	err := d.each(ctx, query, args, func(r *sql.Rows) error {
		var id, budget, sup, supporters int64
		var title, region string
		if err := r.Scan(&id, &title, &region, &budget, &sup, &supporters, &total); err != nil {
			return err
		}
		t.Rows = append(t.Rows, []Cell{text(title), text(v.P.RegionName(v.L, region)), num(float64(budget) / 100), count(sup), count(supporters)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r := &Result{Table: t, chart: func(t *Table) *Chart {
		return largestBars(t, 3, v.T("dash.col.supports"))
	}}
	r.shortened(total)
	return r, nil
}

// rankingShown is how many proposals the ranking lists on the page; the
// download ranks them all.
const rankingShown = 20

// budgetRow is one line of a budget panel: a tag or a region.
type budgetRow struct {
	name               string
	n, budget, authors int64
}

// budgetBy builds a budget panel from its rollup query; byRegion: the
// query returns region codes, which the panel names and then orders.
func budgetBy(query, label string, byRegion bool) func(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	return func(ctx context.Context, d *Dashboards, v View) (*Result, error) {
		rows, earlier, err := budgetFromRollup(ctx, d, query, v)
		if err == nil && earlier {
			// The rollup counts authors new in the range; when proposals
			// came before it, distinct authors come from the facts.
			rows, err = budgetFromFacts(ctx, d, query+"-at", v)
		}
		if err != nil {
			return nil, err
		}
		if byRegion {
			nameRegions(rows, v)
		}
		slices.SortFunc(rows, byBudget)
		t := Table{Columns: []Column{{Label: v.T(label), Kind: Text}, {Label: v.T("dash.col.proposals"), Kind: Count}, {Label: v.T("dash.col.authors"), Kind: Count},
			{Label: v.T("dash.col.budget_asked"), Kind: Money, Unit: v.P.Currency}}}
		for _, r := range rows {
			t.Rows = append(t.Rows, []Cell{named(r.name, r.authors), count(r.n), count(r.authors), num(float64(r.budget) / 100)})
		}
		return &Result{Table: t, chart: func(t *Table) *Chart {
			return largestBars(t, 3, v.T("dash.col.budget_asked")+" ("+v.P.Currency+")")
		}}, nil
	}
}

// budgetFromRollup reads the rows with proposals in the range, and whether
// any proposal of theirs came before it, unordered.
func budgetFromRollup(ctx context.Context, d *Dashboards, query string, v View) ([]budgetRow, bool, error) {
	var rows []budgetRow
	earlier := false
	err := d.each(ctx, query, v.args(), func(r *sql.Rows) error {
		var b budgetRow
		var inRange bool
		if err := r.Scan(&b.name, &inRange, &b.n, &b.budget, &b.authors); err != nil {
			return err
		}
		switch {
		case !inRange:
			earlier = earlier || b.n > 0
		case b.n > 0:
			rows = append(rows, b)
		}
		return nil
	})
	return rows, earlier, err
}

// byBudget orders budget rows as the -at queries do: budget, then name.
func byBudget(a, b budgetRow) int {
	return cmp.Or(cmp.Compare(b.budget, a.budget), strings.Compare(a.name, b.name))
}

func budgetFromFacts(ctx context.Context, d *Dashboards, query string, v View) ([]budgetRow, error) {
	var rows []budgetRow
	err := d.each(ctx, query, v.args(), func(r *sql.Rows) error {
		var b budgetRow
		if err := r.Scan(&b.name, &b.n, &b.budget, &b.authors); err != nil {
			return err
		}
		rows = append(rows, b)
		return nil
	})
	return rows, err
}

// nameRegions turns region codes into names (Process.RegionName).
func nameRegions(rows []budgetRow, v View) {
	for i, r := range rows {
		rows[i].name = v.P.RegionName(v.L, r.name)
	}
}

// MapPoints is the most located proposals the map shows one by one; past
// it a view shows density instead: 2,000 dots hide each other, and the
// first 2,000 of more would show where the earliest proposals are, not
// where most are.
const MapPoints = 2000

// mapCells is the most grid cells along the longer side of the view's
// extent; cellSteps are the sizes (degrees) tried, smallest first. Kenya
// (about 9° by 8°) gets 0.5° cells (about 56 km), a county 0.05° to 0.1°.
// Twenty across keeps a dot of the largest size (22 px) from covering its
// neighbours on a panel-sized map.
const mapCells = 20

var cellSteps = []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10}

// cellSize picks the smallest step that covers span (degrees) in at most
// mapCells cells.
func cellSize(span float64) float64 {
	for _, s := range cellSteps {
		if span/s <= mapCells {
			return s
		}
	}
	return cellSteps[len(cellSteps)-1]
}

// buildProposalMap counts the view's located proposals first: up to
// MapPoints it lists each one; beyond, counts per cell, busiest first.
func buildProposalMap(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	var n int64
	var latSpan, lngSpan float64
	if err := d.queryRow(ctx, "proposal-locations-count", v.args()).Scan(&n, &latSpan, &lngSpan); err != nil {
		return nil, fmt.Errorf("dashboards: unable to count located proposals: %w", err)
	}
	if n > MapPoints {
		return proposalCells(ctx, d, v, n, cellSize(max(latSpan, lngSpan)))
	}
	return proposalPoints(ctx, d, v)
}

func proposalPoints(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	t := Table{Columns: []Column{{Label: v.T("dash.col.proposal"), Kind: Text}, {Label: v.T("dash.col.lng"), Kind: Number}, {Label: v.T("dash.col.lat"), Kind: Number}}}
	err := d.each(ctx, "proposal-locations", v.args(), func(r *sql.Rows) error {
		var lng, lat float64
		var title string
		if err := r.Scan(&lng, &lat, &title); err != nil {
			return err
		}
		t.Rows = append(t.Rows, []Cell{text(title), num(lng), num(lat)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		names := t.labels(0)
		lng, lat := t.column(1), t.column(2)
		pts := make([][2]float64, len(names))
		for i := range names {
			pts[i] = [2]float64{lng[i], lat[i]}
		}
		c := GeoPoints(v.T("dash.col.proposals"), names, pts)
		return &c
	}}, nil
}

// proposalCells lists the cells of size cell (degrees) by count. The table
// carries the cell's centre; the chart draws only the counts the table
// shows, so a cell suppressed on a public page is not drawn either.
func proposalCells(ctx context.Context, d *Dashboards, v View, located int64, cell float64) (*Result, error) {
	t := Table{Columns: []Column{{Label: v.T("dash.col.cell"), Kind: Text}, {Label: v.T("dash.col.lng"), Kind: Number}, {Label: v.T("dash.col.lat"), Kind: Number},
		{Label: v.T("dash.col.proposals"), Kind: Count}}}
	args := v.args()
	args["cell"] = cell
	err := d.each(ctx, "proposal-location-cells", args, func(r *sql.Rows) error {
		var row, col, n int64
		if err := r.Scan(&row, &col, &n); err != nil {
			return err
		}
		lat, lng := (float64(row)+0.5)*cell, (float64(col)+0.5)*cell
		t.Rows = append(t.Rows, []Cell{text(cellLabel(lat, lng)), num(lng), num(lat), count(n)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	summary := v.T("dash.sum.map_cells", v.N(located), printer(v.loc()).Sprintf("%g", cell), v.N(int64(math.Round(cell*111.32))))
	return &Result{Table: t, Summary: []string{summary}, chart: func(t *Table) *Chart {
		names := t.labels(0)
		lng, lat, n := t.column(1), t.column(2), t.column(3)
		var cells []GeoCount
		for i := range names {
			if !math.IsNaN(n[i]) {
				cells = append(cells, GeoCount{Name: names[i], Lng: lng[i], Lat: lat[i], N: n[i]})
			}
		}
		c := GeoDensity(v.T("dash.series.per_cell"), cells)
		return &c
	}}, nil
}

func cellLabel(lat, lng float64) string {
	ns, ew := "N", "E"
	if lat < 0 {
		ns, lat = "S", -lat
	}
	if lng < 0 {
		ew, lng = "W", -lng
	}
	return fmt.Sprintf("%.3f°%s %.3f°%s", lat, ns, lng, ew)
}

// GeoCount is one cell of a density map.
type GeoCount struct {
	Name     string
	Lng, Lat float64
	N        float64
}

// GeoDensity draws counts at places on the region map as dots whose size
// and colour grow with the count (a heat-style scatter: ECharts' heatmap on
// a geo map blurs counts into an unreadable glow at country scale).
func GeoDensity(series string, cells []GeoCount) Chart {
	c := charts.NewGeo()
	c.SetGlobalOptions(
		charts.WithGeoComponentOpts(opts.GeoComponent{Map: MapName, ItemStyle: &opts.ItemStyle{AreaColor: "#eef2f7", BorderColor: "#999"}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)
	lo, hi := math.Inf(1), 0.0
	data := make([]opts.GeoData, len(cells))
	for i, g := range cells {
		data[i] = opts.GeoData{Name: g.Name, Value: []float64{g.Lng, g.Lat, g.N}}
		lo, hi = min(lo, g.N), max(hi, g.N)
	}
	if len(cells) == 0 {
		lo, hi = 0, 1
	}
	c.AddSeries(series, types.ChartScatter, data)
	return Chart{Kind: "geo", Option: option(densityOption{c, lo, max(hi, lo+1)}), Map: MapName}
}

// densityOption adds the visual map go-echarts cannot express: a symbol
// size range as well as a colour range, both over the count (value[2]).
type densityOption struct {
	*charts.Geo
	lo, hi float64
}

func (o densityOption) JSON() map[string]interface{} {
	m := o.Geo.JSON()
	m["visualMap"] = []map[string]any{{
		"type": "continuous", "dimension": 2, "min": o.lo, "max": o.hi, "calculable": true,
		"text": []string{"more", "fewer"}, "left": "left", "bottom": "5%",
		"inRange": map[string]any{"color": []string{"#fdd49e", "#fc8d59", "#b30000"}, "symbolSize": []float64{5, 22}},
	}}
	return m
}
