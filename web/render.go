package web

import (
	"embed"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gorilla/csrf"

	"github.com/civicpulse/civicpulse/internal/markdown"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/htmlpage"
	"github.com/civicpulse/civicpulse/web/i18n"
)

//go:embed templates
var templateFS embed.FS

// view is what every page template receives; Data is the page's own.
type view struct {
	L           *i18n.Localizer
	Langs       []string
	CSRF        template.HTML // hidden input for forms
	CSRFToken   string        // for hx-headers
	Path        string        // current path, for the language switch
	Participant *participation.Participant
	Title       string
	Status      int
	Data        any
	Share       *share // the page's Open Graph and Twitter-card tags (share.go)
}

// Lang switches: the current URL with another ?lang=.
func (v view) LangURL(lang string) string {
	return v.Path + "?lang=" + url.QueryEscape(lang)
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": s.assets.URL,
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
		"add":       func(a, b int) int { return a + b },
		"tz":        zone,
		"orders":    func() []string { return []string{"recent", "supports", "comments"} },
		"ckinds":    func() []string { return []string{"comment", "amendment", "question"} },
		"votekinds": func() []string { return []string{"agree", "disagree", "pass"} },
		"agebands":  func() []string { return []string{"under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+"} },
		"genders":   func() []string { return []string{"female", "male", "other", "prefer_not"} },
		"sectionOf": func(d documentData, sv sectionView) sectionBlock { return sectionBlock{D: d, S: sv} },
		"corders":   func() []participation.CommentOrder { return commentOrders },
		"numbered":  numberedHeading,
		"money":     money,
		// md renders an official's Markdown text, sanitised (internal/markdown).
		"md":     markdown.Render,
		"inline": markdown.Inline,
		"seq": func(from, to int) []int {
			var out []int
			for i := from; i <= to; i++ {
				out = append(out, i)
			}
			return out
		},
		"contains": func(list []int, v int) bool {
			for _, x := range list {
				if x == v {
					return true
				}
			}
			return false
		},
		"lines": func(s string) []string { return strings.Split(strings.TrimSpace(s), "\n") },
		"join":  strings.Join,
		"fval": func(f *float64) string {
			if f == nil {
				return ""
			}
			return fmt.Sprint(*f)
		},
	}
}

// money shows an amount in minor units: 150000000 KES → "KES 1,500,000".
func money(minor int64, currency string) string {
	major := minor / 100
	s := fmt.Sprint(major)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if rest := minor % 100; rest != 0 {
		fmt.Fprintf(&b, ".%02d", rest)
	}
	if currency == "" {
		return b.String()
	}
	return currency + " " + b.String()
}

// loadTemplates parses each page together with the layout and the shared
// partials, so every page can use every partial and a broken template fails
// at start-up.
func (s *Server) loadTemplates() (htmlpage.Pages, error) {
	pages, err := htmlpage.Parse(templateFS, s.funcs(), "layout", "partials")
	if err != nil {
		return nil, fmt.Errorf("web: %w", err)
	}
	return pages, nil
}

func (s *Server) newView(r *http.Request, title string, data any) view {
	st := state(r)
	return view{
		L:           st.loc,
		Langs:       s.i18n.Languages(),
		CSRF:        csrf.TemplateField(r),
		CSRFToken:   csrf.Token(r),
		Path:        r.URL.Path,
		Participant: st.participant,
		Title:       title,
		Data:        data,
		Share:       s.shareFor(r, title, data),
	}
}

// render executes a page into a buffer first, so a template error becomes a
// clean 500 instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page, title string, data any) {
	s.renderBlock(w, r, status, page, "layout", title, data)
}

// renderBlock executes one named block of a page: htmx requests get only
// the fragment they swap.
func (s *Server) renderBlock(w http.ResponseWriter, r *http.Request, status int, page, block, title string, data any) {
	var arg any
	if m, ok := data.(raw); ok {
		arg = map[string]any(m)
	} else {
		v := s.newView(r, title, data)
		v.Status = status
		arg = v
	}
	if err := s.pages.Write(w, status, page, block, arg); err != nil {
		s.log.Error("http: template failed", "request_id", state(r).id, "page", page, "block", block, "err", err)
		htmlpage.Failed(w, page, func() { s.failStatus(w, r, http.StatusInternalServerError, "err.internal") })
	}
}

// raw data is handed to a block as it is, without the page view around it.
type raw map[string]any

type errorData struct {
	Message string
	Fields  []fieldError
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, detail string, fields []fieldError) {
	if r.Header.Get("HX-Request") != "" {
		s.renderBlock(w, r, status, "error", "alert", "", errorData{Message: detail, Fields: fields})
		return
	}
	s.render(w, r, status, "error", state(r).loc.T(fmt.Sprintf("status.%d", status)), errorData{Message: detail, Fields: fields})
}

// redirect answers a successful form post (post/redirect/get).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// zone loads a process's time zone (UTC if unknown).
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}
