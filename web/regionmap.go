package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/mapsvg"
)

// regionMap is a region set's drawing and the areas behind it, kept per
// set: a set never changes once created, and drawing Kenya's counties
// takes tens of milliseconds that a citizen's page should not wait for.
type regionMap struct {
	svg    *mapsvg.Map // nil: the set has no shapes
	shapes []participation.Shape
	names  map[string]string
}

type regionMaps struct {
	mu   sync.Mutex
	sets map[int64]*regionMap
}

const regionMapsKept = 16

// regionSet returns the process's regions and its set's map (nil without
// shapes). A failure to read or draw is logged and leaves the page without
// them, as for the regions alone.
func (s *Server) regionSet(r *http.Request, p participation.Process) ([]participation.Region, *regionMap) {
	if p.RegionSetID == 0 {
		return nil, nil
	}
	rs, err := s.store.GetRegionSet(r.Context(), p.RegionSetID)
	if err != nil {
		s.log.Warn("web: unable to load region set", "request_id", state(r).id, "err", err)
		return nil, nil
	}
	s.maps.mu.Lock()
	m, ok := s.maps.sets[rs.ID]
	s.maps.mu.Unlock()
	if ok {
		return rs.Regions, m
	}
	m = &regionMap{names: map[string]string{}}
	for _, rg := range rs.Regions {
		m.names[rg.Code] = rg.Name
	}
	if m.shapes, err = participation.ParseShapes(rs.GeoJSON); err != nil {
		s.log.Warn("web: unable to read region set map", "request_id", state(r).id, "err", err)
		return rs.Regions, nil
	}
	m.svg = mapsvg.New(m.shapes, m.names)
	s.maps.mu.Lock()
	if len(s.maps.sets) >= regionMapsKept {
		clear(s.maps.sets)
	}
	s.maps.sets[rs.ID] = m
	s.maps.mu.Unlock()
	return rs.Regions, m
}

// Drawing returns the SVG to draw, or nil.
func (m *regionMap) Drawing() *mapsvg.Map {
	if m == nil {
		return nil
	}
	return m.svg
}

// mapPoint is a place to mark on a region map, with its words.
type mapPoint struct {
	At       mapsvg.Point
	Lat, Lng string // as shown
	Region   string // the name of the region holding it, or ""
}

// point places lat, lng on the map; nil when either is missing or the
// point falls off the drawing.
func (m *regionMap) point(lat, lng *float64) *mapPoint {
	if lat == nil || lng == nil {
		return nil
	}
	p := &mapPoint{Lat: coordinate(*lat), Lng: coordinate(*lng)}
	if m == nil || m.svg == nil {
		return p
	}
	at, ok := m.svg.At(*lat, *lng)
	if !ok {
		return p
	}
	p.At = at
	if code, ok := participation.RegionAt(m.shapes, *lat, *lng); ok {
		p.Region = m.names[code]
	}
	return p
}

// Marked reports whether the point has a place on the drawing.
func (p *mapPoint) Marked() bool { return p != nil && p.At.X != "" }

// coordinate writes a latitude or longitude to five decimals (about a
// metre), without trailing zeros.
func coordinate(v float64) string {
	return strconv.FormatFloat(math.Round(v*1e5)/1e5, 'f', -1, 64)
}

// formPoint reads the form's lat and lng for the marker, or nil.
func formPoint(get func(string) string) (lat, lng *float64) {
	a, errA := strconv.ParseFloat(strings.TrimSpace(get("lat")), 64)
	b, errB := strconv.ParseFloat(strings.TrimSpace(get("lng")), 64)
	if errA != nil || errB != nil {
		return nil, nil
	}
	return &a, &b
}
