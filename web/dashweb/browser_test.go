package dashweb_test

import (
	"fmt"
	"github.com/civicpulse/civicpulse/internal/browsertest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// inputsSummary is the first line of the monitor's inputs panel
// ("N inputs; previous period …"), empty while it loads.
const inputsSummary = `(document.querySelector("#panel-inputs p.summary") || {textContent: ""}).textContent`

// TestBrowserLiveMonitorUpdatesWithoutReload signs an official in through
// the staff form, opens the live monitor, posts a comment through the
// citizen page in a second tab, and waits for the monitor's inputs panel to
// count it — swapped in by htmx on the server-sent event, without a reload,
// within 2 s of the citizen seeing the comment saved. The whole stack runs:
// store, staff guard, ingester, warehouse, dashboards.
func TestBrowserLiveMonitorUpdatesWithoutReload(t *testing.T) {
	ctx := browsertest.New(t)
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 0))

	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(fx.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.cards")),
		chromedp.Navigate(fmt.Sprintf("%s/staff/p/%d/dashboards/monitor", fx.URL, fx.ProcessA)),
	)
	if err != nil {
		t.Fatal(err)
	}
	before, err := chromedp.Run(ctx, chromedp.Poll[string](inputsSummary+` || null`, chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.body.innerText`))
		t.Fatalf("the inputs panel did not load (%v): %s", err, where)
	}
	var n int
	if _, err := fmt.Sscanf(before, "%d inputs", &n); err != nil || n == 0 {
		t.Fatalf("inputs before: %q (the fixture's proposal and comment should count)", before)
	}
	// Mark the page to detect a reload; wait until the live stream is open.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__marker = "same page"; true`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`(() => { const el = document.querySelector("[sse-connect]");
		const s = el && htmx.closest(el, "[sse-connect]")["htmx-internal-data"];
		return !!(s && s.sseEventSource && s.sseEventSource.readyState === 1) })()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the live stream did not open: %v", err)
	}

	// A citizen comments on the proposal in another tab.
	citizen, closeTab := chromedp.NewContext(ctx)
	defer closeTab()
	const text = "A comment the monitor must count at once"
	err = chromedp.Do(citizen,
		chromedp.Navigate(fmt.Sprintf("%s/p/%s/proposals/%d", fx.URL, fx.Open.Slug, fx.Proposal)),
		chromedp.WaitVisible(chromedp.CSS("#f-body")),
		chromedp.SendKeys(chromedp.CSS("#f-body"), text),
		chromedp.Click(chromedp.CSS("form.comment-form button[type=submit]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(citizen, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelector("#comments .comment-list").textContent.includes(%q)`, text), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the citizen's comment was not saved: %v", err)
	}
	saved := time.Now()

	after, err := chromedp.Run(ctx, chromedp.Poll[string](fmt.Sprintf(`(() => { const s = %s; return s.startsWith("%d inputs") ? s : null })()`, inputsSummary, n+1),
		chromedp.WithPollingTimeout(2*time.Second), chromedp.WithPollingInterval(20*time.Millisecond)))
	took := time.Since(saved)
	if err != nil {
		now, _ := chromedp.Run(ctx, chromedp.Evaluate[string](inputsSummary))
		t.Fatalf("the monitor did not count the comment within 2 s (%v): still %q", err, now)
	}
	t.Logf("monitor updated %v after the comment was saved: %q → %q", took.Round(time.Millisecond), before, after)
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`))
	if err != nil || marker != "same page" {
		t.Fatalf("the monitor reloaded (%q, %v): htmx did not swap the panel", marker, err)
	}
	// Let the swapped charts draw before the picture.
	time.Sleep(500 * time.Millisecond)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "live-monitor.png", shot)
}
