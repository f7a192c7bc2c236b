package markdown

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// unsafe reports what in out could run script, load from elsewhere or
// restyle the page: a script/style/iframe/object/embed/form element, an on*
// event handler, a style attribute, a URL with a scheme other than http,
// https or mailto, an image from another host.
func unsafe(out string) []string {
	var bad []string
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return []string{"unparsable: " + err.Error()}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "form", "frame", "frameset", "link", "meta", "base", "svg", "math", "textarea", "button", "select":
				bad = append(bad, "element "+n.Data)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				switch {
				case strings.HasPrefix(k, "on"):
					bad = append(bad, "handler "+k)
				case k == "style":
					bad = append(bad, "style attribute")
				case k == "href" || k == "src" || k == "action" || k == "formaction" || k == "xlink:href":
					if i := strings.Index(v, ":"); i >= 0 && !strings.ContainsAny(v[:i], "/?#") {
						if s := v[:i]; s != "http" && s != "https" && s != "mailto" {
							bad = append(bad, fmt.Sprintf("%s scheme %q", k, s))
						}
					}
					// "/://" is a path on this site; "//host" and "\\host" are not.
					if k == "src" && (strings.HasPrefix(v, "//") || strings.HasPrefix(v, `\`) || strings.HasPrefix(v, `/\`) ||
						(strings.Contains(v, "://") && !strings.HasPrefix(v, "/"))) {
						bad = append(bad, "image from another host")
					}
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

// attacks are sources an official's text (or a pasted document) might hold,
// on purpose or from a copied web page.
var attacks = []string{
	`<script>alert(1)</script>`,
	"Hello <script>alert(1)</script> world",
	"<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
	`<img src=x onerror="alert(1)">`,
	`<p onclick="alert(1)">click</p>`,
	`<div style="position:fixed;top:0">cover</div>`,
	`<span style="color:red">red</span>`,
	`[click](javascript:alert(1))`,
	`[click](JaVaScRiPt:alert(1))`,
	`[click](  javascript:alert(1))`,
	"[click](java\tscript:alert(1))",
	`[click](&#106;avascript:alert(1))`,
	`[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)`,
	`[click](vbscript:msgbox(1))`,
	`<a href="javascript:alert(1)">x</a>`,
	"[x]: javascript:alert(1)\n\n[link][x]",
	`<javascript:alert(1)>`,
	`![pic](javascript:alert(1))`,
	`![pic](https://tracker.example/pixel.png)`,
	`![pic](//tracker.example/pixel.png)`,
	`<iframe src="https://evil.example"></iframe>`,
	"<iframe\nsrc=https://evil.example>",
	`<object data="x.swf"></object><embed src="x.swf">`,
	`<form action="https://evil.example"><input name=p></form>`,
	`<svg onload=alert(1)><circle/></svg>`,
	`<math><mtext><script>alert(1)</script></mtext></math>`,
	"```html\n<script>alert(1)</script>\n```",
	"<style>body{display:none}</style>",
	`<a href="https://example.org" onmouseover="alert(1)">ok</a>`,
	"<details open ontoggle=alert(1)>",
	`<meta http-equiv="refresh" content="0;url=https://evil.example">`,
	`<base href="https://evil.example/">`,
	"<!-- <script>alert(1)</script> -->",
	"<<script>script>alert(1)<</script>/script>",
	"| a | b |\n|---|---|\n| <script>x</script> | [y](javascript:z) |",
}

func TestRenderDropsWhatCouldRun(t *testing.T) {
	for _, src := range attacks {
		out := string(Render(src))
		if bad := unsafe(out); len(bad) > 0 {
			t.Errorf("Render(%q) = %q: %v", src, out, bad)
		}
		if in := string(Inline(src)); len(unsafe(in)) > 0 {
			t.Errorf("Inline(%q) = %q: %v", src, in, unsafe(in))
		}
		low := strings.ToLower(out)
		for _, s := range []string{"<script", "javascript:", "onerror", "onclick", "onload", "<iframe", "style="} {
			// Text is escaped, so a literal "javascript:" may remain only as
			// text, never inside a tag.
			if strings.Contains(low, s) && inTag(low, s) {
				t.Errorf("Render(%q) = %q keeps %s inside a tag", src, out, s)
			}
		}
	}
}

// inTag reports whether s occurs between a '<' and its '>'.
func inTag(out, s string) bool {
	for i := strings.Index(out, s); i >= 0; {
		open, close := strings.LastIndex(out[:i], "<"), strings.LastIndex(out[:i], ">")
		if open > close {
			return true
		}
		j := strings.Index(out[i+1:], s)
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

func TestRenderKeepsWhatOfficialsWrite(t *testing.T) {
	cases := []struct{ src, want string }{
		{"# Revenue\n\nOwn-source revenue **rises**.", "<h1>Revenue</h1>\n<p>Own-source revenue <strong>rises</strong>.</p>"},
		{"- one\n- two", "<li>one</li>"},
		{"[the plan](https://county.example/plan.pdf)", `<a href="https://county.example/plan.pdf" rel="nofollow noopener" target="_blank">the plan</a>`},
		{"[results](/results/3)", `<a href="/results/3" rel="nofollow">results</a>`},
		{"![map](/media/map.png)", `<img src="/media/map.png" alt="map">`},
		{"| a | b |\n|---|---|\n| 1 | 2 |", "<td>1</td>"},
		{"Line one\nline two", "Line one<br>\nline two"},
		{"Fees < 10% & rising", "Fees &lt; 10% &amp; rising"},
		{"Kodi ya **maegesho** itaongezeka", "<strong>maegesho</strong>"},
	}
	for _, c := range cases {
		if out := string(Render(c.src)); !strings.Contains(out, c.want) {
			t.Errorf("Render(%q) = %q, want it to contain %q", c.src, out, c.want)
		}
	}
	if out := string(Render("![pic](https://tracker.example/p.png)")); strings.Contains(out, "tracker") && strings.Contains(out, "src=") {
		t.Errorf("an image from another host was kept: %q", out)
	}
	if got := string(Inline("County *budget* 2026")); got != "County <em>budget</em> 2026" {
		t.Errorf("Inline = %q", got)
	}
	if Render("") != "" {
		t.Error("empty source rendered to something")
	}
}
