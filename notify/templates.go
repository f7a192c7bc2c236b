package notify

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"sort"
	"strings"
	texttemplate "text/template"
)

//go:embed templates
var templateFiles embed.FS

// FallbackLang is the language every kind has; a message whose language
// lacks its kind is sent in it.
const FallbackLang = "en"

// Templates render messages per kind and language: templates/<lang>.tmpl
// defines each kind's subject, body, action (the label of its link) and,
// for kinds that go by SMS, sms; templates/layout.html (html/template)
// wraps them into the HTML part, so every value is escaped there.
type Templates struct {
	langs map[string]*texttemplate.Template
	html  *htmltemplate.Template
}

// Parts a kind needs in every language.
func requiredParts(k Kind) []string {
	parts := []string{"subject", "body", "action"}
	if smsKind(k) {
		parts = append(parts, "sms")
	}
	return parts
}

// smsKind reports whether messages of k may go by SMS: staff messages and
// alerts go by email only.
func smsKind(k Kind) bool {
	switch k {
	case KindStaffInvitation, KindStaffReset, KindLowEngagement, KindInquiryAnswer:
		return false
	}
	return true
}

// LoadTemplates parses the embedded templates.
func LoadTemplates() (*Templates, error) {
	sub, err := fs.Sub(templateFiles, "templates")
	if err != nil {
		return nil, err
	}
	return parseTemplates(sub)
}

func parseTemplates(fsys fs.FS) (*Templates, error) {
	t := &Templates{langs: map[string]*texttemplate.Template{}}
	files, err := fs.Glob(fsys, "*.tmpl")
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		lang := strings.TrimSuffix(path.Base(f), ".tmpl")
		tt, err := texttemplate.New(lang).Option("missingkey=zero").Parse(string(b))
		if err != nil {
			return nil, fmt.Errorf("notify: template %s: %w", f, err)
		}
		t.langs[lang] = tt
	}
	if t.langs[FallbackLang] == nil {
		return nil, fmt.Errorf("notify: no %s.tmpl: every kind needs an English text", FallbackLang)
	}
	for _, k := range Kinds() {
		if !t.has(FallbackLang, k) {
			return nil, fmt.Errorf("notify: %s.tmpl lacks a part of %q", FallbackLang, k)
		}
	}
	b, err := fs.ReadFile(fsys, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("notify: no layout.html: %w", err)
	}
	if t.html, err = htmltemplate.New("layout").Parse(string(b)); err != nil {
		return nil, fmt.Errorf("notify: layout.html: %w", err)
	}
	return t, nil
}

func (t *Templates) has(lang string, k Kind) bool {
	tt := t.langs[lang]
	if tt == nil {
		return false
	}
	for _, p := range requiredParts(k) {
		if tt.Lookup(string(k)+"."+p) == nil {
			return false
		}
	}
	return tt.Lookup("footer") != nil && tt.Lookup("footer_action") != nil && tt.Lookup("sent_by") != nil
}

// Languages lists the languages with a template file.
func (t *Templates) Languages() []string {
	var out []string
	for l := range t.langs {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// Gap is a kind a language lacks (or lacks a part of): its messages are
// sent in English.
type Gap struct {
	Kind Kind
	Lang string
}

// Missing lists, for the given languages (a process's languages; all
// template languages when none are given), the kinds that fall back to
// English. A language without any template file lacks every kind.
func (t *Templates) Missing(langs ...string) []Gap {
	if len(langs) == 0 {
		langs = t.Languages()
	}
	var out []Gap
	for _, l := range langs {
		for _, k := range Kinds() {
			if !t.has(l, k) {
				out = append(out, Gap{Kind: k, Lang: l})
			}
		}
	}
	return out
}

// view is what the language templates see.
type view struct {
	Process, Link, Code, Lang string
	Fields                    map[string]string
}

// F returns a further field ("" when absent).
func (v view) F(name string) string { return v.Fields[name] }

// Rendered is a message's text in one language.
type Rendered struct {
	Lang    string // the language used (FallbackLang when the asked one lacks the kind)
	Subject string
	Text    string
	HTML    string
	SMS     string
}

// Render renders kind in lang (falling back to English) with the payload;
// unsubscribe, when not empty, adds the unsubscribe footer.
func (t *Templates) Render(k Kind, lang string, p payload, unsubscribe string) (Rendered, error) {
	if !t.has(lang, k) {
		lang = FallbackLang
	}
	if !t.has(lang, k) {
		return Rendered{}, fmt.Errorf("notify: no template for kind %q", k)
	}
	tt := t.langs[lang]
	v := view{Process: p.Process, Link: p.Link, Code: p.Secret, Lang: lang, Fields: p.Fields}
	exec := func(name string) (string, error) {
		var b bytes.Buffer
		if err := tt.ExecuteTemplate(&b, name, v); err != nil {
			return "", fmt.Errorf("notify: template %s/%s: %w", lang, name, err)
		}
		return strings.TrimSpace(b.String()), nil
	}
	r := Rendered{Lang: lang}
	var body, action, footer, footerAction, sentBy string
	var err error
	for _, part := range []struct {
		name string
		out  *string
	}{{string(k) + ".subject", &r.Subject}, {string(k) + ".body", &body}, {string(k) + ".action", &action},
		{"footer", &footer}, {"footer_action", &footerAction}, {"sent_by", &sentBy}} {
		if *part.out, err = exec(part.name); err != nil {
			return Rendered{}, err
		}
	}
	if smsKind(k) {
		if r.SMS, err = exec(string(k) + ".sms"); err != nil {
			return Rendered{}, err
		}
	}
	r.Subject = strings.Join(strings.Fields(r.Subject), " ") // one header line
	var text strings.Builder
	text.WriteString(body)
	if p.Link != "" {
		fmt.Fprintf(&text, "\n\n%s:\n%s", action, p.Link)
	}
	text.WriteString("\n\n-- \n" + sentBy)
	if unsubscribe != "" {
		fmt.Fprintf(&text, "\n%s\n%s", footer, unsubscribe)
	}
	r.Text = text.String() + "\n"
	var html bytes.Buffer
	if err := t.html.Execute(&html, map[string]any{"Lang": lang, "Subject": r.Subject, "Process": p.Process,
		"Body": body, "Action": action, "Link": htmltemplate.URL(safeURL(p.Link)), "SentBy": sentBy,
		"Footer": footer, "FooterAction": footerAction, "Unsubscribe": htmltemplate.URL(safeURL(unsubscribe))}); err != nil {
		return Rendered{}, fmt.Errorf("notify: layout: %w", err)
	}
	r.HTML = html.String()
	if unsubscribe != "" && r.SMS != "" {
		r.SMS += " " + footerAction + ": " + unsubscribe
	}
	return r, nil
}

// safeURL lets only http(s) links into the HTML part; our links are built
// from the configured base URL, so anything else is a bug, shown as nothing.
func safeURL(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return u
	}
	return ""
}
