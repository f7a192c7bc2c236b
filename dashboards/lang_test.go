package dashboards

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The two catalogues hold the same keys: a text missing in Kiswahili
// would show in English (or as its key).
func TestCataloguesHaveTheSameKeys(t *testing.T) {
	for k := range catalogue["en"] {
		if _, ok := catalogue["sw"][k]; !ok {
			t.Errorf("sw.json has no %s", k)
		}
	}
	for k := range catalogue["sw"] {
		if _, ok := catalogue["en"][k]; !ok {
			t.Errorf("en.json has no %s", k)
		}
	}
}

// Every key a dashboard's code names is in the catalogue (an unknown key
// shows as itself).
func TestCodeKeysAreInTheCatalogue(t *testing.T) {
	keys := regexp.MustCompile(`"(dash\.[a-z0-9_.\-]+[a-z0-9])"`)
	for _, f := range goSources(t) {
		for _, m := range keys.FindAllStringSubmatch(f.body, -1) {
			if _, ok := catalogue["en"][m[1]]; !ok && !strings.HasSuffix(m[1], ".") {
				t.Errorf("%s names %s, which en.json lacks", f.name, m[1])
			}
		}
	}
}

// englishFragments are the English catalogue's texts cut at their
// arguments, each long enough not to be a word of participants' data.
func englishFragments() []string {
	verbs := regexp.MustCompile(`%(\[\d\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)
	var out []string
	for k, en := range catalogue["en"] {
		if en == catalogue["sw"][k] {
			continue // the same in both languages (SMS, 95% CI…)
		}
		for _, frag := range verbs.Split(en, -1) {
			frag = strings.TrimSpace(frag)
			if len(frag) >= 8 && strings.Contains(frag, " ") {
				out = append(out, frag)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// uiTexts are a result's texts a reader reads as the page's own: titles,
// summaries, warnings, pickers, column labels, text cells and the chart.
func uiTexts(r *Result) []string {
	out := append([]string{r.Title}, r.Summary...)
	out = append(out, r.Warnings...)
	for _, p := range r.Pickers {
		out = append(out, p.Label)
		for _, o := range p.Options {
			out = append(out, o.Label)
		}
	}
	for _, c := range r.Table.Columns {
		out = append(out, c.Label, c.Header())
	}
	for i, row := range r.Table.Rows {
		for j := range row {
			out = append(out, r.Table.Format(i, j))
		}
	}
	if r.Chart != nil {
		out = append(out, r.Chart.Option)
	}
	for _, p := range r.Parts {
		out = append(out, uiTexts(p)...)
	}
	return out
}

// In Kiswahili no panel of any dashboard says anything the English
// catalogue says: titles, summaries, warnings, column labels, cells and
// chart legends all come through sw.json.
func TestEveryPanelInKiswahili(t *testing.T) {
	frags := englishFragments()
	check := func(t *testing.T, d *Dashboards, f Filter, extra map[string]Filter) {
		t.Helper()
		p, err := d.Process(context.Background(), f.Process)
		if err != nil {
			t.Fatal(err)
		}
		for _, db := range All() {
			if !db.For(p) {
				continue
			}
			for _, pn := range db.Panels {
				g := f
				if x, ok := extra[pn.Name]; ok {
					g.Section, g.Theme, g.Question = x.Section, x.Theme, x.Question
				}
				v := d.Resolve(p, g)
				v.L = Messages("sw")
				for _, public := range []bool{false, true} {
					run := d.RunView
					if public {
						run = d.RunPublic
					}
					r, err := run(context.Background(), pn, v)
					if err != nil {
						t.Fatalf("%s: %v", pn.Name, err)
					}
					for _, s := range uiTexts(r) {
						for _, en := range frags {
							if strings.Contains(s, en) {
								t.Errorf("%s/%s in Kiswahili says %q (English %q)", db.Name, pn.Name, shorten(s, 160), en)
							}
						}
					}
				}
			}
		}
	}
	t.Run("budget", func(t *testing.T) {
		_, d := fixture(t)
		check(t, d, Filter{Process: fxProcess, From: fxFrom, To: fxTo}, map[string]Filter{
			"section-comments": {Section: 900}, "survey-crosstab": {Question: fxQ1},
		})
	})
	t.Run("insights", func(t *testing.T) {
		_, d := insightsFixture(t)
		day := ixDay.Truncate(24 * time.Hour)
		check(t, d, Filter{Process: ixProcess, From: day, To: day.Add(4 * 24 * time.Hour)}, map[string]Filter{
			"theme-detail": {Theme: ixTheme1}, "section-comments": {Section: ixSection},
		})
	})
}

// Numbers and dates read by the language's rules: Kiswahili days and
// months, the day before the month.
func TestKiswahiliDatesAndNumbers(t *testing.T) {
	sw := Messages("sw")
	at := time.Date(2026, 3, 6, 15, 4, 0, 0, time.UTC)
	if got := whenIn(sw, at); got != "6 Mac 15:04" {
		t.Errorf("when in Kiswahili = %q", got)
	}
	if got := dayIn(sw, at); got != "Ijumaa 6 Mac" {
		t.Errorf("day in Kiswahili = %q", got)
	}
	if got := whenIn(Messages("en"), at); got != "Mar 6 15:04" {
		t.Errorf("when in English = %q", got)
	}
	want := message.NewPrinter(language.Make("sw")).Sprintf("%d", 14170000)
	if got := (View{L: sw}).N(14170000); got != want || got != "14,170,000" {
		t.Errorf("number in Kiswahili = %q (CLDR %q)", got, want)
	}
}

type source struct{ name, body string }

// goSources are the package's own .go files, tests left out.
func goSources(t *testing.T) []source {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []source
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, source{n, string(b)})
	}
	return out
}
