package chartsvg

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/civicpulse/civicpulse/dashboards"
)

var (
	// ErrUnsupported is returned for chart kinds drawn only by the
	// interactive chart (map, geo): the page shows the table alone.
	ErrUnsupported = errors.New("chartsvg: chart kind not drawn as SVG")
	// ErrNoData is returned for a chart with nothing to draw (no
	// categories, no series or no values).
	ErrNoData = errors.New("chartsvg: chart has no data")
)

// Options sizes the drawing. The SVG scales to its container through its
// viewBox; Width and Height set its proportions, its size when nothing
// else does, and how much room labels get (in px, as in CSS).
type Options struct {
	Width  int // 0: 640
	Height int // 0: 360, or for horizontal bars and funnels enough for every label
}

const (
	fontSize   = 11 // px: tick labels and legend
	pad        = 8  // px around the drawing
	swatch     = 12 // px: a legend entry's colour sample
	legendLine = 18 // px: height of one row of the legend
)

// sans is the face labels are measured with; gonum/plot's default is
// the serif one, which reads worse at small sizes.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

var (
	ink   = color.RGBA{R: 0x33, G: 0x33, B: 0x33, A: 0xff} // text and axes: 12.6:1 on white
	faint = color.RGBA{R: 0xdd, G: 0xdd, B: 0xdd, A: 0xff} // grid lines: only a guide
)

// Check reports, without drawing, whether Render would draw c: nil, or
// the error Render would return before drawing (ErrUnsupported, ErrNoData
// or a malformed chart). A page that links a chart's image checks with it
// and leaves the drawing to the image's own request.
func Check(c dashboards.Chart) error {
	_, err := readChart(c)
	return err
}

// readChart is c read for drawing, or why it cannot be drawn.
func readChart(c dashboards.Chart) (model, error) {
	switch c.Kind {
	case "line", "bar", "funnel", "scatter":
	default:
		return model{}, fmt.Errorf("%w: %q", ErrUnsupported, c.Kind)
	}
	m, err := parse(c)
	if err != nil {
		return model{}, err
	}
	if !m.hasData() {
		return model{}, ErrNoData
	}
	return m, nil
}

// Render draws c as a standalone SVG document titled title. The same
// chart and options give the same bytes, so the result can be cached and
// given an ETag by its hash.
func Render(c dashboards.Chart, title string, opts Options) (out []byte, err error) {
	m, err := readChart(c)
	if err != nil {
		return nil, err
	}
	w, h := opts.Width, opts.Height
	if w <= 0 {
		w = 640
	}
	w = max(w, 160) // below that no label fits
	var leg legend
	if len(m.series) > 1 {
		leg = layoutLegend(m, float64(w-2*pad), 0.5)
	}
	if h <= 0 {
		h = m.height() + int(leg.height())
	}
	h = max(h, 120)
	if len(m.series) > 1 {
		// Narrower entries, in more columns, while the legend would take
		// more than a third of the drawing from the plot.
		for _, frac := range []float64{1.0 / 3, 0.25} {
			if leg.height() <= float64(h)/3 {
				break
			}
			leg = layoutLegend(m, float64(w-2*pad), frac)
		}
	}
	// gonum/plot panics on some degenerate inputs; one bad panel must not
	// take the page (or the server) down with it.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("chartsvg: unable to draw the %s chart: %v", c.Kind, r)
		}
	}()
	canvas := vgsvg.New(vg.Length(w), vg.Length(h)) // 1 pt of the canvas is 1 px of the viewBox
	dc := draw.New(canvas)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	area := draw.Crop(dc, pad, -pad, pad, -pad)
	if len(m.series) > 1 {
		leg.draw(area, m)
		area = draw.Crop(area, 0, 0, vg.Length(leg.height()), 0)
	}
	newPlot(m, float64(w), float64(h)).Draw(area)
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("chartsvg: unable to write the %s chart: %w", c.Kind, err)
	}
	return document(buf.Bytes(), clean(title), w, h)
}

// height is the default height, less the legend's: a row of about 24 px
// for each category of a horizontal chart (a county list stays legible),
// 360 px otherwise.
func (m model) height() int {
	if m.kind == "funnel" || (m.kind == "bar" && m.horizontal) {
		return min(max(len(m.categories)*24+60, 160), 1600)
	}
	return 360
}

func (m model) hasData() bool {
	for _, s := range m.series {
		if len(s.points) > 0 {
			return true
		}
		if len(m.categories) > 0 && slices.ContainsFunc(s.values, func(v float64) bool { return !math.IsNaN(v) }) {
			return true
		}
	}
	return false
}

func style(size float64) text.Style {
	return text.Style{
		Color:   ink,
		Font:    font.From(sans, font.Length(size)),
		Handler: plot.DefaultTextHandler,
	}
}

func widthOf(sty text.Style) func(string) float64 {
	return func(s string) float64 { return sty.Width(s).Points() }
}

func newPlot(m model, w, h float64) *plot.Plot {
	p := plot.New()
	p.BackgroundColor = nil // the document's white is already there
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font = style(fontSize).Font // keeping the axis' alignment
		a.Tick.Label.Color = ink
		a.Tick.Marker = trimmed{}
		a.Color = ink
		a.Tick.Color = ink
	}
	colours := make([]color.Color, len(m.series))
	for i, s := range m.series {
		colours[i] = colour(s, i)
	}
	n := len(m.categories)
	switch m.kind {
	case "scatter":
		// A projection's axes have no units (the interactive chart hides
		// their labels too): only a frame is drawn.
		p.X.Tick.Marker = plot.ConstantTicks{}
		p.Y.Tick.Marker = plot.ConstantTicks{}
		p.Add(points{series: m.series, colours: colours})
	case "line":
		p.Add(&plotter.Grid{Horizontal: draw.LineStyle{Color: faint, Width: 0.5}})
		p.Add(lines{series: m.series, colours: colours, n: n})
		categoryAxis(&p.X, m.categories, w, false)
		nice(&p.Y)
	case "funnel":
		// A funnel is drawn as bars of its stages, the first at the top,
		// which reads the same without the trapezoids.
		cats := slices.Clone(m.categories)
		slices.Reverse(cats)
		ss := slices.Clone(m.series)
		for i := range ss {
			ss[i].values = slices.Clone(ss[i].values)
			slices.Reverse(ss[i].values)
		}
		p.Add(&plotter.Grid{Vertical: draw.LineStyle{Color: faint, Width: 0.5}})
		p.Add(bars{series: ss, colours: colours, horizontal: true, n: len(cats)})
		categoryAxis(&p.Y, cats, h, true)
		limit(&p.Y, cats, w)
		nice(&p.X)
	default: // bar
		if m.horizontal {
			p.Add(&plotter.Grid{Vertical: draw.LineStyle{Color: faint, Width: 0.5}})
			p.Add(bars{series: m.series, colours: colours, horizontal: true, n: n})
			categoryAxis(&p.Y, m.categories, h, true)
			limit(&p.Y, m.categories, w)
			nice(&p.X)
		} else {
			p.Add(&plotter.Grid{Horizontal: draw.LineStyle{Color: faint, Width: 0.5}})
			p.Add(bars{series: m.series, colours: colours, n: n})
			categoryAxis(&p.X, m.categories, w, false)
			nice(&p.Y)
		}
	}
	return p
}

// categoryAxis labels the categories at 0, 1, …, n-1, truncating long
// labels and, where there are more than the axis has room for, labelling
// only every k-th (a year of days still reads as dates).
func categoryAxis(a *plot.Axis, cats []string, room float64, vertical bool) {
	a.Tick.Length = 0
	width := widthOf(a.Tick.Label)
	slot := (room - 2*pad - 60) / math.Max(float64(len(cats)), 1) // less the other axis and padding, roughly
	// Labels are cut to their slot while that leaves a word or two;
	// past that every k-th label is drawn, uncut.
	maxLabel := math.Min(room/4, 140)
	if !vertical && slot >= 56 {
		maxLabel = math.Min(slot-10, maxLabel)
	}
	labels := make([]string, len(cats))
	widest := 0.0
	for i, c := range cats {
		labels[i] = ellipsis(c, maxLabel, width)
		widest = math.Max(widest, width(labels[i]))
	}
	need := widest + 16 // px one label takes along the axis, with air
	if vertical {
		need = fontSize * 1.6
	}
	k := 1
	if (vertical || slot < 56) && slot > 0 && need > slot {
		k = int(math.Ceil(need / slot))
	}
	ticks := make([]plot.Tick, len(cats))
	for i := range cats {
		ticks[i] = plot.Tick{Value: float64(i)}
		if i%k == 0 {
			ticks[i].Label = labels[i]
		}
	}
	a.Tick.Marker = plot.ConstantTicks(ticks)
}

// nice widens a value axis to round numbers (10, 25, 50, …) so the
// longest bar does not touch the edge and the last tick is labelled.
func nice(a *plot.Axis) {
	if a.Min == 0 && a.Max == 0 {
		a.Max = 1 // all zero: an axis from 0, not one around it
		return
	}
	if a.Max > 0 {
		a.Max = roundUp(a.Max)
	}
	if a.Min < 0 {
		a.Min = -roundUp(-a.Min)
	}
}

func roundUp(v float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(v)))
	for _, f := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if f*mag >= v*1.05 { // some air above the longest bar
			return f * mag
		}
	}
	return 10 * mag
}

// trimmed are gonum's ticks with their labels' trailing zeros cut
// ("25.00" reads as "25").
type trimmed struct{}

func (trimmed) Ticks(lo, hi float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ts {
		if strings.Contains(t.Label, ".") && !strings.ContainsAny(t.Label, "eE") {
			ts[i].Label = strings.TrimSuffix(strings.TrimRight(t.Label, "0"), ".")
		}
	}
	return ts
}

// limit shortens the labels of a vertical category axis to a third of
// the width, so that the bars keep most of it.
func limit(a *plot.Axis, cats []string, w float64) {
	width := widthOf(a.Tick.Label)
	ticks := a.Tick.Marker.(plot.ConstantTicks)
	for i := range ticks {
		if ticks[i].Label != "" {
			ticks[i].Label = ellipsis(cats[i], w/3, width)
		}
	}
}

// document replaces vgsvg's prelude (sizes in pt, no title) with one that
// scales, names the chart for screen readers, and falls back from the
// font the labels were measured with to its metric twin, Arial.
func document(svg []byte, title string, w, h int) ([]byte, error) {
	start := bytes.Index(svg, []byte("<svg"))
	end := -1
	if start >= 0 {
		end = bytes.IndexByte(svg[start:], '>')
	}
	if end < 0 {
		return nil, errors.New("chartsvg: the SVG writer's prelude has changed")
	}
	var b bytes.Buffer
	b.Grow(len(svg) + 256)
	fmt.Fprintf(&b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="t">`+
		"\n<title id=\"t\">", w, h, w, h)
	if err := xml.EscapeText(&b, []byte(title)); err != nil {
		return nil, err
	}
	b.WriteString("</title>")
	rest := svg[start+end+1:]
	rest = bytes.ReplaceAll(rest, []byte("font-family:Liberation Sans;"), []byte("font-family:Liberation Sans,Arial,Helvetica,sans-serif;"))
	b.Write(rest)
	return b.Bytes(), nil
}
