// Package media checks and cleans pictures citizens upload.
//
// A file is judged by its content, never by its name or declared type: the
// magic bytes pick a decoder, the pixel count is checked from the header
// before anything large is allocated (decompression bombs), the whole image
// is decoded (a truncated or forged file fails here), and the pixels are
// re-encoded, which drops EXIF, GPS positions and every other piece of
// metadata the camera wrote.
package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"time"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits bounds what Process accepts.
type Limits struct {
	MaxBytes  int64 // per file
	MaxPixels int   // width × height
	// MaxDecodedBytes bounds width × height × bytes per pixel of the decoded
	// image: a small file of a 16-bit RGBA picture decodes to 8 bytes a pixel,
	// so the pixel count alone lets a 300 KB upload take hundreds of MB.
	MaxDecodedBytes int64
	ThumbWidth      int
}

// DefaultLimits suit proposal pictures: 5 MB files, 16 megapixels (a phone's
// 12 MP photo fits; 4096 × 4096 is the largest square), at most 64 MB once
// decoded, 320 px thumbnails.
var DefaultLimits = Limits{MaxBytes: 5 << 20, MaxPixels: 16_777_216, MaxDecodedBytes: 64 << 20, ThumbWidth: 320}

// Reasons an upload is refused. The web layer maps them to messages.
var (
	ErrEmpty     = errors.New("media: empty file")
	ErrTooLarge  = errors.New("media: file too large")
	ErrNotImage  = errors.New("media: not a JPEG, PNG or WebP image")
	ErrTooBig    = errors.New("media: too many pixels")
	ErrCorrupted = errors.New("media: image data is damaged")
	ErrBusy      = errors.New("media: too many pictures are being checked; try again shortly")
)

// Format is a picture format recognised by its magic bytes.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	WebP Format = "webp"
)

// Sniff names the format of data from its first bytes, or "" if it is none
// of the accepted ones.
func Sniff(data []byte) Format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return JPEG
	case len(data) >= 8 && bytes.Equal(data[:8], []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case len(data) >= 12 && bytes.Equal(data[:4], []byte("RIFF")) && bytes.Equal(data[8:12], []byte("WEBP")):
		return WebP
	}
	return ""
}

// Image is a cleaned picture and its thumbnail.
type Image struct {
	ContentType string // of Data and Thumb
	Width       int
	Height      int
	Data        []byte
	Thumb       []byte
}

// Process checks data and returns it re-encoded with a thumbnail.
func Process(data []byte, lim Limits) (Image, error) {
	if len(data) == 0 {
		return Image{}, ErrEmpty
	}
	if lim.MaxBytes > 0 && int64(len(data)) > lim.MaxBytes {
		return Image{}, ErrTooLarge
	}
	format := Sniff(data)
	var decodeConfig func([]byte) (image.Config, error)
	var decode func([]byte) (image.Image, error)
	switch format {
	case JPEG:
		decodeConfig = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case PNG:
		decodeConfig = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case WebP:
		decodeConfig = func(b []byte) (image.Config, error) { return webp.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return webp.Decode(bytes.NewReader(b)) }
	default:
		return Image{}, ErrNotImage
	}
	cfg, err := decodeConfig(data)
	if err != nil {
		return Image{}, fmt.Errorf("%w: %v", ErrCorrupted, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Image{}, ErrCorrupted
	}
	if lim.MaxPixels > 0 && cfg.Width*cfg.Height > lim.MaxPixels {
		return Image{}, ErrTooBig
	}
	if lim.MaxDecodedBytes > 0 && int64(cfg.Width)*int64(cfg.Height)*bytesPerPixel(cfg.ColorModel) > lim.MaxDecodedBytes {
		return Image{}, ErrTooBig
	}
	img, err := decode(data)
	if err != nil {
		return Image{}, fmt.Errorf("%w: %v", ErrCorrupted, err)
	}
	if format == JPEG {
		img = applyOrientation(img, jpegOrientation(data))
	}
	b := img.Bounds()
	out := Image{Width: b.Dx(), Height: b.Dy()}
	// Photos stay JPEG; anything that may be transparent stays PNG. WebP has
	// no encoder in x/image, so it becomes whichever of the two fits.
	asPNG := format == PNG || !opaque(img)
	if asPNG {
		out.ContentType = "image/png"
	} else {
		out.ContentType = "image/jpeg"
	}
	if out.Data, err = encode(img, asPNG); err != nil {
		return Image{}, err
	}
	if out.Thumb, err = encode(thumbnail(img, lim.ThumbWidth), asPNG); err != nil {
		return Image{}, err
	}
	return out, nil
}

// bytesPerPixel is what the standard decoders allocate per pixel for a
// colour model (YCbCr is counted at 4:4:4, its largest).
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	case color.YCbCrModel, color.NYCbCrAModel:
		return 4
	case color.Gray16Model:
		return 2
	case color.GrayModel, color.AlphaModel:
		return 1
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

// Gate bounds how many pictures are decoded at once, so that parallel
// uploads cannot add their decoded sizes up past what the server holds.
type Gate struct {
	slots chan struct{}
	wait  time.Duration
}

// NewGate lets n decodes run at once; a further one waits up to wait for a
// slot and then fails with ErrBusy.
func NewGate(n int, wait time.Duration) *Gate {
	return &Gate{slots: make(chan struct{}, max(1, n)), wait: wait}
}

// Acquire takes a decode slot, waiting up to the gate's wait; release gives
// it back.
func (g *Gate) Acquire(ctx context.Context) (release func(), err error) {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return func() { <-g.slots }, nil
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, ErrBusy
}

// Size is how many decodes may run at once.
func (g *Gate) Size() int { return cap(g.slots) }

// Process is Process under the gate.
func (g *Gate) Process(ctx context.Context, data []byte, lim Limits) (Image, error) {
	release, err := g.Acquire(ctx)
	if err != nil {
		return Image{}, err
	}
	defer release()
	return Process(data, lim)
}

func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

func encode(img image.Image, asPNG bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return nil, fmt.Errorf("media: unable to encode image: %w", err)
	}
	return buf.Bytes(), nil
}

// thumbnail scales img to width w keeping its aspect ratio; smaller images
// are kept as they are.
func thumbnail(img image.Image, w int) image.Image {
	b := img.Bounds()
	if w <= 0 || b.Dx() <= w {
		return img
	}
	h := max(1, b.Dy()*w/b.Dx())
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}
