package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/webtest"
)

func TestSecurityHeadersAndStatic(t *testing.T) {
	fx := webtest.New(t, sqliteURL(t))
	b := newBrowser(t, fx)
	p := b.get("/p/budget-2026")
	for h, want := range map[string]string{
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"Permissions-Policy":     "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
	} {
		if got := p.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := p.Header.Get("Content-Security-Policy")
	for _, s := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, s) {
			t.Errorf("CSP %q lacks %q", csp, s)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	// Pages carry no inline script or style, so the CSP costs nothing.
	if regexp.MustCompile(`<script>|<script [^>]*>[^<]+</script>|<style|style="`).MatchString(p.Body) {
		t.Error("page has inline script or style")
	}
	if p.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
	// Assets: content-hashed URLs, cached forever; a stale hash is 404.
	m := regexp.MustCompile(`href="(/static/[0-9a-f]+/app\.css)"`).FindStringSubmatch(p.Body)
	if m == nil {
		t.Fatal("no hashed stylesheet link")
	}
	css := b.get(m[1])
	want(t, css.Status, http.StatusOK, nil)
	if !strings.Contains(css.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(css.Header.Get("Content-Type"), "text/css") {
		t.Errorf("stylesheet headers %v", css.Header)
	}
	want(t, b.get("/static/000000000000/app.css").Status, http.StatusNotFound, nil)
	if js := b.get(fx.Server.AssetURL("vendor/htmx-2.0.11.min.js")); js.Status != 200 || !strings.Contains(js.Body, "htmx") {
		t.Error("htmx not served")
	}
	// The secure flag adds HSTS and Secure cookies.
	sec := webtest.New(t, sqliteURL(t), webtest.WithConfig(func(c *web.Config) { c.Secure = true }))
	res, err := http.Get(sec.URL + "/?lang=sw")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.Header.Get("Strict-Transport-Security") != "max-age=31536000; includeSubDomains" || !strings.Contains(res.Header.Get("Set-Cookie"), "Secure") {
		t.Errorf("secure mode headers: %v", res.Header)
	}
}

func TestLanguageChoice(t *testing.T) {
	fx := webtest.New(t, sqliteURL(t))
	get := func(path string, hdr ...string) page {
		req, _ := http.NewRequest("GET", fx.URL+path, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		return newBrowser(t, fx).do(req)
	}
	if p := get("/", "Accept-Language", "sw-KE,sw;q=0.9,en;q=0.5"); !p.has(`<html lang="sw">`) || !p.has("Toa maoni yako") {
		t.Fatal("Accept-Language sw not honoured")
	}
	if p := get("/", "Accept-Language", "fr-FR"); !p.has(`<html lang="en">`) {
		t.Fatal("unknown language does not fall back to English")
	}
	if p := get("/?lang=en", "Accept-Language", "sw"); !p.has(`<html lang="en">`) {
		t.Fatal("?lang= does not win over Accept-Language")
	}
	if p := get("/", "Accept-Language", "en", "Cookie", "lang=sw"); !p.has(`<html lang="sw">`) {
		t.Fatal("cookie does not win over Accept-Language")
	}
	// Dates in the process's time zone (Nairobi, UTC+3) and language.
	p := get("/p/budget-2026?lang=sw")
	if !p.has("1 Machi 2026, 03:00 EAT") {
		t.Fatalf("phase start not shown in Nairobi time in Kiswahili:\n%s", p.Body)
	}
}

func TestVisitsAreCountedWithoutPersonalData(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		req, _ := http.NewRequest("GET", fx.URL+"/p/budget-2026?utm_source=sms&utm_medium=bulk&utm_campaign=launch&lang=en", nil)
		req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
		req.Header.Set("Referer", "https://www.google.com/search?q=county+budget+my+name")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		// Bots are not counted.
		req.Header.Set("User-Agent", "Googlebot/2.1 (+http://www.google.com/bot.html)")
		if res, err = http.DefaultClient.Do(req); err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		vs := events(t, fx, participation.EvVisit)
		if len(vs) != 1 {
			t.Fatalf("%d visit events, want 1", len(vs))
		}
		var v map[string]any
		json.Unmarshal(vs[0].Payload, &v)
		if v["referrer"] != "google.com" || v["utm_source"] != "sms" || v["utm_campaign"] != "launch" || v["device"] != "mobile" {
			t.Fatalf("visit payload %v", v)
		}
		raw, _ := json.Marshal(vs[0])
		for _, leak := range []string{"127.0.0.1", "my+name", "my name", "iPhone"} {
			if bytes.Contains(raw, []byte(leak)) {
				t.Fatalf("visit event leaks %q: %s", leak, raw)
			}
		}
		if vs[0].ProcessID != fx.Open.ID {
			t.Fatal("visit not tied to its process")
		}
	})
}

func TestRateLimitOnWrites(t *testing.T) {
	fx := webtest.New(t, sqliteURL(t), webtest.WithRateLimits(1000, 1))
	b := newBrowser(t, fx)
	path := fmt.Sprintf("/p/budget-2026/proposals/%d/comments", fx.Proposal)
	tok := b.token(fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal))
	var last page
	for i := 0; i < 10; i++ {
		last = b.post(path, tok, url.Values{"body": {fmt.Sprintf("comment number %d", i)}})
		if last.Status == http.StatusTooManyRequests {
			break
		}
		want(t, last.Status, http.StatusSeeOther, last.Body)
	}
	want(t, last.Status, http.StatusTooManyRequests, last.Body)
	if last.Header.Get("Retry-After") == "" || !last.has("You are sending too quickly") {
		t.Fatalf("429 without Retry-After or message: %v", last.Header)
	}
	// Reads are never limited; another citizen may still write.
	want(t, b.get("/").Status, http.StatusOK, nil)
	other := newBrowser(t, fx)
	tok2 := other.token(fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal))
	want(t, other.post(path, tok2, url.Values{"body": {"someone else"}}).Status, http.StatusSeeOther, nil)

	// Per address: the API is limited too.
	fx2 := webtest.New(t, sqliteURL(t), webtest.WithRateLimits(1, 1000))
	a := &api{t: t, base: fx2.URL}
	var res apiRes
	for i := 0; i < 10; i++ {
		if res = a.call("POST", "/api/v1/participants", nil); res.Status == http.StatusTooManyRequests {
			break
		}
	}
	want(t, res.Status, http.StatusTooManyRequests, res.Body)
	if p := res.problem(t); p.Status != 429 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("API 429 problem %+v", p)
	}
}

func TestRouteTableAndMount(t *testing.T) {
	var guarded []string
	fx := webtest.New(t, sqliteURL(t), webtest.WithConfig(func(c *web.Config) {
		c.StaffGuard = func(rule web.Staff, next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				guarded = append(guarded, rule.Role)
				if r.Header.Get("X-Test-Staff") != "yes" {
					http.Error(w, "staff only", http.StatusForbidden)
					return
				}
				next.ServeHTTP(w, r)
			})
		}
	}))
	s := fx.Server
	for _, r := range s.Routes() {
		if r.Access == nil || r.Name == "" || r.Method == "" || r.Path == "" {
			t.Errorf("route without rule or name: %+v", r)
		}
		if r.API && r.Access.String() == "participant" && r.Method == "GET" && !strings.Contains(r.Path, "me") && !strings.Contains(r.Path, "response") {
			t.Errorf("unexpected participant-only read %s", r.Path)
		}
	}
	// A route without a rule cannot be registered.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("registering a route without a rule did not panic")
			}
		}()
		s.Mount(func(_ *mux.Router, reg web.Registrar) {
			reg.HandleFunc("broken", "GET", "/broken", nil, func(http.ResponseWriter, *http.Request) {})
		})
	}()
	// Mounted routes get the recorder, the middleware and the staff guard.
	s.Mount(func(_ *mux.Router, reg web.Registrar) {
		reg.HandleFunc("staff.home", "GET", "/staff/", web.Staff{Role: "official"}, func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "staff home")
		})
		reg.HandleFunc("test.panic", "GET", "/test/panic", web.Public, func(http.ResponseWriter, *http.Request) {
			panic("boom")
		})
	})
	found := false
	for _, r := range s.Routes() {
		if r.Name == "staff.home" && r.Access.String() == "staff:official" {
			found = true
		}
	}
	if !found {
		t.Fatal("mounted route missing from the table")
	}
	res, _ := http.Get(fx.URL + "/staff/")
	res.Body.Close()
	want(t, res.StatusCode, http.StatusForbidden, nil)
	if res.Header.Get("X-Frame-Options") != "DENY" {
		t.Error("mounted route lacks the site middleware")
	}
	req, _ := http.NewRequest("GET", fx.URL+"/staff/", nil)
	req.Header.Set("X-Test-Staff", "yes")
	res, _ = http.DefaultClient.Do(req)
	res.Body.Close()
	want(t, res.StatusCode, http.StatusOK, nil)
	if len(guarded) != 2 || guarded[0] != "official" {
		t.Fatalf("guard calls %v", guarded)
	}
	// A panic becomes a 500 page and the server keeps serving.
	p := newBrowser(t, fx).get("/test/panic")
	want(t, p.Status, http.StatusInternalServerError, p.Body)
	if !p.has("Something went wrong on our side") {
		t.Fatal("500 page unclear")
	}
	want(t, newBrowser(t, fx).get("/").Status, http.StatusOK, nil)

	// Without a guard, staff routes do not exist.
	bare := webtest.New(t, sqliteURL(t))
	bare.Server.Mount(func(_ *mux.Router, reg web.Registrar) {
		reg.HandleFunc("staff.x", "GET", "/staff/x", web.Staff{Role: "admin"}, func(w http.ResponseWriter, r *http.Request) {})
	})
	want(t, newBrowser(t, bare).get("/staff/x").Status, http.StatusNotFound, nil)
}
