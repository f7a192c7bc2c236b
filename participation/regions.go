package participation

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Limits of a region set upload.
const (
	RegionCSVMaxBytes = 2 << 20
	RegionNameMax     = 200
	MaxRegions        = 20000
)

// ParseRegionCSV reads a region set's regions from CSV with the header
// code,name,population[,parent_code] (columns in any order, names in any
// case). Every problem is reported at once, each naming its line, so an
// official can fix the file in one go.
func ParseRegionCSV(r io.Reader) ([]Region, error) {
	data, err := io.ReadAll(io.LimitReader(r, RegionCSVMaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("participation: unable to read region CSV: %w", err)
	}
	if len(data) > RegionCSVMaxBytes {
		return nil, Errorf(CodeTooLarge, "regions", "err.csv_too_large", "the file may be at most %d MB", RegionCSVMaxBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var v ValidationErrors
	add := func(line int, key, format string, args ...any) {
		v = append(v, Errorf(CodeInvalid, "regions", key, "line %d: "+format, append([]any{line}, args...)...))
	}
	if !utf8.Valid(data) {
		// Name the first line with a bad byte: a spreadsheet saved as
		// Latin-1 or UTF-16 breaks on its first accented name.
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(make([]byte, 0, 64<<10), RegionCSVMaxBytes+1)
		line := 1
		for sc.Scan() {
			if !utf8.Valid(sc.Bytes()) {
				break
			}
			line++
		}
		add(line, "err.csv_encoding", "the file is not UTF-8 text; save it as CSV UTF-8")
		return nil, v
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		add(1, "err.csv_empty", "the file is empty; the first line must be code,name,population")
		return nil, v
	}
	if err != nil {
		return nil, csvError(err)
	}
	col := map[string]int{"code": -1, "name": -1, "population": -1, "parent_code": -1}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		at, known := col[h]
		switch {
		case !known:
			add(1, "err.csv_unknown_column", "unknown column %q; the columns are code, name, population and parent_code", h)
		case at >= 0:
			add(1, "err.csv_repeated_column", "column %q appears twice", h)
		default:
			col[h] = i
		}
	}
	for _, c := range []string{"code", "name", "population"} {
		if col[c] < 0 {
			add(1, "err.csv_missing_column", "the column %q is missing", c)
		}
	}
	if len(v) > 0 {
		return nil, v
	}
	var regions []Region
	lineOf := map[string]int{}
	parentLine := map[int]int{} // index in regions → line
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, append(v, csvError(err))
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			add(line, "err.csv_columns", "has %d values, the header %d", len(rec), len(header))
			continue
		}
		cell := func(c string) string {
			if col[c] < 0 {
				return ""
			}
			return strings.TrimSpace(rec[col[c]])
		}
		reg := Region{Code: cell("code"), Name: cell("name"), ParentCode: cell("parent_code")}
		switch {
		case reg.Code == "":
			add(line, "err.csv_empty_code", "the code is empty")
		case utf8.RuneCountInString(reg.Code) > RegionCodeMax:
			add(line, "err.csv_long_code", "the code is longer than %d characters", RegionCodeMax)
		case lineOf[reg.Code] > 0:
			add(line, "err.csv_duplicate_code", "the code %q is already on line %d", reg.Code, lineOf[reg.Code])
		default:
			lineOf[reg.Code] = line
		}
		if reg.Name == "" {
			add(line, "err.csv_empty_name", "the name is empty")
		} else if utf8.RuneCountInString(reg.Name) > RegionNameMax {
			add(line, "err.csv_long_name", "the name is longer than %d characters", RegionNameMax)
		}
		pop := strings.ReplaceAll(cell("population"), "_", "")
		n, err := strconv.ParseInt(pop, 10, 64)
		switch {
		case pop == "":
			add(line, "err.csv_empty_population", "the population is empty")
		case err != nil:
			add(line, "err.csv_population", "the population %q is not a whole number", pop)
		case n < 0:
			add(line, "err.csv_negative_population", "the population must not be negative")
		}
		reg.Population = n
		if reg.ParentCode != "" {
			parentLine[len(regions)] = line
		}
		regions = append(regions, reg)
		if len(regions) > MaxRegions {
			add(line, "err.csv_too_many", "a region set may hold at most %d regions", MaxRegions)
			return nil, v
		}
	}
	for i, reg := range regions {
		if reg.ParentCode == "" {
			continue
		}
		switch {
		case reg.ParentCode == reg.Code:
			add(parentLine[i], "err.csv_own_parent", "the region %q is its own parent", reg.Code)
		case lineOf[reg.ParentCode] == 0:
			add(parentLine[i], "err.csv_unknown_parent", "the parent code %q is not a code of this file", reg.ParentCode)
		}
	}
	if len(regions) == 0 && len(v) == 0 {
		add(2, "err.csv_no_regions", "the file holds no regions")
	}
	if len(v) > 0 {
		return nil, v
	}
	return regions, nil
}

func csvError(err error) *Error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Errorf(CodeInvalid, "regions", "err.csv_syntax", "line %d: %s", pe.Line, pe.Err.Error())
	}
	return Errorf(CodeInvalid, "regions", "err.csv_syntax", "line %d: %s", 0, err.Error())
}

// geoFeature is a GeoJSON feature as CheckGeoJSON needs it.
type geoFeature struct {
	Type       string          `json:"type"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

var geometryTypes = map[string]bool{"Point": true, "MultiPoint": true, "LineString": true, "MultiLineString": true,
	"Polygon": true, "MultiPolygon": true, "GeometryCollection": true}

// CheckGeoJSON checks that data is a FeatureCollection holding a feature for
// each code and returns it normalised: one feature per code, in the order of
// codes, whose only property is "code". The code is read from the property
// "code" or else from the property whose values match the most codes
// (numbers match zero-padded codes: 1 is "001"). Features of other areas
// are dropped. maxBytes ≤ 0 means MaxGeoJSONBytes.
func CheckGeoJSON(data []byte, codes []string, maxBytes int) (json.RawMessage, error) {
	if maxBytes <= 0 {
		maxBytes = MaxGeoJSONBytes
	}
	if len(data) > maxBytes {
		return nil, Errorf(CodeTooLarge, "geojson", "err.geojson_too_large", "the map file may be at most %d MB", maxBytes>>20)
	}
	var doc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, ValidationErrors{Errorf(CodeInvalid, "geojson", "err.geojson_invalid", "the map file is not GeoJSON")}
	}
	if doc.Type != "FeatureCollection" {
		return nil, ValidationErrors{Errorf(CodeInvalid, "geojson", "err.geojson_not_collection", "the map file must be a GeoJSON FeatureCollection")}
	}
	var v ValidationErrors
	for i, f := range doc.Features {
		var g struct {
			Type string `json:"type"`
		}
		// addPolygons is what ParseShapes later does with the map: a
		// polygon without coordinates must be refused here, not there.
		if f.Type != "Feature" || json.Unmarshal(f.Geometry, &g) != nil || !geometryTypes[g.Type] ||
			addPolygons(&Shape{}, f.Geometry, 0) != nil {
			v.Add("geojson", "err.geojson_feature", "feature %d is not a GeoJSON feature with a geometry", i+1)
		}
	}
	if len(v) > 0 {
		return nil, v
	}
	ix := newCodeIndex(codes)
	prop := codeProperty(doc.Features, ix)
	if prop == "" {
		return nil, ValidationErrors{Errorf(CodeInvalid, "geojson", "err.geojson_no_codes", "no property of the map's features holds the region codes")}
	}
	byCode := map[string]json.RawMessage{}
	for i, f := range doc.Features {
		c, ok := ix.match(f.Properties[prop])
		if !ok {
			continue
		}
		if _, dup := byCode[c]; dup {
			v.Add("geojson", "err.geojson_duplicate", "feature %d repeats the region %q", i+1, c)
			continue
		}
		byCode[c] = f.Geometry
	}
	for _, c := range codes {
		if _, ok := byCode[c]; !ok {
			v.Add("geojson", "err.geojson_missing", "the map has no feature for the region %q", c)
		}
	}
	if len(v) > 0 {
		return nil, v
	}
	type outFeature struct {
		Type       string            `json:"type"`
		Properties map[string]string `json:"properties"`
		Geometry   json.RawMessage   `json:"geometry"`
	}
	out := struct {
		Type     string       `json:"type"`
		Features []outFeature `json:"features"`
	}{Type: "FeatureCollection", Features: make([]outFeature, 0, len(codes))}
	for _, c := range codes {
		var g bytes.Buffer
		if err := json.Compact(&g, byCode[c]); err != nil {
			return nil, fmt.Errorf("participation: unable to compact geometry: %w", err)
		}
		out.Features = append(out.Features, outFeature{"Feature", map[string]string{"code": c}, g.Bytes()})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("participation: unable to encode GeoJSON: %w", err)
	}
	return b, nil
}

// codeIndex finds the code a GeoJSON property value stands for.
type codeIndex struct {
	exact   map[string]string
	numeric map[int64]string
}

func newCodeIndex(codes []string) codeIndex {
	ix := codeIndex{exact: map[string]string{}, numeric: map[int64]string{}}
	for _, c := range codes {
		ix.exact[c] = c
		if n, err := strconv.ParseInt(c, 10, 64); err == nil {
			if _, dup := ix.numeric[n]; !dup {
				ix.numeric[n] = c
			}
		}
	}
	return ix
}

// match returns the code val stands for: the same text, or the same
// number (1 matches "001").
func (ix codeIndex) match(val any) (string, bool) {
	var s string
	switch x := val.(type) {
	case string:
		s = strings.TrimSpace(x)
	case float64:
		if x != float64(int64(x)) {
			return "", false
		}
		s = strconv.FormatInt(int64(x), 10)
	default:
		return "", false
	}
	if c, ok := ix.exact[s]; ok {
		return c, true
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		c, ok := ix.numeric[n]
		return c, ok
	}
	return "", false
}

// codeProperty picks the property holding the region codes: "code" when
// it matches any, else the one matching the most codes.
func codeProperty(features []geoFeature, ix codeIndex) string {
	hits := map[string]int{}
	for _, f := range features {
		for k, val := range f.Properties {
			if _, ok := ix.match(val); ok {
				hits[k]++
			}
		}
	}
	if hits["code"] > 0 {
		return "code"
	}
	best := ""
	for k, n := range hits {
		if n > hits[best] || (n == hits[best] && k < best) {
			best = k
		}
	}
	return best
}

// NamedGeoJSON is a region set's map as the charts draw it: each feature of
// the normalised GeoJSON (see CheckGeoJSON) named by its region, since the
// charts match areas by name. Nil when the set has no map.
func NamedGeoJSON(rs RegionSet) (json.RawMessage, error) {
	if len(rs.GeoJSON) == 0 {
		return nil, nil
	}
	var doc struct {
		Type     string `json:"type"`
		Features []struct {
			Type       string            `json:"type"`
			Properties map[string]string `json:"properties"`
			Geometry   json.RawMessage   `json:"geometry"`
		} `json:"features"`
	}
	if err := json.Unmarshal(rs.GeoJSON, &doc); err != nil {
		return nil, fmt.Errorf("participation: region set %d: stored map: %w", rs.ID, err)
	}
	names := make(map[string]string, len(rs.Regions))
	for _, r := range rs.Regions {
		names[r.Code] = r.Name
	}
	for i := range doc.Features {
		code := doc.Features[i].Properties["code"]
		doc.Features[i].Properties = map[string]string{"code": code, "name": names[code]}
	}
	return json.Marshal(doc)
}

// KenyaCounties reports whether a region set is Kenya's 47 counties by
// their official codes (1–47, zero-padded or not): the ready-made set,
// whose map is built in (the demo stores it with the set; serve fills it
// into sets made before that).
func KenyaCounties(rs RegionSet) bool {
	if len(rs.Regions) != 47 {
		return false
	}
	seen := map[int64]bool{}
	for _, r := range rs.Regions {
		n, err := strconv.ParseInt(r.Code, 10, 64)
		if err != nil || n < 1 || n > 47 || seen[n] {
			return false
		}
		seen[n] = true
	}
	return true
}
