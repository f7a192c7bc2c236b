package dashweb_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// chromium finds the browser, skipping loudly on a machine without one and
// failing in CI, where a silent skip would hide the browser test.
func chromium(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI must run the browser test (apt-get install -y chromium)")
	}
	t.Skip("SKIPPING BROWSER TEST: chromium is not installed (apt-get install -y chromium)")
	return ""
}

func newChrome(t *testing.T) context.Context {
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser without a deadline (a timeout here would stop it
	// for good), then bound the test.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("chromium does not start: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 120*time.Second)
	t.Cleanup(tcancel)
	return tctx
}

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
	ctx := newChrome(t)
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
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "live-monitor.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
}
