package dashweb_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestDashboardRoutesThroughTheStaffGuard walks every route of the site
// with the dashboards mounted behind the real staff guard: anonymous
// callers go to sign-in, every role of process A sees its dashboards, and
// official_b (a role on process B only) gets 404 on A's.
func TestDashboardRoutesThroughTheStaffGuard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		// A live stream lasts 200 ms here so the walk can read it to the end.
		fx := staffwebtest.New(t, b.URL, fullStack(t, 200*time.Millisecond))
		// The officials' decision forms are among the routes walked: each
		// refuses a post without CSRF, official_b (404) and the analyst and
		// moderator (403), and lets the official and the admin through.
		decisions := map[string]bool{"dash.alert.add": false, "dash.alert.delete": false, "dash.publish": false,
			"dash.theme.rename": false, "dash.theme.merge": false, "dash.theme.split": false, "dash.counting": false}
		for _, rt := range fx.Server.Routes() {
			if _, ok := decisions[rt.Name]; ok {
				decisions[rt.Name] = rt.Method == http.MethodPost
			}
		}
		for name, posted := range decisions {
			if !posted {
				t.Errorf("route %s is not a POST in the route table", name)
			}
		}
		fx.WalkRoutes(t, map[string]string{"dashboard": "monitor", "panel": "inputs", "kind": "ideas", "format": "html"})

		// And the other way round, on every dashboard: B's official reads
		// B's monitor but none of A's dashboards.
		c := fx.Client(t)
		c.SetCookie("cp_staff", fx.SignIn(t, "official_b").Token)
		if p := c.Get(fmt.Sprintf("/staff/p/%d/dashboards/monitor/panels/inputs", fx.ProcessB)); p.Status != http.StatusOK {
			t.Errorf("official_b on B's inputs panel: %d", p.Status)
		}
		for _, path := range []string{"monitor", "survey", "document", "proposals/panels/proposal-ranking", "proposals/panels/proposal-ranking/csv"} {
			if p := c.Get(fmt.Sprintf("/staff/p/%d/dashboards/%s", fx.ProcessA, path)); p.Status != http.StatusNotFound {
				t.Errorf("official_b on A's %s: %d, want 404", path, p.Status)
			}
		}
	})
}
