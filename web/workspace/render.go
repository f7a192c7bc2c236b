package workspace

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/csrf"

	"github.com/civicpulse/civicpulse/internal/markdown"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/staffweb"
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
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return b, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func processPath(id int64) string { return "/staff/processes/" + itoa(id) }

func userFrom(r *http.Request) (staff.User, bool) { return staffweb.UserFrom(r.Context()) }

// view is what every workspace template receives; Data is the page's own.
type view struct {
	L         *i18n.Localizer
	Langs     []string
	CSRF      template.HTML
	CSRFToken string
	Path      string
	User      *staff.User
	Title     string
	Status    int
	Notice    string
	Data      any
}

// LangURL is the current page in another language.
func (v view) LangURL(lang string) string { return v.Path + "?lang=" + url.QueryEscape(lang) }

// form is a page's form state: what was typed (or what is stored, on a
// first view) and the message beside each field that was refused.
type form struct {
	V      url.Values
	Errors map[string]string
	Other  []string // messages about no field of this form
}

func newForm(v url.Values) *form {
	if v == nil {
		v = url.Values{}
	}
	return &form{V: v, Errors: map[string]string{}}
}

// Get is the field's value.
func (f *form) Get(name string) string { return f.V.Get(name) }

// All is every value of a repeated field.
func (f *form) All(name string) []string { return f.V[name] }

// Has reports whether a checkbox or multi-select holds value.
func (f *form) Has(name, value string) bool {
	for _, v := range f.V[name] {
		if v == value {
			return true
		}
	}
	return false
}

// Err is the message beside a field.
func (f *form) Err(name string) string { return f.Errors[name] }

// Failed reports whether anything was refused.
func (f *form) Failed() bool { return len(f.Errors) > 0 || len(f.Other) > 0 }

func (ws *Workspace) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string {
			if ws.cfg.AssetURL == nil {
				return ""
			}
			return ws.cfg.AssetURL(name)
		},
		"own": ownAsset,
		"md":  markdown.Render,
		// dict passes several values to a sub-template.
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict: odd number of arguments")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"inline": markdown.Inline,
		"str":    func(v any) string { return fmt.Sprint(v) },
		// excerpt shortens a text to what fits in a choice list.
		"excerpt": func(s string) string {
			if r := []rune(s); len(r) > 60 {
				return strings.TrimSpace(string(r[:59])) + "…"
			}
			return s
		},
		"add":   func(a, b int) int { return a + b },
		"lines": func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
		"json": func(v any) string {
			b, _ := json.MarshalIndent(v, "", "  ")
			return string(b)
		},
		"join": strings.Join,
		"list": func(s ...string) []string { return s },
		"seq": func(n int) []int {
			out := make([]int, n)
			for i := range out {
				out[i] = i
			}
			return out
		},
		"when": func(t time.Time, loc *time.Location) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02 15:04 MST")
		},
	}
}

// loadTemplates parses each page with the layout, so a broken template
// fails at start-up.
func (ws *Workspace) loadTemplates() (htmlpage.Pages, error) {
	pages, err := htmlpage.Parse(templateFS, ws.funcs(), "layout", "fields")
	if err != nil {
		return nil, fmt.Errorf("workspace: %w", err)
	}
	return pages, nil
}

// loc picks the language the way the rest of the site does.
func (ws *Workspace) loc(r *http.Request) *i18n.Localizer { return htmlpage.Localizer(ws.i18n, r) }

// render answers page inside the layout; a template error becomes a clean
// 500 rather than half a page.
func (ws *Workspace) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	loc := ws.loc(r)
	v := view{L: loc, Langs: ws.i18n.Languages(), CSRF: csrf.TemplateField(r), CSRFToken: csrf.Token(r),
		Path: r.URL.Path, Title: title, Status: status, Data: data}
	if k := r.URL.Query().Get("done"); k != "" && loc.Has("done."+k) {
		v.Notice = loc.T("done." + k)
	}
	if u, ok := userFrom(r); ok {
		v.User = &u
	}
	if err := ws.pages.Write(w, status, page, "layout", v); err != nil {
		ws.log.Error("workspace: template failed", "request_id", web.RequestID(r), "page", page, "err", err)
		htmlpage.Failed(w, page, func() { ws.failStatus(w, r, http.StatusInternalServerError, "err.internal") })
	}
}

// redirect answers a successful form post (post/redirect/get), with the
// catalogue key of what was done for the next page to confirm.
func redirect(w http.ResponseWriter, r *http.Request, to, done string) {
	if done != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		to += sep + "done=" + url.QueryEscape(done)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// statusOf maps a domain code to its HTTP status.
func statusOf(c participation.Code) int {
	switch c {
	case participation.CodeNotFound, participation.CodeUnpublished:
		return http.StatusNotFound
	case participation.CodeInvalid:
		return http.StatusUnprocessableEntity
	case participation.CodeClosed, participation.CodeDuplicate, participation.CodeConflict:
		return http.StatusConflict
	case participation.CodeRegistered, participation.CodeConsent:
		return http.StatusForbidden
	case participation.CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusInternalServerError
}

// translate renders a domain error in the official's language: this
// package's catalogue first, then the site's (which holds the store's
// keys), then the store's English text, then the code's message.
func (ws *Workspace) translate(r *http.Request, e *participation.Error) string {
	loc := ws.loc(r)
	if e.Key != "" && loc.Has(e.Key) {
		return loc.T(e.Key, e.Args...)
	}
	if e.Key != "" {
		if d := ws.domain.For(loc.Lang()); d.Has(e.Key) {
			return d.T(e.Key, e.Args...)
		}
	}
	if e.Msg != "" && loc.Lang() == "en" {
		return e.Msg
	}
	return loc.T("err." + string(e.Code))
}

// fieldErrors splits a store refusal into messages per field. ok is false
// when err is not a refusal of the input (the caller fails with it).
func (ws *Workspace) fieldErrors(r *http.Request, err error) (map[string]string, bool) {
	var ve participation.ValidationErrors
	out := map[string]string{}
	if errors.As(err, &ve) {
		for _, e := range ve {
			add(out, e.Field, ws.translate(r, e))
		}
		return out, true
	}
	var de *participation.Error
	if errors.As(err, &de) && (de.Code == participation.CodeInvalid || de.Code == participation.CodeConflict) {
		add(out, de.Field, ws.translate(r, de))
		return out, true
	}
	return nil, false
}

func add(m map[string]string, field, msg string) {
	if prev, ok := m[field]; ok {
		m[field] = prev + " " + msg
		return
	}
	m[field] = msg
}

// refuse answers a form whose input was refused: the page again, with what
// was typed and each message beside its field (those about no field of the
// form above it), status 422 (409 for a conflict with the process's state).
func (ws *Workspace) refuse(w http.ResponseWriter, r *http.Request, f *form, known []string, page, title string, data any) {
	status := http.StatusUnprocessableEntity
	if f.V.Get("_conflict") != "" {
		status = http.StatusConflict
		f.V.Del("_conflict")
	}
	for k, msg := range f.Errors {
		if !contains(known, k) {
			f.Other = append(f.Other, msg)
			delete(f.Errors, k)
		}
	}
	ws.render(w, r, status, page, title, data)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// absorb puts a store refusal into the form; false when err is another
// failure, which the caller answers with fail.
func (ws *Workspace) absorb(r *http.Request, f *form, err error) bool {
	m, ok := ws.fieldErrors(r, err)
	if !ok {
		return false
	}
	for k, v := range m {
		add(f.Errors, k, v)
	}
	if participation.ErrorCode(err) == participation.CodeConflict {
		f.V.Set("_conflict", "1")
	}
	return true
}

// formWrite finishes every staff form post once its form is read, as
// apiWrite does for the API, so they all answer alike: write is the store
// call, run only when nothing of the form was refused yet; a refusal of the
// input joins the form (absorb) and refused shows the page again with what
// was typed, at status (statusFor; refuse and refuseComponent work out
// the same one); any other failure, a missing item among them, is fail's. record is what must follow the write (the audit
// entry; failing that is a 500, since the footer promises every change is
// recorded; nil when write records itself), then the browser goes to `to`
// with the done flash.
func (ws *Workspace) formWrite(w http.ResponseWriter, r *http.Request, f *form, write, record func() error, refused func(status int), to, done string) {
	if !f.Failed() {
		err := write()
		if err == nil {
			if record != nil {
				if err := record(); err != nil {
					ws.fail(w, r, err)
					return
				}
			}
			redirect(w, r, to, done)
			return
		}
		if participation.IsNotFound(err) || !ws.absorb(r, f, err) {
			ws.fail(w, r, err)
			return
		}
	}
	refused(statusFor(f))
}

// statusFor is a refused form's status: 422, or 409 when the store refused
// it for a conflict with what is stored.
func statusFor(f *form) int {
	if f.V.Get("_conflict") != "" {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

// fail answers an error that is not the form's: 404 for what does not
// exist, the domain error's status, else 500 with the cause logged once.
func (ws *Workspace) fail(w http.ResponseWriter, r *http.Request, err error) {
	var de *participation.Error
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		ws.failStatus(w, r, http.StatusRequestEntityTooLarge, "err.too_large", tooBig.Limit>>20)
		return
	case errors.As(err, &de) && statusOf(de.Code) != http.StatusInternalServerError:
		ws.failMessage(w, r, statusOf(de.Code), ws.translate(r, de), nil)
		return
	}
	if m, ok := ws.fieldErrors(r, err); ok {
		ws.failMessage(w, r, http.StatusUnprocessableEntity, ws.loc(r).T("err.invalid"), m)
		return
	}
	ws.log.Error("workspace: request failed", "request_id", web.RequestID(r), "err", err)
	ws.failStatus(w, r, http.StatusInternalServerError, "err.internal")
}

func (ws *Workspace) failStatus(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	ws.failMessage(w, r, status, ws.loc(r).T(key, args...), nil)
}

type errorData struct {
	Message string
	Fields  map[string]string
}

// failMessage is problem+json on the API, the error page otherwise.
func (ws *Workspace) failMessage(w http.ResponseWriter, r *http.Request, status int, detail string, fields map[string]string) {
	if isAPI(r) {
		p := map[string]any{"type": "about:blank", "title": http.StatusText(status), "status": status,
			"detail": detail, "instance": r.URL.Path}
		if len(fields) > 0 {
			var list []map[string]string
			for k, v := range fields {
				list = append(list, map[string]string{"field": k, "message": v})
			}
			p["errors"] = list
		}
		writeJSON(w, status, "application/problem+json", p)
		return
	}
	ws.render(w, r, status, "error", ws.loc(r).T(fmt.Sprintf("status.%d", status)), errorData{Message: detail, Fields: fields})
}

func writeJSON(w http.ResponseWriter, status int, ctype string, v any) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
