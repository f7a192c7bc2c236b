package main

import (
	"fmt"
	"net/http"
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
		{fx.ProcessB, []string{"monitor", "proposals", "insights"}, []string{"survey", "document"}},
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
		for _, name := range c2.hasNot {
			if p.Has(fmt.Sprintf("/dashboards/%s", name)) {
				t.Errorf("process %d links the %s dashboard it has no tool for", c2.process, name)
			}
		}
	}
}
