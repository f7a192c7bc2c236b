package participation

import (
	"encoding/json"
	"errors"
	"os"
	"sort"
	"strings"
	"testing"
)

// kenyaSeed is the smallest few counties of the real Kenya map, small
// enough that the fuzzer can mutate them quickly, with their codes.
func kenyaSeed(f *testing.F, n int) ([]byte, string) {
	f.Helper()
	raw, err := os.ReadFile("../testdata/kenya/kenya_counties.geojson")
	if err != nil {
		f.Fatal(err)
	}
	var doc struct {
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		f.Fatal(err)
	}
	sort.Slice(doc.Features, func(i, j int) bool { return len(doc.Features[i]) < len(doc.Features[j]) })
	var codes []string
	for _, ft := range doc.Features[:n] {
		var p struct {
			Properties struct {
				Code int `json:"county_code"`
			} `json:"properties"`
		}
		json.Unmarshal(ft, &p)
		codes = append(codes, strings.Repeat("0", 3-len(itoa(p.Properties.Code)))+itoa(p.Properties.Code))
	}
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": doc.Features[:n]})
	if err != nil {
		f.Fatal(err)
	}
	return b, strings.Join(codes, ",")
}

// isDomainError: what a parser refuses must be the uploader's mistake (a
// 4xx with a message), never an error the web layer shows as a 500.
func isDomainError(err error) bool {
	var v ValidationErrors
	return (errors.As(err, &v) && len(v) > 0) || ErrorCode(err) != ""
}

func FuzzParseRegionCSV(f *testing.F) {
	if b, err := os.ReadFile("../testdata/kenya/kenya_county_population_2019.csv"); err == nil {
		f.Add(strings.Replace(string(b), "county_code,county_name,population", "code,name,population", 1))
	}
	f.Add("code,name,population,parent_code\nKE,Kenya,1,\n001,Mombasa,2,KE\n")
	f.Add("code,name,population\na,\"A\"\"B\",1\n")
	f.Add("code,name\n\xff\n")
	f.Fuzz(func(t *testing.T, s string) {
		regions, err := ParseRegionCSV(strings.NewReader(s))
		if err != nil {
			if !isDomainError(err) {
				t.Fatalf("not a domain error: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, r := range regions {
			if r.Code == "" || seen[r.Code] || r.Population < 0 {
				t.Fatalf("accepted a bad region %+v", r)
			}
			seen[r.Code] = true
		}
		for _, r := range regions {
			if r.ParentCode != "" && !seen[r.ParentCode] {
				t.Fatalf("accepted an unknown parent %+v", r)
			}
		}
		if v := ValidateRegionSet(RegionSet{Name: "x", Regions: regions}); len(v) > 0 {
			t.Fatalf("parsed regions fail ValidateRegionSet: %v", v)
		}
	})
}

func FuzzCheckGeoJSON(f *testing.F) {
	geo, codes := kenyaSeed(f, 3)
	f.Add(geo, codes)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"001"},"geometry":{"type":"Point","coordinates":[0,0]}},{"type":"Feature","properties":{"county_code":2},"geometry":{"type":"Polygon","coordinates":[]}}]}`), "001,002")
	f.Add([]byte(`{"type":"FeatureCollection","features":[]}`), "a")
	f.Add([]byte(`[]`), "")
	f.Fuzz(func(t *testing.T, data []byte, codeList string) {
		codes := strings.Split(codeList, ",")
		out, err := CheckGeoJSON(data, codes, 1<<16)
		if err != nil {
			if !isDomainError(err) {
				t.Fatalf("not a domain error: %v", err)
			}
			return
		}
		var fc struct {
			Type     string `json:"type"`
			Features []struct {
				Properties map[string]string `json:"properties"`
			} `json:"features"`
		}
		if err := json.Unmarshal(out, &fc); err != nil || fc.Type != "FeatureCollection" {
			t.Fatalf("accepted output is not a collection: %v", err)
		}
		have := map[string]bool{}
		for _, f := range fc.Features {
			have[f.Properties["code"]] = true
		}
		for _, c := range codes {
			if !have[c] {
				t.Fatalf("accepted without a feature for %q", c)
			}
		}
	})
}

// FuzzParseShapes: a map ParseShapes reads gives shapes that answer
// Contains and RegionAt for any point without panicking, and a normalised
// map (CheckGeoJSON's output) keeps its polygons' count.
func FuzzParseShapes(f *testing.F) {
	geo, codes := kenyaSeed(f, 2)
	f.Add(geo, codes, 39.66, -4.04)
	f.Add([]byte(`{"features":[{"properties":{"code":"a"},"geometry":{"type":"GeometryCollection","geometries":[{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}]}}]}`), "a", 0.5, 0.5)
	f.Add([]byte(`{"features":[{"properties":{"code":"a"},"geometry":{"type":"Polygon","coordinates":[[]]}}]}`), "a", 0.0, 0.0)
	f.Add([]byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"045"},"geometry":{"type":"Polygon"}}]}`), "045", 0.0, 0.0)
	f.Fuzz(func(t *testing.T, data []byte, codeList string, lat, lng float64) {
		shapes, err := ParseShapes(data)
		if err == nil {
			RegionAt(shapes, lat, lng)
			CheckPointInRegions(shapes, &lat, &lng)
		}
		norm, err := CheckGeoJSON(data, strings.Split(codeList, ","), 1<<16)
		if err != nil {
			return
		}
		if _, err := ParseShapes(norm); err != nil {
			t.Fatalf("a normalised map does not parse: %v", err)
		}
		again, err := CheckGeoJSON(norm, strings.Split(codeList, ","), 1<<16)
		if err != nil || string(again) != string(norm) {
			t.Fatalf("normalising twice changed the map: %v\n%s\n%s", err, norm, again)
		}
	})
}
