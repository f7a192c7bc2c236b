package workspace_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// TestCitizenPagesLanguage: a citizen page shows the texts in the chosen
// language and, where one is not translated, the first language's text
// with a visible note; in the first language there is no note.
func TestCitizenPagesLanguage(t *testing.T) {
	fx := newFixture(t, sqliteURLFor(t))
	p := fx.process(t, fx.ProcessA)
	p.Languages = []string{"en", "sw"}
	must(t, fx.Store.UpdateProcess(fx.ctx, p))
	must(t, fx.Store.SetTranslations(fx.ctx, p.ID, []participation.Translation{
		{Entity: participation.EntityProcess, EntityID: p.ID, Field: "title", Lang: "sw", Text: "Bajeti ya kaunti 2026/27"},
		{Entity: participation.EntityComponent, EntityID: fx.Survey, Field: "title", Lang: "sw", Text: "Utafiti wa vipaumbele"},
	}))
	const note = "Sehemu za ukurasa huu bado hazijatafsiriwa na zinaonyeshwa kwa English."
	c := fx.Client(t)
	sw := c.Get("/p/" + p.Slug + "?lang=sw")
	if sw.Status != http.StatusOK || !sw.Has("Bajeti ya kaunti 2026/27") || !sw.Has(note) {
		t.Fatalf("process page in Kiswahili: %d, translated title %v, note %v", sw.Status, sw.Has("Bajeti ya kaunti 2026/27"), sw.Has(note))
	}
	if !sw.Has(p.Summary[:20]) {
		t.Error("the untranslated summary is not shown in English")
	}
	en := c.Get("/p/" + p.Slug + "?lang=en")
	if en.Has("Bajeti ya kaunti") || en.Has("not translated yet and are shown in") {
		t.Error("the English page shows Kiswahili or the fallback note")
	}
	// A survey page in Kiswahili: its title translated, its questions not.
	sv := c.Get(fmt.Sprintf("/p/%s/c/%d?lang=sw", p.Slug, fx.Survey))
	if sv.Status != http.StatusOK || !sv.Has("Utafiti wa vipaumbele") || !strings.Contains(sv.Body, note) {
		t.Fatalf("survey page in Kiswahili: %d", sv.Status)
	}
	// A process written in English only says so to a Kiswahili reader.
	reg := fx.Client(t).Get("/p/" + fx.Registered.Slug + "?lang=sw")
	if reg.Status != http.StatusOK || !reg.Has(note) {
		t.Fatalf("English-only process in Kiswahili: %d, note %v", reg.Status, reg.Has(note))
	}
}
