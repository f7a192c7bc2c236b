package notify

import (
	"strings"
	"testing"
	"testing/fstest"
)

// Every kind has English and Kiswahili, plain text and HTML; values are
// escaped in the HTML part.
func TestEmbeddedTemplates(t *testing.T) {
	tm, err := LoadTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if gaps := tm.Missing("en", "sw"); len(gaps) != 0 {
		t.Fatalf("missing %v", gaps)
	}
	for _, k := range Kinds() {
		for _, lang := range []string{"en", "sw"} {
			r, err := tm.Render(k, lang, payload{Process: "Bajeti <2026>", Link: "https://x.example/p/1",
				Fields: map[string]string{"title": "Boreholes & wells", "status": "accepted"}}, "https://x.example/unsubscribe?token=1.a.b")
			if err != nil {
				t.Fatalf("%s/%s: %v", k, lang, err)
			}
			if r.Lang != lang || r.Subject == "" || !strings.Contains(r.Text, "https://x.example/p/1") || !strings.Contains(r.Text, "unsubscribe?token=") {
				t.Errorf("%s/%s text: %+v", k, lang, r)
			}
			if !strings.Contains(r.HTML, "Bajeti &lt;2026&gt;") || strings.Contains(r.HTML, "<2026>") || !strings.Contains(r.HTML, `href="https://x.example/unsubscribe?token=1.a.b"`) {
				t.Errorf("%s/%s html: %s", k, lang, r.HTML)
			}
		}
	}
}

// A language that lacks a kind falls back to English, and Missing says so.
func TestTemplateFallsBack(t *testing.T) {
	en, _ := templateFiles.ReadFile("templates/en.tmpl")
	layout, _ := templateFiles.ReadFile("templates/layout.html")
	fr := `{{define "footer"}}Désinscription :{{end}}{{define "footer_action"}}Se désinscrire{{end}}{{define "sent_by"}}Envoyé par civicpulse{{end}}
{{define "results.subject"}}Résultats de {{.Process}}{{end}}{{define "results.body"}}Publiés.{{end}}{{define "results.action"}}Lire{{end}}{{define "results.sms"}}Résultats : {{.Link}}{{end}}
{{define "reply.subject"}}Réponse{{end}}`
	tm, err := parseTemplates(fstest.MapFS{"en.tmpl": {Data: en}, "fr.tmpl": {Data: []byte(fr)}, "layout.html": {Data: layout}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := tm.Render(KindResults, "fr", payload{Process: "Budget"}, "")
	if err != nil || r.Lang != "fr" || r.Subject != "Résultats de Budget" {
		t.Fatalf("complete kind: %+v %v", r, err)
	}
	r, err = tm.Render(KindReply, "fr", payload{Process: "Budget", Fields: map[string]string{"title": "Idea"}}, "")
	if err != nil || r.Lang != "en" || !strings.HasPrefix(r.Subject, "New reply") {
		t.Fatalf("a kind French lacks a part of: %+v %v", r, err)
	}
	if r, _ := tm.Render(KindResults, "de", payload{Process: "Budget"}, ""); r.Lang != "en" {
		t.Fatalf("a language without templates: %+v", r)
	}
	gaps := tm.Missing("fr", "de")
	if len(gaps) != 2*len(Kinds())-1 || gaps[0].Lang != "fr" {
		t.Fatalf("gaps %v", gaps)
	}
	for _, g := range gaps {
		if g.Lang == "fr" && g.Kind == KindResults {
			t.Fatal("results is complete in French")
		}
	}
	if _, err := parseTemplates(fstest.MapFS{"fr.tmpl": {Data: []byte(fr)}, "layout.html": {Data: layout}}); err == nil {
		t.Fatal("templates without English accepted")
	}
}
