// Package fonts holds the TrueType faces civicpulse's PDFs are set in.
// fpdf's built-in fonts cover Latin-1 only; DejaVu Sans covers Kiswahili,
// the other Latin scripts and the names people type (Debian's
// fonts-dejavu-core 2.37, under the licence in LICENSE beside it).
package fonts

import (
	_ "embed"
	"fmt"

	"codeberg.org/go-pdf/fpdf"
)

// Family is the family name Register gives the faces; "" and "B" are
// its styles.
const Family = "DejaVuSans"

var (
	//go:embed DejaVuSans.ttf
	regular []byte
	//go:embed DejaVuSans-Bold.ttf
	bold []byte
)

// Register adds the regular and bold faces to pdf under Family.
func Register(pdf *fpdf.Fpdf) error {
	pdf.AddUTF8FontFromBytes(Family, "", regular)
	pdf.AddUTF8FontFromBytes(Family, "B", bold)
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("fonts: unable to register %s: %w", Family, err)
	}
	return nil
}
