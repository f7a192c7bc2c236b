package text

import (
	"strings"
	"testing"

	"github.com/jdkato/prose/v2"
)

// fullTextGPEs is prose on the whole text, as the package ran it before
// windows: the reference the windows must keep up with.
func fullTextGPEs(m *prose.Model, s string) []string {
	doc, err := prose.NewDocument(s, prose.UsingModel(m), prose.WithSegmentation(false))
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range doc.Entities() {
		if e.Label == "GPE" && !containsNormalized(out, e.Text) {
			out = append(out, strings.TrimSpace(e.Text))
		}
	}
	return out
}

func TestNERWindowsKeepFullTextPlaces(t *testing.T) {
	a := NewAnalyzer(Options{NER: true})
	// 150 texts: full-text prose is slow under the race detector.
	texts := readColumn(t, polisComments, "comment-body")[:150]
	texts = append(texts,
		"The water project between Nairobi and Kampala is late.",
		"We in Kisumu and Homa Bay need better roads to Busia.",
		"Kenya should fund clinics in Turkana, like Uganda did.")
	var ref, found, extra int
	for _, s := range texts {
		want := fullTextGPEs(a.model, s)
		got := a.Features(s).Places
		ref += len(want)
		for _, w := range want {
			if containsNormalized(got, w) {
				found++
			} else {
				t.Logf("missed %q in %q (got %q)", w, s, got)
			}
		}
		extra += len(got) - len(want)
	}
	recall := float64(found) / float64(ref)
	t.Logf("%d texts: full-text NER places %d, kept by windows %d (%.3f)", len(texts), ref, found, recall)
	if recall < 0.9 {
		t.Errorf("windows keep %.3f of full-text NER places, want ≥ 0.9", recall)
	}
}
