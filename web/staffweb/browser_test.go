package staffweb_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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
		chromedp.Flag("disable-gpu", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("chromium does not start: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(tcancel)
	return tctx
}

// TestBrowserStaffSignIn signs in through the real form (CSRF cookie and
// token, SameSite=Strict session cookie) and lands on the staff home.
func TestBrowserStaffSignIn(t *testing.T) {
	ctx := newChrome(t)
	fx := staffwebtest.New(t, sqliteURL(t))
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1024, 800),
		chromedp.Navigate(fx.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Waiting for the home's list also waits out the navigation.
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS("ul.cards"))); err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.body.innerText`))
		t.Fatalf("no staff home after signing in (%v): %s", err, where)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if heading != "Your processes" || !strings.Contains(body, fx.Open.Title) || !strings.Contains(body, "Official") {
		t.Errorf("home: heading %q, body %q", heading, body)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "staff-home.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}

	// An invitation link in a fresh browser: its page's referrer policy must
	// still let the form's own POST pass the CSRF origin check.
	token, err := fx.Staff.Invite(context.Background(), fx.People["admin"].ID, "browser@county.example", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx2 := newChrome(t)
	err = chromedp.Do(ctx2,
		chromedp.Navigate(fx.URL+"/staff/invite?token="+token),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Browser Person"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a browser made password"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "a browser made password"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/invite"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("p.note")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx2, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(text, "Your account is ready") {
		t.Errorf("after accepting the invitation: %q", text)
	}
}
