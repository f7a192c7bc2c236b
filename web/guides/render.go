package guides

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Page is one guide page, rendered once at start.
type Page struct {
	Slug  string
	Title string        // the page's one "# Title"
	HTML  template.HTML // the body without the title, sanitised
	TOC   []Heading     // its "##" headings, for the table of contents
	IDs   map[string]bool
	Links []string // every link destination, for the link test
	// RawHTML is set when the source holds raw HTML, which the output
	// drops: the loader refuses such a page so that no text vanishes.
	RawHTML bool
}

// Heading is one entry of a table of contents.
type Heading struct {
	ID   string
	Text string
}

// Explicit ids ({#phases}) let an English and a Kiswahili page share the
// anchors that the workspace's "?" links and other pages point at; the
// other headings get ids generated from their text.
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM),
	goldmark.WithParserOptions(parser.WithAutoHeadingID(), parser.WithAttribute()),
	// No html.WithUnsafe: raw HTML in a page is dropped by goldmark first.
)

// headingID is the shape of an id the sanitiser keeps; the loader refuses
// a page with another, so a table of contents never points nowhere.
var headingID = regexp.MustCompile(`^[a-z0-9-]+$`)

// policy keeps what guide pages use. The sanitiser is the guarantee even
// though we write the pages ourselves: a pasted snippet must not become
// script on a page staff open while signed in.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardURLs()
	p.RequireNoFollowOnLinks(false) // the links are ours, not user content
	p.AllowElements("p", "br", "hr", "h2", "h3", "h4", "blockquote", "b", "i", "em", "strong",
		"code", "pre", "kbd", "small", "abbr", "dl", "dt", "dd")
	p.AllowLists()
	p.AllowTables()
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("id").Matching(headingID).OnElements("h2", "h3", "h4")
	p.AddTargetBlankToFullyQualifiedLinks(true)
	p.RequireParseableURLs(true)
	return p
}()

// render turns one page's Markdown into a Page. The page must start with
// one "# Title" and hold no other first-level heading.
func render(slug string, src []byte) (*Page, error) {
	reader := text.NewReader(src)
	doc := md.Parser().Parse(reader)
	pg := &Page{Slug: slug, IDs: map[string]bool{}}
	var titleNode ast.Node
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			txt := plain(n, src)
			id := ""
			if v, ok := n.AttributeString("id"); ok {
				id = string(asBytes(v))
			}
			if n.Level == 1 {
				if titleNode != nil {
					return ast.WalkStop, errors.New("more than one \"# Title\"")
				}
				titleNode, pg.Title = n, txt
				return ast.WalkSkipChildren, nil
			}
			if !headingID.MatchString(id) {
				return ast.WalkStop, fmt.Errorf("heading %q has the id %q; give it one of a-z, 0-9 and - with {#id}", txt, id)
			}
			if id != "" {
				if pg.IDs[id] {
					return ast.WalkStop, fmt.Errorf("heading id %q used twice", id)
				}
				pg.IDs[id] = true
			}
			if n.Level == 2 {
				pg.TOC = append(pg.TOC, Heading{ID: id, Text: txt})
			}
		case *ast.Link:
			pg.Links = append(pg.Links, string(n.Destination))
		case *ast.AutoLink:
			pg.Links = append(pg.Links, string(n.URL(src)))
		case *ast.RawHTML, *ast.HTMLBlock:
			pg.RawHTML = true
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", slug, err)
	}
	if titleNode == nil || pg.Title == "" {
		return nil, fmt.Errorf("%s: the page has no \"# Title\"", slug)
	}
	doc.RemoveChild(doc, titleNode)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, src, doc); err != nil {
		return nil, fmt.Errorf("%s: %w", slug, err)
	}
	pg.HTML = template.HTML(policy.SanitizeBytes(buf.Bytes()))
	return pg, nil
}

// Render is src as sanitised HTML, for a test of the renderer on a page
// that is not shipped.
func Render(src string) (template.HTML, error) {
	pg, err := render("test", []byte(src))
	if err != nil {
		return "", err
	}
	return pg.HTML, nil
}

// plain is a heading's text without its markup.
func plain(n ast.Node, src []byte) string {
	var b strings.Builder
	ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			if t, ok := c.(*ast.Text); ok {
				b.Write(t.Segment.Value(src))
				if t.SoftLineBreak() {
					b.WriteByte(' ')
				}
			} else if s, ok := c.(*ast.String); ok {
				b.Write(s.Value)
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

func asBytes(v any) []byte {
	switch v := v.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return []byte(fmt.Sprint(v))
}
