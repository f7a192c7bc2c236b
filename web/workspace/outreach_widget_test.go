package workspace_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// TestOutreachKitWidget: an official lists the sites that may frame the
// widget through the kit's form (refusals keep what was typed, in the
// official's language; the change is audited); the kit then shows the
// <iframe> code, escaped, with its title, and a preview; the card's
// frame-ancestors names the sites saved; clearing the list takes the code
// away and refuses every frame; the official of another process gets 404.
func TestOutreachKitWidget(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		fx := newFixture(t, b.URL, func(c *workspace.Config) { c.BaseURL = kitBase })
		p := fx.process(t, fx.ProcessA)
		P := fmt.Sprintf("/staff/processes/%d/outreach", p.ID)
		off := fx.browser(t, "official")
		if pg := off.open(P); !pg.Has(`action="`+P+`/widget"`) || pg.Has(`id="widget-snippet"`) {
			t.Fatalf("the kit before any site: no form, or a snippet already\n%s", pg.Body)
		}

		typed := "https://www.county.go.ke\nhttp://blog.county.go.ke"
		pg := off.submit(P, P+"/widget", url.Values{"origins": {typed}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "“http://blog.county.go.ke” is not a site address", "an http origin")
		if !strings.Contains(html.UnescapeString(pg.Body), ">"+typed+"</textarea>") {
			t.Error("the refused form lost the list typed")
		}
		pg = off.submit(P+"?lang=sw", P+"/widget?lang=sw", url.Values{"origins": {"https://*.county.go.ke"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "si anwani ya tovuti", "a wildcard, in Kiswahili")
		if got, _ := fx.Store.WidgetOrigins(fx.ctx, p.ID); len(got) != 0 {
			t.Fatalf("a refused list was stored: %v", got)
		}

		pg = off.submit(P+"?lang=en", P+"/widget", url.Values{"origins": {"https://WWW.county.go.ke/\r\nhttps://news.county.go.ke"}})
		wantRedirect(t, pg, P+"?done=widget_saved#widget", "save two sites")
		saved := []string{"https://news.county.go.ke", "https://www.county.go.ke"}
		if got, _ := fx.Store.WidgetOrigins(fx.ctx, p.ID); !slices.Equal(got, saved) {
			t.Fatalf("stored %v, want %v", got, saved)
		}
		audited := 0
		for _, rec := range fx.audited(t, p.ID) {
			if rec.Action == "outreach.widget.origins" && strings.Contains(string(rec.After), "https://news.county.go.ke") {
				audited++
			}
		}
		if audited != 1 {
			t.Errorf("audit records of the list: %d, want 1", audited)
		}

		kit := off.open(P + "?done=widget_saved")
		src := kitBase + "/p/" + p.Slug + "/widget"
		snippet := fmt.Sprintf(`&lt;iframe src=&#34;%s&#34; title=&#34;`, src)
		for _, s := range []string{"https://news.county.go.ke\nhttps://www.county.go.ke</textarea>", `id="widget-snippet"`, snippet,
			`<iframe id="widget-preview" src="/p/` + p.Slug + `/widget" title="`, "are saved"} {
			if !kit.Has(s) {
				t.Errorf("the kit lacks %s\n%s", s, kit.Body)
			}
		}
		if strings.Contains(kit.Body, "<iframe src=") {
			t.Error("the snippet is not escaped: it is a live frame on the kit page")
		}
		card := off.Get("/p/" + p.Slug + "/widget")
		if card.Status != http.StatusOK || !strings.Contains(card.Header.Get("Content-Security-Policy"), "frame-ancestors 'self' "+strings.Join(saved, " ")+";") &&
			!strings.HasSuffix(card.Header.Get("Content-Security-Policy"), "frame-ancestors 'self' "+strings.Join(saved, " ")) {
			t.Errorf("the card: %d, policy %q", card.Status, card.Header.Get("Content-Security-Policy"))
		}

		pg = off.submit(P, P+"/widget", url.Values{"origins": {"  "}})
		wantRedirect(t, pg, P+"?done=widget_saved", "clear the list")
		if kit := off.open(P); kit.Has(`id="widget-snippet"`) || kit.Has(`id="widget-preview"`) {
			t.Error("the kit still offers the code with no site allowed")
		}
		if card := off.Get("/p/" + p.Slug + "/widget"); !strings.HasSuffix(card.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("with the list cleared the card's policy is %q", card.Header.Get("Content-Security-Policy"))
		}

		other := fx.browser(t, "official_b")
		other.open(fmt.Sprintf("/staff/processes/%d/outreach", fx.ProcessB))
		if pg := other.Post(P+"/widget", other.tok, url.Values{"origins": {"https://evil.example.com"}}); pg.Status != http.StatusNotFound {
			t.Errorf("POST as the official of another process: %d, want 404", pg.Status)
		}
		if got, _ := fx.Store.WidgetOrigins(fx.ctx, p.ID); len(got) != 0 {
			t.Errorf("the other official changed the list: %v", got)
		}
	})
}
