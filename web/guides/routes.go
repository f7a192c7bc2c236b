package guides

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// routes: the citizens' guide is public; the manual needs a signed-in staff
// member of any role (the staff guard sends others to the sign-in page).
// It holds nothing secret, but it is written for staff and says so.
func (g *Guides) routes(reg web.Registrar) {
	const get = http.MethodGet
	const slug = "/{slug:[a-z0-9-]+}"
	reg.HandleFunc("guide.index", get, Citizens.Base(), web.Public, g.serve(Citizens))
	reg.HandleFunc("guide.page", get, Citizens.Base()+slug, web.Public, g.serve(Citizens))
	reg.HandleFunc("manual.index", get, Staff.Base(), staffweb.SignedIn, g.serve(Staff))
	reg.HandleFunc("manual.page", get, Staff.Base()+slug, staffweb.SignedIn, g.serve(Staff))
}

// view is what the templates receive.
type view struct {
	L        *i18n.Localizer
	Langs    []string
	Path     string
	Title    string
	Audience Audience
	Base     string
	Page     *Page
	Nav      []navItem
	Status   int
}

type navItem struct {
	Href    string
	Title   string
	Current bool
}

// LangURL is the current page in another language.
func (v view) LangURL(lang string) string { return v.Path + "?lang=" + url.QueryEscape(lang) }

// Staff reports whether the page belongs to the manual (the staff header).
func (v view) Staff() bool { return v.Audience == Staff }

func (g *Guides) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			if g.opts.AssetURL == nil {
				return ""
			}
			return g.opts.AssetURL(name)
		},
	}
}

func (g *Guides) serve(a Audience) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		loc := htmlpage.Localizer(g.i18n, r)
		slug := mux.Vars(r)["slug"]
		if slug == "" {
			slug = Index
		}
		v := view{L: loc, Langs: g.langs, Path: r.URL.Path, Audience: a, Base: a.Base(), Status: http.StatusOK,
			Nav: g.nav(loc.Lang(), a, slug)}
		page := "page"
		pg, ok := g.pages[pageKey{loc.Lang(), a, slug}]
		if ok {
			v.Page, v.Title = pg, pg.Title
		} else {
			page, v.Status, v.Title = "error", http.StatusNotFound, loc.T("guide.not_found")
		}
		w.Header().Set("Content-Language", loc.Lang())
		if err := g.tpl.Write(w, v.Status, page, "layout", v); err != nil {
			g.log.Error("guides: template failed", "request_id", web.RequestID(r), "page", slug, "err", err)
			http.Error(w, loc.T("guide.failed"), http.StatusInternalServerError)
		}
	}
}

// nav is the side menu: the index, then the pages it links to, in order.
func (g *Guides) nav(lang string, a Audience, current string) []navItem {
	idx, ok := g.pages[pageKey{lang, a, Index}]
	if !ok {
		return nil
	}
	out := []navItem{{Href: a.Base(), Title: idx.Title, Current: current == Index}}
	seen := map[string]bool{Index: true}
	for _, link := range idx.Links {
		u, err := url.Parse(link)
		if err != nil || u.Fragment != "" {
			continue
		}
		la, slug, ok := Resolve(u.Path)
		if !ok || la != a || seen[slug] {
			continue
		}
		seen[slug] = true
		if pg, ok := g.pages[pageKey{lang, a, slug}]; ok {
			out = append(out, navItem{Href: a.Base() + "/" + slug, Title: pg.Title, Current: slug == current})
		}
	}
	return out
}
