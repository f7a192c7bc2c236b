package report

import (
	"bytes"
	"fmt"
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

var (
	sans      = font.Font{Typeface: "Liberation", Variant: "Sans"}
	barColour = color.RGBA{R: 0x21, G: 0x66, B: 0xac, A: 0xff}
	inkColour = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
)

// chartWidth is the chart's width in points: the PDF's text width, and
// the printed page's in HTML.
const chartWidth = 480

// maxLabel bounds a bar's label; the table below the chart gives it whole.
const maxLabel = 40

// drawPNG draws the chart once, as a PNG both writers embed: horizontal
// bars, the first label at the top, each with its interval as a whisker.
func (c *Chart) drawPNG() ([]byte, error) {
	if c.png != nil {
		return c.png, nil
	}
	n := len(c.Labels)
	labels := make([]string, n)
	vals := make(plotter.Values, n)
	for i := range n { // the plot's y axis grows upwards: reverse
		j := n - 1 - i
		labels[i] = shorten(c.Labels[j], maxLabel)
		vals[i] = c.Values[j]
	}
	p := plot.New()
	// Sans, as the document around the chart (gonum's default is a serif).
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Tick.Label.Font = font.From(sans, a.Tick.Label.Font.Size)
		a.Label.TextStyle.Font = font.From(sans, a.Label.TextStyle.Font.Size)
		a.Tick.Label.Color = inkColour
	}
	p.X.Min = 0
	bars, err := plotter.NewBarChart(vals, vg.Points(12))
	if err != nil {
		return nil, fmt.Errorf("report: unable to draw a chart: %w", err)
	}
	bars.Horizontal = true
	bars.Color = barColour
	bars.LineStyle.Width = 0
	p.Add(&plotter.Grid{Vertical: draw.LineStyle{Color: color.Gray{Y: 0xdd}, Width: 0.5}})
	p.Add(bars)
	if len(c.Lo) == n && len(c.Hi) == n {
		pts := make(plotter.XYs, n)
		errs := make(plotter.XErrors, n)
		for i := range n {
			j := n - 1 - i
			pts[i] = plotter.XY{X: c.Values[j], Y: float64(i)}
			errs[i].Low, errs[i].High = c.Values[j]-c.Lo[j], c.Hi[j]-c.Values[j]
		}
		eb, err := plotter.NewXErrorBars(struct {
			plotter.XYs
			plotter.XErrors
		}{pts, errs})
		if err == nil {
			eb.LineStyle.Color = inkColour
			eb.LineStyle.Width = vg.Points(1)
			p.Add(eb)
		}
	}
	p.NominalY(labels...)
	if c.Unit == "%" {
		p.X.Max = max(p.X.Max, 100)
		p.X.Label.Text = "%"
	}
	if slices.Max(append([]float64{0}, c.Values...)) == 0 {
		p.X.Max = 1
	}
	h := vg.Points(float64(40 + 22*n))
	cv := vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(vg.Points(chartWidth), h), vgimg.UseDPI(144))}
	p.Draw(draw.New(cv))
	var b bytes.Buffer
	if _, err := cv.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("report: unable to draw a chart: %w", err)
	}
	c.png = b.Bytes()
	return c.png, nil
}

// height is the chart's height in points at chartWidth.
func (c *Chart) height() float64 { return float64(40 + 22*len(c.Labels)) }

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
