package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestCampaignLinkRedirect: a short link sends everyone to its process
// page with its UTM parameters, and the page view that follows is recorded
// with them; an unknown code, junk, a link of a draft, all answer 404 and
// never send anyone off the site.
func TestCampaignLinkRedirect(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		l, _, err := fx.Store.CreateCampaignLink(ctx, participation.CampaignLink{ProcessID: fx.Open.ID, Channel: "WhatsApp", Campaign: "Bajeti yetu"})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, fx)
		p := b.get("/c/" + l.Code)
		want(t, p.Status, http.StatusFound, p.Body)
		const target = "/p/budget-2026?utm_campaign=bajeti-yetu-whatsapp&utm_medium=social&utm_source=whatsapp"
		if got := p.Header.Get("Location"); got != target {
			t.Fatalf("Location %q, want %q", got, target)
		}
		if p.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", p.Header.Get("Cache-Control"))
		}
		before := visits(t, fx)
		want(t, b.get(target).Status, http.StatusOK, "")
		after := visits(t, fx)
		if len(after) != len(before)+1 {
			t.Fatalf("the page after the link recorded %d visits", len(after)-len(before))
		}
		if v := after[len(after)-1]; v.UTMCampaign != l.UTMCampaign || v.UTMSource != "whatsapp" || v.UTMMedium != "social" || v.ProcessID != fx.Open.ID {
			t.Fatalf("visit %+v", v)
		}

		draft, _, err := fx.Store.CreateCampaignLink(ctx, participation.CampaignLink{ProcessID: fx.Draft.ID, Channel: "radio", Campaign: "soon"})
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/c/" + draft.Code, "/c/zzzzzzzz", "/c/%2F%2Fevil.example", "/c/" + l.Code + "x", "/c/https:"} {
			p := b.get(path)
			// The router cleans "//" in a path with a 301 to the
			// same site; where that leads must be a 404 too.
			if loc := p.Header.Get("Location"); p.Status == http.StatusMovedPermanently && strings.HasPrefix(loc, "/c/") {
				p = b.get(loc)
			}
			if p.Status != http.StatusNotFound || p.Header.Get("Location") != "" {
				t.Errorf("GET %s: %d → %q, want 404 and no redirect", path, p.Status, p.Header.Get("Location"))
			}
		}
	})
}

// visits are the page-view events in the outbox, oldest first (events
// waits until the outbox shows every row it counts: on a shared Postgres
// another transaction can hold the read horizon back for a moment).
func visits(t *testing.T, fx *webtest.Fixture) []participation.Visit {
	t.Helper()
	var out []participation.Visit
	for _, e := range events(t, fx, participation.EvVisit) {
		var v participation.Visit
		if err := json.Unmarshal(e.Payload, &v); err != nil {
			t.Fatal(err)
		}
		v.ProcessID = e.ProcessID
		out = append(out, v)
	}
	return out
}
