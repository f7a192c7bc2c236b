package processfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/civicpulse/civicpulse/participation"
)

func fixture(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/county-budget.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestSchemaIsValid checks the schema document against the draft 2020-12
// meta-schema and that it compiles.
func TestSchemaIsValid(t *testing.T) {
	c := jsonschema.NewCompiler()
	meta, err := c.Compile("https://json-schema.org/draft/2020-12/schema")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := meta.Validate(doc); err != nil {
		t.Fatalf("the schema is not a valid 2020-12 schema: %v", err)
	}
	if _, err := compiled(); err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(Schema(), &m); err != nil || m["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Fatalf("$schema = %v, %v", m["$schema"], err)
	}
}

// validateAgainstSchema checks a document with a freshly compiled copy of
// the schema, independent of Decode.
func validateAgainstSchema(t testing.TB, data []byte) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("file.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("file.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Fatalf("the document does not match the schema: %v", err)
	}
}

func TestDecodeFixture(t *testing.T) {
	validateAgainstSchema(t, fixture(t))
	f, err := Decode(bytes.NewReader(fixture(t)))
	if err != nil {
		t.Fatalf("the fixture is refused: %v", err)
	}
	if f.Process.Slug != "county-budget-2027" || len(f.Components) != 3 || len(f.Phases) != 2 {
		t.Fatalf("decoded %+v", f)
	}
	if want := time.Date(2027, 2, 1, 3, 0, 0, 0, time.UTC); !f.Process.StartsAt.Equal(want) || f.Process.StartsAt.Location() != time.UTC {
		t.Errorf("starts_at %v, want %v in UTC", f.Process.StartsAt, want)
	}
	q := f.Components[2].Survey.Questions
	if q[1].ShowIf == nil || q[1].ShowIf.QuestionPosition != 1 || q[1].ShowIf.Choices[0] != 0 {
		t.Errorf("show_if %+v", q[1].ShowIf)
	}
	if q[0].Translations["sw"]["option.1"] != "Hapana" {
		t.Errorf("translations %v", q[0].Translations)
	}
	if p := f.Components[0].Proposals; p == nil || p.SupportLimit != 5 || p.MaxBudgetMinor != 5000000000 {
		t.Errorf("proposal settings %+v", p)
	}
	if f.RegionSet.Regions[2].ParentCode != "W2" {
		t.Errorf("regions %+v", f.RegionSet.Regions)
	}
}

// mutate returns the fixture changed by fn.
func mutate(t *testing.T, fn func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(fixture(t), &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func obj(v any, path ...any) map[string]any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			v = v.(map[string]any)[k]
		case int:
			v = v.([]any)[k]
		}
	}
	return v.(map[string]any)
}

func TestDecodeRefusesBrokenFiles(t *testing.T) {
	cases := []struct {
		name string
		data func(t *testing.T) []byte
		want []string // "path: message" of every problem, in order
	}{
		{"unknown top-level field", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { m["criteria"] = []any{} })
		}, []string{`/criteria: unknown field "criteria"`}},
		{"unknown nested field", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "components", 0)["colour"] = "red" })
		}, []string{`/components/0/colour: unknown field "colour"`}},
		{"unknown question type", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "components", 2, "survey", "questions", 3)["type"] = "slider" })
		}, []string{`/components/2/survey/questions/3/type: unknown question type "slider"`}},
		{"overlapping phases", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "phases", 1)["starts_at"] = "2027-03-01T00:00:00Z" })
		}, []string{`/phases/1: overlaps phase 0`}},
		{"phase ends before it starts", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "phases", 1)["ends_at"] = "2027-03-01T00:00:00Z" })
		}, []string{`/phases/1/ends_at: must come after the start`}},
		{"region without code", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { delete(obj(m, "region_set", "regions", 1), "code") })
		}, []string{`/region_set/regions/1/code: is required`, `/region_set/regions/2/parent_code: "W2" is not another region of the set`}},
		{"region with an empty code", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "region_set", "regions", 0)["code"] = "" })
		}, []string{`/region_set/regions/0/code: must not be empty`}},
		{"repeated region code", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "region_set", "regions", 2)["code"] = "W1" })
		}, []string{`/region_set/regions/2/code: repeats the code "W1" of region 0`}},
		{"condition on a later question", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) {
				obj(m, "components", 2, "survey", "questions", 1, "show_if")["question_position"] = 3
			})
		}, []string{`/components/2/survey/questions/1/show_if/question_position: must name an earlier question (1 to 1)`}},
		{"condition on a missing option", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) {
				obj(m, "components", 2, "survey", "questions", 1, "show_if")["choices"] = []any{0, 7}
			})
		}, []string{`/components/2/survey/questions/1/show_if/choices/1: question 1 has no option 7`}},
		{"phase opens an unknown component", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "phases", 0)["opens"] = []any{"ideas", "poll"} })
		}, []string{`/phases/0/opens/1: no component has the key "poll"`}},
		{"repeated component key", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "components", 2)["key"] = "plan" })
		}, []string{`/components/2/key: repeats the key of component 1`, `/phases/0/opens/2: no component has the key "survey"`}},
		{"translation into a language the process lacks", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "process", "translations")["fr"] = map[string]any{"title": "Budget"} })
		}, []string{`/process/translations/fr: "fr" is not one of the process's languages`}},
		{"translation of an unknown field", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "process", "translations", "sw")["titel"] = "x" })
		}, []string{`/process/translations/sw/titel: unknown field "titel"`}},
		{"translation of a missing option", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) {
				obj(m, "components", 2, "survey", "questions", 0, "translations", "sw")["option.2"] = "Labda"
			})
		}, []string{`/components/2/survey/questions/0/translations/sw/option.2: the question has no option 2`}},
		{"wrong type", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "process")["target_participants"] = "many" })
		}, []string{`/process/target_participants: must be integer, not string`}},
		{"not a time", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "process")["starts_at"] = "1 February 2027" })
		}, []string{`/process/starts_at: 1 February 2027 is not a date and time like 2026-03-01T08:00:00Z`}},
		{"other version", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { m["version"] = 2 })
		}, []string{`/version: unsupported version 2 (this installation reads version 1)`}},
		{"choice question with one option", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "components", 2, "survey", "questions", 0)["options"] = []any{"Yes"} })
		}, []string{`/components/2/survey/questions/0/options: a single question needs at least two options`,
			`/components/2/survey/questions/0/translations/sw/option.1: the question has no option 1`}},
		{"document block on a survey", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) {
				obj(m, "components", 2)["document"] = map[string]any{"title": "x", "sections": []any{map[string]any{"body": "y"}}}
			})
		}, []string{`/components/2/document: only a document component has a document`}},
		{"unknown level and a missing title", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "process")["level"] = "decide"; delete(obj(m, "process"), "title") })
		}, []string{`/process/level: "decide" is not one of: inform, consult, co-create`, `/process/title: is required`}},
		{"reason for a field not asked", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) { obj(m, "process", "field_reasons")["phone"] = "To call you." })
		}, []string{`/process/field_reasons/phone: gives a reason for "phone", which the process does not ask for`}},
		{"not JSON", func(t *testing.T) []byte { return []byte("{\n  \"version\": 1,\n  \"process\": }") },
			[]string{`is not JSON: invalid character '}' looking for beginning of value (line 3, column 14)`}},
		{"many problems at once", func(t *testing.T) []byte {
			return mutate(t, func(m map[string]any) {
				m["extra"] = true
				obj(m, "components", 2, "survey", "questions", 3)["type"] = "slider"
				obj(m, "phases", 1)["starts_at"] = "2027-03-01T00:00:00Z"
				delete(obj(m, "region_set", "regions", 0), "code")
			})
		}, []string{
			`/components/2/survey/questions/3/type: unknown question type "slider"`,
			`/extra: unknown field "extra"`,
			`/phases/1: overlaps phase 0`,
			`/region_set/regions/0/code: is required`,
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := Decode(bytes.NewReader(c.data(t)))
			var ve participation.ValidationErrors
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want ValidationErrors", err, err)
			}
			if f.Process.Slug != "" || f.Components != nil {
				t.Errorf("a refused file still decoded: %+v", f.Process)
			}
			var got []string
			for _, e := range ve {
				got = append(got, e.Error())
				if e.Key == "" || e.Code != participation.CodeInvalid && e.Code != participation.CodeTooLarge {
					t.Errorf("%s: key %q code %q", e.Error(), e.Key, e.Code)
				}
				if _, ok := catalogKeys(t)[e.Key]; strings.HasPrefix(e.Key, "pf.") && !ok {
					t.Errorf("%s: key %q is not in the catalogue", e.Error(), e.Key)
				}
			}
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestDecodeTooLarge(t *testing.T) {
	big := bytes.Repeat([]byte(" "), MaxFileBytes+1)
	_, err := Decode(bytes.NewReader(big))
	if participation.ErrorCode(err) != "" {
		var ve participation.ValidationErrors
		if !errors.As(err, &ve) || ve[0].Code != participation.CodeTooLarge {
			t.Fatalf("err = %v", err)
		}
	} else if !errors.As(err, new(participation.ValidationErrors)) {
		t.Fatalf("err = %v", err)
	}
}

func catalogKeys(t *testing.T) map[string]string {
	t.Helper()
	b, err := fs.ReadFile(Catalog(), "en.json")
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestCatalogs: both languages have every key, with the same verbs in the
// same order.
func TestCatalogs(t *testing.T) {
	en := catalogKeys(t)
	b, err := fs.ReadFile(Catalog(), "sw.json")
	if err != nil {
		t.Fatal(err)
	}
	sw := map[string]string{}
	if err := json.Unmarshal(b, &sw); err != nil {
		t.Fatal(err)
	}
	verbs := regexp.MustCompile(`%[a-z]`)
	for k, v := range en {
		s, ok := sw[k]
		if !ok {
			t.Errorf("sw lacks %s", k)
			continue
		}
		if a, b := verbs.FindAllString(v, -1), verbs.FindAllString(s, -1); strings.Join(a, "") != strings.Join(b, "") {
			t.Errorf("%s: verbs %v in en, %v in sw", k, a, b)
		}
	}
	for k := range sw {
		if _, ok := en[k]; !ok {
			t.Errorf("sw has %s, en does not", k)
		}
	}
	src, _ := os.ReadFile("decode.go")
	chk, _ := os.ReadFile("check.go")
	for _, m := range regexp.MustCompile(`"(pf\.[a-z_]+)"`).FindAllSubmatch(append(src, chk...), -1) {
		if _, ok := en[string(m[1])]; !ok {
			t.Errorf("the code uses %s, the catalogue lacks it", m[1])
		}
	}
}

// TestDecodeStoreRules: what only the store's validators know is refused by
// Decode too, at a path inside the file.
func TestDecodeStoreRules(t *testing.T) {
	data := mutate(t, func(m map[string]any) {
		p := obj(m, "components", 0, "proposals")
		p["support_limit"] = 100000
	})
	_, err := Decode(bytes.NewReader(data))
	if err == nil || !strings.Contains(err.Error(), "/components/0/proposals/support_limit: must be between 0 and") {
		t.Fatalf("err = %v", err)
	}
}

func TestDecodeGeoJSON(t *testing.T) {
	shape := func(code string, x float64) map[string]any {
		return map[string]any{"type": "Feature", "properties": map[string]any{"ward": code, "label": "x"},
			"geometry": map[string]any{"type": "Polygon", "coordinates": []any{[]any{[]any{x, 0}, []any{x + 1, 0}, []any{x + 1, 1}, []any{x, 0}}}}}
	}
	data := mutate(t, func(m map[string]any) {
		obj(m, "region_set")["geojson"] = map[string]any{"type": "FeatureCollection",
			"features": []any{shape("W2a", 2), shape("W1", 0), shape("W2", 1)}}
	})
	f, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(f.RegionSet.GeoJSON, &fc); err != nil || len(fc.Features) != 3 || fc.Features[0].Properties["code"] != "W1" {
		t.Fatalf("normalised shapes %s (%v)", f.RegionSet.GeoJSON, err)
	}
	data = mutate(t, func(m map[string]any) {
		obj(m, "region_set")["geojson"] = map[string]any{"type": "FeatureCollection", "features": []any{shape("W1", 0)}}
	})
	_, err = Decode(bytes.NewReader(data))
	if err == nil || !strings.HasPrefix(err.Error(), "/region_set/geojson: ") {
		t.Fatalf("shapes lacking two regions: err = %v", err)
	}
	t.Log(err)
}
