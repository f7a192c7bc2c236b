package web_test

// Tests named in docs/asvs.md for requirements no other test proved.

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestStoredAndReflectedTextIsEscaped (ASVS 1.2.1, 3.2.2): markup a citizen
// types into a comment comes back as text on the proposal page, and markup
// in a path is not reflected into the 404 page.
func TestStoredAndReflectedTextIsEscaped(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		pagePath := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		attack := `"><img src=x onerror=alert(1)> <script>alert(2)</script>`
		p := b.post(pagePath+"/comments", b.token(pagePath), url.Values{"body": {attack}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		p = b.get(pagePath)
		want(t, p.Status, http.StatusOK, nil)
		if !p.has("&lt;img src=x onerror=alert(1)&gt;") {
			t.Fatalf("the comment is not shown escaped:\n%s", p.Body)
		}
		if p.has("<img src=x") || p.has("<script>alert(2)") {
			t.Fatal("the comment's markup reached the page as markup")
		}
		nf := b.get("/p/%3Cscript%3Ealert(3)%3C%2Fscript%3E")
		want(t, nf.Status, http.StatusNotFound, nil)
		if strings.Contains(nf.Body, "<script>alert(3)") {
			t.Fatal("the path is reflected into the 404 page as markup")
		}
	})
}

// TestUnexpectedErrorsRevealNothing (ASVS 16.5.1): a panic answers a
// generic page or problem, never the panic's text or a stack trace.
func TestUnexpectedErrorsRevealNothing(t *testing.T) {
	fx := webtest.New(t, sqliteURL(t))
	const secret = "pq: password authentication failed for user civicpulse at /srv/civicpulse/store.go:42"
	fx.Server.Mount(func(_ *mux.Router, reg web.Registrar) {
		boom := func(http.ResponseWriter, *http.Request) { panic(secret) }
		reg.HandleFunc("test.panic.page", "GET", "/test/asvs-broken", web.Public, boom)
		reg.HandleFunc("test.panic.api", "GET", "/api/v1/test-asvs-broken", web.Public, boom)
	})
	for _, path := range []string{"/test/asvs-broken", "/api/v1/test-asvs-broken"} {
		p := newBrowser(t, fx).get(path)
		want(t, p.Status, http.StatusInternalServerError, p.Body)
		for _, leak := range []string{"password authentication", "store.go", "goroutine", "civicpulse at", "runtime/debug"} {
			if p.has(leak) {
				t.Errorf("%s: the 500 answer reveals %q:\n%s", path, leak, p.Body)
			}
		}
	}
}

// TestCitizenCookieAttributes (ASVS 3.3.1, 3.3.2, 3.3.4): the citizen
// session and CSRF cookies are HttpOnly and SameSite=Lax; behind HTTPS they
// are Secure and the CSRF cookie carries the __Host- prefix.
func TestCitizenCookieAttributes(t *testing.T) {
	for _, secure := range []bool{false, true} {
		// A subtest per mode: each fixture gets its own databases.
		t.Run(map[bool]string{false: "http", true: "https"}[secure], func(t *testing.T) { testCitizenCookies(t, secure) })
	}
}

func testCitizenCookies(t *testing.T, secure bool) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		pagePath := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		res, err := http.Get(fx.URL + pagePath)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		csrfName := "cp_csrf"
		if secure {
			csrfName = "__Host-cp_csrf"
		}
		csrfCookie := cookieNamed(res, csrfName)
		if csrfCookie == nil {
			t.Fatalf("secure=%v: no %s cookie: %v", secure, csrfName, res.Header["Set-Cookie"])
		}
		checkCookie(t, secure, csrfCookie)
		m := csrfRE.FindSubmatch(body)
		if m == nil {
			t.Fatal("no CSRF token on the proposal page")
		}
		// The first write creates the anonymous session. A cookie jar
		// would not send Secure cookies over the test's plain HTTP, so
		// the cookie and the HTTPS Referer go by hand.
		form := url.Values{"body": {"A first comment"}, "csrf_token": {strings.ReplaceAll(string(m[1]), "&#43;", "+")}}
		req, _ := http.NewRequest("POST", fx.URL+pagePath+"/comments", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Referer", "https://"+req.URL.Host+pagePath)
		req.AddCookie(&http.Cookie{Name: csrfCookie.Name, Value: csrfCookie.Value})
		post, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		post.Body.Close()
		want(t, post.StatusCode, http.StatusSeeOther, nil)
		session := cookieNamed(post, "cp_session")
		if session == nil {
			t.Fatalf("secure=%v: no session cookie after the first write: %v", secure, post.Header["Set-Cookie"])
		}
		checkCookie(t, secure, session)
	}, webtest.WithConfig(func(c *web.Config) { c.Secure = secure }))
}

func cookieNamed(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func checkCookie(t *testing.T, secure bool, c *http.Cookie) {
	t.Helper()
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Domain != "" || c.Secure != secure {
		t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q Domain=%q Secure=%v (want Secure=%v)",
			c.Name, c.HttpOnly, c.SameSite, c.Path, c.Domain, c.Secure, secure)
	}
}
