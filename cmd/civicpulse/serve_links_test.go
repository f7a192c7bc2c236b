package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// The process page links the dashboards as serve registers them: a process
// without a survey or a document (the fixture's registered-mode process B
// has proposals only) gets no survey or document dashboard link.
func TestDashboardLinksFollowTheProcessTools(t *testing.T) {
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), func(f *staffwebtest.Fixture) func(*mux.Router, web.Registrar) {
		for _, l := range dashboardLinks() {
			f.Area.AddProcessLink(l)
		}
		return func(*mux.Router, web.Registrar) {}
	})
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "admin").Token)
	for _, c2 := range []struct {
		process int64
		has     []string
		hasNot  []string
	}{
		{fx.ProcessA, []string{"monitor", "survey", "document", "proposals", "insights"}, nil},
		{fx.ProcessB, []string{"monitor", "proposals", "insights"}, []string{"survey", "document", "report/comments", "report/survey"}},
	} {
		p := c.Get(fmt.Sprintf("/staff/processes/%d", c2.process))
		if p.Status != http.StatusOK {
			t.Fatalf("process %d page: %d", c2.process, p.Status)
		}
		for _, name := range c2.has {
			if !p.Has(fmt.Sprintf(`href="/staff/p/%d/dashboards/%s"`, c2.process, name)) {
				t.Errorf("process %d lacks the %s dashboard link", c2.process, name)
			}
		}
		if !p.Has(fmt.Sprintf(`href="/staff/p/%d/export.zip"`, c2.process)) || !p.Has("Complete export (zip)") {
			t.Errorf("process %d lacks the complete export link", c2.process)
		}
		if !p.Has(fmt.Sprintf(`href="/staff/p/%d/export.parquet.zip"`, c2.process)) || !p.Has("Complete export (Parquet, zip)") {
			t.Errorf("process %d lacks the Parquet snapshot link", c2.process)
		}
		if !p.Has(fmt.Sprintf(`href="/staff/p/%d/console"`, c2.process)) || !p.Has("SQL console") {
			t.Errorf("process %d lacks the SQL console link", c2.process)
		}
		if !p.Has(fmt.Sprintf(`href="/staff/p/%d/report/ideas.pdf"`, c2.process)) || !p.Has("All ideas (PDF)") ||
			!p.Has(fmt.Sprintf(`href="/staff/p/%d/report/ideas.html"`, c2.process)) {
			t.Errorf("process %d lacks the overview document links", c2.process)
		}
		if c2.process == fx.ProcessA && !p.Has(fmt.Sprintf(`href="/staff/p/%d/report/survey.pdf"`, c2.process)) {
			t.Errorf("process %d lacks the survey results link", c2.process)
		}
		for _, name := range c2.hasNot {
			if p.Has(fmt.Sprintf("/dashboards/%s", name)) || (strings.HasPrefix(name, "report/") && p.Has(name)) {
				t.Errorf("process %d links the %s dashboard it has no tool for", c2.process, name)
			}
		}
	}
}

// TestSiteURL: links start with --base-url, or the one host the server
// listens on; on every interface, without --base-url, serve refuses to
// start rather than take the address from a request's Host header.
func TestSiteURL(t *testing.T) {
	for _, c := range []struct {
		base, addr string
		secure     bool
		want       string // "" for an error
	}{
		{"", "127.0.0.1:8080", false, "http://127.0.0.1:8080"},
		{"", "engage.county.example:443", true, "https://engage.county.example:443"},
		{"https://engage.county.example/", "0.0.0.0:8080", true, "https://engage.county.example"},
		{"", "0.0.0.0:8080", false, ""},
		{"", ":8080", false, ""},
		{"", "[::]:8080", false, ""},
		{"engage.county.example", "127.0.0.1:8080", false, ""},
		{"javascript:alert(1)", "127.0.0.1:8080", false, ""},
	} {
		got, err := siteURL(c.base, c.addr, c.secure)
		if c.want == "" && err == nil || c.want != "" && (err != nil || got != c.want) {
			t.Errorf("siteURL(%q, %q) = %q, %v; want %q", c.base, c.addr, got, err, c.want)
		}
	}
}
