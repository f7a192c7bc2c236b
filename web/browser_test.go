package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// chromium finds the browser, skipping loudly on a machine without one and
// failing in CI, where a silent skip would hide the only JavaScript test.
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
	path := chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox,
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
	tctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(tcancel)
	return tctx
}

func artifact(t *testing.T, name string, png []byte) {
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserCommentWithoutReload(t *testing.T) {
	ctx := newChrome(t)
	fx := webtest.New(t, sqliteURL(t))
	url := fmt.Sprintf("%s/p/budget-2026/proposals/%d", fx.URL, fx.Proposal)
	const text = "Posted from the browser without a reload"
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#f-body")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// htmx must have loaded under the CSP; mark the page to detect a reload.
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker = "same page"; typeof htmx`))
	if err != nil || kind != "object" {
		t.Fatalf("htmx not loaded (%q, %v)", kind, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#f-body"), text),
		chromedp.Click(chromedp.CSS("form.comment-form button[type=submit]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelector("#comments .comment-list").textContent.includes(%q)`, text), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !shown {
		t.Fatalf("comment did not appear: %v", err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`))
	if err != nil || marker != "same page" {
		t.Fatalf("the page reloaded (%q, %v): htmx did not swap the fragment", marker, err)
	}
	// The textarea is empty again and the count went up.
	body, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-body")))
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#h-comments")))
	if body != "" || !strings.Contains(heading, "(2)") {
		t.Fatalf("after the swap: textarea %q, heading %q", body, heading)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	artifact(t, "proposal-comment-phone.png", png)

	// Screenshots of every citizen page, phone and desktop, for a human eye.
	pages := map[string]string{
		"home":     "/",
		"process":  "/p/budget-2026",
		"list":     fmt.Sprintf("/p/budget-2026/c/%d", fx.Proposals),
		"new":      fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals),
		"document": fmt.Sprintf("/p/budget-2026/c/%d", fx.Document),
		"survey":   fmt.Sprintf("/p/budget-2026/c/%d", fx.Survey),
		"register": "/p/youth-fund/register?lang=sw",
	}
	for name, path := range pages {
		for _, vp := range []struct {
			name string
			w, h int64
		}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
			png, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(fx.URL+path)); err != nil {
					return nil, err
				}
				return chromedp.FullScreenshot(100)(ctx, tg)
			})
			if err != nil {
				t.Fatalf("%s %s: %v", name, vp.name, err)
			}
			artifact(t, name+"-"+vp.name+".png", png)
		}
	}
}
