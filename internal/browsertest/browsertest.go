// Package browsertest starts Debian's headless Chromium for the browser
// tests and keeps their screenshots.
//
// On a machine without chromium a browser test is skipped, loudly; under CI
// (CI=true) it fails instead, since a silent skip there would hide the only
// tests that run the pages' JavaScript.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path finds the browser, or skips (fails under CI) when there is none.
func Path(t testing.TB) string {
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI must run the browser tests (apt-get install -y chromium)")
	}
	t.Skip("SKIPPING BROWSER TEST: chromium is not installed (apt-get install -y chromium)")
	return ""
}

// New starts a fresh headless Chromium (its own profile, no background
// networking: this machine's network is closed) and returns a context for
// chromedp bounded to 90 s; everything stops when t ends.
func New(t testing.TB) context.Context {
	t.Helper()
	return NewWithin(t, 90*time.Second)
}

// NewWithin is New with another bound, for a journey that must wait for
// the clock (a phase closing at its date), and extra allocator options
// (IgnoreCertErrors for the https test servers of a framing test).
func NewWithin(t testing.TB, limit time.Duration, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(Path(t)), chromedp.Headless, chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser without a deadline (a timeout here would stop it
	// for good), then bound the test.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("chromium does not start: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, limit)
	t.Cleanup(tcancel)
	return tctx
}

// Artifact saves a screenshot (or any output) under the module's
// testdata/artifacts/, which git ignores, so a person can look at it.
func Artifact(t testing.TB, name string, data []byte) {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), "testdata", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("saved %s", filepath.Join(dir, name))
}

func moduleRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}
