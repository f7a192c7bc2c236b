package dashweb_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// The cross-tab's two questions are a choice on the panel: a GET form to
// the dashboard page (a link without JavaScript) that htmx sends to the
// panel, carrying the view's other filters.
func TestCrosstabPickerOnThePanel(t *testing.T) {
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond))
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
	page := fmt.Sprintf("/staff/p/%d/dashboards/survey", fx.ProcessA)
	single, likert := fx.Questions["single"], fx.Questions["likert"]
	p := c.Get(fmt.Sprintf("%s/panels/survey-crosstab?region=&question=%d&question2=%d", page, single, likert))
	if p.Status != http.StatusOK {
		t.Fatalf("cross-tab: %d %s", p.Status, p.Body)
	}
	for _, want := range []string{
		fmt.Sprintf(`<form class="picker" method="get" action="%s" hx-get="%s/panels/survey-crosstab"`, page, page),
		`<select name="question">`, `<select name="question2">`,
		fmt.Sprintf(`<option value="%d" selected>Which sector matters most to you?</option>`, single),
		fmt.Sprintf(`<option value="%d" selected>The county spends money well.</option>`, likert),
		`<option value="">Region</option>`,
	} {
		if !p.Has(want) {
			t.Errorf("the cross-tab panel has no %s\n%s", want, p.Body)
		}
	}
}

// The themes panel carries a scope picker.
func TestThemesScopePickerOnThePanel(t *testing.T) {
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond))
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
	p := c.Get(fmt.Sprintf("/staff/p/%d/dashboards/insights/panels/themes", fx.ProcessA))
	if p.Status != http.StatusOK || !p.Has(`<select name="scope">`) || !p.Has(`<option value="" selected>Every text of the process</option>`) {
		t.Errorf("themes panel: %d\n%s", p.Status, p.Body)
	}
}

// A process without a tool has no link to that tool's dashboard, and the
// dashboard's page says why with a 404.
func TestNoDashboardForAMissingTool(t *testing.T) {
	srv, _, _ := site(t) // process 1 has proposals only
	code, page := get(t, srv.URL+"/staff/p/1/dashboards/monitor")
	if code != 200 {
		t.Fatalf("monitor: %d", code)
	}
	for _, dead := range []string{"/dashboards/survey", "/dashboards/document"} {
		if strings.Contains(page, dead) {
			t.Errorf("the monitor links to %s, a tool process 1 lacks", dead)
		}
	}
	if !strings.Contains(page, "/dashboards/proposals") {
		t.Errorf("no link to the proposals dashboard")
	}
	code, page = get(t, srv.URL+"/staff/p/1/dashboards/survey")
	if code != http.StatusNotFound || !strings.Contains(page, "This process has no survey") || !strings.Contains(page, `href="/staff/p/1/dashboards/monitor"`) {
		t.Errorf("survey dashboard of a process without one: %d\n%s", code, page)
	}
}

// A moderator reads the panels but gets no download: the links are not
// offered and the routes answer 403 (a panel file is a bulk copy of the
// inputs); an analyst gets both.
func TestDownloadsOnlyForThoseWhoMayExport(t *testing.T) {
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond))
	panel := fmt.Sprintf("/staff/p/%d/dashboards/proposals/panels/proposal-ranking", fx.ProcessA)
	for who, may := range map[string]bool{"moderator": false, "analyst": true, "official": true} {
		c := fx.Client(t)
		c.SetCookie("cp_staff", fx.SignIn(t, who).Token)
		p := c.Get(panel)
		if p.Status != http.StatusOK {
			t.Fatalf("%s reads the panel: %d", who, p.Status)
		}
		if offered := p.Has(panel + "/csv"); offered != may {
			t.Errorf("%s is offered the CSV download: %v, want %v", who, offered, may)
		}
		for _, kind := range []string{"csv", "xlsx"} {
			got := c.Get(panel + "/" + kind).Status
			if may && got != http.StatusOK || !may && got != http.StatusForbidden {
				t.Errorf("%s downloads the %s: %d", who, kind, got)
			}
		}
	}
}
