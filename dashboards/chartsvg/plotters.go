package chartsvg

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// bars draws bar series the way ECharts does: series that share a stack
// share one slot of a category and pile up from zero, positives upwards
// and negatives downwards (ECharts' "samesign" stacking, which the
// survey's diverging Likert bar relies on); other series stand side by
// side. gonum's BarChart stacks by plain sums, which would draw the
// diverging bar's right half on top of its left.
type bars struct {
	series     []series
	colours    []color.Color
	horizontal bool
	n          int // categories
}

// slots gives each series its slot index, and the number of slots.
func (b bars) slots() ([]int, int) {
	idx := make([]int, len(b.series))
	seen := map[string]int{}
	k := 0
	for i, s := range b.series {
		if s.stack != "" {
			if j, ok := seen[s.stack]; ok {
				idx[i] = j
				continue
			}
			seen[s.stack] = k
		}
		idx[i] = k
		k++
	}
	return idx, max(k, 1)
}

// extents are each bar's start and end along the value axis; NaN values
// have no bar (a gap, not a zero).
func (b bars) extents() (from, to [][]float64) {
	slot, k := b.slots()
	pos := make([][]float64, k)
	neg := make([][]float64, k)
	for j := range pos {
		pos[j] = make([]float64, b.n)
		neg[j] = make([]float64, b.n)
	}
	from = make([][]float64, len(b.series))
	to = make([][]float64, len(b.series))
	for i, s := range b.series {
		from[i] = make([]float64, b.n)
		to[i] = make([]float64, b.n)
		for c := 0; c < b.n; c++ {
			v := math.NaN()
			if c < len(s.values) {
				v = s.values[c]
			}
			from[i][c], to[i][c] = math.NaN(), math.NaN()
			if math.IsNaN(v) {
				continue
			}
			base := &pos[slot[i]][c]
			if v < 0 {
				base = &neg[slot[i]][c]
			}
			from[i][c], to[i][c] = *base, *base+v
			*base += v
		}
	}
	return from, to
}

func (b bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	from, to := b.extents()
	lo, hi := 0.0, 0.0 // bars grow from zero, so zero is always in view
	for i := range from {
		for c := range from[i] {
			if !math.IsNaN(to[i][c]) {
				lo, hi = math.Min(lo, to[i][c]), math.Max(hi, to[i][c])
			}
		}
	}
	if b.horizontal {
		return lo, hi, -0.5, float64(b.n) - 0.5
	}
	return -0.5, float64(b.n) - 0.5, lo, hi
}

func (b bars) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	from, to := b.extents()
	slot, k := b.slots()
	const group = 0.8 // share of a category the bars take, the rest is air
	w := group / float64(k)
	for i := range b.series {
		for cat := 0; cat < b.n; cat++ {
			if math.IsNaN(to[i][cat]) || from[i][cat] == to[i][cat] {
				continue
			}
			a := float64(cat) - group/2 + float64(slot[i])*w
			v0, v1 := from[i][cat], to[i][cat]
			var pts []vg.Point
			if b.horizontal {
				x0, x1, y0, y1 := tx(v0), tx(v1), ty(a), ty(a+w)
				pts = []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			} else {
				x0, x1, y0, y1 := tx(a), tx(a+w), ty(v0), ty(v1)
				pts = []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
			}
			c.FillPolygon(b.colours[i], c.ClipPolygonXY(pts))
		}
	}
}

// lines draws line series over the categories, broken where a value is
// missing: a gap says "no figure" where a joined line would invent one.
// A value with missing neighbours on both sides gets a dot, or it would
// not show at all.
type lines struct {
	series  []series
	colours []color.Color
	n       int
}

func (l lines) DataRange() (xmin, xmax, ymin, ymax float64) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range l.series {
		for _, v := range s.values {
			if !math.IsNaN(v) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	if lo > 0 && !math.IsInf(lo, 0) {
		lo = 0 // counts read against zero, as ECharts' value axis does
	}
	return 0, math.Max(float64(l.n-1), 0), lo, hi
}

func (l lines) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	for i, s := range l.series {
		sty := draw.LineStyle{Color: l.colours[i], Width: vg.Points(2)}
		if s.dashed {
			sty.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
		}
		var runs [][]vg.Point
		var run []vg.Point
		for j, v := range s.values {
			if math.IsNaN(v) {
				if len(run) > 0 {
					runs = append(runs, run)
				}
				run = nil
				continue
			}
			run = append(run, vg.Point{X: tx(float64(j)), Y: ty(v)})
		}
		if len(run) > 0 {
			runs = append(runs, run)
		}
		var strokes [][]vg.Point
		for _, r := range runs {
			if len(r) == 1 {
				c.DrawGlyph(draw.GlyphStyle{Color: l.colours[i], Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}, r[0])
				continue
			}
			strokes = append(strokes, r)
		}
		if len(strokes) > 0 {
			c.StrokeLines(sty, c.ClipLinesXY(strokes...)...)
		}
	}
}

// points draws scatter series, each set as one filled path of dots so a
// map of a few hundred people stays a few kilobytes per set.
type points struct {
	series  []series
	colours []color.Color
}

func (pt points) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, s := range pt.series {
		for _, q := range s.points {
			xmin, xmax = math.Min(xmin, q[0]), math.Max(xmax, q[0])
			ymin, ymax = math.Min(ymin, q[1]), math.Max(ymax, q[1])
		}
	}
	return xmin, xmax, ymin, ymax
}

func (pt points) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	r := vg.Points(3)
	for i, s := range pt.series {
		var path vg.Path
		for _, q := range s.points {
			x, y := tx(q[0]), ty(q[1])
			path.Move(vg.Point{X: x + r, Y: y})
			path.Arc(vg.Point{X: x, Y: y}, r, 0, 2*math.Pi)
			path.Close()
		}
		if len(path) > 0 {
			c.SetColor(pt.colours[i])
			c.Fill(path)
		}
	}
}

// GlyphBoxes keeps dots at the edge of the range inside the plot.
func (pt points) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	xmin, xmax, ymin, ymax := pt.DataRange()
	r := vg.Points(3)
	for _, q := range [][2]float64{{xmin, ymin}, {xmax, ymax}} {
		if math.IsInf(q[0], 0) {
			continue
		}
		boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(q[0]), Y: p.Y.Norm(q[1]),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}})
	}
	return boxes
}
