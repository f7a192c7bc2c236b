package participation

import (
	"encoding/json"
	"fmt"
)

// Shape is one region's area on a region set's map: polygons, each an outer
// ring and its holes, each ring a list of [longitude, latitude] pairs as
// GeoJSON writes them.
type Shape struct {
	Code     string
	Polygons [][][][2]float64
}

// ParseShapes reads the areas of a region set's normalised GeoJSON (see
// CheckGeoJSON), in the set's order: its Polygons and MultiPolygons, also
// inside GeometryCollections. Points and lines have no inside and are left
// out; a set whose map holds none gives no shapes.
func ParseShapes(geo json.RawMessage) ([]Shape, error) {
	if len(geo) == 0 {
		return nil, nil
	}
	var doc struct {
		Features []struct {
			Properties map[string]any  `json:"properties"`
			Geometry   json.RawMessage `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(geo, &doc); err != nil {
		return nil, fmt.Errorf("participation: unable to read the map: %w", err)
	}
	var out []Shape
	for _, f := range doc.Features {
		code, _ := f.Properties["code"].(string)
		sh := Shape{Code: code}
		if err := addPolygons(&sh, f.Geometry, 0); err != nil {
			return nil, fmt.Errorf("participation: region %q: %w", code, err)
		}
		if len(sh.Polygons) > 0 {
			out = append(out, sh)
		}
	}
	return out, nil
}

func addPolygons(sh *Shape, raw json.RawMessage, depth int) error {
	var g struct {
		Type        string            `json:"type"`
		Coordinates json.RawMessage   `json:"coordinates"`
		Geometries  []json.RawMessage `json:"geometries"`
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		return err
	}
	switch g.Type {
	case "Polygon":
		var p [][][2]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return err
		}
		sh.Polygons = append(sh.Polygons, p)
	case "MultiPolygon":
		var mp [][][][2]float64
		if err := json.Unmarshal(g.Coordinates, &mp); err != nil {
			return err
		}
		sh.Polygons = append(sh.Polygons, mp...)
	case "GeometryCollection":
		if depth > 4 {
			return fmt.Errorf("geometry collections nested too deep")
		}
		for _, c := range g.Geometries {
			if err := addPolygons(sh, c, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// Contains reports whether the point lies inside the shape (even-odd rule
// over each polygon's rings, so holes are outside).
func (s Shape) Contains(lat, lng float64) bool {
	for _, poly := range s.Polygons {
		in := false
		for _, ring := range poly {
			for i, j := 0, len(ring)-1; i < len(ring); j, i = i, i+1 {
				a, b := ring[i], ring[j]
				if (a[1] > lat) != (b[1] > lat) && lng < (b[0]-a[0])*(lat-a[1])/(b[1]-a[1])+a[0] {
					in = !in
				}
			}
		}
		if in {
			return true
		}
	}
	return false
}

// RegionAt returns the code of the first shape holding the point.
func RegionAt(shapes []Shape, lat, lng float64) (string, bool) {
	for _, s := range shapes {
		if s.Contains(lat, lng) {
			return s.Code, true
		}
	}
	return "", false
}

// CheckPointInRegions refuses a map point outside every region of a set
// that has shapes: a proposal's place must be somewhere the process is
// about. A set without shapes accepts any point.
func CheckPointInRegions(shapes []Shape, lat, lng *float64) ValidationErrors {
	if len(shapes) == 0 || lat == nil || lng == nil {
		return nil
	}
	if _, ok := RegionAt(shapes, *lat, *lng); ok {
		return nil
	}
	var v ValidationErrors
	v.Add("lat", "err.point_outside", "the point is outside the regions of this process")
	return v
}
