package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// getEncoded fetches a URL saying which encodings the client takes (Go's client
// then leaves the body as sent).
func getEncoded(t *testing.T, url, accept string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	if accept != "" {
		req.Header.Set("Accept-Encoding", accept)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// Pages and the big script go gzipped to a client that takes it, and as
// they are to one that does not; the script is compressed once, not per
// request, and the same bytes come back either way.
func TestResponsesAreCompressed(t *testing.T) {
	each(t, func(t *testing.T, f *webtest.Fixture) {
		plainResp, plain := getEncoded(t, f.URL+"/", "")
		if plainResp.Header.Get("Content-Encoding") != "" {
			t.Fatalf("home page encoded %q for a client that asked for none", plainResp.Header.Get("Content-Encoding"))
		}
		resp, body := getEncoded(t, f.URL+"/", "gzip, deflate, br")
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("home page: Content-Encoding %q, Vary %q", resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
		}
		if page := gunzip(t, body); !bytes.Contains(page, []byte("</html>")) {
			t.Errorf("gzipped home page does not read back as a page")
		}
		script := regexp.MustCompile(`/static/[0-9a-f]+/vendor/htmx[^"]*\.js`).Find(plain)
		if script == nil {
			t.Fatalf("no htmx script on the home page")
		}
		raw, rawBody := getEncoded(t, f.URL+string(script), "identity")
		gz, gzBody := getEncoded(t, f.URL+string(script), "gzip")
		if raw.Header.Get("Content-Encoding") != "" || gz.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("script encodings %q and %q", raw.Header.Get("Content-Encoding"), gz.Header.Get("Content-Encoding"))
		}
		if !bytes.Equal(gunzip(t, gzBody), rawBody) {
			t.Error("the gzipped script is not the script")
		}
		if raw.Header.Get("ETag") == gz.Header.Get("ETag") {
			t.Error("both encodings share one ETag")
		}
		t.Logf("htmx %d B → %d B gzipped; home page %d B → %d B", len(rawBody), len(gzBody), len(plain), len(body))
		if _, b := getEncoded(t, f.URL+string(script), "gzip;q=0"); bytes.Equal(b, gzBody) {
			t.Error("gzip;q=0 still got gzip")
		}
	})
}
