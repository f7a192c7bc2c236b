package chartsvg

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/dashboards"
)

// model is what the SVG needs from an ECharts option: the categories on
// one axis and the series over them. It is read from the option JSON
// rather than from dashboards' builders so that every chart a panel has
// already made can be drawn, whichever builder made it.
type model struct {
	kind       string
	categories []string
	horizontal bool // categories on the y axis
	series     []series
}

type series struct {
	name   string
	typ    string    // line, bar, scatter, funnel
	values []float64 // per category; NaN for "-" (no value)
	points [][2]float64
	stack  string
	color  string // "" picks from the palette
	dashed bool
}

// The parts of a go-echarts option that are read; everything else
// (tooltip, grid, toolbox) only matters to the interactive chart.
type optionJSON struct {
	Series []seriesJSON `json:"series"`
	XAxis  []axisJSON   `json:"xAxis"`
	YAxis  []axisJSON   `json:"yAxis"`
}

type axisJSON struct {
	Data []json.RawMessage `json:"data"`
}

type seriesJSON struct {
	Name      string            `json:"name"`
	Type      string            `json:"type"`
	Stack     string            `json:"stack"`
	Data      []json.RawMessage `json:"data"`
	ItemStyle *struct {
		Color string `json:"color"`
	} `json:"itemStyle"`
	LineStyle *struct {
		Type  string `json:"type"`
		Color string `json:"color"`
	} `json:"lineStyle"`
}

// dataJSON is one data item as go-echarts writes it: {"value": …} with
// an optional name (funnel stages).
type dataJSON struct {
	Name  string          `json:"name"`
	Value json.RawMessage `json:"value"`
}

func parse(c dashboards.Chart) (model, error) {
	var o optionJSON
	if err := json.Unmarshal([]byte(c.Option), &o); err != nil {
		return model{}, fmt.Errorf("chartsvg: unable to read the %s chart's option: %w", c.Kind, err)
	}
	m := model{kind: c.Kind}
	switch {
	case len(o.YAxis) > 0 && len(o.YAxis[0].Data) > 0:
		m.horizontal = true
		m.categories = labels(o.YAxis[0].Data)
	case len(o.XAxis) > 0:
		m.categories = labels(o.XAxis[0].Data)
	}
	for _, sj := range o.Series {
		s := series{name: clean(sj.Name), typ: sj.Type, stack: sj.Stack}
		if sj.ItemStyle != nil {
			s.color = sj.ItemStyle.Color
		}
		if sj.LineStyle != nil {
			s.dashed = sj.LineStyle.Type == "dashed"
			if s.color == "" {
				s.color = sj.LineStyle.Color
			}
		}
		for _, raw := range sj.Data {
			d := item(raw)
			switch sj.Type {
			case "scatter":
				var xy []float64
				if json.Unmarshal(d.Value, &xy) == nil && len(xy) >= 2 && finite(xy[0]) && finite(xy[1]) {
					s.points = append(s.points, [2]float64{xy[0], xy[1]})
				}
			case "funnel":
				// A funnel has no axis: its stages are its categories.
				m.categories = append(m.categories, clean(d.Name))
				s.values = append(s.values, number(d.Value))
			default:
				s.values = append(s.values, number(d.Value))
			}
		}
		m.series = append(m.series, s)
	}
	return m, nil
}

// item reads a data item that is either {"value": v, …} or a bare value.
func item(raw json.RawMessage) dataJSON {
	var d dataJSON
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '{' {
		if json.Unmarshal(raw, &d) == nil {
			return d
		}
	}
	return dataJSON{Value: raw}
}

// number is a value or NaN: ECharts' "-" (no value), null, or anything
// that is not a finite number draws nothing.
func number(raw json.RawMessage) float64 {
	var v float64
	if json.Unmarshal(raw, &v) != nil || !finite(v) {
		return math.NaN()
	}
	return v
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func labels(raw []json.RawMessage) []string {
	out := make([]string, len(raw))
	for i, r := range raw {
		var s string
		if json.Unmarshal(r, &s) != nil {
			s = string(bytes.TrimSpace(r)) // a number used as a category
		}
		out[i] = clean(s)
	}
	return out
}

// clean makes participant text safe to lay out as one line of XML text:
// invalid UTF-8 and the control characters XML 1.0 forbids (even
// escaped) become a replacement character or a space, and line breaks
// fold, because the text handler would otherwise draw several lines.
// Escaping itself happens where the text is written.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\uFFFE' || r == '\uFFFF':
			return '\uFFFD'
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// ellipsis shortens s so that width(s) ≤ max, ending it with "…".
func ellipsis(s string, max float64, width func(string) float64) string {
	if width(s) <= max {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the longest prefix that fits, by bisection
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if width(strings.TrimRight(string(r[:mid]), " ")+"…") <= max {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo == 0 && utf8.RuneCountInString(s) > 0 {
		return "…"
	}
	return strings.TrimRight(string(r[:lo]), " ") + "…"
}
