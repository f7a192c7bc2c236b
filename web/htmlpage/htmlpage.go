// Package htmlpage holds what every HTML area of the site (the citizen
// pages, the staff area, the officials' workspace) does the same way with
// its embedded templates: parse each page together with the shared layout,
// pick the reader's language, and answer a page only once it has executed.
//
// It imports nothing of web's, so web and the areas built on it can all use
// it without a cycle.
package htmlpage

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/web/i18n"
)

// Pages is an area's pages by name ("home" for templates/home.html), each
// parsed with the shared templates.
type Pages map[string]*template.Template

// Parse parses every templates/*.html of fsys together with the shared ones
// (named without folder and extension, the layout first), so every page can
// use every shared block and a broken template fails at start-up.
func Parse(fsys fs.FS, funcs template.FuncMap, shared ...string) (Pages, error) {
	paths := make([]string, len(shared))
	isShared := map[string]bool{}
	for i, name := range shared {
		paths[i] = "templates/" + name + ".html"
		isShared[name] = true
	}
	base, err := template.New("").Funcs(funcs).ParseFS(fsys, paths...)
	if err != nil {
		return nil, fmt.Errorf("unable to parse the layout: %w", err)
	}
	entries, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := Pages{}
	for _, e := range entries {
		name := strings.TrimSuffix(strings.TrimPrefix(e, "templates/"), ".html")
		if isShared[name] {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(fsys, e)
		if err != nil {
			return nil, fmt.Errorf("unable to parse %s: %w", e, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Write executes block of page into a buffer first and only then answers
// status with it, so a template error becomes a clean error page rather
// than half a page. On an error nothing has been written.
func (p Pages) Write(w http.ResponseWriter, status int, page, block string, data any) error {
	t, ok := p[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, block, data); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // pages carry the CSRF token and the reader's own data
	w.WriteHeader(status)
	w.Write(buf.Bytes())
	return nil
}

// Failed answers a page whose Write failed: with the area's error page,
// unless the page that failed is the error page itself, which would only
// fail again; that one gets a plain 500.
func Failed(w http.ResponseWriter, page string, errorPage func()) {
	if page == "error" {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	errorPage()
}

// Localizer picks the reader's language the way the whole site does: ?lang=,
// the lang cookie (set by the web layer), then Accept-Language.
func Localizer(b *i18n.Bundle, r *http.Request) *i18n.Localizer {
	var cookie string
	if c, err := r.Cookie("lang"); err == nil {
		cookie = c.Value
	}
	return b.Pick(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"))
}
