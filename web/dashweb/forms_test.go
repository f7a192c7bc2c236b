package dashweb_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// An official sets an alert threshold and publishes a panel through the
// forms on the dashboard pages (CSRF token from the page, as a browser
// sends it); an analyst sees the page but may not change either.
func TestOfficialFormsSetAlertsAndPublish(t *testing.T) {
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 0))
	monitor := fmt.Sprintf("/staff/p/%d/dashboards/monitor", fx.Open.ID)

	official := fx.Client(t)
	if p := official.SignIn(fx.People["official"].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", p.Status)
	}
	page := official.Get(monitor)
	if page.Status != 200 || !page.Has(`action="/staff/p/`) || !page.Has(`name="threshold"`) || !page.Has(`name="panel"`) {
		t.Fatalf("monitor page has no officials' forms (status %d)", page.Status)
	}
	tok := official.Token(monitor)
	res := official.Post(fmt.Sprintf("/staff/p/%d/alerts", fx.Open.ID), tok, url.Values{
		"kind": {"inputs_below"}, "threshold": {"1000"}, "window_hours": {"24"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("add alert: %d %s", res.Status, res.Body)
	}
	alerts := official.Get(fmt.Sprintf("/staff/p/%d/dashboards/monitor/panels/alerts", fx.Open.ID))
	if !alerts.Has("1 rules watched") && !alerts.Has("1 rule watched") {
		t.Errorf("the alert rule is not watched: %s", alerts.Body)
	}
	res = official.Post(fmt.Sprintf("/staff/p/%d/publish", fx.Open.ID), tok, url.Values{"panel": {"inputs"}, "publish": {"1"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("publish: %d %s", res.Status, res.Body)
	}
	if pub := fx.Client(t).Get(fmt.Sprintf("/results/%d", fx.Open.ID)); pub.Status != 200 || !pub.Has("panel-inputs") {
		t.Errorf("published panel missing from the public page (status %d)", pub.Status)
	}
	if res := official.Post(fmt.Sprintf("/staff/p/%d/alerts", fx.Open.ID), tok, url.Values{"kind": {"inputs_below"}, "threshold": {"many"}}); res.Status != http.StatusUnprocessableEntity {
		t.Errorf("a threshold that is not a number: %d", res.Status)
	}

	analyst := fx.Client(t)
	analyst.SignIn(fx.People["analyst"].Email, staffwebtest.Password, "")
	atok := analyst.Token(monitor)
	if res := analyst.Post(fmt.Sprintf("/staff/p/%d/alerts", fx.Open.ID), atok, url.Values{
		"kind": {"inputs_below"}, "threshold": {"5"}, "window_hours": {"24"}}); res.Status != http.StatusForbidden {
		t.Errorf("an analyst added an alert: %d", res.Status)
	}
}
