package dashweb_test

import (
	"context"
	"fmt"
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
		if p.Status != 200 || !p.Has(`<html lang="sw">`) || !p.Has(title) || !p.Has("Jedwali") {
			t.Errorf("%s in Kiswahili: %d, lang/title/table missing", name, p.Status)
		}
		for _, en := range []string{"Loading…", ">Table<", "Download CSV", "Apply</button>"} {
			if p.Has(en) {
				t.Errorf("%s in Kiswahili still says %q", name, en)
			}
		}
	}
}

// With JavaScript off, each dashboard and /results show their tables (the
// first view rendered on the server); the screenshots, in Kiswahili at
// phone width, are saved as artefacts.
func TestBrowserDashboardsWithoutJavaScript(t *testing.T) {
	ctx := browsertest.New(t)
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond, &st))
	for _, pn := range []string{"inputs", "regions", "proposal-ranking", "document-sections", "survey-questions"} {
		if err := st.dash.Publish(ctx, fx.ProcessA, pn); err != nil {
			t.Fatal(err)
		}
	}
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.EmulateViewport(390, 844),
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
		if name == "insights" {
			// The fixture's store has had no insights run: its panels say
			// so in their summaries, which must be there without scripts.
			tables, _ = chromedp.Run(ctx, chromedp.Evaluate[float64](`document.querySelectorAll(".panel p.summary, .panel p.warn").length`))
		}
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
		browsertest.Artifact(t, "dash-sw-phone-"+name+".png", shot)
	}
}
