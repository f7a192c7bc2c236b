// Command gendata derives the demo's embedded data from the real datasets in
// testdata/: the counties with their population and a centroid (for map
// points of proposals). Run from the module root: go run ./demo/internal/gendata
// (The texts the synthetic participants write are composed in the demo
// package itself; the real comment corpora stay in testdata/ for the
// analysis quality tests.)
//
// The output is committed, so the binary never reads testdata/ at run time
// and a bare clone builds without running this.
package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	root := flag.String("root", ".", "module root")
	flag.Parse()
	if err := counties(*root); err != nil {
		log.Fatal(err)
	}
}

func readCSV(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.LazyQuotes = true
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// counties writes code,name,population,lat,lng. The point is the mean of the
// largest ring's vertices: good enough to drop a proposal's pin inside (or
// near) its county, which is all the demo needs.
func counties(root string) error {
	pop, err := readCSV(filepath.Join(root, "testdata/kenya/kenya_county_population_2019.csv"))
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(filepath.Join(root, "testdata/kenya/kenya_counties.geojson"))
	if err != nil {
		return err
	}
	var fc struct {
		Features []struct {
			Properties struct {
				Code int `json:"county_code"`
			} `json:"properties"`
			Geometry struct {
				Type        string          `json:"type"`
				Coordinates json.RawMessage `json:"coordinates"`
			} `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(raw, &fc); err != nil {
		return err
	}
	centre := map[int][2]float64{}
	for _, f := range fc.Features {
		var polys [][][][2]float64
		switch f.Geometry.Type {
		case "Polygon":
			var p [][][2]float64
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return err
			}
			polys = [][][][2]float64{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys); err != nil {
				return err
			}
		}
		var best [][2]float64
		for _, p := range polys {
			if len(p[0]) > len(best) {
				best = p[0]
			}
		}
		var x, y float64
		for _, c := range best {
			x += c[0]
			y += c[1]
		}
		n := float64(len(best))
		centre[f.Properties.Code] = [2]float64{y / n, x / n}
	}
	out, err := os.Create(filepath.Join(root, "demo/data/counties.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(out)
	w.Write([]string{"code", "name", "population", "lat", "lng"})
	for _, r := range pop {
		code, _ := strconv.Atoi(r["county_code"])
		c, ok := centre[code]
		if !ok {
			return fmt.Errorf("county %d has no boundary", code)
		}
		w.Write([]string{fmt.Sprintf("%02d", code), r["county_name"], r["population"],
			strconv.FormatFloat(c[0], 'f', 3, 64), strconv.FormatFloat(c[1], 'f', 3, 64)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return out.Close()
}
