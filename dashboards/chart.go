package dashboards

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"
)

// Chart is a panel's ECharts option, built with go-echarts. The page puts
// Option in a data attribute (html/template escapes it, so participant text
// in a label cannot close a script) and a static script draws it, disposing
// any chart already on the element: no inline script, no clash on the
// second htmx swap.
type Chart struct {
	Kind   string // line, bar, map, funnel, geo
	Option string // JSON
	Map    string // name of the map the option draws on ("" for none)
}

// Series is one line or bar set.
type Series struct {
	Name   string
	Values []float64 // NaN: no value (suppressed or missing)
	Dashed bool      // a comparison line (previous period)
	Stack  string
	Color  string
}

// MapName is the region set every choropleth draws on; the demo's is
// Kenya's counties (dashweb serves the GeoJSON).
const MapName = "regions"

func value(v float64) any {
	if math.IsNaN(v) {
		return "-" // ECharts draws nothing for "-"
	}
	return v
}

func base() []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Bottom: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "3%", Right: "3%", Top: "8%", Bottom: "14%", ContainLabel: opts.Bool(true)}),
	}
}

func option(c interface {
	Validate()
	JSON() map[string]interface{}
}) string {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		panic(fmt.Sprintf("dashboards: chart option does not marshal: %v", err)) // only numbers and strings go in
	}
	return string(b)
}

// LineChart draws series over the x labels.
func LineChart(x []string, series []Series) Chart {
	c := charts.NewLine()
	c.SetGlobalOptions(base()...)
	c.SetXAxis(x)
	for _, s := range series {
		data := make([]opts.LineData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.LineData{Value: value(v)}
		}
		so := []charts.SeriesOpts{charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(len(x) <= 48)})}
		if s.Dashed {
			so = append(so, charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Color: "#888"}))
		}
		c.AddSeries(s.Name, data, so...)
	}
	return Chart{Kind: "line", Option: option(c)}
}

// BarChart draws bars; horizontal puts the labels on the y axis (long
// labels read better on a phone).
func BarChart(x []string, series []Series, horizontal bool) Chart {
	c := charts.NewBar()
	c.SetGlobalOptions(base()...)
	c.SetXAxis(x)
	for _, s := range series {
		data := make([]opts.BarData, len(s.Values))
		for i, v := range s.Values {
			data[i] = opts.BarData{Value: value(v)}
		}
		var so []charts.SeriesOpts
		if s.Stack != "" {
			so = append(so, charts.WithBarChartOpts(opts.BarChart{Stack: s.Stack}))
		}
		if s.Color != "" {
			so = append(so, charts.WithItemStyleOpts(opts.ItemStyle{Color: s.Color}))
		}
		c.AddSeries(s.Name, data, so...)
	}
	if horizontal {
		c.XYReversal()
	}
	return Chart{Kind: "bar", Option: option(c)}
}

// Area is a named value on a map; Flag outlines it (far below the median).
type Area struct {
	Name  string
	Value float64
	Flag  bool
}

// MapChart is a choropleth of the region set.
func MapChart(series string, areas []Area) Chart {
	c := charts.NewMap()
	c.RegisterMapType(MapName)
	hi := 0.0
	data := make([]opts.MapData, len(areas))
	for i, a := range areas {
		data[i] = opts.MapData{Name: a.Name, Value: value(a.Value)}
		if !math.IsNaN(a.Value) {
			hi = math.Max(hi, a.Value)
		}
	}
	c.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithVisualMapOpts(opts.VisualMap{Calculable: opts.Bool(true), Min: 0, Max: float32(math.Max(hi, 1)),
			InRange: &opts.VisualMapInRange{Color: []string{"#f7fbff", "#6baed6", "#08306b"}}}),
	)
	c.AddSeries(series, data)
	ch := Chart{Kind: "map", Option: option(c), Map: MapName}
	// Flagged regions get a red outline; go-echarts has no per-item style on
	// map data, so it is added to the marshalled option.
	var o map[string]any
	if json.Unmarshal([]byte(ch.Option), &o) == nil {
		if ss, ok := o["series"].([]any); ok && len(ss) > 0 {
			if s, ok := ss[0].(map[string]any); ok {
				if d, ok := s["data"].([]any); ok {
					for i, a := range areas {
						if a.Flag && i < len(d) {
							if m, ok := d[i].(map[string]any); ok {
								m["itemStyle"] = map[string]any{"borderColor": "#c00", "borderWidth": 2}
							}
						}
					}
				}
			}
		}
		if b, err := json.Marshal(o); err == nil {
			ch.Option = string(b)
		}
	}
	return ch
}

// FunnelChart draws stages from the widest down.
func FunnelChart(series string, stages []Area) Chart {
	c := charts.NewFunnel()
	c.SetGlobalOptions(charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}))
	data := make([]opts.FunnelData, len(stages))
	for i, s := range stages {
		data[i] = opts.FunnelData{Name: s.Name, Value: value(s.Value)}
	}
	c.AddSeries(series, data)
	return Chart{Kind: "funnel", Option: option(c)}
}

// GeoPoints places points (lng, lat) on the region map.
func GeoPoints(series string, names []string, lnglat [][2]float64) Chart {
	c := charts.NewGeo()
	c.SetGlobalOptions(
		charts.WithGeoComponentOpts(opts.GeoComponent{Map: MapName, ItemStyle: &opts.ItemStyle{AreaColor: "#eef2f7", BorderColor: "#999"}}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)
	data := make([]opts.GeoData, len(names))
	for i := range names {
		data[i] = opts.GeoData{Name: names[i], Value: []float64{lnglat[i][0], lnglat[i][1], 1}}
	}
	c.AddSeries(series, types.ChartScatter, data)
	return Chart{Kind: "geo", Option: option(c), Map: MapName}
}
