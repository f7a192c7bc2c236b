package outreach

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"

	"github.com/boombuler/barcode/qr"
)

// quietModules is the white border the QR standard asks for around the
// code; phone cameras miss a code printed edge to edge on a dark poster.
const quietModules = 4

// QRImage draws url as a QR code, each module px pixels square, inside its
// quiet zone. Level M survives a fold or a smudge on paper and keeps a
// short link's code small enough to read from across a room.
func QRImage(url string, px int) (image.Image, error) {
	if px < 1 {
		px = 1
	}
	code, err := qr.Encode(url, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("outreach: unable to encode %q as a QR code: %w", url, err)
	}
	n := code.Bounds().Dx()
	side := (n + 2*quietModules) * px
	img := image.NewGray(image.Rect(0, 0, side, side))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	for y := range n {
		for x := range n {
			if isDark(code.At(x, y)) {
				r := image.Rect((x+quietModules)*px, (y+quietModules)*px, (x+quietModules+1)*px, (y+quietModules+1)*px)
				draw.Draw(img, r, image.Black, image.Point{}, draw.Src)
			}
		}
	}
	return img, nil
}

func isDark(c color.Color) bool {
	r, g, b, _ := c.RGBA()
	return r+g+b < 3*0x8000
}

// QRPNG is QRImage as a PNG file.
func QRPNG(url string, px int) ([]byte, error) {
	img, err := QRImage(url, px)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("outreach: unable to write the QR code: %w", err)
	}
	return buf.Bytes(), nil
}
