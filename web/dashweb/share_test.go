package dashweb_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/civicpulse/civicpulse/warehouse"
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
