package staffweb

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/csrf"

	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed catalog/*.json
var catalogFS embed.FS

func loadCatalogue(defaultLang string) (*i18n.Bundle, error) {
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		return nil, err
	}
	b, err := i18n.LoadFS(sub, defaultLang)
	if err != nil {
		return nil, fmt.Errorf("staffweb: %w", err)
	}
	return b, nil
}

// view is what every staff template receives; Data is the page's own.
type view struct {
	L         *i18n.Localizer
	Langs     []string
	CSRF      template.HTML
	CSRFToken string
	Path      string
	User      *staff.User
	Title     string
	Status    int
	Data      any
}

// LangURL is the current page in another language.
func (v view) LangURL(lang string) string { return v.Path + "?lang=" + url.QueryEscape(lang) }

func (a *Area) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			if a.opts.AssetURL == nil {
				return ""
			}
			return a.opts.AssetURL(name)
		},
		"when": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(a.tz).Format("2006-01-02 15:04 MST")
		},
		"day": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		"roles": func() []staff.Role {
			return []staff.Role{staff.RoleOfficial, staff.RoleModerator, staff.RoleAnalyst}
		},
		"str": func(v any) string { return fmt.Sprint(v) },
		"changeset": func(l *i18n.Localizer, cs []changeView) map[string]any {
			return map[string]any{"L": l, "Changes": cs}
		},
		"json": func(raw json.RawMessage) string {
			if len(raw) == 0 || string(raw) == "null" {
				return ""
			}
			return string(raw)
		},
	}
}

// loadTemplates parses each page with the layout, so a broken template
// fails at start-up.
func (a *Area) loadTemplates() (htmlpage.Pages, error) {
	pages, err := htmlpage.Parse(templateFS, a.funcs(), "layout")
	if err != nil {
		return nil, fmt.Errorf("staffweb: %w", err)
	}
	return pages, nil
}

// loc picks the language the way the citizen pages do.
func (a *Area) loc(r *http.Request) *i18n.Localizer { return htmlpage.Localizer(a.i18n, r) }

// render answers page inside the layout; a template error becomes a clean
// 500 rather than half a page.
func (a *Area) render(w http.ResponseWriter, r *http.Request, status int, page, titleKey string, data any) {
	loc := a.loc(r)
	v := view{L: loc, Langs: a.i18n.Languages(), CSRF: csrf.TemplateField(r), CSRFToken: csrf.Token(r),
		Path: r.URL.Path, Title: loc.T(titleKey), Status: status, Data: data}
	if c := callerOf(r); c.user.ID != 0 {
		v.User = &c.user
	}
	if err := a.pages.Write(w, status, page, "layout", v); err != nil {
		a.log.Error("staffweb: template failed", "request_id", web.RequestID(r), "page", page, "err", err)
		htmlpage.Failed(w, page, func() { a.failStatus(w, r, http.StatusInternalServerError, "err.internal") })
	}
}

// failStatus answers status with a catalogue message: problem+json on the
// API, the staff error page otherwise.
func (a *Area) failStatus(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	loc := a.loc(r)
	detail := loc.T(key, args...)
	if isAPI(r) {
		writeJSON(w, status, "application/problem+json", map[string]any{
			"type": "about:blank", "title": http.StatusText(status), "status": status,
			"detail": detail, "instance": r.URL.Path})
		return
	}
	a.render(w, r, status, "error", fmt.Sprintf("status.%d", status), detail)
}

func writeJSON(w http.ResponseWriter, status int, ctype string, v any) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// redirect answers a successful form post (post/redirect/get).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}
