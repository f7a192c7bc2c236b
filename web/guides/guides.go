// Package guides serves the help written for the people who use civicpulse
// (issue 19): the citizens' guide at /guide, one page per tool, and the
// officials' manual at /staff/manual, behind staff sign-in.
//
// The pages are Markdown files in content/<lang>/<audience>/<slug>.md,
// embedded in the binary and rendered once at start: a page that does not
// render, a page without its twin in every other language, or a link to a
// guide page or anchor that does not exist stops the server at boot, so a
// reader never meets a broken page. Each audience's index.md is its first
// page, and the order of its links is the order of the side menu.
//
// To edit a page, change both languages' files and run this package's
// tests; to add one, add a file per language and link it from index.md.
package guides

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"path"
	"sort"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
)

//go:embed content
var contentFS embed.FS

//go:embed templates/*.html
var templateFS embed.FS

//go:embed catalog/*.json
var catalogFS embed.FS

// Audience is who a set of pages is written for.
type Audience string

const (
	Citizens Audience = "citizen" // the citizens' guide, public
	Staff    Audience = "staff"   // the officials' manual, staff only
)

// Audiences lists both, citizens first.
var Audiences = []Audience{Citizens, Staff}

// Base is where an audience's pages are served.
func (a Audience) Base() string {
	if a == Staff {
		return "/staff/manual"
	}
	return "/guide"
}

// Index is the slug of an audience's first page.
const Index = "index"

// Options configure the guides.
type Options struct {
	// AssetURL resolves a static file of the web package (the stylesheet);
	// Attach sets it from the server.
	AssetURL    func(name string) string
	DefaultLang string
	Logger      *slog.Logger
}

// Guides holds every rendered page.
type Guides struct {
	opts  Options
	log   *slog.Logger
	i18n  *i18n.Bundle
	tpl   htmlpage.Pages
	pages map[pageKey]*Page
	langs []string
}

type pageKey struct {
	lang     string
	audience Audience
	slug     string
}

// New loads and renders the embedded pages; it fails on the first problem.
func New(opts Options) (*Guides, error) {
	sub, err := fs.Sub(contentFS, "content")
	if err != nil {
		return nil, err
	}
	return load(sub, opts)
}

func load(content fs.FS, opts Options) (*Guides, error) {
	if opts.DefaultLang == "" {
		opts.DefaultLang = "en"
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	g := &Guides{opts: opts, log: opts.Logger, pages: map[pageKey]*Page{}}
	cat, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		return nil, err
	}
	if g.i18n, err = i18n.LoadFS(cat, opts.DefaultLang); err != nil {
		return nil, fmt.Errorf("guides: %w", err)
	}
	g.langs = g.i18n.Languages()
	if g.tpl, err = htmlpage.Parse(templateFS, g.funcs(), "layout"); err != nil {
		return nil, fmt.Errorf("guides: %w", err)
	}
	if err := g.loadPages(content); err != nil {
		return nil, fmt.Errorf("guides: %w", err)
	}
	return g, nil
}

// loadPages renders content/<lang>/<audience>/<slug>.md for every language
// of the catalogue, then checks the set as a whole.
func (g *Guides) loadPages(content fs.FS) error {
	var errs []error
	for _, lang := range g.langs {
		for _, a := range Audiences {
			dir := lang + "/" + string(a)
			files, err := fs.Glob(content, dir+"/*.md")
			if err != nil {
				return err
			}
			for _, f := range files {
				slug := strings.TrimSuffix(path.Base(f), ".md")
				src, err := fs.ReadFile(content, f)
				if err != nil {
					return err
				}
				pg, err := render(slug, src)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", f, err))
					continue
				}
				if pg.RawHTML {
					errs = append(errs, fmt.Errorf("%s: raw HTML is dropped from guide pages; write Markdown", f))
				}
				g.pages[pageKey{lang, a, slug}] = pg
			}
		}
	}
	errs = append(errs, g.check()...)
	return errors.Join(errs...)
}

// check is what makes the set whole: every audience has an index, every
// page has its twin in every language, and every link to a guide page
// reaches an existing page and anchor in the same language.
func (g *Guides) check() []error {
	var errs []error
	for _, lang := range g.langs {
		for _, a := range Audiences {
			if _, ok := g.pages[pageKey{lang, a, Index}]; !ok {
				errs = append(errs, fmt.Errorf("%s/%s has no %s.md", lang, a, Index))
			}
		}
	}
	for _, k := range g.keys() {
		for _, other := range g.langs {
			if _, ok := g.pages[pageKey{other, k.audience, k.slug}]; !ok {
				errs = append(errs, fmt.Errorf("%s/%s/%s.md has no twin in %s", k.lang, k.audience, k.slug, other))
			}
		}
		for _, link := range g.pages[k].Links {
			if err := g.checkLink(k.lang, link); err != nil {
				errs = append(errs, fmt.Errorf("%s/%s/%s.md: %w", k.lang, k.audience, k.slug, err))
			}
		}
	}
	return errs
}

// checkLink accepts a link that leaves the guides, and a guide link whose
// page (and anchor, if any) exists in lang. Guide links are written as
// site paths (/guide/…, /staff/manual/…), so they work from any page.
func (g *Guides) checkLink(lang, link string) error {
	u, err := url.Parse(link)
	if err != nil {
		return fmt.Errorf("link %q: %w", link, err)
	}
	if u.Scheme != "" || u.Host != "" {
		return nil
	}
	if u.Path == "" {
		return fmt.Errorf("link %q: write guide links as site paths, e.g. /guide/your-data#erasure", link)
	}
	a, slug, ok := Resolve(u.Path)
	if !ok {
		return nil // a page of the product, e.g. /me
	}
	if !g.Has(lang, a, slug, u.Fragment) {
		return fmt.Errorf("link %q: no such page or anchor in %s", link, lang)
	}
	return nil
}

// Resolve says whether a site path is a guide page, and which.
func Resolve(p string) (Audience, string, bool) {
	for _, a := range Audiences {
		if p == a.Base() || p == a.Base()+"/" {
			return a, Index, true
		}
		if rest, ok := strings.CutPrefix(p, a.Base()+"/"); ok && !strings.Contains(rest, "/") {
			return a, rest, true
		}
	}
	return "", "", false
}

// Has reports whether the page exists in lang and, when anchor is not
// empty, holds a heading with that id.
func (g *Guides) Has(lang string, a Audience, slug, anchor string) bool {
	pg, ok := g.pages[pageKey{lang, a, slug}]
	return ok && (anchor == "" || pg.IDs[anchor])
}

// Languages lists the languages every page is written in.
func (g *Guides) Languages() []string { return append([]string(nil), g.langs...) }

// Slugs lists an audience's pages in lang, sorted.
func (g *Guides) Slugs(lang string, a Audience) []string {
	var out []string
	for k := range g.pages {
		if k.lang == lang && k.audience == a {
			out = append(out, k.slug)
		}
	}
	sort.Strings(out)
	return out
}

func (g *Guides) keys() []pageKey {
	out := make([]pageKey, 0, len(g.pages))
	for k := range g.pages {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		return a.lang+string(a.audience)+a.slug < b.lang+string(b.audience)+b.slug
	})
	return out
}

// Attach mounts the guides on srv and takes its stylesheet.
func (g *Guides) Attach(srv *web.Server) {
	g.opts.AssetURL = srv.AssetURL
	srv.Mount(g.Mount)
}

// Mount registers the pages (see routes.go); pass it to (*web.Server).Mount.
func (g *Guides) Mount(_ *mux.Router, reg web.Registrar) { g.routes(reg) }
