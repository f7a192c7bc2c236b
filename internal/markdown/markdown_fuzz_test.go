package markdown

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender feeds Render and Inline any text an official could type or
// paste: whatever goldmark makes of it, the sanitiser must leave nothing
// that runs script, restyles the page or loads from another host. Seeds are
// the attacks above and the guides' own pages (real Markdown of every kind
// the product writes).
func FuzzRender(f *testing.F) {
	for _, src := range attacks {
		f.Add(src)
	}
	pages, _ := filepath.Glob("../../web/guides/content/*/*/*.md")
	for _, p := range pages {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(string(b))
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		out := string(Render(src))
		if bad := unsafe(out); len(bad) > 0 {
			t.Fatalf("Render(%q) = %q: %v", src, out, bad)
		}
		if utf8.ValidString(src) && !utf8.ValidString(out) {
			t.Fatalf("Render(%q) = %q is not UTF-8", src, out)
		}
		low := strings.ToLower(out)
		if strings.Contains(low, "<script") {
			t.Fatalf("Render(%q) = %q holds a script tag", src, out)
		}
		in := string(Inline(src))
		if bad := unsafe(in); len(bad) > 0 {
			t.Fatalf("Inline(%q) = %q: %v", src, in, bad)
		}
		// Sanitised output is a fixed point: rendering it as HTML through
		// the policy again changes nothing that could run.
		if again := policy.Sanitize(out); len(unsafe(again)) > 0 {
			t.Fatalf("sanitising %q again gave %q", out, again)
		}
	})
}
