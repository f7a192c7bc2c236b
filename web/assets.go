package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gorilla/mux"
)

//go:embed static
var staticFS embed.FS

// assets serves the embedded static files under a URL holding a hash of
// their content, so browsers may cache them forever and a new release
// changes the URL.
type assets struct {
	byName map[string]asset // "app.css" → asset
}

type asset struct {
	name, hash, ctype string
	body              []byte
	gz                []byte // body gzipped once at start, when worth it
}

func loadAssets() (*assets, error) {
	a := &assets{byName: map[string]asset{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		name := strings.TrimPrefix(p, "static/")
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		f := asset{name: name, hash: hex.EncodeToString(sum[:6]), ctype: ct, body: body}
		if compressible(ct) && len(body) >= 1024 {
			if f.gz, err = gzipBytes(body); err != nil {
				return err
			}
		}
		a.byName[name] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: unable to load static assets: %w", err)
	}
	return a, nil
}

// URL returns the cache-forever URL of a static file; a missing file
// panics at template execution so a typo fails the first test that
// renders the page.
func (a *assets) URL(name string) string {
	f, ok := a.byName[name]
	if !ok {
		panic("web: no static asset " + name)
	}
	return "/static/" + f.hash + "/" + f.name
}

// AssetURL gives mounted packages the URL of an embedded static file
// (e.g. "vendor/echarts-6.1.0.min.js").
func (s *Server) AssetURL(name string) string { return s.assets.URL(name) }

func (s *Server) registerStatic(reg Registrar) {
	reg.HandleFunc("static", http.MethodGet, "/static/{hash}/{name:.+}", Public, func(w http.ResponseWriter, r *http.Request) {
		v := mux.Vars(r)
		f, ok := s.assets.byName[v["name"]]
		if !ok || f.hash != v["hash"] {
			s.notFound(w, r)
			return
		}
		h := w.Header()
		h.Set("Content-Type", f.ctype)
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		body, etag := f.body, `"`+f.hash+`"`
		if f.gz != nil {
			h.Add("Vary", "Accept-Encoding")
			if acceptsGzip(r) {
				// Set before the compressing middleware sees a byte: it
				// leaves an encoded answer as it is.
				body, etag = f.gz, `"`+f.hash+`-gz"`
				h.Set("Content-Encoding", "gzip")
			}
		}
		h.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
	})
}
