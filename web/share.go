package web

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Share tags (issue 19, the outreach kit): every public page carries Open
// Graph and Twitter-card tags, so a link shared on WhatsApp, Facebook or X
// shows the process's title, summary and picture rather than a bare
// address. A process has no photograph of its own, so its picture is a
// card drawn from its title and summary (/p/{slug}/share.png); a
// proposal with pictures shows its first. The layout writes the tags
// through html/template, which escapes them like any attribute.

// shareInfo is what a page offers to be shared with.
type shareInfo struct {
	Title, Description string
	Image, ImageAlt    string // path or absolute URL; "" for none
}

// share is shareInfo made ready for the layout: absolute addresses, the
// card kind.
type share struct {
	shareInfo
	URL  string
	Card string // summary_large_image with a picture, else summary
}

// sharer is a page's data that knows what it shares (processCtx and the
// pages that embed it; a proposal page overrides it).
type sharer interface{ shareInfo() shareInfo }

// shareDescriptionMax keeps a description to what the previews show.
const shareDescriptionMax = 200

func (pc processCtx) shareInfo() shareInfo {
	return shareInfo{Title: pc.P.Title, Description: pc.P.Summary, Image: "/p/" + pc.P.Slug + "/share.png", ImageAlt: pc.P.Title}
}

func (d proposalData) shareInfo() shareInfo {
	si := d.processCtx.shareInfo()
	si.Title, si.Description = d.Proposal.Title, d.Proposal.Description
	if len(d.Proposal.Images) > 0 {
		si.Image = "/p/" + d.P.Slug + "/proposals/" + strconv.FormatInt(d.Proposal.ID, 10) + "/images/" + strconv.Itoa(d.Proposal.Images[0].Position)
		si.ImageAlt = d.Proposal.Title
	}
	return si
}

// shareFor builds the page's tags: the data's, else the page title and
// the site's description.
func (s *Server) shareFor(r *http.Request, title string, data any) *share {
	loc := state(r).loc
	si := shareInfo{Title: title, Description: loc.T("share.description")}
	if sh, ok := data.(sharer); ok {
		si = sh.shareInfo()
	}
	if si.Title == "" {
		si.Title = loc.T("site.name")
	}
	if si.Description == "" {
		si.Description = loc.T("share.description")
	}
	si.Description = shortText(si.Description, shareDescriptionMax)
	base := s.siteURL(r)
	sh := &share{shareInfo: si, URL: base + r.URL.Path, Card: "summary"}
	if si.Image != "" {
		sh.Image, sh.Card = base+si.Image, "summary_large_image"
	}
	return sh
}

// siteURL is the site's address (Config.BaseURL), else the one the request
// came by.
func (s *Server) siteURL(r *http.Request) string {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// shortText folds white space and cuts at a word within max runes.
func shortText(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	if i := strings.LastIndexByte(string(r), ' '); i > max/2 {
		return string(r)[:i] + "…"
	}
	return string(r) + "…"
}

// --- the share card ------------------------------------------------------

// The card is 1200×630, the size the previews of Facebook, WhatsApp and X
// crop least.
const cardW, cardH = 1200, 630

var (
	cardFaces struct {
		once               sync.Once
		title, body, brand font.Face
		err                error
	}
	cardGreen = color.RGBA{0x1a, 0x4d, 0x2e, 0xff}
)

func loadCardFaces() error {
	f := &cardFaces
	f.once.Do(func() {
		bold, err := opentype.Parse(gobold.TTF)
		if err != nil {
			f.err = err
			return
		}
		regular, err := opentype.Parse(goregular.TTF)
		if err != nil {
			f.err = err
			return
		}
		face := func(ft *opentype.Font, size float64) font.Face {
			if f.err != nil {
				return nil
			}
			var fc font.Face
			fc, f.err = opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
			return fc
		}
		f.title, f.body, f.brand = face(bold, 64), face(regular, 32), face(bold, 30)
	})
	return f.err
}

// wrap splits text into lines no wider than width, at most max lines (the
// last one cut with an ellipsis).
func wrap(face font.Face, text string, width, max int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(text) {
		try := strings.TrimSpace(line + " " + w)
		if line != "" && font.MeasureString(face, try).Ceil() > width {
			lines = append(lines, line)
			line = w
			if len(lines) == max {
				break
			}
			continue
		}
		line = try
	}
	if len(lines) < max && line != "" {
		lines = append(lines, line)
	} else if len(lines) == max {
		last := lines[max-1]
		for last != "" && font.MeasureString(face, last+"…").Ceil() > width {
			_, n := utf8.DecodeLastRuneInString(last) // never half a letter
			last = last[:len(last)-n]
		}
		lines[max-1] = strings.TrimSpace(last) + "…"
	}
	return lines
}

// drawCard draws the process's title and summary under the site's name.
func drawCard(site, title, summary, call string) ([]byte, error) {
	if err := loadCardFaces(); err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, cardW, cardH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, cardW, 24), image.NewUniform(cardGreen), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, cardH-90, cardW, cardH), image.NewUniform(cardGreen), image.Point{}, draw.Src)
	text := func(face font.Face, c color.Color, x, y int, s string) {
		d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
		d.DrawString(s)
	}
	const margin = 72
	y := 110
	text(cardFaces.brand, cardGreen, margin, y, site)
	y += 40
	for _, l := range wrap(cardFaces.title, title, cardW-2*margin, 3) {
		y += 76
		text(cardFaces.title, color.Black, margin, y, l)
	}
	y += 24
	// As many summary lines as fit above the band, the last one cut with
	// an ellipsis.
	if room := min((cardH-110-y)/44, 3); room > 0 {
		for _, l := range wrap(cardFaces.body, summary, cardW-2*margin, room) {
			y += 44
			text(cardFaces.body, color.RGBA{0x33, 0x33, 0x33, 0xff}, margin, y, l)
		}
	}
	text(cardFaces.brand, color.White, margin, cardH-34, call)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (s *Server) registerShare(reg Registrar) {
	reg.HandleFunc("process.share", "GET", "/p/{slug}/share.png", Public, s.shareCard)
}

// shareCard serves the process's card in the page's language.
func (s *Server) shareCard(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := state(r).loc
	b, err := drawCard(loc.T("site.name"), pc.P.Title, pc.P.Summary, loc.T("share.call"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	// A preview service fetches the card once; an hour keeps an edited
	// title from lingering long. A draft's card, drawn for the staff
	// previewing it, is nobody else's to keep.
	if pc.Preview {
		w.Header().Set("Cache-Control", "no-store")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	w.Write(b)
}
