package main

import (
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestServeConsoleAndOpenData runs `civicpulse serve --demo` with its whole
// wiring: an administrator signs in over HTTP and runs a query in the SQL
// console of demo process 1 while serve holds the warehouse (the console
// reads its read pool), and the demo's published results come out as open
// data with their licence.
func TestServeConsoleAndOpenData(t *testing.T) {
	dir := t.TempDir()
	const email, password = "admin@county.example", "a long admin password 42"
	createAdmin(t, dir, email, password)
	base := startServe(t, dir, "--demo", "--demo-participants", "200")

	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second}
	token := regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)
	get := func(path string) string {
		t.Helper()
		res, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d\n%s", path, res.StatusCode, b)
		}
		return string(b)
	}
	post := func(path, from string, form url.Values) (int, string) {
		t.Helper()
		m := token.FindStringSubmatch(get(from))
		if m == nil {
			t.Fatalf("no CSRF token on %s", from)
		}
		form.Set("csrf_token", html.UnescapeString(m[1]))
		res, err := c.PostForm(base+path, form)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, body := post("/staff/sign-in", "/staff/sign-in", url.Values{"email": {email}, "password": {password}}); status != http.StatusOK {
		t.Fatalf("sign-in: %d\n%s", status, body)
	}
	if !strings.Contains(get("/staff/processes/1"), `href="/staff/p/1/console"`) {
		t.Error("the process page does not link the console")
	}
	status, body := post("/staff/p/1/console", "/staff/p/1/console", url.Values{"q": {"SELECT kind, count(*) AS n FROM submissions GROUP BY kind ORDER BY kind"}})
	if status != http.StatusOK || !strings.Contains(body, "<th scope=\"col\">n</th>") || !strings.Contains(body, "<td>proposal</td>") {
		t.Errorf("console on the demo: %d\n%s", status, body)
	}
	status, body = post("/staff/p/1/console", "/staff/p/1/console", url.Values{"q": {"SELECT * FROM read_csv('/etc/passwd')"}})
	if status != http.StatusBadRequest || strings.Contains(body, "root:") {
		t.Errorf("read_csv on serve: %d", status)
	}

	// The demo's processes that are published answer with open data.
	var doc struct {
		Licence struct{ ID string } `json:"licence"`
		Tables  []json.RawMessage   `json:"tables"`
	}
	res, err := http.Get(base + "/api/v1/processes/1/open-data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("open data: %d %s", res.StatusCode, b)
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if doc.Licence.ID == "" {
		t.Error("open data without a licence")
	}
	t.Logf("demo process 1: %d open-data tables, licence %s", len(doc.Tables), doc.Licence.ID)
}
