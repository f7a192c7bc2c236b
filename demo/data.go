package demo

import (
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

//go:embed data/counties.csv
var dataFS embed.FS

// county is one region of the demo's region set with what the generator
// needs to place people in it.
type county struct {
	Code       string
	Name       string
	Population int64
	Lat, Lng   float64
	Urban      float64 // share of participants living in a city or town
	Arid       bool    // arid and semi-arid lands: water is the first worry
	Reach      float64 // how well the consultation reaches it (connectivity, radio coverage)
}

// urbanShare lists the counties with large towns; the rest are mostly rural.
var urbanShare = map[string]float64{
	"47": 1.0, "01": 0.95, "42": 0.5, "32": 0.45, "22": 0.6, "16": 0.35, "34": 0.45, "27": 0.4,
}

// aridCounties are the arid and semi-arid lands (ASAL). The first six have
// the weakest mobile data coverage and reach; the dashboards should show
// them far below the median engagement rate.
var aridCounties = map[string]float64{
	"23": 0.4, "10": 0.4, "09": 0.35, "08": 0.35, "07": 0.45, "25": 0.45,
	"11": 0.8, "04": 0.7, "24": 0.75, "30": 0.9, "15": 1, "17": 1, "33": 1,
}

func loadCounties() ([]county, error) {
	recs, err := readCSV("data/counties.csv")
	if err != nil {
		return nil, err
	}
	out := make([]county, 0, len(recs))
	for _, r := range recs {
		pop, err1 := strconv.ParseInt(r[2], 10, 64)
		lat, err2 := strconv.ParseFloat(r[3], 64)
		lng, err3 := strconv.ParseFloat(r[4], 64)
		if err1 != nil || err2 != nil || err3 != nil {
			return nil, fmt.Errorf("demo: bad county row %q", r)
		}
		c := county{Code: r[0], Name: r[1], Population: pop, Lat: lat, Lng: lng, Urban: 0.15}
		if u, ok := urbanShare[c.Code]; ok {
			c.Urban = u
		}
		c.Reach = 0.7 + 0.8*c.Urban
		if f, ok := aridCounties[c.Code]; ok {
			c.Arid = true
			c.Reach *= f
		}
		out = append(out, c)
	}
	if len(out) != 47 {
		return nil, fmt.Errorf("demo: %d counties, want 47", len(out))
	}
	return out, nil
}

func readCSV(name string) ([][]string, error) {
	b, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("demo: unable to read %s: %w", name, err)
	}
	recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("demo: unable to parse %s: %w", name, err)
	}
	return recs[1:], nil
}
