package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzhttp"
)

// compressed gzips pages, fragments and API answers for clients that take
// it (a citizen on a slow mobile network gets a document page in a fifth
// of the bytes). Server-sent events pass uncompressed, so that each event
// leaves when it is written; answers under 1 KB are not worth it. The CSRF
// token in each form is masked afresh on every response (gorilla/csrf), so
// compression does not let BREACH read it out.
func compressed(h http.Handler) (http.Handler, error) {
	wrap, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.ExceptContentTypes([]string{"text/event-stream"}))
	if err != nil {
		return nil, fmt.Errorf("web: unable to set up compression: %w", err)
	}
	return wrap(h), nil
}

// compressible says whether a static file is worth gzipping once at start
// (scripts, styles, maps, SVG); pictures and fonts are compressed already.
func compressible(ctype string) bool {
	for _, p := range []string{"text/", "application/javascript", "application/json", "application/geo+json", "image/svg+xml"} {
		if strings.HasPrefix(ctype, p) {
			return true
		}
	}
	return false
}

// gzipBytes compresses a static file at the best level: done once at
// start, so echarts (1.1 MB) is not compressed again on every page view.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3) for the
// precompressed static files: gzip or *, with a weight above zero.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if enc = strings.TrimSpace(enc); !strings.EqualFold(enc, "gzip") && enc != "*" {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		return q > 0
	}
	return false
}
