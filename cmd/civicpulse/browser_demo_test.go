package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/browsertest"
)

// TestBrowserDemoDashboardsInKiswahili opens the five dashboards and the
// public results page of the demo that `make run` serves (a small one:
// `serve --demo --demo-participants 400`), as an administrator signed in
// through the form, in Kiswahili at phone and desktop width, and saves
// them as testdata/artifacts/demo-sw-NN-page-{phone,desktop}.png: the
// pages an official first sees, with the demo's Kenyan texts. Each page
// must say lang="sw" and show its tables.
func TestBrowserDemoDashboardsInKiswahili(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo and waits for its themes")
	}
	old, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "artifacts", "demo-sw-*.png"))
	for _, f := range old {
		os.Remove(f)
	}
	browser := browsertest.NewWithin(t, 240*time.Second)
	dir := t.TempDir()
	const email, password = "admin@county.example", "a long admin password 42"
	createAdmin(t, dir, email, password)
	base := startServe(t, dir, "--demo", "--demo-participants", "400")

	b := newTab(t, browser, "admin", base)
	b.prefix = "demo-sw"
	b.countCSPViolations()
	b.step = "sign in"
	signIn(b, email, password)

	// The insights jobs pass over the warehouse once it has caught up (until
	// then the dashboards do not know the process: 404); the themes panel
	// has rows then. The page polls it in the background.
	b.step = "wait for the themes"
	b.eval(`(() => { const poll = () => fetch("/staff/p/1/dashboards/insights/panels/themes?lang=sw")
		.then(r => r.ok ? r.text() : "").then(t => { window.__themes = t; if (!t.includes("%")) setTimeout(poll, 2000); })
		.catch(() => setTimeout(poll, 2000)); poll(); return ""; })()`)
	b.waitFor(`(window.__themes || "").includes("%")`, 150*time.Second)

	n := 0
	for _, page := range []struct{ name, path string }{
		{"monitor", "/staff/p/1/dashboards/monitor?lang=sw"},
		{"proposals", "/staff/p/1/dashboards/proposals?lang=sw"},
		{"document", "/staff/p/1/dashboards/document?lang=sw"},
		{"survey", "/staff/p/1/dashboards/survey?lang=sw"},
		{"insights", "/staff/p/1/dashboards/insights?lang=sw"},
		{"results", "/results/1?lang=sw"},
	} {
		b.step = page.name
		b.open(page.path)
		if lang := b.eval(`document.documentElement.lang`); lang != "sw" {
			b.fail("lang=%q", lang)
		}
		b.waitFor(`document.querySelectorAll("table tbody tr").length > 0`, 20*time.Second)
		// Hover over every chart so that its tooltips draw: under the
		// site's CSP (no inline styles) they must not need any.
		b.hoverCharts()
		if v := b.eval(`String(window.__csp.length) + " " + window.__csp.slice(0, 3).join(" | ")`); !strings.HasPrefix(v, "0 ") {
			t.Errorf("%s: CSP violations: %s", page.name, v)
		}
		n++
		b.shot(n, page.name)
	}
	// The texts are the Kenyan consultation's, not a debate corpus.
	b.open("/staff/p/1/dashboards/insights?lang=sw")
	if text := strings.ToLower(b.text()); strings.Contains(text, "libertarian") || strings.Contains(text, "waitangi") {
		b.fail("the demo's themes quote the debate corpus")
	}
}
