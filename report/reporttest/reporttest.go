// Package reporttest reads the overview documents back in tests.
package reporttest

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

// PDFText extracts a PDF's text with poppler's pdftotext, as a reader
// of the file would get it. The Go PDF readers tried (ledongthuc/pdf)
// misread letters past Latin-1 such as the ĩ and ũ of Kikuyu names, which
// the documents must carry; pdftotext reads them right. CI installs it
// (.ci/run); without it the test fails rather than passing unread.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %.40q", pdf)
	}
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Fatalf("pdftotext is needed to read the PDF back (apt-get install poppler-utils): %v", err)
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, stderr.String())
	}
	return out.String()
}

// Squeeze drops white space, so that a title wrapped over two lines, or a
// table cell set apart, still matches.
func Squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
