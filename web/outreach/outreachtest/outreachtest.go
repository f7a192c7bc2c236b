// Package outreachtest reads back what package outreach draws, for tests:
// the text of each page of a PDF and the content of a QR code.
package outreachtest

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os/exec"
	"strings"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// PageTexts extracts the plain text of each page with poppler's
// pdftotext (as report/reporttest does: the Go readers tried misread
// letters past Latin-1), with runs of white space folded to one space.
// CI and make test install it.
func PageTexts(file []byte) ([]string, error) {
	if !bytes.HasPrefix(file, []byte("%PDF-")) {
		return nil, fmt.Errorf("outreachtest: not a PDF: %.20q", file)
	}
	path, err := exec.LookPath("pdftotext")
	if err != nil {
		return nil, fmt.Errorf("outreachtest: pdftotext is needed to read the PDF back (apt-get install poppler-utils): %w", err)
	}
	cmd := exec.Command(path, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(file)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("outreachtest: pdftotext: %v: %s", err, stderr.String())
	}
	// pdftotext ends each page with a form feed.
	pages := strings.Split(out.String(), "\f")
	if len(pages) > 1 && strings.TrimSpace(pages[len(pages)-1]) == "" {
		pages = pages[:len(pages)-1]
	}
	for i, pg := range pages {
		pages[i] = strings.Join(strings.Fields(pg), " ")
	}
	return pages, nil
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
