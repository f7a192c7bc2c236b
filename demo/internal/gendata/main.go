// Command gendata derives the demo's embedded data from the real datasets in
// testdata/: the counties with their population and a centroid (for map
// points of proposals), and the comment texts the synthetic participants
// write. Run from the module root: go run ./demo/internal/gendata
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
	"regexp"
	"sort"
	"strconv"
	"strings"
)

func main() {
	root := flag.String("root", ".", "module root")
	flag.Parse()
	if err := counties(*root); err != nil {
		log.Fatal(err)
	}
	if err := comments(*root); err != nil {
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

// topics maps the ArgKP motions the demo's draft budget statement touches to
// its themes; the other motions (cloning, atheism, ...) have no place in a
// budget consultation.
var topics = map[string]string{
	"We should adopt libertarianism":           "fiscal",
	"We should subsidize vocational education": "education",
	"We should fight urbanization":             "urban",
	"We should end mandatory retirement":       "public-service",
	"We should subsidize journalism":           "media",
	"We should subsidize space exploration":    "science",
	"We should ban private military companies": "security",
}

// Pol.is biodiversity statements that only make sense in New Zealand (or
// were rejected by the moderators) stay out of a Kenyan consultation.
var foreign = regexp.MustCompile(`(?i)\b(nz|new zealand|aotearoa|doc|1080|possums?|m[aā]ori|kiwis?|iwi|hap[uū]|predator free|stoats?|rats?|councils?|rma|hauraki|auckland|wellington|canterbury|dairy|nzers?|pakeha|tangata|whenua|mana|kaitiaki|kauri|manuka|mustelids?|muttonbird\w*|tahr|chamois|trout|deer|rabbits?|hivemind|hunters?|hunting|game animals)\b`)

func clean(s string) string {
	s = strings.Join(strings.Fields(strings.TrimLeft(s, "`'\" ")), " ")
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}

// comments writes source,id,theme,stance,agrees,disagrees,text. Stance is
// +1 for, -1 against what the draft statement's section proposes; agrees and
// disagrees are Pol.is' real counts (0 for ArgKP).
func comments(root string) error {
	type row struct {
		source, id, theme, stance, agrees, disagrees, text string
	}
	var rows []row
	args, err := readCSV(filepath.Join(root, "testdata/argkp/arguments_train.csv"))
	if err != nil {
		return err
	}
	for _, a := range args {
		theme, ok := topics[a["topic"]]
		if !ok {
			continue
		}
		t := clean(a["argument"])
		if len(t) < 20 || len(t) > 600 {
			continue
		}
		rows = append(rows, row{"argkp", a["arg_id"], theme, a["stance"], "0", "0", t})
	}
	pol, err := readCSV(filepath.Join(root, "testdata/polis/scoop-hivemind.biodiversity/comments.csv"))
	if err != nil {
		return err
	}
	for _, c := range pol {
		t := clean(c["comment-body"])
		if c["moderated"] == "-1" || foreign.MatchString(t) || len(t) < 20 {
			continue
		}
		ag, _ := strconv.Atoi(c["agrees"])
		dis, _ := strconv.Atoi(c["disagrees"])
		stance := "1"
		if dis > ag {
			stance = "-1"
		}
		rows = append(rows, row{"polis", c["comment-id"], "environment", stance, c["agrees"], c["disagrees"], t})
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].theme < rows[j].theme })
	out, err := os.Create(filepath.Join(root, "demo/data/comments.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(out)
	w.Write([]string{"source", "id", "theme", "stance", "agrees", "disagrees", "text"})
	for _, r := range rows {
		w.Write([]string{r.source, r.id, r.theme, r.stance, r.agrees, r.disagrees, r.text})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	log.Printf("gendata: %d comments", len(rows))
	return out.Close()
}
