// Package outreachtest reads back what package outreach draws, for tests:
// the text of each page of a PDF and the content of a QR code.
package outreachtest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"strings"

	"github.com/ledongthuc/pdf"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// PageTexts extracts the plain text of each page, with runs of white
// space folded to one space. The extractor maps Latin-1 letters back
// faithfully and nothing beyond (an en dash comes back as a control
// character), so tests look for texts within Latin-1.
func PageTexts(file []byte) ([]string, error) {
	r, err := pdf.NewReader(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		return nil, fmt.Errorf("outreachtest: not a PDF: %w", err)
	}
	var out []string
	for i := 1; i <= r.NumPage(); i++ {
		s, err := r.Page(i).GetPlainText(nil)
		if err != nil {
			return nil, fmt.Errorf("outreachtest: page %d: %w", i, err)
		}
		out = append(out, strings.Join(strings.Fields(s), " "))
	}
	return out, nil
}

// DecodeQR reads the QR code in a PNG file.
func DecodeQR(file []byte) (string, error) {
	img, err := png.Decode(bytes.NewReader(file))
	if err != nil {
		return "", fmt.Errorf("outreachtest: not a PNG: %w", err)
	}
	return DecodeQRImage(img)
}

// DecodeQRImage reads the QR code in an image.
func DecodeQRImage(img image.Image) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		return "", fmt.Errorf("outreachtest: no QR code found: %w", err)
	}
	return res.GetText(), nil
}
