package dashweb_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/dashweb"
)

// The public results page carries the share tags the citizen pages carry
// (web/share.go): its title and the process's, escaped so they read back
// exactly, and the process's card as its picture.
func TestPublicResultsShareTags(t *testing.T) {
	now := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	start := now.Add(-72 * time.Hour)
	const title = `Bajeti "2027" <script>alert(1)</script> & more`
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes:  []warehouse.ProcessDim{{ProcessID: 1, Slug: "a", Title: title, TimeZone: "Africa/Nairobi", RegionSetID: 1, Currency: "KES", Published: true, StartsAt: &start}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}}}},
	}}
	srv, _, _ := serveBatch(t, b, now)
	code, page := get(t, srv.URL+"/results/1?lang=en")
	if code != http.StatusOK {
		t.Fatalf("results: %d", code)
	}
	if strings.Contains(page, "<script>alert(1)") {
		t.Fatal("the process title is not escaped")
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	meta := map[string]string{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "meta" {
			var k, v string
			for _, a := range n.Attr {
				switch a.Key {
				case "property", "name":
					k = a.Val
				case "content":
					v = a.Val
				}
			}
			meta[k] = v
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if meta["og:title"] != "Results · "+title || meta["twitter:title"] != meta["og:title"] {
		t.Errorf("og:title %q", meta["og:title"])
	}
	if !strings.Contains(meta["og:description"], title) || meta["twitter:card"] != "summary_large_image" {
		t.Errorf("og:description %q, card %q", meta["og:description"], meta["twitter:card"])
	}
	if meta["og:image"] != srv.URL+"/p/a/share.png" || meta["og:url"] != srv.URL+"/results/1" {
		t.Errorf("og:image %q, og:url %q", meta["og:image"], meta["og:url"])
	}
}

// The share tags leave the site with every shared link: with a configured
// address they name it, whatever Host header the request carried.
func TestPublicResultsShareTagsIgnoreTheHostHeader(t *testing.T) {
	now := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	start := now.Add(-72 * time.Hour)
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes:  []warehouse.ProcessDim{{ProcessID: 1, Slug: "a", Title: "Bajeti", TimeZone: "Africa/Nairobi", RegionSetID: 1, Currency: "KES", Published: true, StartsAt: &start}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}}}},
	}}
	_, _, d := serveBatch(t, b, now)
	store, err := sqlstore.Open(context.Background(), sqldbtest.NewSQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s, err := web.New(web.Config{Store: store, SecretKey: []byte(strings.Repeat("k", 32)), Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	s.Mount(dashweb.New(dashweb.Config{Dash: d, BaseURL: "https://engage.county.example", Assets: s}).Routes)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL+"/results/1?lang=en", nil)
	req.Host = "evil.example"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || strings.Contains(string(page), "evil.example") ||
		!strings.Contains(string(page), `content="https://engage.county.example/results/1"`) {
		t.Fatalf("status %d; the page's links follow the Host header or miss the site's address:\n%.3000s", resp.StatusCode, page)
	}
}
