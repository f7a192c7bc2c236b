package web_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestBrowserMapPicker taps the new-proposal form's map in a real Chromium
// at phone width: the tap fills latitude and longitude, the marker
// appears and the live line names the county; a tap in the sea changes
// nothing and says why; typed values move the marker; the proposal sent
// shows its point on its page.
func TestBrowserMapPicker(t *testing.T) {
	ctx := browsertest.New(t)
	fx := webtest.New(t, sqliteURL(t))
	comp := mappedProcess(t, fx)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/p/bridges-2026/c/%d/new", fx.URL, comp)),
		chromedp.WaitVisible(chromedp.CSS("#map-tap")), // shown by citizen.js only
		chromedp.SendKeys(chromedp.CSS("#f-title"), "A footbridge at the river"),
		chromedp.SendKeys(chromedp.CSS("#f-description"), "Children cross the river to school every day."),
		chromedp.ScrollIntoView(chromedp.CSS(".map-picker svg")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// onScreen is where a place is drawn, in the page's pixels.
	onScreen := func(lat, lng float64) (float64, float64) {
		t.Helper()
		xy, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](fmt.Sprintf(`(function (lat, lng) {
			var s = document.querySelector(".map-picker svg"), p = s.createSVGPoint();
			p.x = (lng - +s.getAttribute("data-west")) * +s.getAttribute("data-kx");
			p.y = (+s.getAttribute("data-north") - lat) * +s.getAttribute("data-ky");
			var q = p.matrixTransform(s.getScreenCTM());
			return [q.x, q.y];
		})(%v, %v)`, lat, lng)))
		if err != nil || len(xy) != 2 {
			t.Fatalf("placing (%v, %v): %v %v", lat, lng, xy, err)
		}
		return xy[0], xy[1]
	}
	fields := func() (float64, float64, string) {
		t.Helper()
		lat, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-lat")))
		lng, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-lng")))
		said, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#map-status")))
		a, _ := strconv.ParseFloat(lat, 64)
		b, _ := strconv.ParseFloat(lng, 64)
		return a, b, said
	}

	// A tap on Nairobi.
	x, y := onScreen(-1.2864, 36.8172)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		t.Fatal(err)
	}
	lat, lng, said := fields()
	// One screen pixel is about 3 km of Kenya at this width.
	if math.Abs(lat+1.2864) > 0.05 || math.Abs(lng-36.8172) > 0.05 {
		t.Fatalf("the tap on Nairobi filled %v, %v", lat, lng)
	}
	if !strings.HasPrefix(said, "Point placed in Nairobi City: latitude ") {
		t.Fatalf("the live line says %q", said)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".map-picker svg .marker").length`)); n != 1 {
		t.Fatalf("%d markers after the tap", n)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "map-picker-phone.png", png)

	// A tap in the Indian Ocean is refused in place.
	x, y = onScreen(-4.4, 40.6)
	if err := chromedp.Do(ctx, chromedp.MouseClickXY(x, y)); err != nil {
		t.Fatal(err)
	}
	if lat2, lng2, said := fields(); lat2 != lat || lng2 != lng || !strings.HasPrefix(said, "That place is outside the regions") {
		t.Fatalf("a tap in the sea: fields %v, %v, live line %q", lat2, lng2, said)
	}

	// Typed values move the marker (Mombasa) and are read out on leaving.
	before, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(".marker").getAttribute("cx")`))
	// Typing over the selected value, as a person replaces it.
	for _, f := range [][2]string{{"f-lat", "-4.05"}, {"f-lng", "39.66"}} {
		if _, err = chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(function(){var f=document.getElementById(%q);f.focus();f.select();return true})()`, f[0]))); err != nil {
			t.Fatal(err)
		}
		if err = chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#"+f[0]), f[1])); err != nil {
			t.Fatal(err)
		}
	}
	err = chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#f-title")))
	if err != nil {
		t.Fatal(err)
	}
	moved, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelector(".marker").getAttribute("cx") !== %q && document.getElementById("map-status").textContent.includes("Mombasa")`, before),
		chromedp.WithPollingTimeout(5*time.Second)))
	if err != nil || !moved {
		_, _, said := fields()
		t.Fatalf("typed Mombasa: the marker did not follow or the live line says %q (%v)", said, err)
	}

	// Sent, the proposal's page shows the point without any script.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("figure.proposal-map")),
	)
	if err != nil {
		t.Fatal(err)
	}
	caption, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#map-caption")))
	if caption != "The proposal's place: Mombasa (latitude -4.05, longitude 39.66)." {
		t.Fatalf("the proposal's page says %q", caption)
	}
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS("figure.proposal-map"))); err != nil {
		t.Fatal(err)
	}
	if png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "map-proposal-phone.png", png)
}
