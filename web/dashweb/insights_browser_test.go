package dashweb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestBrowserInsightsDashboard opens the insights dashboard as an official
// in headless Chromium: the themes bar chart and the opinion map draw (one
// canvas each), the drill-down shows the chosen theme with its edit forms,
// and a click on another theme's row swaps the drill-down in place (htmx),
// without a reload. The screenshot is kept as an artifact.
func TestBrowserInsightsDashboard(t *testing.T) {
	ctx := browsertest.New(t)
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 0, &st))
	seedInsights(t, fx, &st)

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fx.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.cards")),
		chromedp.Navigate(fmt.Sprintf("%s/staff/p/%d/dashboards/insights?theme=%d", fx.URL, fx.ProcessA, thRoads)),
	)
	if err != nil {
		t.Fatal(err)
	}
	drawn := `["themes", "campaigns", "opinion-map"].every(p => document.querySelector("#panel-" + p + " .chart canvas"))
		&& (document.querySelector("#panel-theme-detail caption") || {textContent: ""}).textContent.includes("Theme: road repairs")
		&& !!document.querySelector("#panel-theme-detail form[action$='/themes/rename']")`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](drawn, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.body.innerText`))
		t.Fatalf("the insights panels did not draw (%v): %s", err, where)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__marker = "same page";
		document.querySelector("#panel-themes a[href*='theme=2']").click(); true`)); err != nil {
		t.Fatal(err)
	}
	swapped := `(document.querySelector("#panel-theme-detail caption") || {textContent: ""}).textContent.includes("Theme: water supply")`
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](swapped, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the drill-down did not show the clicked theme: %v", err)
	}
	if marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`)); err != nil || marker != "same page" {
		t.Fatalf("the page reloaded (%q, %v): htmx did not swap the drill-down", marker, err)
	}
	// Open the drill-down's table so the picture shows the texts, and let
	// the swapped charts draw.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelectorAll("#panel-theme-detail details, #panel-opinion-map details").forEach(d => d.open = true); true`)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "insights-dashboard.png", shot)
}
