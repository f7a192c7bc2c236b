package dashweb

import (
	"math"
	"regexp"
	"strconv"
	"testing"
)

// luminance is WCAG 2.x relative luminance of a #rrggbb or #rgb colour.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	h := hex[1:]
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(h[2*i:2*i+2], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		x := float64(v) / 255
		if x <= 0.03928 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// TestHeatTableContrast: every shade of the section heat table keeps its
// figures readable (WCAG 1.4.3, 4.5:1); axe found white on #6baed6 at 2.4:1.
func TestHeatTableContrast(t *testing.T) {
	css, err := staticFS.ReadFile("static/dashboards.css")
	if err != nil {
		t.Fatal(err)
	}
	rule := regexp.MustCompile(`\.heat td\.h\d \{ background: (#[0-9a-fA-F]{3,6});(?: color: (#[0-9a-fA-F]{3,6});)? \}`)
	rules := rule.FindAllStringSubmatch(string(css), -1)
	if len(rules) < 4 {
		t.Fatalf("found %d heat shades in dashboards.css", len(rules))
	}
	for _, m := range rules {
		fg := m[2]
		if fg == "" {
			fg = "#222222" // the page's text (app.css)
		}
		a, b := luminance(t, m[1]), luminance(t, fg)
		ratio := (math.Max(a, b) + 0.05) / (math.Min(a, b) + 0.05)
		if ratio < 4.5 {
			t.Errorf("%s on %s: %.2f:1, under 4.5:1", fg, m[1], ratio)
		}
	}
}
