package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"codeberg.org/go-pdf/fpdf"

	"github.com/civicpulse/civicpulse/report/fonts"
)

// Page geometry, in millimetres (A4 portrait).
const (
	margin    = 18.0
	pageW     = 210.0
	pageH     = 297.0
	textW     = pageW - 2*margin
	lineH     = 5.2
	bottomGap = 18.0
)

var (
	ink   = [3]int{0x22, 0x22, 0x22}
	muted = [3]int{0x66, 0x66, 0x66}
	rule  = [3]int{0xcc, 0xcc, 0xcc}
)

// writePDF sets the document with fpdf in DejaVu Sans (its built-in
// fonts stop at Latin-1) and writes it to w.
func writePDF(w io.Writer, d *Doc) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	if err := fonts.Register(pdf); err != nil {
		return err
	}
	pdf.SetMargins(margin, margin, margin)
	pdf.SetAutoPageBreak(true, bottomGap)
	pdf.SetTitle(d.Title+" — "+d.Process, true)
	pdf.SetCreator("civicpulse", true)
	pdf.SetCreationDate(time.Now().UTC())
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(fonts.Family, "", 8)
		setColour(pdf.SetTextColor, muted)
		pdf.CellFormat(0, 5, d.Process+" · "+d.Title+" · "+strconv.Itoa(pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	p := &pdfWriter{pdf: pdf, d: d}
	p.cover()
	pdf.AddPage()
	for i, b := range d.Blocks {
		if err := p.block(i, b); err != nil {
			return err
		}
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("report: unable to set the PDF: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("report: unable to write the PDF: %w", err)
	}
	return nil
}

type pdfWriter struct {
	pdf *fpdf.Fpdf
	d   *Doc
}

func setColour(set func(r, g, b int), c [3]int) { set(c[0], c[1], c[2]) }

func (p *pdfWriter) font(style string, size float64, c [3]int) {
	p.pdf.SetFont(fonts.Family, style, size)
	setColour(p.pdf.SetTextColor, c)
}

// cover: the document, the process, its summary and objective, and the
// key figures.
func (p *pdfWriter) cover() {
	pdf, d := p.pdf, p.d
	pdf.AddPage()
	pdf.SetY(60)
	p.font("", 12, muted)
	pdf.MultiCell(textW, 7, d.T("report.cover.kicker"), "", "L", false)
	p.font("B", 24, ink)
	pdf.MultiCell(textW, 11, d.Title, "", "L", false)
	p.font("", 16, ink)
	pdf.MultiCell(textW, 8, d.Process, "", "L", false)
	pdf.Ln(6)
	for _, t := range []struct{ label, text string }{{d.T("report.cover.summary"), d.Summary}, {d.T("report.cover.objective"), d.Objective}} {
		if t.text == "" {
			continue
		}
		p.font("B", 11, ink)
		pdf.MultiCell(textW, lineH+1, t.label, "", "L", false)
		p.font("", 11, ink)
		pdf.MultiCell(textW, lineH+1, t.text, "", "L", false)
		pdf.Ln(3)
	}
	pdf.Ln(4)
	p.font("B", 11, ink)
	pdf.MultiCell(textW, lineH+1, d.T("report.cover.figures"), "", "L", false)
	rows := make([][]string, len(d.Figures))
	for i, f := range d.Figures {
		rows[i] = []string{f.Label, f.Value}
	}
	p.table(&Table{Rows: rows, Right: []bool{false, true}})
	pdf.Ln(6)
	p.font("", 9, muted)
	pdf.MultiCell(textW, lineH, d.T("report.cover.generated", time.Now().UTC().Format("2006-01-02 15:04 UTC")), "", "L", false)
	pdf.MultiCell(textW, lineH, d.T("report.cover.hidden_rule"), "", "L", false)
}

func (p *pdfWriter) block(i int, b Block) error {
	pdf := p.pdf
	switch b.Kind {
	case Heading:
		// A part starts on a fresh page when less than a few lines are left.
		if pdf.GetY() > pageH-bottomGap-40 {
			pdf.AddPage()
		} else {
			pdf.Ln(4)
		}
		p.font("B", 16, ink)
		pdf.MultiCell(textW, 8, b.Text, "", "L", false)
		setColour(pdf.SetDrawColor, rule)
		pdf.Line(margin, pdf.GetY()+1, pageW-margin, pdf.GetY()+1)
		pdf.Ln(3)
	case Subheading:
		if pdf.GetY() > pageH-bottomGap-25 {
			pdf.AddPage()
		} else {
			pdf.Ln(2)
		}
		p.font("B", 12, ink)
		pdf.MultiCell(textW, 6, b.Text, "", "L", false)
		pdf.Ln(1)
	case Paragraph:
		p.font("", 10, ink)
		pdf.MultiCell(textW, lineH, b.Text, "", "L", false)
		pdf.Ln(1)
	case Quote:
		p.font("", 10, ink)
		pdf.SetX(margin + 6)
		setColour(pdf.SetDrawColor, rule)
		y := pdf.GetY()
		pdf.MultiCell(textW-6, lineH, "“"+b.Text+"”", "", "L", false)
		if pdf.GetY() > y {
			pdf.SetLineWidth(0.8)
			pdf.Line(margin+3, y, margin+3, pdf.GetY())
			pdf.SetLineWidth(0.2)
		}
		pdf.Ln(1)
	case Note:
		p.font("", 9, muted)
		pdf.MultiCell(textW, lineH, b.Text, "", "L", false)
		pdf.Ln(1)
	case TableBlock:
		p.table(b.Table)
		pdf.Ln(2)
	case ChartBlock:
		png, err := b.Chart.drawPNG()
		if err != nil {
			return err
		}
		name := "chart" + strconv.Itoa(i)
		opt := fpdf.ImageOptions{ImageType: "PNG", ReadDpi: false}
		pdf.RegisterImageOptionsReader(name, opt, bytes.NewReader(png))
		h := textW * b.Chart.height() / chartWidth
		if pdf.GetY()+h > pageH-bottomGap {
			pdf.AddPage()
		}
		pdf.ImageOptions(name, margin, pdf.GetY(), textW, h, true, opt, 0, "")
		pdf.Ln(2)
	}
	return nil
}

// table sets a table row by row, wrapping each cell in its column and
// starting a new page (with the header again) where a row would not fit.
func (p *pdfWriter) table(t *Table) {
	pdf := p.pdf
	cols := len(t.Header)
	if cols == 0 && len(t.Rows) > 0 {
		cols = len(t.Rows[0])
	}
	if cols == 0 {
		return
	}
	widths := make([]float64, cols)
	switch cols {
	case 1:
		widths[0] = textW
	case 2:
		widths[0], widths[1] = textW*0.45, textW*0.55
	default:
		// A label column first takes the room; a row of counts shares it.
		first := textW * 0.4
		if len(t.Right) > 0 && t.Right[0] {
			first = textW / float64(cols)
		}
		widths[0] = first
		for i := 1; i < cols; i++ {
			widths[i] = (textW - first) / float64(cols-1)
		}
	}
	row := func(cells []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		p.font(style, 9, ink)
		lines := make([][]string, cols)
		n := 1
		for i := range cols {
			text := ""
			if i < len(cells) {
				text = cells[i]
			}
			lines[i] = pdf.SplitText(text, widths[i]-2)
			n = max(n, len(lines[i]))
		}
		h := float64(n)*lineH + 1
		if pdf.GetY()+h > pageH-bottomGap {
			pdf.AddPage()
		}
		x, y := margin, pdf.GetY()
		for i := range cols {
			align := "L"
			if i < len(t.Right) && t.Right[i] {
				align = "R"
			}
			for j, l := range lines[i] {
				pdf.SetXY(x+1, y+0.5+float64(j)*lineH)
				pdf.CellFormat(widths[i]-2, lineH, l, "", 0, align, false, 0, "")
			}
			x += widths[i]
		}
		setColour(pdf.SetDrawColor, rule)
		pdf.Line(margin, y+h, margin+textW, y+h)
		pdf.SetXY(margin, y+h)
	}
	if len(t.Header) > 0 {
		row(t.Header, true)
	}
	for _, r := range t.Rows {
		row(r, false)
	}
}
