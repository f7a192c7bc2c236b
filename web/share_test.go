package web_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// metaTags reads the <meta> tags of a page: property or name → content,
// unescaped as a browser (or a preview service) reads them.
func metaTags(t *testing.T, body string) map[string]string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			var key, content string
			for _, a := range n.Attr {
				switch a.Key {
				case "property", "name":
					key = a.Val
				case "content":
					content = a.Val
				}
			}
			if key != "" {
				out[key] = content
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// TestShareTagsOnEveryPublicPage: every public page (and the
// participant's own) carries the Open Graph and Twitter-card tags; a
// process's pages share its title, summary and card, escaped so that a
// title with quotes and markup reads back exactly and injects nothing; the
// card is a 1200×630 PNG; a proposal shares its own title.
func TestShareTagsOnEveryPublicPage(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		p := fx.Open
		p.Title = `Budget "2026" <script>alert(1)</script> & more`
		p.Summary = `Say 'where' the <b>money</b> goes & why.`
		if err := fx.Store.UpdateProcess(ctx, p); err != nil {
			t.Fatal(err)
		}
		slug, reg := fx.Open.Slug, fx.Registered.Slug
		pages := map[string]string{ // route name → path
			"home":         "/",
			"process":      "/p/" + slug,
			"component":    fmt.Sprintf("/p/%s/c/%d", slug, fx.Proposals),
			"proposal.new": fmt.Sprintf("/p/%s/c/%d/new", slug, fx.Proposals),
			"proposal":     fmt.Sprintf("/p/%s/proposals/%d", slug, fx.Proposal),
			"register":     "/p/" + reg + "/register",
			"verify":       "/p/" + reg + "/verify",
			"report":       fmt.Sprintf("/p/%s/report?kind=proposal&id=%d", slug, fx.Proposal),
			"unsubscribe":  "/unsubscribe",
			"me":           "/me",
		}
		extra := []string{fmt.Sprintf("/p/%s/c/%d", slug, fx.Document), fmt.Sprintf("/p/%s/c/%d", slug, fx.Survey), "/p/no-such-process"}
		// Every HTML page of the citizen side is in the list: files,
		// images, JSON, redirects and the API are not pages.
		for _, rt := range fx.Server.Routes() {
			if rt.Method != http.MethodGet || rt.API || rt.Access.String() == "staff" || strings.HasPrefix(rt.Access.String(), "staff:") {
				continue
			}
			switch {
			case strings.HasSuffix(rt.Path, ".png"), strings.HasSuffix(rt.Path, ".json"), strings.Contains(rt.Path, "/images/"),
				strings.Contains(rt.Path, "/thumbs/"), strings.HasPrefix(rt.Path, "/static/"), rt.Name == "campaign.link",
				// The widget is a card framed inside the institution's own
				// page: that page is what gets shared, and the card is
				// marked noindex.
				rt.Name == "process.widget":
				continue
			}
			if _, ok := pages[rt.Name]; !ok {
				t.Errorf("page %s (%s) is not checked for share tags: add it here", rt.Name, rt.Path)
			}
		}
		b := newBrowser(t, fx)
		paths := extra
		for _, path := range pages {
			paths = append(paths, path)
		}
		for _, path := range paths {
			pg := b.get(path)
			if !strings.HasPrefix(pg.Header.Get("Content-Type"), "text/html") {
				t.Errorf("GET %s: %d %s, want a page", path, pg.Status, pg.Header.Get("Content-Type"))
				continue
			}
			if strings.Contains(pg.Body, "<script>alert(1)") || strings.Contains(pg.Body, "<b>money</b>") {
				t.Errorf("GET %s: the title or summary is not escaped", path)
			}
			m := metaTags(t, pg.Body)
			for _, k := range []string{"og:title", "og:description", "og:url", "og:site_name", "twitter:card", "twitter:title", "twitter:description", "description"} {
				if m[k] == "" {
					t.Errorf("GET %s: no %s", path, k)
				}
			}
			if !strings.HasPrefix(m["og:url"], "http") || !strings.HasSuffix(m["og:url"], strings.SplitN(path, "?", 2)[0]) {
				t.Errorf("GET %s: og:url %q", path, m["og:url"])
			}
			onProcess := strings.HasPrefix(path, "/p/"+slug) && !strings.Contains(path, "/proposals/") && pg.Status == http.StatusOK
			if onProcess {
				if m["og:title"] != p.Title || m["twitter:title"] != p.Title || m["og:description"] != p.Summary || m["twitter:card"] != "summary_large_image" {
					t.Errorf("GET %s: shares %q / %q / %s", path, m["og:title"], m["og:description"], m["twitter:card"])
				}
				if !strings.HasSuffix(m["og:image"], "/p/"+slug+"/share.png") || m["twitter:image"] != m["og:image"] {
					t.Errorf("GET %s: picture %q / %q", path, m["og:image"], m["twitter:image"])
				}
			}
		}
		prop, err := fx.Store.GetProposal(ctx, fx.Proposal)
		if err != nil {
			t.Fatal(err)
		}
		if m := metaTags(t, b.get(pages["proposal"]).Body); m["og:title"] != prop.Title {
			t.Errorf("the proposal page shares %q, want its title %q", m["og:title"], prop.Title)
		}

		card := b.get("/p/" + slug + "/share.png")
		want(t, card.Status, http.StatusOK, "")
		img, err := png.Decode(bytes.NewReader([]byte(card.Body)))
		if err != nil || img.Bounds().Dx() != 1200 || img.Bounds().Dy() != 630 || card.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("share card: %v %v %q", err, img, card.Header.Get("Content-Type"))
		}
		if p := b.get("/p/" + fx.Draft.Slug + "/share.png"); p.Status != http.StatusNotFound {
			t.Errorf("a draft's card: %d, want 404", p.Status)
		}
	})
}
