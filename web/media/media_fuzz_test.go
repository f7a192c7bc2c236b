package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"testing"
)

// fuzzLimits are small so that the fuzzer spends its time on damaged
// headers and data rather than on encoding large pictures.
var fuzzLimits = Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 16, MaxDecodedBytes: 1 << 20, ThumbWidth: 32}

// FuzzProcess: any upload is either refused for one of the reasons the web
// layer names to the citizen, or comes back as a picture within the limits
// that decodes again to the same size, in the type it says.
func FuzzProcess(f *testing.F) {
	for _, name := range []string{"testdata/blue-purple-pink.lossy.webp", "testdata/blue-purple-pink.lossless.webp"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	img := image.NewNRGBA(image.Rect(0, 0, 24, 16))
	for y := 0; y < 16; y++ {
		for x := 0; x < 24; x++ {
			img.Set(x, y, color.NRGBA{uint8(x * 10), uint8(y * 15), 90, uint8(255 - x)})
		}
	}
	var p, j bytes.Buffer
	png.Encode(&p, img)
	jpeg.Encode(&j, img, nil)
	f.Add(p.Bytes())
	f.Add(j.Bytes())
	f.Add(pngHeader(6300, 6300, 16, 6)) // the bomb's header
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := Process(data, fuzzLimits)
		if err != nil {
			for _, known := range []error{ErrEmpty, ErrTooLarge, ErrNotImage, ErrTooBig, ErrCorrupted} {
				if errors.Is(err, known) {
					return
				}
			}
			t.Fatalf("refused for no known reason: %v", err)
		}
		if out.Width*out.Height > fuzzLimits.MaxPixels {
			t.Fatalf("accepted %d×%d, above the limit", out.Width, out.Height)
		}
		want := map[string]Format{"image/png": PNG, "image/jpeg": JPEG}[out.ContentType]
		if want == "" || Sniff(out.Data) != want || Sniff(out.Thumb) != want {
			t.Fatalf("says %s, data is %q, thumb %q", out.ContentType, Sniff(out.Data), Sniff(out.Thumb))
		}
		again, err := Process(out.Data, Limits{ThumbWidth: 32})
		if err != nil {
			t.Fatalf("the cleaned picture is refused: %v", err)
		}
		if again.Width != out.Width || again.Height != out.Height {
			t.Fatalf("cleaned %d×%d, read back %d×%d", out.Width, out.Height, again.Width, again.Height)
		}
	})
}
