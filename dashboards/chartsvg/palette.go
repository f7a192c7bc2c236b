package chartsvg

import (
	"image/color"
	"strconv"
	"strings"
)

// palette is the Okabe–Ito set, which stays apart for the common kinds of
// colour blindness, with its light members (orange, sky blue, yellow)
// darkened or swapped so that every colour has at least 3:1 contrast on
// white, as WCAG 1.4.11 asks of the parts of a graphic that carry meaning.
// TestPaletteContrast checks the ratio.
var palette = []string{
	"#0072B2", // blue
	"#D55E00", // vermillion
	"#009E73", // bluish green
	"#CC79A7", // reddish purple
	"#8C6D00", // dark yellow
	"#332288", // indigo
	"#666666", // grey
}

// comparison is the colour of a dashed line (the previous period or a
// target): it reads as background to the series it is compared with.
const comparison = "#767676"

func colour(s series, i int) color.Color {
	if s.dashed {
		return hex(comparison)
	}
	if c, ok := parseHex(s.color); ok {
		return c
	}
	return hex(palette[i%len(palette)])
}

func hex(s string) color.Color {
	c, _ := parseHex(s)
	return c
}

// parseHex reads #rgb or #rrggbb, the only forms our builders write; any
// other colour falls back to the palette.
func parseHex(s string) (color.RGBA, bool) {
	s = strings.TrimPrefix(s, "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return color.RGBA{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, true
}
