package report

import (
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed templates/report.html
var templateFS embed.FS

var page = template.Must(template.ParseFS(templateFS, "templates/report.html"))

// htmlBlock is a block as the template sets it: Right padded to the
// table's width, a chart as its PNG in a data: URL (the page stands alone
// when saved or printed, without the server).
type htmlBlock struct {
	Kind   BlockKind
	Text   string
	Header []string
	Rows   [][]string
	Right  []bool
	Image  template.URL
	Alt    string
	Width  int
}

// writeHTML sets the printable HTML: the same document as the PDF, one
// self-contained page whose print style sheet puts the cover on its own
// page and keeps tables and charts whole.
func writeHTML(w io.Writer, d *Doc) error {
	blocks := make([]htmlBlock, 0, len(d.Blocks))
	for _, b := range d.Blocks {
		hb := htmlBlock{Kind: b.Kind, Text: b.Text}
		switch b.Kind {
		case TableBlock:
			hb.Header, hb.Rows = b.Table.Header, b.Table.Rows
			cols := len(b.Table.Header)
			for _, r := range b.Table.Rows {
				cols = max(cols, len(r))
			}
			hb.Right = make([]bool, cols)
			copy(hb.Right, b.Table.Right)
		case ChartBlock:
			png, err := b.Chart.drawPNG()
			if err != nil {
				return err
			}
			// Safe as a URL: base64 of bytes we drew, under a fixed scheme.
			hb.Image = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
			hb.Alt = strings.Join(b.Chart.Labels, ", ")
			hb.Width = chartWidth
		}
		blocks = append(blocks, hb)
	}
	err := page.Execute(w, struct {
		Doc       *Doc
		Blocks    []htmlBlock
		Generated string
	}{d, blocks, d.T("report.cover.generated", time.Now().UTC().Format("2006-01-02 15:04 UTC"))})
	if err != nil {
		return fmt.Errorf("report: unable to write the HTML: %w", err)
	}
	return nil
}
