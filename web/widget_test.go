package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// frameAncestors is the sources of a response's frame-ancestors
// directive, nil when it has none.
func frameAncestors(h http.Header) []string {
	for _, d := range strings.Split(h.Get("Content-Security-Policy"), ";") {
		f := strings.Fields(d)
		if len(f) > 0 && f[0] == "frame-ancestors" {
			return f[1:]
		}
	}
	return nil
}

// TestWidgetFramedOnlyByItsAllowList: the widget's frame-ancestors names
// 'self' and exactly the origins the official listed, without
// X-Frame-Options; with no origin listed it is 'none' and DENY, as on
// every other page, which keep 'none' whatever a process allows; a draft,
// or a process that does not exist, has no widget (404).
func TestWidgetFramedOnlyByItsAllowList(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		b := newBrowser(t, fx)
		slug := fx.Open.Slug
		W := "/p/" + slug + "/widget"

		pg := b.get(W)
		want(t, pg.Status, http.StatusOK, pg.Body)
		if got := frameAncestors(pg.Header); !slices.Equal(got, []string{"'none'"}) || pg.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("with no origin listed: frame-ancestors %v, X-Frame-Options %q", got, pg.Header.Get("X-Frame-Options"))
		}
		take := fmt.Sprintf(`href="%s/p/%s?utm_medium=embed&amp;utm_source=widget" target="_blank" rel="noopener"`, fx.URL, slug)
		for _, s := range []string{"<h1>" + fx.Open.Title + "</h1>", take, `class="status open"`} {
			if !pg.has(s) {
				t.Errorf("the card lacks %s\n%s", s, pg.Body)
			}
		}
		if pg.has("<script") || pg.has("<form") {
			t.Errorf("the card runs a script or holds a form\n%s", pg.Body)
		}
		if sw := b.get(W + "?lang=sw"); !sw.has(">Shiriki<") {
			t.Errorf("the Kiswahili card has no \"Shiriki\"\n%s", sw.Body)
		}

		if _, _, err := fx.Store.SetWidgetOrigins(ctx, fx.Open.ID, 0, []string{"https://www.county.go.ke", "https://news.county.go.ke:8443"}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fx.Store.SetWidgetOrigins(ctx, fx.Draft.ID, 0, []string{"https://www.county.go.ke"}); err != nil {
			t.Fatal(err)
		}
		pg = b.get(W)
		want(t, pg.Status, http.StatusOK, pg.Body)
		if got := frameAncestors(pg.Header); !slices.Equal(got, []string{"'self'", "https://news.county.go.ke:8443", "https://www.county.go.ke"}) {
			t.Errorf("frame-ancestors %v, want 'self' and the two origins", got)
		}
		if _, ok := pg.Header["X-Frame-Options"]; ok {
			t.Errorf("X-Frame-Options %q refuses the listed origins too", pg.Header.Get("X-Frame-Options"))
		}
		for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(pg.Header.Get("Content-Security-Policy"), d) {
				t.Errorf("the widget's policy lost %q: %s", d, pg.Header.Get("Content-Security-Policy"))
			}
		}

		for _, path := range []string{"/p/" + fx.Draft.Slug + "/widget", "/p/no-such-process/widget"} {
			if pg := b.get(path); pg.Status != http.StatusNotFound || pg.has(fx.Draft.Title) {
				t.Errorf("GET %s: %d, want 404", path, pg.Status)
			}
		}

		// Every other page keeps 'none', the open process's own pages first.
		for _, path := range []string{"/", "/p/" + slug, fmt.Sprintf("/p/%s/c/%d", slug, fx.Proposals), fmt.Sprintf("/p/%s/c/%d", slug, fx.Document),
			fmt.Sprintf("/p/%s/c/%d", slug, fx.Survey), fmt.Sprintf("/p/%s/c/%d/new", slug, fx.Proposals), fmt.Sprintf("/p/%s/proposals/%d", slug, fx.Proposal),
			"/p/" + slug + "/share.png", "/p/" + fx.Registered.Slug + "/register", "/p/" + fx.Registered.Slug + "/verify", "/p/" + fx.Registered.Slug + "/widget",
			"/me", "/unsubscribe", "/guide", "/api/v1/processes", "/p/no-such-process", "/staff/login"} {
			pg := b.get(path)
			if got := frameAncestors(pg.Header); !slices.Equal(got, []string{"'none'"}) || pg.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("GET %s (%d): frame-ancestors %v, X-Frame-Options %q", path, pg.Status, got, pg.Header.Get("X-Frame-Options"))
			}
		}
	})
}
