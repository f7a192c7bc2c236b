package chartsvg

import (
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is the series' names laid out in rows, each after a sample of
// its colour, below the plot: drawn beside the data it would hide some.
type legend struct {
	labels []string  // the names, shortened to their entry
	widths []float64 // px an entry takes, with the air after it
	rows   [][]int   // series indices, top row first
}

// layoutLegend flows the entries into rows of the available width, each
// name cut to frac of it.
func layoutLegend(m model, avail, frac float64) legend {
	sty := style(fontSize)
	width := widthOf(sty)
	var l legend
	x := 0.0
	for i, s := range m.series {
		label := ellipsis(s.name, avail*frac-swatch-18, width)
		w := swatch + 4 + width(label) + 14
		l.labels = append(l.labels, label)
		l.widths = append(l.widths, w)
		if len(l.rows) == 0 || x+w > avail {
			l.rows = append(l.rows, nil)
			x = 0
		}
		l.rows[len(l.rows)-1] = append(l.rows[len(l.rows)-1], i)
		x += w
	}
	return l
}

// height is the px the legend takes, with the air above it.
func (l legend) height() float64 {
	if len(l.rows) == 0 {
		return 0
	}
	return float64(len(l.rows))*legendLine + 8
}

// draw puts the legend along the bottom of c: a dashed stroke for a
// dashed line, a stroke for a line, a square for bars and dots.
func (l legend) draw(c draw.Canvas, m model) {
	sty := style(fontSize)
	sty.YAlign = draw.YCenter
	top := c.Min.Y + vg.Length(l.height()-8)
	for r, row := range l.rows {
		y := top - vg.Length(float64(r)*legendLine+legendLine/2)
		x := c.Min.X
		for _, i := range row {
			s := m.series[i]
			col := colour(s, i)
			if m.kind == "line" {
				ls := draw.LineStyle{Color: col, Width: 2}
				if s.dashed {
					ls.Dashes = []vg.Length{4, 3}
				}
				c.StrokeLine2(ls, x, y, x+swatch, y)
			} else {
				half := vg.Length(swatch/2 - 1)
				c.FillPolygon(col, []vg.Point{{X: x, Y: y - half}, {X: x + swatch, Y: y - half}, {X: x + swatch, Y: y + half}, {X: x, Y: y + half}})
			}
			c.FillText(sty, vg.Point{X: x + swatch + 4, Y: y}, l.labels[i])
			x += vg.Length(l.widths[i])
		}
	}
}
