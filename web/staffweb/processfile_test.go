package staffweb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestProcessFileAPI: an official downloads their process's file and
// applies it back (unchanged), an official of another process gets 404,
// an analyst 403, an admin creates a new process from it (201), and a
// broken file is refused 422 with every problem at its path, in Kiswahili
// when asked, writing nothing.
func TestProcessFileAPI(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		as := func(who string) *staffwebtest.Client {
			c := fx.Client(t)
			c.Bearer = fx.SignIn(t, who).Token
			return c
		}
		send := func(c *staffwebtest.Client, method, path string, body []byte, lang string) staffwebtest.Page {
			req, _ := http.NewRequest(method, fx.URL+path, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			if lang != "" {
				req.Header.Set("Accept-Language", lang)
			}
			return c.Do(req)
		}
		official := as("official")
		file := send(official, http.MethodGet, fmt.Sprintf("/api/v1/staff/processes/%d/process.json", fx.ProcessA), nil, "")
		if file.Status != http.StatusOK || !file.Has(`"version": 1`) {
			t.Fatalf("download: %d %s", file.Status, file.Body)
		}
		browser := fx.Client(t)
		browser.SetCookie("cp_staff", fx.SignIn(t, "official").Token)
		page := send(browser, http.MethodGet, fmt.Sprintf("/staff/processes/%d/process.json", fx.ProcessA), nil, "")
		if page.Status != http.StatusOK || !strings.Contains(page.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("page download: %d %q", page.Status, page.Header.Get("Content-Disposition"))
		}
		events, err := fx.Store.Outbox().Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		p := send(official, http.MethodPut, "/api/v1/staff/processes/apply", []byte(file.Body), "")
		if p.Status != http.StatusOK || !p.Has(`"result":"unchanged"`) {
			t.Errorf("official applies their own file: %d %s", p.Status, p.Body)
		}
		if n, _ := fx.Store.Outbox().Count(context.Background()); n != events {
			t.Errorf("an unchanged apply wrote %d events", n-events)
		}
		if p := send(as("official_b"), http.MethodPut, "/api/v1/staff/processes/apply", []byte(file.Body), ""); p.Status != http.StatusNotFound {
			t.Errorf("official of another process: %d, want 404", p.Status)
		}
		if p := send(as("analyst"), http.MethodPut, "/api/v1/staff/processes/apply", []byte(file.Body), ""); p.Status != http.StatusForbidden {
			t.Errorf("analyst: %d, want 403", p.Status)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(file.Body), &m); err != nil {
			t.Fatal(err)
		}
		m["process"].(map[string]any)["slug"] = "a-copy-from-a-file"
		copyFile, _ := json.Marshal(m)
		if p := send(official, http.MethodPost, "/api/v1/staff/processes/apply", copyFile, ""); p.Status != http.StatusForbidden {
			t.Errorf("official creating a new process: %d, want 403", p.Status)
		}
		if p := send(as("admin"), http.MethodPost, "/api/v1/staff/processes/apply", copyFile, ""); p.Status != http.StatusCreated || !p.Has(`"result":"created"`) {
			t.Errorf("admin creating a new process: %d %s", p.Status, p.Body)
		}

		m["colour"] = "red"
		m["version"] = 9
		broken, _ := json.Marshal(m)
		events, _ = fx.Store.Outbox().Count(context.Background())
		p = send(as("admin"), http.MethodPut, "/api/v1/staff/processes/apply", broken, "sw")
		if p.Status != http.StatusUnprocessableEntity || !p.Has(`"field":"/colour"`) || !p.Has(`sehemu \"colour\" haijulikani`) || !p.Has(`"field":"/version"`) {
			t.Errorf("broken file: %d %s", p.Status, p.Body)
		}
		if n, _ := fx.Store.Outbox().Count(context.Background()); n != events {
			t.Errorf("a refused file wrote %d events", n-events)
		}
		if p := send(fx.Client(t), http.MethodGet, "/api/v1/schemas/process-file.json", nil, ""); p.Status != http.StatusOK || !p.Has("2020-12") {
			t.Errorf("schema: %d", p.Status)
		}
	})
}
