package participation

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
)

// wantLineErr checks that err lists a problem with key whose message names
// the line.
func wantLineErr(t *testing.T, err error, key, line string) {
	t.Helper()
	var v ValidationErrors
	if !errors.As(err, &v) {
		t.Fatalf("got %v, want ValidationErrors with %s", err, key)
	}
	for _, e := range v {
		if e.Key == key && strings.HasPrefix(e.Msg, "line "+line+":") {
			return
		}
	}
	t.Fatalf("got %v, want %s on line %s", v, key, line)
}

func TestParseRegionCSV(t *testing.T) {
	good := "\xef\xbb\xbfCode,Name,Population,parent_code\nKE,Kenya,47564296,\n001,Mombasa,1208333,KE\n\n047,\"Nairobi City\",4397073,KE\n"
	regions, err := ParseRegionCSV(strings.NewReader(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(regions) != 3 || regions[2] != (Region{Code: "047", Name: "Nairobi City", Population: 4397073, ParentCode: "KE"}) {
		t.Fatalf("parsed %+v", regions)
	}
	cases := []struct {
		name, csv, key, line string
	}{
		{"missing column", "code,name\na,A\n", "err.csv_missing_column", "1"},
		{"unknown column", "code,name,population,area\na,A,1,2\n", "err.csv_unknown_column", "1"},
		{"empty", "", "err.csv_empty", "1"},
		{"no rows", "code,name,population\n", "err.csv_no_regions", "2"},
		{"empty code", "code,name,population\na,A,1\n ,B,2\n", "err.csv_empty_code", "3"},
		{"duplicate code", "code,name,population\na,A,1\nb,B,2\na,C,3\n", "err.csv_duplicate_code", "4"},
		{"negative", "code,name,population\na,A,-5\n", "err.csv_negative_population", "2"},
		{"not a number", "code,name,population\na,A,12k\n", "err.csv_population", "2"},
		{"empty population", "code,name,population\na,A,\n", "err.csv_empty_population", "2"},
		{"unknown parent", "code,name,population,parent_code\na,A,1,\nb,B,2,z\n", "err.csv_unknown_parent", "3"},
		{"own parent", "code,name,population,parent_code\na,A,1,a\n", "err.csv_own_parent", "2"},
		{"columns", "code,name,population\na,A\n", "err.csv_columns", "2"},
		{"latin-1", "code,name,population\na,A,1\nb,Mur\xe1nga,2\n", "err.csv_encoding", "3"},
		{"quote", "code,name,population\na,\"A,1\n", "err.csv_syntax", "2"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseRegionCSV(strings.NewReader(c.csv))
			wantLineErr(t, err, c.key, c.line)
		})
	}
	// Every problem at once.
	_, err = ParseRegionCSV(strings.NewReader("code,name,population\n,A,1\nb,,x\n"))
	var v ValidationErrors
	if !errors.As(err, &v) || len(v) != 3 {
		t.Fatalf("want 3 problems, got %v", err)
	}
	big := strings.NewReader("code,name,population\n" + strings.Repeat("a", RegionCSVMaxBytes))
	if _, err := ParseRegionCSV(big); ErrorCode(err) != CodeTooLarge {
		t.Fatalf("oversized CSV: %v", err)
	}
}

func kenyaCodes() []string {
	var codes []string
	for i := 1; i <= 47; i++ {
		codes = append(codes, strings.Repeat("0", 3-len(itoa(i)))+itoa(i))
	}
	return codes
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestCheckGeoJSON(t *testing.T) {
	geo, err := os.ReadFile("../testdata/kenya/kenya_counties.geojson")
	if err != nil {
		t.Fatal(err)
	}
	codes := kenyaCodes()
	out, err := CheckGeoJSON(geo, codes, 0)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties map[string]string `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(out, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) != 47 {
		t.Fatalf("normalised: %v %s %d", err, fc.Type, len(fc.Features))
	}
	for i, f := range fc.Features {
		if f.Properties["code"] != codes[i] || len(f.Properties) != 1 {
			t.Fatalf("feature %d properties %v", i, f.Properties)
		}
	}
	// Normalising twice changes nothing (the "code" property is found).
	again, err := CheckGeoJSON(out, codes, 0)
	if err != nil || string(again) != string(out) {
		t.Fatalf("second pass: %v", err)
	}
	for _, c := range []struct {
		name string
		data []byte
		max  int
		key  string
	}{
		{"not json", []byte("<kml/>"), 0, "err.geojson_invalid"},
		{"not a collection", []byte(`{"type":"Feature"}`), 0, "err.geojson_not_collection"},
		{"bad feature", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"001"}}]}`), 0, "err.geojson_feature"},
		{"no codes", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":"y"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`), 0, "err.geojson_no_codes"},
		{"missing", []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"001"},"geometry":{"type":"Point","coordinates":[0,0]}}]}`), 0, "err.geojson_missing"},
		{"too large", geo, 1 << 10, "err.geojson_too_large"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := CheckGeoJSON(c.data, codes, c.max)
			var e *Error
			var v ValidationErrors
			switch {
			case errors.As(err, &v) && len(v) > 0 && v[0].Key == c.key:
			case errors.As(err, &e) && e.Key == c.key:
			default:
				t.Fatalf("got %v, want %s", err, c.key)
			}
		})
	}
}

func TestSplitMarkdownAndMatch(t *testing.T) {
	d := SplitMarkdown(" Plan ", "Preface line.\n\n# Roads #\nTarmac 40 km.\n\n```\n# not a heading\n```\n## Water\nTen boreholes.\n#hashtag is text\n")
	if d.Title != "Plan" || len(d.Sections) != 3 {
		t.Fatalf("split = %+v", d)
	}
	if d.Sections[0].Heading != "" || d.Sections[0].Body != "Preface line." ||
		d.Sections[1].Heading != "Roads" || !strings.Contains(d.Sections[1].Body, "# not a heading") ||
		d.Sections[2].Heading != "Water" || d.Sections[2].Body != "Ten boreholes.\n#hashtag is text" {
		t.Fatalf("sections = %+v", d.Sections)
	}
	if len(SplitMarkdown("x", " \n\n").Sections) != 0 {
		t.Fatal("blank text made a section")
	}
	prev := []Section{{ID: 1, LineageID: 1, Heading: "Roads", Body: "Tarmac 40 km of feeder roads."},
		{ID: 2, LineageID: 2, Heading: "Water", Body: "Ten boreholes in the dry wards."},
		{ID: 3, LineageID: 3, Heading: "", Body: "Health clinics for every ward in the county."}}
	next := MatchSections(prev, []Section{
		{Heading: "Water and sanitation", Body: "Ten boreholes in the dry wards."},
		{Heading: "Roads", Body: "Tarmac 60 km of feeder roads."},
		{Heading: "Health", Body: "Health clinics for every ward in the whole county."},
		{Heading: "Markets", Body: "New market stalls."}})
	want := []struct {
		lineage int64
		changed bool
	}{{2, true}, {1, true}, {3, true}, {0, false}}
	for i, w := range want {
		if next[i].LineageID != w.lineage || next[i].Changed != w.changed {
			t.Fatalf("section %d: lineage %d changed %v, want %+v", i, next[i].LineageID, next[i].Changed, w)
		}
	}
	same := MatchSections(prev, prev)
	for i := range same {
		if same[i].Changed || same[i].LineageID != prev[i].ID {
			t.Fatalf("unchanged section %d = %+v", i, same[i])
		}
	}
}

func TestNamedGeoJSONAndKenyaCounties(t *testing.T) {
	codes := []string{"W1", "W2"}
	raw := []byte(`{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"ref":"W2"},"geometry":{"type":"Point","coordinates":[34.7,0.3]}},
		{"type":"Feature","properties":{"ref":"W1"},"geometry":{"type":"Point","coordinates":[34.5,0.5]}}]}`)
	geo, err := CheckGeoJSON(raw, codes, 0)
	if err != nil {
		t.Fatal(err)
	}
	rs := RegionSet{ID: 3, GeoJSON: geo, Regions: []Region{{Code: "W1", Name: "Kakamega"}, {Code: "W2", Name: "Busia"}}}
	named, err := NamedGeoJSON(rs)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(named), `{"code":"W1","name":"Kakamega"}`) || !strings.Contains(string(named), `{"code":"W2","name":"Busia"}`) {
		t.Errorf("named map: %s", named)
	}
	if m, err := NamedGeoJSON(RegionSet{}); m != nil || err != nil {
		t.Errorf("a set without a map: %s %v", m, err)
	}
	if KenyaCounties(rs) {
		t.Error("two western regions taken for Kenya's counties")
	}
	var kenya RegionSet
	for i := 1; i <= 47; i++ {
		kenya.Regions = append(kenya.Regions, Region{Code: fmt.Sprintf("%02d", i)})
	}
	if !KenyaCounties(kenya) {
		t.Error("Kenya's 47 counties not recognised")
	}
}
