package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
	"time"
)

func photo(t *testing.T, w, h int) image.Image {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	return img
}

func jpegBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngBytes(t *testing.T, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withExif inserts an APP1 EXIF segment (orientation, a GPS-like marker
// string) right after the JPEG's start-of-image marker, the way cameras do.
func withExif(t *testing.T, j []byte, orientation uint16) []byte {
	t.Helper()
	var tiff bytes.Buffer
	tiff.WriteString("MM")
	binary.Write(&tiff, binary.BigEndian, uint16(42))
	binary.Write(&tiff, binary.BigEndian, uint32(8))
	binary.Write(&tiff, binary.BigEndian, uint16(1)) // one entry
	binary.Write(&tiff, binary.BigEndian, uint16(0x0112))
	binary.Write(&tiff, binary.BigEndian, uint16(3)) // SHORT
	binary.Write(&tiff, binary.BigEndian, uint32(1))
	binary.Write(&tiff, binary.BigEndian, orientation)
	binary.Write(&tiff, binary.BigEndian, uint16(0))
	binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	tiff.WriteString("GPS 51.5N 0.1W secret-camera-serial")
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

func TestProcessStripsExifAndAppliesOrientation(t *testing.T) {
	in := withExif(t, jpegBytes(t, photo(t, 400, 200)), 6)
	if !bytes.Contains(in, []byte("Exif")) || jpegOrientation(in) != 6 {
		t.Fatal("fixture has no EXIF orientation 6")
	}
	// The standard decoder must accept the fixture, or the test proves nothing.
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("fixture is not a valid JPEG: %v", err)
	}
	out, err := Process(in, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range [][]byte{out.Data, out.Thumb} {
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte("secret-camera-serial")) {
			t.Fatal("output still carries EXIF metadata")
		}
		if bytes.Contains(b, []byte{0xFF, 0xE1}) && jpegOrientation(b) != 1 {
			t.Fatal("output has an APP1 segment")
		}
	}
	if out.ContentType != "image/jpeg" {
		t.Fatalf("content type %q", out.ContentType)
	}
	// Orientation 6 turns a 400×200 landscape into a 200×400 portrait.
	if out.Width != 200 || out.Height != 400 {
		t.Fatalf("size %dx%d, want 200x400", out.Width, out.Height)
	}
	th, err := jpeg.DecodeConfig(bytes.NewReader(out.Thumb))
	if err != nil {
		t.Fatal(err)
	}
	if th.Width != 200 { // narrower than the thumbnail width: kept as is
		t.Fatalf("thumb width %d", th.Width)
	}
}

func TestProcessFormats(t *testing.T) {
	webpLossy, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	webpLossless, err := os.ReadFile("testdata/blue-purple-pink.lossless.webp")
	if err != nil {
		t.Fatal(err)
	}
	transparent := image.NewNRGBA(image.Rect(0, 0, 1000, 500))
	transparent.Set(3, 3, color.NRGBA{255, 0, 0, 128})
	cases := []struct {
		name      string
		data      []byte
		wantType  string
		wantThumb int
	}{
		{"jpeg", jpegBytes(t, photo(t, 640, 480)), "image/jpeg", 320},
		{"png with alpha", pngBytes(t, transparent), "image/png", 320},
		{"webp lossy", webpLossy, "image/jpeg", 0},
		{"webp lossless", webpLossless, "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := Process(c.data, DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if c.wantType != "" && out.ContentType != c.wantType {
				t.Fatalf("content type %q, want %q", out.ContentType, c.wantType)
			}
			if Sniff(out.Data) == WebP || Sniff(out.Data) == "" {
				t.Fatalf("output format %q", Sniff(out.Data))
			}
			cfg, _, err := image.DecodeConfig(bytes.NewReader(out.Thumb))
			if err != nil {
				t.Fatal(err)
			}
			if c.wantThumb != 0 && cfg.Width != c.wantThumb {
				t.Fatalf("thumb width %d, want %d", cfg.Width, c.wantThumb)
			}
			if cfg.Width > DefaultLimits.ThumbWidth {
				t.Fatalf("thumb width %d above limit", cfg.Width)
			}
		})
	}
}

func TestProcessRefuses(t *testing.T) {
	good := jpegBytes(t, photo(t, 64, 64))
	// A PNG header announcing 100000×100000 pixels, with nothing behind it:
	// the pixel check must fire before any decoding allocates memory.
	var bomb bytes.Buffer
	bomb.Write([]byte("\x89PNG\r\n\x1a\n"))
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], 100000)
	binary.BigEndian.PutUint32(ihdr[4:], 100000)
	ihdr[8], ihdr[9] = 8, 2
	binary.Write(&bomb, binary.BigEndian, uint32(13))
	bomb.WriteString("IHDR")
	bomb.Write(ihdr)
	binary.Write(&bomb, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
	cases := []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty", nil, DefaultLimits, ErrEmpty},
		{"text file", []byte("hello, this is not a picture at all"), DefaultLimits, ErrNotImage},
		{"html", []byte("<html><script>alert(1)</script></html>"), DefaultLimits, ErrNotImage},
		{"too large", good, Limits{MaxBytes: 100, MaxPixels: 1 << 20}, ErrTooLarge},
		{"truncated jpeg", good[:len(good)/2], DefaultLimits, ErrCorrupted},
		{"decompression bomb", bomb.Bytes(), DefaultLimits, ErrTooBig},
		{"pixel limit", good, Limits{MaxBytes: 1 << 20, MaxPixels: 100}, ErrTooBig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Process(c.data, c.lim)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestOrientationTransforms(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 3, 2))
	red := color.RGBA{255, 0, 0, 255}
	src.Set(0, 0, red) // top-left marker
	want := map[int]image.Point{1: {0, 0}, 2: {2, 0}, 3: {2, 1}, 4: {0, 1}, 5: {0, 0}, 6: {1, 0}, 7: {1, 2}, 8: {0, 2}}
	for o, p := range want {
		got := applyOrientation(src, o)
		if got.(*image.RGBA).RGBAAt(p.X, p.Y) != red {
			t.Errorf("orientation %d: marker not at %v", o, p)
		}
	}
}

func BenchmarkProcessPhoto(b *testing.B) {
	t := &testing.T{}
	data := jpegBytes(t, photo(t, 3000, 2000))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Process(data, DefaultLimits); err != nil {
			b.Fatal(err)
		}
	}
}

// pngHeader is a PNG holding only its IHDR: enough for DecodeConfig, so the
// limits are judged without building the picture the header announces.
func pngHeader(w, h uint32, depth, colourType byte) []byte {
	var b bytes.Buffer
	b.Write([]byte("\x89PNG\r\n\x1a\n"))
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = depth, colourType
	binary.Write(&b, binary.BigEndian, uint32(13))
	b.WriteString("IHDR")
	b.Write(ihdr)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(append([]byte("IHDR"), ihdr...)))
	return b.Bytes()
}

// The finding: a 6300×6300 16-bit RGBA PNG is ~300 KB to send and ~320 MB
// decoded. Both the pixel ceiling and the decoded size must refuse it, and
// the decoded size must refuse a 16-bit picture that an 8-bit one of the same
// size would pass.
func TestProcessBoundsDecodedSize(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"6300x6300 16-bit RGBA", pngHeader(6300, 6300, 16, 6), ErrTooBig},
		{"3000x3000 16-bit RGBA (72 MB decoded)", pngHeader(3000, 3000, 16, 6), ErrTooBig},
		{"3000x3000 8-bit RGBA (36 MB decoded) passes the limits", pngHeader(3000, 3000, 8, 6), ErrCorrupted},
		{"4096x4096 8-bit grey passes the limits", pngHeader(4096, 4096, 8, 0), ErrCorrupted},
		{"4097x4096 over the pixel ceiling", pngHeader(4097, 4096, 8, 0), ErrTooBig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := Process(c.data, DefaultLimits); !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestGateBoundsConcurrentDecodes(t *testing.T) {
	good := jpegBytes(t, photo(t, 32, 32))
	g := NewGate(1, 20*time.Millisecond)
	g.slots <- struct{}{} // a decode in flight holds the only slot
	if _, err := g.Process(context.Background(), good, DefaultLimits); !errors.Is(err, ErrBusy) {
		t.Fatalf("with the slot taken: err = %v, want ErrBusy", err)
	}
	<-g.slots
	if _, err := g.Process(context.Background(), good, DefaultLimits); err != nil {
		t.Fatalf("with the slot free: %v", err)
	}
	if len(g.slots) != 0 {
		t.Fatal("the slot was not given back")
	}
}
