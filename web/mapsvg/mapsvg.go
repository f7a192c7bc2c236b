// Package mapsvg draws a region set's areas as a small inline SVG on the
// server, so a phone on a slow network gets the map with the page (no
// tiles, no map library) and a page without JavaScript still shows it.
//
// The projection is equirectangular, fitted to the areas' bounds, with
// longitudes shortened by the cosine of the middle latitude so a county
// near the equator and one far from it both keep their shape. Coordinates
// are rounded to whole units of a Width-wide drawing after a
// Douglas–Peucker pass, and written as relative path steps: Kenya's 47
// counties take a few tens of kilobytes.
package mapsvg

import (
	"math"
	"strconv"

	"github.com/civicpulse/civicpulse/participation"
)

// Width is the drawing's width in SVG units (its longer side for a tall
// region set); about one unit per CSS pixel on a phone.
const Width = 400

// pad keeps a marker on the map's edge whole.
const pad = 8

// tolerance is how far (in units) simplification may move a boundary.
const tolerance = 0.6

// Map is a drawn region set, ready for a template.
type Map struct {
	W, H  int
	Areas []Area
	// The inverse projection, for the page's script: a point at (x, y) is
	// at longitude West + x/KX and latitude North − y/KY.
	West, North, KX, KY float64
}

// Area is one region: its code, name and SVG path.
type Area struct {
	Code, Name, D string
}

// Point is a place on the drawing.
type Point struct {
	X, Y string
}

// New draws the shapes, naming each by names[code]. Nil when there is
// nothing to draw.
func New(shapes []participation.Shape, names map[string]string) *Map {
	minLng, minLat, maxLng, maxLat := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, s := range shapes {
		for _, poly := range s.Polygons {
			for _, ring := range poly {
				for _, p := range ring {
					minLng, maxLng = math.Min(minLng, p[0]), math.Max(maxLng, p[0])
					minLat, maxLat = math.Min(minLat, p[1]), math.Max(maxLat, p[1])
				}
			}
		}
	}
	if math.IsInf(minLng, 0) || maxLng-minLng <= 0 || maxLat-minLat <= 0 {
		return nil
	}
	shrink := math.Cos((minLat + maxLat) / 2 * math.Pi / 180)
	k := (Width - 2*pad) / math.Max((maxLng-minLng)*shrink, maxLat-minLat)
	m := &Map{KX: k * shrink, KY: k}
	m.West, m.North = minLng-pad/m.KX, maxLat+pad/m.KY
	m.W = int(math.Ceil((maxLng-minLng)*m.KX)) + 2*pad
	m.H = int(math.Ceil((maxLat-minLat)*m.KY)) + 2*pad
	for _, s := range shapes {
		var d []byte
		for _, poly := range s.Polygons {
			for _, ring := range poly {
				d = m.appendRing(d, ring)
			}
		}
		if len(d) > 0 {
			m.Areas = append(m.Areas, Area{Code: s.Code, Name: names[s.Code], D: string(d)})
		}
	}
	if len(m.Areas) == 0 {
		return nil
	}
	return m
}

// At places a point on the drawing; false when it falls off it.
func (m *Map) At(lat, lng float64) (Point, bool) {
	if m == nil {
		return Point{}, false
	}
	x, y := (lng-m.West)*m.KX, (m.North-lat)*m.KY
	if x < 0 || y < 0 || x > float64(m.W) || y > float64(m.H) {
		return Point{}, false
	}
	return Point{strconv.FormatFloat(x, 'f', 1, 64), strconv.FormatFloat(y, 'f', 1, 64)}, true
}

// Fixed formats the inverse projection's numbers for data attributes.
func Fixed(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

type xy struct{ x, y float64 }

// appendRing writes one ring as "M x y l dx dy … z" in whole units, or
// nothing when it shrinks below a triangle (a speck of an island).
func (m *Map) appendRing(d []byte, ring [][2]float64) []byte {
	pts := make([]xy, len(ring))
	for i, p := range ring {
		pts[i] = xy{(p[0] - m.West) * m.KX, (m.North - p[1]) * m.KY}
	}
	pts = simplify(pts, tolerance)
	var ints [][2]int
	for _, p := range pts {
		q := [2]int{int(math.Round(p.x)), int(math.Round(p.y))}
		if n := len(ints); n > 0 && ints[n-1] == q {
			continue
		}
		ints = append(ints, q)
	}
	if n := len(ints); n > 1 && ints[0] == ints[n-1] {
		ints = ints[:n-1] // z closes the ring
	}
	if len(ints) < 3 {
		return d
	}
	d = append(d, 'M')
	d = strconv.AppendInt(d, int64(ints[0][0]), 10)
	d = appendNum(d, ints[0][1])
	d = append(d, 'l')
	for i := 1; i < len(ints); i++ {
		dx, dy := ints[i][0]-ints[i-1][0], ints[i][1]-ints[i-1][1]
		if i == 1 {
			d = strconv.AppendInt(d, int64(dx), 10)
		} else {
			d = appendNum(d, dx)
		}
		d = appendNum(d, dy)
	}
	return append(d, 'z')
}

// appendNum writes a number after another: a minus sign separates them by
// itself, anything else takes a space.
func appendNum(d []byte, v int) []byte {
	if v >= 0 {
		d = append(d, ' ')
	}
	return strconv.AppendInt(d, int64(v), 10)
}

// simplify is Douglas–Peucker: it keeps the points that move the line by
// more than tol, always the first and the last.
func simplify(pts []xy, tol float64) []xy {
	if len(pts) < 3 {
		return pts
	}
	keep := make([]bool, len(pts))
	keep[0], keep[len(pts)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(pts) - 1}}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		far, at := 0.0, -1
		for i := s.a + 1; i < s.b; i++ {
			if dist := segDist(pts[i], pts[s.a], pts[s.b]); dist > far {
				far, at = dist, i
			}
		}
		if at >= 0 && far > tol {
			keep[at] = true
			stack = append(stack, span{s.a, at}, span{at, s.b})
		}
	}
	out := pts[:0:0]
	for i, p := range pts {
		if keep[i] {
			out = append(out, p)
		}
	}
	return out
}

// segDist is the distance from p to the segment ab (to a when a = b, as
// for a closed ring's first span).
func segDist(p, a, b xy) float64 {
	dx, dy := b.x-a.x, b.y-a.y
	l2 := dx*dx + dy*dy
	if l2 == 0 {
		return math.Hypot(p.x-a.x, p.y-a.y)
	}
	t := math.Max(0, math.Min(1, ((p.x-a.x)*dx+(p.y-a.y)*dy)/l2))
	return math.Hypot(p.x-a.x-t*dx, p.y-a.y-t*dy)
}
