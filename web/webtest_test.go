package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// each runs f against a fresh fixture on SQLite and on Postgres.
func each(t *testing.T, f func(t *testing.T, fx *webtest.Fixture), opts ...webtest.Option) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) { f(t, webtest.New(t, b.URL, opts...)) })
}

// browser is a citizen with a cookie jar who does not follow redirects, so
// tests see the 303 of post/redirect/get.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
}

func newBrowser(t *testing.T, fx *webtest.Fixture) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: fx.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

type page struct {
	Status int
	Header http.Header
	Body   string
}

func (p page) has(s string) bool { return strings.Contains(p.Body, s) }

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36")
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return page{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// get fetches a page; headers come in name, value pairs.
func (b *browser) get(path string, headers ...string) page {
	b.t.Helper()
	req, _ := http.NewRequest("GET", b.base+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// token scrapes the CSRF token from a page's form, as a browser submits it.
func (b *browser) token(path string) string {
	b.t.Helper()
	p := b.get(path)
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		b.t.Fatalf("no CSRF token in %s (status %d)", path, p.Status)
	}
	return html.UnescapeString(m[1])
}

// post sends a form; an empty token means "send none".
func (b *browser) post(path, token string, form url.Values, headers ...string) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if token != "" {
		form.Set("csrf_token", token)
	}
	req, _ := http.NewRequest("POST", b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return b.do(req)
}

type upload struct {
	name string
	data []byte
}

func (b *browser) postMultipart(path, token string, form url.Values, files []upload) page {
	b.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if token != "" {
		w.WriteField("csrf_token", token)
	}
	for k, vs := range form {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	for _, f := range files {
		fw, _ := w.CreateFormFile("images", f.name)
		fw.Write(f.data)
	}
	w.Close()
	req, _ := http.NewRequest("POST", b.base+path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

// api is a JSON client with an optional bearer token.
type api struct {
	t     *testing.T
	base  string
	token string
	lang  string
}

type apiRes struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r apiRes) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// problem decodes an RFC 9457 body and checks its media type.
func (r apiRes) problem(t *testing.T) problemDoc {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("content type %q, want application/problem+json; body %s", ct, r.Body)
	}
	var p problemDoc
	r.json(t, &p)
	return p
}

type problemDoc struct {
	Type, Title, Detail, Instance string
	Status                        int
	Errors                        []struct{ Field, Message string }
}

func (a *api) raw(method, path, contentType string, body io.Reader) apiRes {
	a.t.Helper()
	req, _ := http.NewRequest(method, a.base+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	if a.lang != "" {
		req.Header.Set("Accept-Language", a.lang)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return apiRes{Status: res.StatusCode, Header: res.Header, Body: b}
}

func (a *api) call(method, path string, in any) apiRes {
	a.t.Helper()
	var body io.Reader
	ct := ""
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			a.t.Fatal(err)
		}
		body, ct = bytes.NewReader(b), "application/json"
	}
	return a.raw(method, path, ct, body)
}

// newAPI returns a client holding a fresh anonymous participant's token.
func newAPI(t *testing.T, fx *webtest.Fixture) *api {
	a := &api{t: t, base: fx.URL}
	res := a.call("POST", "/api/v1/participants", nil)
	if res.Status != http.StatusCreated {
		t.Fatalf("create participant: %d %s", res.Status, res.Body)
	}
	var out struct{ Token string }
	res.json(t, &out)
	a.token = out.Token
	return a
}

func want(t *testing.T, got int, want int, body any) {
	t.Helper()
	if got != want {
		s := fmt.Sprint(body)
		if b, ok := body.([]byte); ok {
			s = string(b)
		}
		if len(s) > 3000 {
			s = s[:3000]
		}
		t.Fatalf("status %d, want %d; body:\n%s", got, want, s)
	}
}

func sqliteURL(t *testing.T) string { return sqldbtest.NewSQLiteURL(t) }
