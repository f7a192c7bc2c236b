package dashboards

import (
	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
)

// PointSet is one series of a scatter: a group of the opinion map.
type PointSet struct {
	Name   string
	Points [][2]float64
	Color  string // "" lets ECharts pick from its palette
}

// ScatterChart draws each set as its own series on two value axes, so the
// legend names the groups and a click hides one. Points carry no name: the
// opinion map shows where people stand, never who they are.
func ScatterChart(sets []PointSet) Chart {
	c := charts.NewScatter()
	c.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(false)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "3%", Top: "6%", Bottom: "12%", ContainLabel: opts.Bool(true)}),
		// The axes of a projection have no units; their labels would only
		// invite reading meaning into them.
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Scale: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(false)},
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Scale: opts.Bool(true), AxisLabel: &opts.AxisLabel{Show: opts.Bool(false)},
			SplitLine: &opts.SplitLine{Show: opts.Bool(false)}}),
	)
	for _, s := range sets {
		data := make([]opts.ScatterData, len(s.Points))
		for i, p := range s.Points {
			data[i] = opts.ScatterData{Value: []float64{p[0], p[1]}, SymbolSize: 8}
		}
		var so []charts.SeriesOpts
		if s.Color != "" {
			so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
		}
		c.AddSeries(s.Name, data, so...)
	}
	return Chart{Kind: "scatter", Option: option(c)}
}
