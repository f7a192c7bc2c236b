package participation_test

import (
	"os"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

func TestShapesContainPoints(t *testing.T) {
	// A square with a square hole, and a second square beside it.
	geo := []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"a"},"geometry":{"type":"Polygon","coordinates":[
			[[0,0],[10,0],[10,10],[0,10],[0,0]],[[4,4],[6,4],[6,6],[4,6],[4,4]]]}},
		{"type":"Feature","properties":{"code":"b"},"geometry":{"type":"GeometryCollection","geometries":[
			{"type":"MultiPolygon","coordinates":[[[[20,0],[30,0],[30,10],[20,10],[20,0]]]]},
			{"type":"Point","coordinates":[50,50]}]}},
		{"type":"Feature","properties":{"code":"c"},"geometry":{"type":"Point","coordinates":[50,50]}}]}`)
	shapes, err := participation.ParseShapes(geo)
	if err != nil {
		t.Fatal(err)
	}
	if len(shapes) != 2 {
		t.Fatalf("%d shapes, want 2 (the point-only region has no area)", len(shapes))
	}
	for _, c := range []struct {
		lat, lng float64
		want     string
	}{{1, 1, "a"}, {5, 5, ""}, {5, 25, "b"}, {5, 15, ""}, {50, 50, ""}, {-1, 1, ""}} {
		got, _ := participation.RegionAt(shapes, c.lat, c.lng)
		if got != c.want {
			t.Errorf("(%v, %v) in %q, want %q", c.lat, c.lng, got, c.want)
		}
	}
	lat, lng := 5.0, 15.0
	if v := participation.CheckPointInRegions(shapes, &lat, &lng); len(v) != 1 || v[0].Key != "err.point_outside" || v[0].Field != "lat" {
		t.Fatalf("a point between the regions: %v", v)
	}
	if v := participation.CheckPointInRegions(nil, &lat, &lng); v != nil {
		t.Fatalf("a set without shapes refused a point: %v", v)
	}
}

func TestKenyaPoints(t *testing.T) {
	raw, err := os.ReadFile("../testdata/kenya/kenya_counties.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for i := 1; i <= 47; i++ {
		codes = append(codes, string(rune('0'+i/10))+string(rune('0'+i%10)))
	}
	geo, err := participation.CheckGeoJSON(raw, codes, 0)
	if err != nil {
		t.Fatal(err)
	}
	shapes, err := participation.ParseShapes(geo)
	if err != nil || len(shapes) != 47 {
		t.Fatalf("%d shapes, %v", len(shapes), err)
	}
	// Nairobi's centre is county 47, Mombasa island county 01; the Indian
	// Ocean off Mombasa and Kampala are in no county.
	for _, c := range []struct {
		lat, lng float64
		want     string
	}{{-1.2864, 36.8172, "47"}, {-4.0435, 39.6682, "01"}, {-4.3, 40.2, ""}, {0.3476, 32.5825, ""}} {
		if got, _ := participation.RegionAt(shapes, c.lat, c.lng); got != c.want {
			t.Errorf("(%v, %v) in %q, want %q", c.lat, c.lng, got, c.want)
		}
	}
}
