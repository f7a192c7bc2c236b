package staffwebtest

import (
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Client is a browser with a cookie jar that does not follow redirects, so
// tests see each 303.
type Client struct {
	t      testing.TB
	base   string
	jar    *cookiejar.Jar
	c      *http.Client
	Bearer string // sent as Authorization: Bearer on every request when set
}

// Page is one response.
type Page struct {
	Status int
	Header http.Header
	Body   string
}

// Has reports whether the body contains s.
func (p Page) Has(s string) bool { return strings.Contains(p.Body, s) }

// Location is the redirect target.
func (p Page) Location() string { return p.Header.Get("Location") }

// Client returns a new browser on the fixture's server.
func (f *Fixture) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: f.URL, jar: jar, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// SetCookie puts a cookie in the jar, as if the server had set it.
func (c *Client) SetCookie(name, value string) {
	u, _ := url.Parse(c.base + "/")
	c.jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
}

// Cookie returns the value of a cookie the jar holds for the site.
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.base + "/")
	for _, ck := range c.jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// Do sends req.
func (c *Client) Do(req *http.Request) Page {
	c.t.Helper()
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	res, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return Page{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// Get fetches path.
func (c *Client) Get(path string) Page {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.Do(req)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// Token returns the CSRF token of a page's form, as a browser submits it.
func (c *Client) Token(path string) string {
	c.t.Helper()
	p := c.Get(path)
	m := csrfRE.FindStringSubmatch(p.Body)
	if m == nil {
		c.t.Fatalf("no CSRF token in %s (status %d)", path, p.Status)
	}
	return html.UnescapeString(m[1])
}

// Post sends a form to path with the CSRF token (none when token is empty).
func (c *Client) Post(path, token string, form url.Values) Page {
	c.t.Helper()
	return c.Send(http.MethodPost, path, token, form)
}

// Send sends a form with any method.
func (c *Client) Send(method, path, token string, form url.Values) Page {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if token != "" {
		form.Set("csrf_token", token)
	}
	req, _ := http.NewRequest(method, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// SignIn signs in through the web form and reports the response.
func (c *Client) SignIn(email, password, code string) Page {
	c.t.Helper()
	tok := c.Token("/staff/sign-in")
	return c.Post("/staff/sign-in", tok, url.Values{"email": {email}, "password": {password}, "code": {code}})
}
