package dashweb_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// Kiswahili titles of the five dashboards and the results page.
var swTitles = map[string]string{
	"monitor": "Ufuatiliaji wa ushiriki", "survey": "Takwimu za utafiti", "document": "Maoni kuhusu waraka",
	"proposals": "Muhtasari wa mapendekezo", "insights": "Mada, kampeni na maoni",
}

// Under ?lang=sw every dashboard says lang="sw" and reads in Kiswahili,
// its panels' tables included.
func TestDashboardsInKiswahili(t *testing.T) {
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond, &st))
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "official").Token)
	for name, title := range swTitles {
		p := c.Get(fmt.Sprintf("/staff/p/%d/dashboards/%s?lang=sw", fx.ProcessA, name))
		if p.Status != 200 || !p.Has(`<html lang="sw">`) || !p.Has(title) || !(p.Has("Jedwali") || p.Has("Bado hakuna cha kuonyesha.")) {
			t.Errorf("%s in Kiswahili: %d, lang/title/table missing", name, p.Status)
		}
		for _, en := range []string{"Loading…", ">Table<", "Download CSV", "Apply</button>"} {
			if p.Has(en) {
				t.Errorf("%s in Kiswahili still says %q", name, en)
			}
		}
	}
}

// artefactDir is where the screenshots go: the folder named by
// $CIVICPULSE_ARTEFACTS (made if missing; CI keeps it), else the test's
// temporary folder, removed after the run.
func artefactDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("CIVICPULSE_ARTEFACTS")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// With JavaScript off, each dashboard and /results show their tables (the
// first view rendered on the server). Screenshots of the five dashboards
// and /results, in Kiswahili at phone width (375 px), are saved as
// dash-sw-375-<page>.png in artefactDir:
//
//	CIVICPULSE_ARTEFACTS=$PWD/testdata/artifacts go test -run BrowserDashboardsWithoutJavaScript ./web/dashweb
func TestBrowserDashboardsWithoutJavaScript(t *testing.T) {
	ctx := browsertest.New(t)
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond, &st))
	seedInsights(t, fx, &st)
	dir := artefactDir(t)
	publish(t, st.wh, fx.ProcessA, "inputs", "regions", "proposal-ranking", "proposal-budget-regions", "document-sections", "survey-questions", "themes")
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.EmulateViewport(375, 812),
		chromedp.Navigate(fx.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("ul.cards")),
	)
	if err != nil {
		t.Fatal(err)
	}
	pages := map[string]string{}
	for name := range swTitles {
		pages[name] = fmt.Sprintf("%s/staff/p/%d/dashboards/%s?lang=sw", fx.URL, fx.ProcessA, name)
	}
	pages["results"] = fmt.Sprintf("%s/results/%d?lang=sw", fx.URL, fx.ProcessA)
	for name, url := range pages {
		if err := chromedp.Do(ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tables, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll(".panel table tbody tr").length`))
		if err == nil {
			t.Logf("%s: %v table rows", name, tables)
		}
		body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if tables == 0 || strings.Contains(body, "Loading") {
			t.Errorf("%s without JavaScript shows no table rows:\n%s", name, body)
		}
		if js, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`typeof htmx`)); js != "" && js != "undefined" {
			t.Errorf("%s: scripts ran (%q) with JavaScript disabled", name, js)
		}
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		// No empty chart box: without scripts only the tables take room.
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`[...document.querySelectorAll(".chart")].filter(e => e.offsetHeight > 0).length`)); err != nil || n > 0 {
			t.Errorf("%s without JavaScript shows %v empty chart boxes (%v)", name, n, err)
		}
		// Nothing wider than the phone: a table too wide scrolls in its
		// panel, the page itself does not.
		if w, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.documentElement.scrollWidth`)); err != nil || w > 375 {
			t.Errorf("%s is %v px wide at 375 px (%v)", name, w, err)
		}
		file := filepath.Join(dir, "dash-sw-375-"+name+".png")
		if err := os.WriteFile(file, shot, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("saved %s", file)
	}
}
