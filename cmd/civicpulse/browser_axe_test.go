package main

import (
	"context"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/internal/racecheck"
)

// TestBrowserPagesPassAxe crawls the `make run` demo as a citizen and as an
// administrator, following the site's own links, and checks every page with
// axe-core's WCAG 2.2 A/AA rules: in English at phone width and in
// Kiswahili at desktop width (contrast and reflow depend on both). A
// serious or critical violation fails; lesser ones are logged.
func TestBrowserPagesPassAxe(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo and crawls it in a browser")
	}
	if racecheck.Enabled {
		// Pages, not goroutines, are under test: make test's second pass
		// runs it without the race detector, several times faster.
		t.Skip("runs in make test's pass without the race detector")
	}
	browser := browsertest.NewWithin(t, 420*time.Second)
	dir := t.TempDir()
	const email, password = "admin@county.example", "a long admin password 42"
	createAdmin(t, dir, email, password)
	base := startServe(t, dir, "--demo", "--demo-participants", "150")

	citizen := newTab(t, browser, "citizen", base)
	pages := crawl(citizen, "/", 36, func(p string) bool { return !strings.HasPrefix(p, "/staff") })
	admin := newTab(t, browser, "admin", base)
	signIn(admin, email, password)
	staff := crawl(admin, "/staff", 36, func(p string) bool { return strings.HasPrefix(p, "/staff") })

	for _, c := range []struct {
		b     *tab
		paths []string
	}{{citizen, pages}, {admin, staff}} {
		for _, path := range c.paths {
			for _, v := range []struct {
				lang string
				w, h int64
			}{{"en", 375, 812}, {"sw", 1280, 900}} {
				c.b.step = path + " " + v.lang
				if _, err := chromedp.Run(c.b.ctx, chromedp.EmulateViewport(v.w, v.h)); err != nil {
					c.b.fail("viewport: %v", err)
				}
				c.b.open(withLang(path, v.lang))
				ctx, cancel := context.WithTimeout(c.b.ctx, 60*time.Second)
				vs, err := browsertest.Axe(ctx)
				cancel()
				if err != nil {
					c.b.fail("%v", err)
				}
				for _, x := range vs {
					if x.Impact == "serious" || x.Impact == "critical" {
						t.Errorf("%s (%s, %s, %dpx): %s", path, c.b.who, v.lang, v.w, x)
					} else {
						t.Logf("%s (%s, %s): %s", path, v.lang, c.b.who, x)
					}
				}
			}
		}
	}
	t.Logf("checked %d public and %d staff pages, twice each:\n%s\n%s", len(pages), len(staff), strings.Join(pages, " "), strings.Join(staff, " "))
	if len(pages) < 8 || len(staff) < 8 {
		t.Fatalf("the crawl found only %d public and %d staff pages: the links it follows are gone", len(pages), len(staff))
	}
}

// skipLinks are links that are not pages: downloads, images, feeds, and
// the links that end a session or change state on GET.
var skipLinks = regexp.MustCompile(`\.(csv|xlsx|json|geojson|svg|png|jpe?g|webp|zip|pdf|txt|xml|ics)($|\?)|/sign-out|/signout|/logout|/unsubscribe|/static/|/api/|/metrics`)

// crawl follows same-site links breadth-first from start and returns up
// to max distinct pages that keep(path) accepts, at most two of each
// route shape (/p/x/proposals/1 and /p/x/proposals/2 are one shape; a
// process's first two components are a proposals and a document one).
func crawl(b *tab, start string, max int, keep func(string) bool) []string {
	b.t.Helper()
	seen := map[string]bool{start: true}
	shapes := map[string]int{}
	queue := []string{start}
	var out []string
	digits := regexp.MustCompile(`[0-9]+`)
	for len(queue) > 0 && len(out) < max {
		path := queue[0]
		queue = queue[1:]
		b.step = "crawl " + path
		b.open(path)
		out = append(out, path)
		hrefs := b.eval(`[...document.querySelectorAll("a[href]")].map(a => a.getAttribute("href")).join("\n")`)
		var next []string
		for _, h := range strings.Split(hrefs, "\n") {
			u, err := url.Parse(h)
			if err != nil || u.Host != "" || u.Scheme != "" || !strings.HasPrefix(u.Path, "/") {
				continue
			}
			p := u.RequestURI()
			shape := digits.ReplaceAllString(u.Path, "N")
			if seen[p] || shapes[shape] >= 2 || skipLinks.MatchString(u.Path) || !keep(u.Path) || u.Query().Has("lang") {
				continue
			}
			seen[p] = true
			shapes[shape]++
			next = append(next, p)
		}
		sort.Strings(next)
		queue = append(queue, next...)
	}
	return out
}

func withLang(path, lang string) string {
	if strings.Contains(path, "?") {
		return path + "&lang=" + lang
	}
	return path + "?lang=" + lang
}
