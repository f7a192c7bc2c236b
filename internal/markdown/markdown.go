// Package markdown turns the Markdown officials write (process texts,
// document sections, questions, phase descriptions) into HTML that is safe
// to put on a citizen page: goldmark renders it, bluemonday then keeps only
// a user-content allow-list. Raw HTML in the source is dropped by goldmark
// and, should any survive, by the sanitiser; the sanitiser is the
// guarantee, goldmark's setting only the first fence.
package markdown

import (
	"bytes"
	"html/template"
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

// MaxSource bounds what Render reads: longer sources are cut (the store
// bounds every field far below this; the bound keeps a page from being
// made slow by a pathological text).
const MaxSource = 256 << 10

var (
	once   sync.Once
	md     goldmark.Markdown
	policy *bluemonday.Policy
)

// sameSiteImage accepts an image path on this site ("/media/…") and nothing
// with a host: a picture from another host would tell it who reads the page.
var sameSiteImage = regexp.MustCompile(`^/[^/\\]`)

func setup() {
	md = goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		// No html.WithUnsafe: raw HTML blocks and inline tags are omitted.
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
	p := bluemonday.NewPolicy()
	// The UGC policy of bluemonday, minus its images from anywhere.
	p.AllowStandardAttributes()
	p.AllowStandardURLs() // http, https, mailto and relative; never javascript: or data:
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
		"b", "i", "em", "strong", "del", "s", "code", "pre", "sub", "sup", "small", "mark", "abbr")
	p.AllowLists()
	p.AllowTables()
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src").Matching(sameSiteImage).OnElements("img")
	p.AllowAttrs("alt", "title").OnElements("img")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[\w-]+$`)).OnElements("code")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true) // and rel=noopener with it
	p.RequireParseableURLs(true)
	policy = p
}

// Render is src as sanitised HTML.
func Render(src string) template.HTML {
	once.Do(setup)
	if src == "" {
		return ""
	}
	if len(src) > MaxSource {
		src = src[:MaxSource]
	}
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		// goldmark fails only on a failing writer; a bytes.Buffer does not.
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes()))
}

// Inline is src rendered for a place that takes a line, not a block (a
// title, an option label): one paragraph's content without its <p>. A
// source that renders to more than one block keeps its blocks.
func Inline(src string) template.HTML {
	out := strings.TrimSpace(string(Render(src)))
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		out = strings.TrimSuffix(strings.TrimPrefix(out, "<p>"), "</p>")
	}
	return template.HTML(out)
}
