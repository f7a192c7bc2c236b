package cluster

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/analysis/metrics"
)

func TestSyntheticTopics(t *testing.T) {
	texts, topics := Synthetic(4000, 7)
	m, assign, err := Fit(texts, Options{MaxK: 50})
	if err != nil {
		t.Fatal(err)
	}
	ari := metrics.AdjustedRand(topics, assign)
	t.Logf("k=%d (40 planted) silhouette %.3f ARI %.3f", len(m.Themes), m.Silhouette, ari)
	if ari < 0.8 {
		t.Errorf("ARI = %.3f, want ≥ 0.8", ari)
	}
	total := 0
	for _, th := range m.Themes {
		total += th.Size
		if len(th.Label) == 0 || len(th.Representatives) == 0 {
			t.Errorf("theme %d: label %v representatives %v", th.ID, th.Label, th.Representatives)
		}
		for _, i := range th.Representatives {
			if assign[i] != th.ID {
				t.Errorf("theme %d: representative %d belongs to theme %d", th.ID, i, assign[i])
			}
		}
		// A label word must come from the theme's topic words, not the
		// common ones.
		if !strings.HasPrefix(th.Label[0], "top") {
			t.Errorf("theme %d labelled by common word %q", th.ID, th.Label[0])
		}
	}
	if total != len(texts) {
		t.Errorf("themes hold %d texts, want %d", total, len(texts))
	}
	// New texts go to the theme of the texts they resemble.
	same := 0
	for i := range 200 {
		if m.Assign(texts[i]) == assign[i] {
			same++
		}
	}
	if same < 195 {
		t.Errorf("Assign agrees with Fit on %d/200 texts", same)
	}
	if m.Assign("") != -1 || m.Assign("the and of") != -1 {
		t.Error("a text without vocabulary words got a theme")
	}
}

func TestRealComments(t *testing.T) {
	// Readable labels: surface words, not stems.
	rows := readCSV(t, "../../testdata/polis/scoop-hivemind.biodiversity/comments.csv")
	var texts []string
	for _, r := range rows {
		texts = append(texts, r["comment-body"])
	}
	m, _, err := Fit(texts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, th := range m.Themes[:min(5, len(m.Themes))] {
		t.Logf("theme %d (%d): %v — %q", th.ID, th.Size, th.Label, texts[th.Representatives[0]])
	}
	a, _, _ := Fit(texts, Options{})
	if !reflect.DeepEqual(a.Themes, m.Themes) {
		t.Error("two fits of the same texts differ")
	}
}

func TestTooFewTexts(t *testing.T) {
	if _, _, err := Fit([]string{"the", "and"}, Options{}); !errors.Is(err, ErrTooFewTexts) {
		t.Errorf("err = %v", err)
	}
	if _, _, err := Fit(nil, Options{}); !errors.Is(err, ErrTooFewTexts) {
		t.Errorf("err = %v", err)
	}
}

func BenchmarkFit100k(b *testing.B) {
	texts, _ := Synthetic(100_000, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Fit(texts, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestRepresentativesSkipCopies(t *testing.T) {
	docs := [][]string{
		{"road", "repair", "now", "please"},
		{"road", "repair", "now", "please"},
		{"road", "repair", "now", "pleas"},
		{"fix", "pothole", "market", "road"},
		{"bridge", "flood", "road", "broken"},
	}
	got := distinctNearest(docs, []int32{0, 1, 2, 3, 4}, 3)
	if want := []int{0, 3, 4}; !slices.Equal(got, want) {
		t.Errorf("representatives = %v, want %v (copies of the first left out)", got, want)
	}
	// With too few distinct texts, the nearest copies fill the places.
	if got := distinctNearest(docs[:3], []int32{0, 1, 2}, 2); !slices.Equal(got, []int{0, 1}) {
		t.Errorf("representatives of copies = %v, want [0 1]", got)
	}
}
