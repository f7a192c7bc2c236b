package chartsvg

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/civicpulse/civicpulse/dashboards"
)

const evil = `</text><script>alert(1)</script>&"'`

var nan = math.NaN()

// charts are the shapes the panels make, built with dashboards' own
// builders.
func charts() map[string]dashboards.Chart {
	days := make([]string, 90)
	a, b, prev := make([]float64, 90), make([]float64, 90), make([]float64, 90)
	for i := range days {
		days[i] = fmt.Sprintf("2026-%02d-%02d", 9+i/30, 1+i%30)
		a[i], b[i], prev[i] = float64(i%17), float64(40+i%9), float64(30+i%11)
	}
	a[10], a[11], a[40] = nan, nan, nan
	pts := func(n int, dx float64) [][2]float64 {
		out := make([][2]float64, n)
		for i := range out {
			out[i] = [2]float64{dx + math.Sin(float64(i))*3, math.Cos(float64(i)*1.3) * 2}
		}
		return out
	}
	counties := make([]string, 47)
	perCounty := make([]float64, 47)
	for i := range counties {
		counties[i] = fmt.Sprintf("County %02d", i+1)
		perCounty[i] = float64((i * 37) % 101)
	}
	var answers []dashboards.Series
	for k := range 9 {
		answers = append(answers, dashboards.Series{Name: fmt.Sprintf("Answer %d, which is rather long for a legend entry", k+1),
			Values: []float64{float64(k + 1), 3, 2}, Stack: "x"})
	}
	return map[string]dashboards.Chart{
		"answers":  dashboards.BarChart([]string{"Women", "Men", "Prefer not to say"}, answers, true),
		"counties": dashboards.BarChart(counties, []dashboards.Series{{Name: "Visitors", Values: perCounty}}, true),
		"zeros":    dashboards.BarChart([]string{"a", "b"}, []dashboards.Series{{Name: "n", Values: []float64{0, 0}}}, false),
		"line": dashboards.LineChart(days, []dashboards.Series{
			{Name: "Proposals", Values: a}, {Name: "Comments", Values: b},
			{Name: "Total, previous period", Values: prev, Dashed: true}}),
		"bar": dashboards.BarChart([]string{"Nairobi", "Mombasa", "Kisumu", evil}, []dashboards.Series{
			{Name: "Visitors", Values: []float64{120, 80, nan, 30}}, {Name: "Engaged", Values: []float64{60, 20, 10, 5}}}, false),
		"horizontal": dashboards.BarChart([]string{"Build more water points in every ward of the county before the rains", "Roads", "Schools"},
			[]dashboards.Series{{Name: "Share (%)", Values: []float64{55, 30, 15}}}, true),
		"likert": dashboards.BarChart([]string{"%"}, []dashboards.Series{
			{Name: "Strongly disagree", Values: []float64{-10}, Stack: "l", Color: "#b2182b"},
			{Name: "Disagree", Values: []float64{-20}, Stack: "l", Color: "#ef8a62"},
			{Name: "Neutral (left)", Values: []float64{-5}, Stack: "l", Color: "#cccccc"},
			{Name: "Neutral", Values: []float64{5}, Stack: "l", Color: "#cccccc"},
			{Name: "Agree", Values: []float64{40}, Stack: "l", Color: "#67a9cf"},
			{Name: "Strongly agree", Values: []float64{20}, Stack: "l", Color: "#2166ac"}}, true),
		"crosstab": dashboards.BarChart([]string{"18–24", "25–34", "35+"}, []dashboards.Series{
			{Name: "Yes", Values: []float64{10, 20, 30}, Stack: "x"}, {Name: "No", Values: []float64{5, nan, 15}, Stack: "x"}}, true),
		"funnel": dashboards.FunnelChart("Funnel", []dashboards.Area{{Name: "Visited", Value: 1000}, {Name: "Opened the form", Value: 400}, {Name: "Submitted", Value: 150}}),
		"scatter": dashboards.ScatterChart([]dashboards.PointSet{{Name: "Group A", Points: pts(150, 0)}, {Name: "Group B", Points: pts(150, 8)},
			{Name: "Not grouped", Points: pts(40, 4), Color: "#999999"}}),
	}
}

// TestSamples keeps the drawings where a person can look at them:
// CHARTSVG_OUT=/tmp/x go test -run TestSamples.
func TestSamples(t *testing.T) {
	dir := os.Getenv("CHARTSVG_OUT")
	if dir == "" {
		t.Skip("CHARTSVG_OUT not set")
	}
	for name, c := range charts() {
		svg, err := Render(c, name, Options{})
		if err != nil {
			t.Fatal(name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".svg"), svg, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// doc is what a test reads back from a drawing.
type doc struct {
	root  xml.StartElement
	title string
	texts []string // the text of every <text>, unescaped
	paths []path
}

type path struct {
	style string
	d     string
}

// read decodes the whole document strictly, failing the test on any
// error, and on any element or attribute that could run script.
func read(t *testing.T, svg []byte) doc {
	t.Helper()
	if bytes.Contains(bytes.ToLower(svg), []byte("<script")) || bytes.Contains(bytes.ToLower(svg), []byte("javascript:")) {
		t.Fatalf("script in the SVG:\n%s", svg)
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var d doc
	var stack []string
	first := true
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			if first {
				d.root, first = tk.Copy(), false
			}
			switch strings.ToLower(tk.Name.Local) {
			case "script", "foreignobject", "iframe", "a", "use", "image":
				t.Fatalf("element <%s> in the SVG", tk.Name.Local)
			case "path":
				var p path
				for _, a := range tk.Attr {
					switch a.Name.Local {
					case "style":
						p.style = a.Value
					case "d":
						p.d = a.Value
					}
				}
				d.paths = append(d.paths, p)
			}
			for _, a := range tk.Attr {
				if strings.HasPrefix(strings.ToLower(a.Name.Local), "on") || strings.Contains(strings.ToLower(a.Value), "javascript") {
					t.Fatalf("attribute %s=%q in the SVG", a.Name.Local, a.Value)
				}
			}
			stack = append(stack, tk.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			switch stack[len(stack)-1] {
			case "text":
				d.texts = append(d.texts, string(tk))
			case "title":
				d.title += string(tk)
			}
		}
	}
	if first {
		t.Fatal("empty document")
	}
	return d
}

func (d doc) hasText(s string) bool {
	for _, x := range d.texts {
		if x == s {
			return true
		}
	}
	return false
}

func render(t *testing.T, c dashboards.Chart, title string, o Options) (doc, []byte) {
	t.Helper()
	svg, err := Render(c, title, o)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return read(t, svg), svg
}

func TestEveryKindIsAWellFormedTitledDocument(t *testing.T) {
	for name, c := range charts() {
		t.Run(name, func(t *testing.T) {
			d, svg := render(t, c, "Inputs & "+name, Options{Width: 600, Height: 300})
			if d.root.Name.Local != "svg" || d.root.Name.Space != "http://www.w3.org/2000/svg" {
				t.Fatalf("root is %v", d.root.Name)
			}
			var vb string
			for _, a := range d.root.Attr {
				if a.Name.Local == "viewBox" {
					vb = a.Value
				}
			}
			if vb != "0 0 600 300" {
				t.Errorf("viewBox %q, want 0 0 600 300", vb)
			}
			if d.title != "Inputs & "+name {
				t.Errorf("title %q", d.title)
			}
			if len(svg) > 40<<10 {
				t.Errorf("%d bytes, want under 40 KB", len(svg))
			}
			if name != "scatter" && len(d.texts) == 0 {
				t.Error("no labels drawn as text")
			}
		})
	}
}

func TestLabelsAndSeriesNamesAreText(t *testing.T) {
	cats := []string{"Nairobi", "Mombasa", "Kisumu"}
	c := dashboards.BarChart(cats, []dashboards.Series{{Name: "Visitors", Values: []float64{3, 2, 1}}, {Name: "Engaged", Values: []float64{2, 1, 0}}}, false)
	d, _ := render(t, c, "Visits", Options{})
	for _, s := range append(cats, "Visitors", "Engaged") {
		if !d.hasText(s) {
			t.Errorf("%q is not a text of the SVG; texts: %q", s, d.texts)
		}
	}
	// One series needs no legend: its name would only repeat the title.
	one := dashboards.BarChart(cats, []dashboards.Series{{Name: "Visitors", Values: []float64{3, 2, 1}}}, false)
	if d, _ := render(t, one, "Visits", Options{}); d.hasText("Visitors") {
		t.Error("a legend for a single series")
	}
	f := dashboards.FunnelChart("Funnel", []dashboards.Area{{Name: "Visited", Value: 10}, {Name: "Submitted", Value: 2}})
	d, _ = render(t, f, "Funnel", Options{})
	for _, s := range []string{"Visited", "Submitted"} {
		if !d.hasText(s) {
			t.Errorf("funnel stage %q is not a text; texts: %q", s, d.texts)
		}
	}
}

func TestParticipantTextIsEscaped(t *testing.T) {
	c := dashboards.BarChart([]string{evil, "ok"}, []dashboards.Series{{Name: evil, Values: []float64{1, 2}}, {Name: "b\x00\x1b\nc", Values: []float64{2, 1}}}, false)
	d, svg := render(t, c, evil, Options{Width: 1600, Height: 400}) // wide: nothing truncated
	if d.title != evil {
		t.Errorf("title %q, want %q", d.title, evil)
	}
	if !d.hasText(evil) {
		t.Errorf("the label does not come back as text; texts: %q", d.texts)
	}
	if !d.hasText("b c") {
		t.Errorf("control characters not folded; texts: %q", d.texts)
	}
	if bytes.Contains(svg, []byte("</text><script")) {
		t.Error("label written unescaped")
	}
}

func TestLongLabelsEndInAnEllipsis(t *testing.T) {
	long := "Build more water points in every ward of the county before the long rains come"
	c := dashboards.BarChart([]string{long, "Roads"}, []dashboards.Series{{Name: "Share", Values: []float64{60, 40}}}, true)
	d, _ := render(t, c, "Priorities", Options{Width: 480, Height: 240})
	var got string
	for _, s := range d.texts {
		if strings.HasPrefix(s, "Build") {
			got = s
		}
	}
	if !strings.HasSuffix(got, "…") || !strings.HasPrefix(long, strings.TrimSuffix(got, "…")) || len(got) >= len(long) {
		t.Errorf("long label drawn as %q", got)
	}
	if !d.hasText("Roads") {
		t.Error("short label changed")
	}
}

// strokes are the paths stroked in colour c (lines; legend samples too).
func (d doc) strokes(c string) []path {
	var out []path
	for _, p := range d.paths {
		if strings.Contains(p.style, "stroke:"+c) {
			out = append(out, p)
		}
	}
	return out
}

func (d doc) fills(c string) []path {
	var out []path
	for _, p := range d.paths {
		if strings.HasPrefix(p.style, "fill:"+c) && !strings.Contains(p.style, "stroke") {
			out = append(out, p)
		}
	}
	return out
}

func TestMissingValuesAreGaps(t *testing.T) {
	x := []string{"1", "2", "3", "4", "5", "6", "7"}
	whole := dashboards.LineChart(x, []dashboards.Series{{Name: "a", Values: []float64{1, 2, 3, 4, 5, 6, 7}}})
	d, _ := render(t, whole, "t", Options{})
	if n := len(d.strokes(palette[0])); n != 1 {
		t.Fatalf("a line without gaps is %d strokes, want 1", n)
	}
	// 1 2 _ 4 5 _ 7: two strokes and a dot for the lone 7.
	gappy := dashboards.LineChart(x, []dashboards.Series{{Name: "a", Values: []float64{1, 2, nan, 4, 5, nan, 7}}})
	d, _ = render(t, gappy, "t", Options{})
	if n := len(d.strokes(palette[0])); n != 2 {
		t.Errorf("a line with two gaps is %d strokes, want 2", n)
	}
	if n := len(d.fills(palette[0])); n != 1 {
		t.Errorf("a lone value is %d dots, want 1", n)
	}
	bar := dashboards.BarChart(x[:3], []dashboards.Series{{Name: "a", Values: []float64{1, nan, 3}}}, false)
	d, _ = render(t, bar, "t", Options{})
	if n := len(d.fills(palette[0])); n != 2 {
		t.Errorf("bars with a missing value: %d bars, want 2", n)
	}
}

func TestComparisonLinesAreDashed(t *testing.T) {
	c := dashboards.LineChart([]string{"a", "b", "c"}, []dashboards.Series{
		{Name: "This period", Values: []float64{1, 2, 3}}, {Name: "Previous period", Values: []float64{2, 2, 2}, Dashed: true}})
	d, _ := render(t, c, "t", Options{})
	dashed := d.strokes(comparison)
	if len(dashed) != 2 { // the line and its legend sample
		t.Fatalf("%d strokes in the comparison colour, want 2", len(dashed))
	}
	for _, p := range append(dashed, d.strokes(palette[0])...) {
		if strings.Contains(p.style, "dasharray") != strings.Contains(p.style, comparison) {
			t.Errorf("path %q: only the comparison is dashed", p.style)
		}
	}
}

// box is the extent of the largest path in colour c: in these one-
// category charts, the bar rather than its legend sample.
func (d doc) box(t *testing.T, c string) (x0, x1, y0, y1 float64) {
	t.Helper()
	num := regexp.MustCompile(`-?[0-9.]+(e-?[0-9]+)?`)
	best := -1.0
	for _, p := range d.fills(c) {
		var xs, ys []float64
		for i, m := range num.FindAllString(p.d, -1) {
			var v float64
			fmt.Sscan(m, &v)
			if i%2 == 0 {
				xs = append(xs, v)
			} else {
				ys = append(ys, v)
			}
		}
		a0, a1, b0, b1 := minmax(xs), maxOf(xs), minmax(ys), maxOf(ys)
		if area := (a1 - a0) * (b1 - b0); area > best {
			best, x0, x1, y0, y1 = area, a0, a1, b0, b1
		}
	}
	if best < 0 {
		t.Fatalf("no bar in %s", c)
	}
	return
}

func minmax(v []float64) float64 {
	m := math.Inf(1)
	for _, x := range v {
		m = math.Min(m, x)
	}
	return m
}

func maxOf(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		m = math.Max(m, x)
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 0.01 }

func TestHorizontalStackedBarsStack(t *testing.T) {
	c := dashboards.BarChart([]string{"18–24"}, []dashboards.Series{
		{Name: "Yes", Values: []float64{30}, Stack: "x", Color: "#0072B2"}, {Name: "No", Values: []float64{10}, Stack: "x", Color: "#D55E00"}}, true)
	d, _ := render(t, c, "t", Options{})
	ax0, ax1, ay0, ay1 := d.box(t, "#0072B2")
	bx0, bx1, by0, by1 := d.box(t, "#D55E00")
	if !near(ax1, bx0) || !near(ay0, by0) || !near(ay1, by1) {
		t.Errorf("No (%v..%v, %v..%v) does not continue Yes (%v..%v, %v..%v)", bx0, bx1, by0, by1, ax0, ax1, ay0, ay1)
	}
	if r := (ax1 - ax0) / (bx1 - bx0); !near(r, 3) {
		t.Errorf("Yes is %.3f times No along the x axis, want 3", r)
	}
	if ax1-ax0 < ay1-ay0 {
		t.Error("a horizontal bar is taller than wide")
	}
}

func TestVerticalBarsStandSideBySide(t *testing.T) {
	c := dashboards.BarChart([]string{"a"}, []dashboards.Series{
		{Name: "Yes", Values: []float64{30}, Color: "#0072B2"}, {Name: "No", Values: []float64{10}, Color: "#D55E00"}}, false)
	d, _ := render(t, c, "t", Options{})
	_, ax1, ay0, ay1 := d.box(t, "#0072B2")
	bx0, _, by0, by1 := d.box(t, "#D55E00")
	if !near(ax1, bx0) {
		t.Errorf("No starts at x %v, not beside Yes (ends %v)", bx0, ax1)
	}
	if !near(ay0, by0) && !near(ay1, by1) {
		t.Error("the bars do not share their base")
	}
	if r := (ay1 - ay0) / (by1 - by0); !near(r, 3) {
		t.Errorf("Yes is %.3f times as tall as No, want 3", r)
	}
}

func TestLikertDivergesFromZero(t *testing.T) {
	d, _ := render(t, charts()["likert"], "t", Options{})
	_, nl1, _, _ := d.box(t, "#CCCCCC") // the neutral halves share a colour: the largest is either
	_, dis1, _, _ := d.box(t, "#EF8A62")
	agr0, _, _, _ := d.box(t, "#67A9CF")
	_, sd1, _, _ := d.box(t, "#B2182B")
	if dis1 > nl1 || sd1 > nl1 {
		t.Errorf("disagreement (ends %v, %v) is not left of the middle (%v)", dis1, sd1, nl1)
	}
	if agr0 < nl1-0.01 {
		t.Errorf("agreement starts at %v, left of the middle %v", agr0, nl1)
	}
}

func TestSameChartSameBytes(t *testing.T) {
	for name, c := range charts() {
		first, err := Render(c, name, Options{})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		got := make([][]byte, 4)
		for i := range got {
			wg.Go(func() { got[i], _ = Render(c, name, Options{}) })
		}
		wg.Wait()
		for _, g := range got {
			if !bytes.Equal(g, first) {
				t.Fatalf("%s: two renderings differ", name)
			}
		}
	}
}

func TestAYearOfDailyFiguresStaysSmall(t *testing.T) {
	days := make([]string, 365)
	ss := make([]dashboards.Series, 6)
	for i := range days {
		days[i] = fmt.Sprintf("day %d", i)
	}
	for k := range ss {
		ss[k] = dashboards.Series{Name: fmt.Sprintf("Kind %d", k), Values: make([]float64, 365), Dashed: k == 5}
		for i := range ss[k].Values {
			ss[k].Values[i] = float64((i*(k+3))%23 + k)
		}
	}
	d, svg := render(t, dashboards.LineChart(days, ss), "t", Options{})
	if len(svg) > 48<<10 {
		t.Errorf("%d bytes for 6 × 365 values", len(svg))
	}
	labelled := 0
	for _, s := range d.texts {
		if strings.HasPrefix(s, "day ") {
			labelled++
		}
	}
	if labelled < 4 || labelled > 20 {
		t.Errorf("%d of 365 days labelled, want a readable few", labelled)
	}
}

func TestMapsAreLeftToTheTable(t *testing.T) {
	for _, c := range []dashboards.Chart{
		dashboards.MapChart("Per thousand", []dashboards.Area{{Name: "Nairobi", Value: 3}}),
		dashboards.GeoPoints("Proposals", []string{"a"}, [][2]float64{{36.8, -1.3}}),
	} {
		if _, err := Render(c, "t", Options{}); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: err %v, want ErrUnsupported", c.Kind, err)
		}
	}
	empty := dashboards.BarChart(nil, nil, false)
	if _, err := Render(empty, "t", Options{}); !errors.Is(err, ErrNoData) {
		t.Errorf("empty chart: err %v, want ErrNoData", err)
	}
	allMissing := dashboards.LineChart([]string{"a", "b"}, []dashboards.Series{{Name: "a", Values: []float64{nan, nan}}})
	if _, err := Render(allMissing, "t", Options{}); !errors.Is(err, ErrNoData) {
		t.Errorf("no values: err %v, want ErrNoData", err)
	}
	if _, err := Render(dashboards.Chart{Kind: "bar", Option: "{"}, "t", Options{}); err == nil {
		t.Error("a broken option drew")
	}
}

// Check answers as Render would, without drawing: the results page links
// an image only when its request will draw one.
func TestCheckAgreesWithRender(t *testing.T) {
	for _, c := range []dashboards.Chart{
		dashboards.MapChart("Per thousand", []dashboards.Area{{Name: "Nairobi", Value: 3}}),
		dashboards.BarChart(nil, nil, false),
		dashboards.LineChart([]string{"a", "b"}, []dashboards.Series{{Name: "a", Values: []float64{nan, nan}}}),
		dashboards.LineChart([]string{"a", "b"}, []dashboards.Series{{Name: "a", Values: []float64{1, 2}}}),
		{Kind: "bar", Option: "{"},
	} {
		_, rerr := Render(c, "t", Options{})
		if cerr := Check(c); (cerr == nil) != (rerr == nil) || (cerr != nil && cerr.Error() != rerr.Error()) {
			t.Errorf("%s: Check %v, Render %v", c.Kind, cerr, rerr)
		}
	}
}

func TestPaletteContrast(t *testing.T) {
	lum := func(s string) float64 {
		c, ok := parseHex(s)
		if !ok {
			t.Fatalf("%q is not a colour", s)
		}
		f := func(v uint8) float64 {
			x := float64(v) / 255
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*f(c.R) + 0.7152*f(c.G) + 0.0722*f(c.B)
	}
	for _, c := range append(append([]string(nil), palette...), comparison) {
		if r := 1.05 / (lum(c) + 0.05); r < 3 {
			t.Errorf("%s has %.2f:1 contrast on white, want ≥ 3:1", c, r)
		}
	}
}

func TestHorizontalChartsGrowToLabelEveryRow(t *testing.T) {
	counties := make([]string, 47)
	vals := make([]float64, 47)
	for i := range counties {
		counties[i] = fmt.Sprintf("County %02d", i+1)
		vals[i] = float64(i)
	}
	d, svg := render(t, dashboards.BarChart(counties, []dashboards.Series{{Name: "Visitors", Values: vals}}, true), "t", Options{})
	for _, c := range counties {
		if !d.hasText(c) {
			t.Fatalf("%s is not labelled", c)
		}
	}
	if len(svg) > 40<<10 {
		t.Errorf("%d bytes for 47 bars", len(svg))
	}
	// A fixed height is kept: labels are then thinned, not overlapped.
	d, _ = render(t, dashboards.BarChart(counties, []dashboards.Series{{Name: "Visitors", Values: vals}}, true), "t", Options{Width: 640, Height: 300})
	n := 0
	for _, c := range counties {
		if d.hasText(c) {
			n++
		}
	}
	if n == 0 || n == len(counties) {
		t.Errorf("%d of 47 labels in 300 px", n)
	}
}

func TestDegenerateChartsDraw(t *testing.T) {
	for name, c := range map[string]dashboards.Chart{
		"all zero":      dashboards.BarChart([]string{"a", "b"}, []dashboards.Series{{Name: "n", Values: []float64{0, 0}}}, false),
		"one day":       dashboards.LineChart([]string{"2026-12-01"}, []dashboards.Series{{Name: "n", Values: []float64{4}}}),
		"negative line": dashboards.LineChart([]string{"a", "b"}, []dashboards.Series{{Name: "n", Values: []float64{-4, -2}}}),
		"one point":     dashboards.ScatterChart([]dashboards.PointSet{{Name: "g", Points: [][2]float64{{1, 1}}}}),
		"short series":  {Kind: "bar", Option: `{"xAxis":[{"data":["a","b","c"]}],"series":[{"name":"s","type":"bar","data":[1]}]}`},
		"bare values":   {Kind: "line", Option: `{"xAxis":[{"data":["a",2]}],"series":[{"name":"s","type":"line","data":[1,null]}]}`},
		"tiny canvas":   dashboards.BarChart([]string{"a"}, []dashboards.Series{{Name: "n", Values: []float64{1}}}, true),
		"empty funnel":  dashboards.FunnelChart("f", []dashboards.Area{{Name: "a", Value: 0}, {Name: "b", Value: nan}}),
	} {
		t.Run(name, func(t *testing.T) {
			o := Options{}
			if name == "tiny canvas" {
				o = Options{Width: 10, Height: 10}
			}
			read(t, mustRender(t, c, o))
		})
	}
}

func mustRender(t *testing.T, c dashboards.Chart, o Options) []byte {
	t.Helper()
	svg, err := Render(c, "t", o)
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	return svg
}

func TestALongLegendWrapsAndKeepsEveryName(t *testing.T) {
	for _, o := range []Options{{}, {Width: 640, Height: 300}, {Width: 320, Height: 200}} {
		d, _ := render(t, charts()["answers"], "t", o)
		n := 0
		for _, s := range d.texts {
			if strings.HasPrefix(s, "Answer ") {
				n++
			}
		}
		if n != 9 {
			t.Errorf("%v: %d of 9 names in the legend; texts %q", o, n, d.texts)
		}
		// Every stack is drawn: 9 series × 3 categories (the legend's
		// samples come on top).
		bars := 0
		for _, c := range palette {
			bars += len(d.fills(c))
		}
		if bars != 27+9 {
			t.Errorf("%v: %d filled shapes in the palette's colours, want 36", o, bars)
		}
	}
}
