package dashboards

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// Localizer translates the dashboards' texts: titles, headings, summaries,
// warnings, column labels, legends. web/i18n's Localizer is one (loaded
// from Catalog with i18n.LoadFS); a view without one reads English.
type Localizer interface {
	T(key string, args ...any) string
	Lang() string
}

//go:embed catalog/*.json
var catalogFS embed.FS

// Catalog holds the dashboards' catalogues, <lang>.json (English and
// Kiswahili), for i18n.LoadFS.
func Catalog() fs.FS {
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		panic(err) // the embedded folder is there or the build fails
	}
	return sub
}

// catalogue is the embedded catalogues read once, for Messages.
var catalogue = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	entries, _ := fs.ReadDir(catalogFS, "catalog")
	for _, e := range entries {
		raw, err := catalogFS.ReadFile("catalog/" + e.Name())
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			panic(fmt.Sprintf("dashboards: catalogue %s: %v", e.Name(), err)) // caught by any test
		}
		out[strings.TrimSuffix(e.Name(), ".json")] = m
	}
	return out
}()

// Messages is a Localizer straight from the embedded catalogue, English
// for an unknown language or key: the default of a view, and what a
// caller without web/i18n (a report, a test) uses.
func Messages(lang string) Localizer {
	if _, ok := catalogue[lang]; !ok {
		lang = "en"
	}
	return messages{lang, catalogue[lang], catalogue["en"]}
}

type messages struct {
	lang      string
	msgs, def map[string]string
}

func (m messages) Lang() string { return m.lang }

// T follows web/i18n: a "key/N" variant for N arguments first, an unknown
// key shows as itself.
func (m messages) T(key string, args ...any) string {
	s, ok := "", false
	if len(args) > 0 {
		s, ok = m.lookup(key + "/" + strconv.Itoa(len(args)))
	}
	if !ok {
		if s, ok = m.lookup(key); !ok {
			return key
		}
	}
	if len(args) == 0 || !strings.Contains(s, "%") {
		return s
	}
	return fmt.Sprintf(s, args...)
}

func (m messages) lookup(key string) (string, bool) {
	if s, ok := m.msgs[key]; ok {
		return s, true
	}
	s, ok := m.def[key]
	return s, ok
}

// printer formats numbers by the language's conventions (CLDR digits,
// grouping and decimal separators).
func printer(l Localizer) *message.Printer {
	if l == nil {
		return message.NewPrinter(language.English)
	}
	return message.NewPrinter(language.Make(l.Lang()))
}

// T translates in the view's language.
func (v View) T(key string, args ...any) string { return v.loc().T(key, args...) }

func (v View) loc() Localizer {
	if v.L == nil {
		return Messages("en")
	}
	return v.L
}

// N formats a whole number for the view's language: "14,170,000".
func (v View) N(n int64) string { return printer(v.loc()).Sprintf("%d", n) }

// F formats a number with digits after the point for the view's language.
func (v View) F(x float64, digits int) string {
	return printer(v.loc()).Sprintf("%.*f", digits, x)
}

// When is a moment in the process's zone, to the minute: "Mar 2 15:04" in
// English, "2 Mac 15:04" in Kiswahili.
func (v View) When(t time.Time) string { return whenIn(v.loc(), t.In(v.P.TimeZone)) }

func whenIn(l Localizer, t time.Time) string {
	return l.T("dash.date.when", l.T(fmt.Sprintf("dash.mon.%d", int(t.Month()))), t.Day(), t.Format("15:04"))
}

// dayIn is a day for an axis: "Fri Mar 1", "Ijumaa 1 Mac".
func dayIn(l Localizer, t time.Time) string {
	return l.T("dash.date.day", l.T(fmt.Sprintf("dash.wd.%d", int(t.Weekday()))), l.T(fmt.Sprintf("dash.mon.%d", int(t.Month()))), t.Day())
}
