package fonts

import (
	"bytes"
	"testing"

	"codeberg.org/go-pdf/fpdf"
)

// A page set in both faces with text outside Latin-1 is written without
// error and embeds the font.
func TestRegisterSetsTextOutsideLatin1(t *testing.T) {
	pdf := fpdf.New("P", "mm", "A4", "")
	if err := Register(pdf); err != nil {
		t.Fatal(err)
	}
	pdf.AddPage()
	pdf.SetFont(Family, "B", 16)
	pdf.Cell(0, 10, "Bajeti ya Kaunti — Ŵŷ ĉ Ğ ł")
	pdf.SetFont(Family, "", 11)
	pdf.Ln(12)
	pdf.MultiCell(0, 6, "Maoni ya wananchi: “ni muhimu” – €5", "", "", false)
	var out bytes.Buffer
	if err := pdf.Output(&out); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out.Bytes(), []byte("%PDF-")) || !bytes.Contains(out.Bytes(), []byte("/FontFile2")) {
		t.Fatalf("not a PDF embedding a TrueType font (%d bytes)", out.Len())
	}
}
