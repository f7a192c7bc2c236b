package guides

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// runnable lists what in out could run script or restyle a page staff
// open while signed in: script-like elements, on* handlers, style
// attributes, a link with a scheme other than http, https or mailto.
func runnable(out string) []string {
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return []string{"unparsable: " + err.Error()}
	}
	var bad []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "form", "link", "meta", "base", "svg", "math", "img":
				bad = append(bad, "element "+n.Data)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(k, "on"), k == "style":
					bad = append(bad, "attribute "+k)
				case k == "href":
					if i := strings.Index(v, ":"); i >= 0 && !strings.ContainsAny(v[:i], "/?#") {
						if s := v[:i]; s != "http" && s != "https" && s != "mailto" {
							bad = append(bad, "scheme "+s)
						}
					}
				case k == "id" && !headingID.MatchString(a.Val):
					bad = append(bad, "id "+a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return bad
}

// FuzzRender: whatever a guide page holds, render either refuses it with
// a reason or gives sanitised HTML whose table of contents points at ids
// the page has. Seeds are the shipped pages in both languages.
func FuzzRender(f *testing.F) {
	pages, err := filepath.Glob("content/*/*/*.md")
	if err != nil || len(pages) == 0 {
		f.Fatalf("no guide pages: %v", err)
	}
	for _, p := range pages {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Add("# T\n\n## Part {#part onclick=x}\n\n<script>alert(1)</script>[x](javascript:y)\n")
	f.Fuzz(func(t *testing.T, src string) {
		pg, err := render("fuzz", []byte(src))
		if err != nil {
			return
		}
		if bad := runnable(string(pg.HTML)); len(bad) > 0 {
			t.Fatalf("render(%q) = %q: %v", src, pg.HTML, bad)
		}
		for _, h := range pg.TOC {
			if h.ID != "" && !pg.IDs[h.ID] {
				t.Fatalf("the contents point at %q, which the page lacks", h.ID)
			}
		}
	})
}
