package workspace_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// rawKey is a catalogue key shown as text: the Localizer answers a missing
// key with the key itself.
var rawKey = regexp.MustCompile(`>[^<]*\b((?:ws|field|hint|err|setup|state|state_help|to|kind|qtype|lang|level|scope|mode|pf|move|form|survey|document|phases|regions|translations|strategy|participation|privacy|proposals|component|new|nav|tr|status|criteria|assess|astate|responses)\.[a-z_]+)\b`)

// TestPagesInBothLanguages opens every workspace page of a process with all
// three tools in English and in Kiswahili: each answers 200, speaks the
// asked language and shows no catalogue key in place of a text.
func TestPagesInBothLanguages(t *testing.T) {
	fx := newFixture(t, sqliteURLFor(t))
	p := fx.process(t, fx.ProcessA)
	p.Languages = []string{"en", "sw"}
	must(t, fx.Store.UpdateProcess(fx.ctx, p))
	b := fx.browser(t, "official")
	P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
	pages := []string{P + "/setup", P + "/strategy", P + "/participation", P + "/regions", P + "/phases", P + "/translations/sw", P + "/outreach"}
	for _, c := range []int64{fx.Proposals, fx.Document, fx.Survey} {
		pages = append(pages, fmt.Sprintf("%s/components/%d", P, c))
	}
	// Assessment: criteria, the ranking, one proposal, the answers to the
	// document and the survey.
	must(t, fx.Store.SetSurvey(fx.ctx, participation.Survey{ComponentID: fx.Survey, Pages: 1, Questions: []participation.Question{
		{Page: 1, Type: participation.QText, Prompt: "What matters?"}}}))
	if _, err := fx.Store.SaveCriterion(fx.ctx, participation.Criterion{ProcessID: fx.ProcessA, Name: "Cost"}); err != nil {
		t.Fatal(err)
	}
	prop := fx.proposalIn(t, "Boreholes")
	pages = append(pages, P+"/criteria", P+"/assessment", fmt.Sprintf("%s/proposals/%d/assess", P, prop),
		fmt.Sprintf("%s/components/%d/responses", P, fx.Document), fmt.Sprintf("%s/components/%d/responses", P, fx.Survey))
	seen := map[string]string{}
	for _, lang := range []string{"en", "sw"} {
		for _, path := range pages {
			pg := b.Get(path + "?lang=" + lang)
			if pg.Status != http.StatusOK {
				t.Fatalf("%s in %s: %d", path, lang, pg.Status)
			}
			if !strings.Contains(pg.Body, `<html lang="`+lang+`"`) {
				t.Errorf("%s?lang=%s is not in %s", path, lang, lang)
			}
			if m := rawKey.FindStringSubmatch(pg.Body); m != nil {
				t.Errorf("%s in %s shows the catalogue key %q", path, lang, m[1])
			}
			h1 := regexp.MustCompile(`<h1>([^<]*)`).FindStringSubmatch(pg.Body)
			if h1 != nil && lang == "sw" && seen[path] == h1[1] && !strings.Contains(path, "/components/") && !strings.HasSuffix(path, "/setup") {
				t.Errorf("%s: the heading %q is the same in English and Kiswahili", path, h1[1])
			}
			if h1 != nil {
				seen[path] = h1[1]
			}
		}
	}
}

// TestCatalogues checks that English and Kiswahili hold the same keys, that
// every key the templates and handlers name literally is there, and that
// the Kiswahili texts are not English left in place.
func TestCatalogues(t *testing.T) {
	load := func(lang string) map[string]string {
		raw, err := os.ReadFile("catalog/" + lang + ".json")
		must(t, err)
		m := map[string]string{}
		must(t, json.Unmarshal(raw, &m))
		return m
	}
	en, sw := load("en"), load("sw")
	for k := range en {
		if _, ok := sw[k]; !ok {
			t.Errorf("%s is not in sw.json", k)
		}
	}
	for k := range sw {
		if _, ok := en[k]; !ok {
			t.Errorf("%s is not in en.json", k)
		}
	}
	same := 0
	for k, v := range en {
		if len(v) > 15 && sw[k] == v {
			same++
			t.Errorf("%s: the Kiswahili text is the English one", k)
		}
	}
	used := regexp.MustCompile(`(?:\.T "|\.T\(")([a-z_]+\.[a-z_.0-9]+)"`)
	files, _ := filepath.Glob("templates/*.html")
	gofiles, _ := filepath.Glob("*.go")
	n := 0
	for _, f := range append(files, gofiles...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		raw, err := os.ReadFile(f)
		must(t, err)
		for _, m := range used.FindAllStringSubmatch(string(raw), -1) {
			n++
			_, plain := en[m[1]]
			_, counted := en[m[1]+".other"] // T picks .one/.other by its count
			if !plain && !counted {
				t.Errorf("%s names %s, which is not in the catalogue", f, m[1])
			}
		}
	}
	if n < 100 {
		t.Fatalf("found only %d catalogue keys in use; is the pattern right?", n)
	}
}
