package consoleweb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestBrowserConsoleRunsInPlace signs an analyst in through the staff form,
// runs a query from the console page and waits for the result table, which
// htmx swaps in without reloading the page; then a refused query's reason
// takes its place.
func TestBrowserConsoleRunsInPlace(t *testing.T) {
	ctx := browsertest.New(t)
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), withConsole(t))
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fx.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["analyst"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.cards")),
		chromedp.Navigate(fmt.Sprintf("%s/staff/p/%d/console", fx.URL, fx.ProcessA)),
		chromedp.WaitVisible(chromedp.CSS("#console-q")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__marker = "same page"; true`)); err != nil {
		t.Fatal(err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#console-q"), "SELECT title, status FROM proposals"),
		chromedp.Click(chromedp.CSS(`button[hx-post]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.querySelector("#console-result table") || {textContent: ""}).textContent.includes("Borehole for Kiambu market")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		now, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.innerText`))
		t.Fatalf("no result table (%v): %s", err, now)
	}
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS("#console-q"), "SELECT * FROM read_csv('/etc/passwd')"),
		chromedp.Click(chromedp.CSS(`button[hx-post]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(document.querySelector("#console-result [role=alert]") || {textContent: ""}).textContent.includes("read_csv")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the refusal was not swapped in: %v", err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`))
	if err != nil || marker != "same page" {
		t.Fatalf("the page reloaded (%q, %v): htmx did not swap the result", marker, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "sql-console.png", shot)
}
