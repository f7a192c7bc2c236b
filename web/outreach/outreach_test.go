package outreach_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/web/outreach"
	"github.com/civicpulse/civicpulse/web/outreach/outreachtest"
)

// The QR code decodes to the link it was drawn for, at every module size.
func TestQRCodeDecodesToTheLink(t *testing.T) {
	for _, url := range []string{"https://kaunti.example/c/abc23456", "http://127.0.0.1:8080/c/zz9988xx"} {
		for _, px := range []int{2, 6} {
			png, err := outreach.QRPNG(url, px)
			if err != nil {
				t.Fatal(err)
			}
			got, err := outreachtest.DecodeQR(png)
			if err != nil || got != url {
				t.Fatalf("%s at %d px: decoded %q, %v", url, px, got, err)
			}
		}
	}
}

// A poster holds one page per language with its title, dates and the link
// in letters; the flyer the same on A5.
func TestPosterPagesPerLanguage(t *testing.T) {
	sheets := []outreach.Sheet{
		{Lang: "en", Call: "Have your say", Title: "County budget 2026/27", Objective: "Prioritise the development budget",
			DatesLabel: "Open", Dates: "1 March 2026 to 30 April 2026", HowToLabel: "How to take part", Steps: []string{"Scan the code", "Comment"}, ScanLabel: "Scan or open"},
		{Lang: "sw", Call: "Toa maoni yako", Title: "Bajeti ya kaunti 2026/27", Objective: "Kupanga bajeti ya maendeleo",
			DatesLabel: "Wazi", Dates: "1 Machi 2026 hadi 30 Aprili 2026", HowToLabel: "Jinsi ya kushiriki", ScanLabel: "Changanua au fungua"},
	}
	for _, size := range []outreach.Size{outreach.A4, outreach.A5} {
		var buf bytes.Buffer
		if err := outreach.Poster(&buf, size, "https://kaunti.example/c/abc23456", sheets); err != nil {
			t.Fatal(err)
		}
		pages, err := outreachtest.PageTexts(buf.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) != 2 {
			t.Fatalf("%s: %d pages, want one per language", size, len(pages))
		}
		for i, s := range sheets {
			for _, want := range []string{s.Title, s.Dates, "https://kaunti.example/c/abc23456"} {
				if !strings.Contains(pages[i], want) {
					t.Errorf("%s page %d (%s) lacks %q:\n%s", size, i+1, s.Lang, want, pages[i])
				}
			}
		}
	}
	if err := outreach.Poster(&bytes.Buffer{}, "A3", "x", sheets); err == nil {
		t.Error("an unknown size was drawn")
	}
}
