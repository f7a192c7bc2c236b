package mapsvg_test

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/mapsvg"
)

func kenya(t *testing.T) ([]participation.Shape, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile("../../testdata/kenya/kenya_counties.geojson")
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	names := map[string]string{}
	for i := 1; i <= 47; i++ {
		c := strconv.Itoa(100 + i)[1:]
		codes = append(codes, c)
		names[c] = "County " + c
	}
	geo, err := participation.CheckGeoJSON(raw, codes, 0)
	if err != nil {
		t.Fatal(err)
	}
	shapes, err := participation.ParseShapes(geo)
	if err != nil {
		t.Fatal(err)
	}
	return shapes, names
}

// TestKenyaMap: every county is drawn and named, the drawing stays small
// enough for a slow network, and a point goes there and back.
func TestKenyaMap(t *testing.T) {
	shapes, names := kenya(t)
	m := mapsvg.New(shapes, names)
	if m == nil || len(m.Areas) != 47 {
		t.Fatalf("drew %v", m)
	}
	size := 0
	for _, a := range m.Areas {
		if a.Name == "" || !strings.HasPrefix(a.D, "M") || !strings.HasSuffix(a.D, "z") {
			t.Fatalf("area %q: name %q, path %.40s", a.Code, a.Name, a.D)
		}
		size += len(a.D) + len(a.Name) + len(`<path d=""><title></title></path>`)
	}
	t.Logf("Kenya: %d×%d units, %d bytes of paths", m.W, m.H, size)
	if size > 40_000 {
		t.Fatalf("the map takes %d bytes", size)
	}
	if m.W != mapsvg.Width && m.H != mapsvg.Width {
		t.Fatalf("the map is %d×%d, its longer side should be %d", m.W, m.H, mapsvg.Width)
	}
	lat, lng := -1.2864, 36.8172 // Nairobi
	p, ok := m.At(lat, lng)
	if !ok {
		t.Fatal("Nairobi is off the map")
	}
	x, _ := strconv.ParseFloat(p.X, 64)
	y, _ := strconv.ParseFloat(p.Y, 64)
	if back := m.West + x/m.KX; math.Abs(back-lng) > 0.01 {
		t.Fatalf("longitude %v comes back as %v", lng, back)
	}
	if back := m.North - y/m.KY; math.Abs(back-lat) > 0.01 {
		t.Fatalf("latitude %v comes back as %v", lat, back)
	}
	if _, ok := m.At(51.5, -0.12); ok {
		t.Fatal("London is on Kenya's map")
	}
	if mapsvg.New(nil, nil) != nil {
		t.Fatal("no shapes drew a map")
	}
}
