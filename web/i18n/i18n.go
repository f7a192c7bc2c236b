// Package i18n holds the translation catalogues of every text citizens read
// (English and Kiswahili) and picks the language of a request.
//
// Messages are fmt format strings: the store's domain errors carry their
// arguments in order (participation.Error.Args), so a translation keeps the
// same verbs in the same order.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

//go:embed catalog/*.json
var catalogFS embed.FS

// Bundle is the set of catalogues.
type Bundle struct {
	tags     []language.Tag
	matcher  language.Matcher
	messages map[string]map[string]string // lang → key → text
	fallback string
}

// Load reads the embedded catalogues. defaultLang (e.g. "en") answers when
// nothing else matches and fills keys a catalogue lacks.
func Load(defaultLang string) (*Bundle, error) {
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	return LoadFS(sub, defaultLang)
}

// LoadFS reads catalogues named <lang>.json from the top of fsys, so that a
// mounted package (the staff pages) can keep its strings next to its
// templates and still pick languages the same way.
func LoadFS(fsys fs.FS, defaultLang string) (*Bundle, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("i18n: unable to list catalogues: %w", err)
	}
	b := &Bundle{messages: map[string]map[string]string{}}
	var def language.Tag
	for _, e := range entries {
		lang := strings.TrimSuffix(e.Name(), ".json")
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		raw, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			return nil, fmt.Errorf("i18n: unable to read %s: %w", e.Name(), err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("i18n: unable to parse %s: %w", e.Name(), err)
		}
		tag, err := language.Parse(lang)
		if err != nil {
			return nil, fmt.Errorf("i18n: bad catalogue name %s: %w", e.Name(), err)
		}
		b.messages[lang] = m
		if lang == defaultLang {
			def = tag
		} else {
			b.tags = append(b.tags, tag)
		}
	}
	if _, ok := b.messages[defaultLang]; !ok {
		return nil, fmt.Errorf("i18n: no catalogue for default language %q", defaultLang)
	}
	// The matcher answers with its first tag when nothing matches.
	b.tags = append([]language.Tag{def}, b.tags...)
	b.matcher = language.NewMatcher(b.tags)
	b.fallback = defaultLang
	return b, nil
}

// Languages lists the catalogue languages, the default first.
func (b *Bundle) Languages() []string {
	out := make([]string, len(b.tags))
	for i, t := range b.tags {
		out[i] = t.String()
	}
	return out
}

// Keys returns the keys of one catalogue (for tests).
func (b *Bundle) Keys(lang string) []string {
	var out []string
	for k := range b.messages[lang] {
		out = append(out, k)
	}
	return out
}

// Pick chooses the language: an explicit choice (?lang=), then the cookie,
// then the browser's Accept-Language, then the default.
func (b *Bundle) Pick(query, cookie, acceptLanguage string) *Localizer {
	for _, explicit := range []string{query, cookie} {
		if _, ok := b.messages[explicit]; ok && explicit != "" {
			return b.For(explicit)
		}
	}
	if acceptLanguage != "" {
		if prefs, _, err := language.ParseAcceptLanguage(acceptLanguage); err == nil && len(prefs) > 0 {
			_, i, conf := b.matcher.Match(prefs...)
			if conf != language.No {
				return b.For(b.tags[i].String())
			}
		}
	}
	return b.For(b.fallback)
}

// For returns the localizer of a catalogue language (the default if unknown).
func (b *Bundle) For(lang string) *Localizer {
	if _, ok := b.messages[lang]; !ok {
		lang = b.fallback
	}
	return &Localizer{lang: lang, msgs: b.messages[lang], def: b.messages[b.fallback], defLang: b.fallback}
}

// Localizer translates for one language.
type Localizer struct {
	lang    string
	msgs    map[string]string
	def     map[string]string
	defLang string
}

// Lang is the BCP 47 tag, for <html lang> and Content-Language.
func (l *Localizer) Lang() string { return l.lang }

// Has reports whether key is in the catalogue (in any language), as a
// plain or as a counted message.
func (l *Localizer) Has(key string) bool {
	for _, k := range []string{key, key + ".other"} {
		if _, ok := l.msgs[k]; ok {
			return true
		}
		if _, ok := l.def[k]; ok {
			return true
		}
	}
	return false
}

// T translates key with fmt-style args; an unknown key shows as itself so a
// missing translation is visible rather than blank.
//
// A key used with different numbers of arguments (the store's
// err.out_of_range takes two bounds in one place and none in another) can
// have a variant "key/N" for N arguments; a message without verbs ignores
// its arguments.
//
// A counted message (key.one, key.other, … in the catalogue) takes its
// plural form from its first argument, as N does: the store's errors carry
// their numbers as plain arguments ("at most %d proposals"), and this way
// they read right for 1 without their callers knowing which messages count.
func (l *Localizer) T(key string, args ...any) string {
	if l.isCounted(key) {
		if len(args) > 0 {
			if n, ok := wholeNumber(args[0]); ok {
				return l.N(key, n, args[1:]...)
			}
		}
		key += ".other" // no number to count: the general form
	}
	s, ok := "", false
	if len(args) > 0 {
		s, ok = l.lookup(key + "/" + strconv.Itoa(len(args)))
	}
	if !ok {
		if s, ok = l.lookup(key); !ok {
			return key
		}
	}
	return l.format(s, args)
}

// format fills a message's verbs; a message without verbs ignores its
// arguments.
func (l *Localizer) format(s string, args []any) string {
	if len(args) == 0 || !strings.Contains(s, "%") {
		return s
	}
	return fmt.Sprintf(s, args...)
}

func (l *Localizer) lookup(key string) (string, bool) {
	if s, ok := l.msgs[key]; ok {
		return s, true
	}
	s, ok := l.def[key]
	return s, ok
}

// Date formats t as a day in loc: "3 March 2026".
func (l *Localizer) Date(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return fmt.Sprintf("%d %s %d", t.Day(), l.T(fmt.Sprintf("month.%d", int(t.Month()))), t.Year())
}

// DateTime formats t in loc with its zone: "3 March 2026, 14:05 EAT".
func (l *Localizer) DateTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(loc)
	return fmt.Sprintf("%s, %s", l.Date(t, loc), t.Format("15:04 MST"))
}
