package outreach

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"codeberg.org/go-pdf/fpdf"

	"github.com/civicpulse/civicpulse/report/fonts"
)

// Size is a printed format: the A4 poster for a notice board, the A5 flyer
// to hand out (two to an A4 sheet on any office printer).
type Size string

const (
	A4 Size = "A4"
	A5 Size = "A5"
)

// width of each size in mm; the layout is drawn for A4 and scaled.
var widths = map[Size]float64{A4: 210, A5: 148}

// Sheet is one language's page: every text already in that language.
type Sheet struct {
	Lang       string // BCP 47, for the reader's benefit in the file's metadata
	Call       string // "Have your say"
	Title      string
	Objective  string
	DatesLabel string
	Dates      string
	HowToLabel string
	Steps      []string
	ScanLabel  string // beside the code: "Scan the code or open"
}

// Poster writes a PDF with one page per sheet, each with the QR code of
// url and url itself in letters, for those without a camera.
func Poster(w io.Writer, size Size, url string, sheets []Sheet) error {
	pageW, ok := widths[size]
	if !ok {
		return fmt.Errorf("outreach: unknown size %q", size)
	}
	if len(sheets) == 0 {
		return fmt.Errorf("outreach: a poster needs at least one language")
	}
	qrPNG, err := QRPNG(url, 12)
	if err != nil {
		return err
	}
	pdf := fpdf.New("P", "mm", string(size), "")
	if err := fonts.Register(pdf); err != nil {
		return err
	}
	k := pageW / widths[A4] // scale of the A4 layout
	margin := 16 * k
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(false, margin)
	pdf.SetTitle(sheets[0].Title, true)
	pdf.SetCreator("civicpulse", true)
	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qrPNG))
	text := pageW - 2*margin
	for _, s := range sheets {
		pdf.AddPage()
		pdf.SetTextColor(0x1a, 0x4d, 0x2e)
		pdf.SetFont(fonts.Family, "B", 16*k)
		pdf.MultiCell(text, 8*k, strings.ToUpper(s.Call), "", "L", false)
		pdf.Ln(3 * k)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetFont(fonts.Family, "B", 28*k)
		pdf.MultiCell(text, 12*k, s.Title, "", "L", false)
		pdf.Ln(3 * k)
		if s.Objective != "" {
			pdf.SetFont(fonts.Family, "", 14*k)
			pdf.MultiCell(text, 7*k, s.Objective, "", "L", false)
			pdf.Ln(3 * k)
		}
		pdf.SetFont(fonts.Family, "B", 14*k)
		pdf.MultiCell(text, 7*k, s.DatesLabel+": "+s.Dates, "", "L", false)
		pdf.Ln(4 * k)
		if len(s.Steps) > 0 {
			pdf.SetFont(fonts.Family, "B", 13*k)
			pdf.MultiCell(text, 7*k, s.HowToLabel, "", "L", false)
			pdf.SetFont(fonts.Family, "", 12*k)
			for i, step := range s.Steps {
				pdf.MultiCell(text, 6*k, fmt.Sprintf("%d. %s", i+1, step), "", "L", false)
			}
		}
		// The code sits at the foot of the page, as large as the room left
		// allows, so it can be scanned from a step back.
		pageH := map[Size]float64{A4: 297, A5: 210}[size]
		top := pdf.GetY() + 6*k
		side := min(90*k, pageH-margin-22*k-top)
		if side < 35*k { // long texts: the code keeps a scannable size
			side = 35 * k
		}
		pdf.ImageOptions("qr", (pageW-side)/2, pageH-margin-18*k-side, side, side, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, url)
		pdf.SetXY(margin, pageH-margin-16*k)
		pdf.SetFont(fonts.Family, "", 11*k)
		pdf.MultiCell(text, 6*k, s.ScanLabel, "", "C", false)
		pdf.SetFont(fonts.Family, "B", 15*k)
		pdf.MultiCell(text, 8*k, url, "", "C", false)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("outreach: unable to write the %s PDF: %w", size, err)
	}
	return nil
}
