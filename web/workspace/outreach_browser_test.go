package workspace_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/device"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestBrowserCampaignLinkCountsACitizen: an official makes a campaign link
// in the kit; a citizen opens it on a phone, goes on to the ideas and
// submits one; once the warehouse has the visits, the kit's count of those
// who took part through the link has risen from 0 to 1. Screenshots of the
// three moments are kept.
func TestBrowserCampaignLinkCountsACitizen(t *testing.T) {
	ctx := browsertest.New(t)
	k := newKitAt(t, sqldbtest.NewSQLiteURL(t), "")
	k.catchUp(t) // the fixture's events: the warehouse knows the process
	kitURL := fmt.Sprintf("%s/staff/processes/%d/outreach", k.URL, k.ProcessA)
	do := func(ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(ctx context.Context, js string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return strings.TrimSpace(s)
	}
	shot := func(ctx context.Context, name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		browsertest.Artifact(t, name, png)
	}
	const engaged = `document.querySelector('#campaign-links [data-col="engaged"]').textContent`
	const signIn = `form[action="/staff/sign-in"]`
	do(ctx, "sign in", chromedp.EmulateViewport(1280, 900), chromedp.Navigate(k.URL+"/staff/sign-in"),
		chromedp.WaitVisible(chromedp.CSS(signIn)),
		chromedp.SendKeys(chromedp.CSS(signIn+` input[name="email"]`), k.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS(signIn+` input[name="password"]`), staffwebtest.Password))
	// A click that loads a page: wait for that page.
	submit := func(ctx context.Context, what, button string) {
		t.Helper()
		if res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(button))); err != nil || res.Status != 200 {
			t.Fatalf("%s: %v %v", what, err, res)
		}
	}
	submit(ctx, "sign in", signIn+` button[type=submit]`)
	do(ctx, "open the kit", chromedp.Navigate(kitURL), chromedp.WaitVisible(chromedp.CSS(`#f-channel`)),
		chromedp.SendKeys(chromedp.CSS(`#f-channel`), "Radio Citizen"), chromedp.SendKeys(chromedp.CSS(`#f-campaign`), "Bajeti week"))
	submit(ctx, "make the link", `form[action$="/outreach/links"] button[type=submit]`)
	link := eval(ctx, `document.querySelector("#campaign-links tbody tr td:nth-child(3) a").href`)
	if got := eval(ctx, engaged); got != "0" || !strings.HasPrefix(link, k.URL+"/c/") {
		t.Fatalf("the new link: took part %q, link %q", got, link)
	}
	shot(ctx, "outreach-kit-link-made.png")

	// The citizen, on a phone: a tab of its own with an iPhone's agent
	// and screen (a headless browser's own agent counts as a bot).
	phone, cancel := chromedp.NewContext(ctx)
	defer cancel()
	do(phone, "open the link on a phone", chromedp.Emulate(device.IPhone13), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`main`)))
	if path := eval(phone, `location.pathname + location.search`); !strings.HasPrefix(path, "/p/"+k.Open.Slug+"?") || !strings.Contains(path, "utm_campaign=bajeti-week-radio-citizen") {
		t.Fatalf("the link led to %q", path)
	}
	do(phone, "the idea form",
		chromedp.Navigate(fmt.Sprintf("%s/p/%s/c/%d/new", k.URL, k.Open.Slug, k.Proposals)), chromedp.WaitVisible(chromedp.CSS(`#f-title`)),
		chromedp.SendKeys(chromedp.CSS(`#f-title`), "A borehole for the market"),
		chromedp.SendKeys(chromedp.CSS(`#f-description`), "Traders walk two kilometres for water every morning."))
	submit(phone, "submit an idea on the phone", `form:has(#f-title) button[type=submit]`)
	if _, err := chromedp.Run(phone, chromedp.Poll[bool](`location.pathname.includes("/proposals/")`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the idea was not saved: %v (at %s)", err, eval(phone, `location.href`))
	}
	shot(phone, "outreach-citizen-phone.png")

	k.catchUp(t)
	do(ctx, "the kit again", chromedp.Navigate(kitURL), chromedp.WaitVisible(chromedp.CSS(`#campaign-links`)))
	visitors := eval(ctx, `document.querySelector('#campaign-links [data-col="visitors"]').textContent`)
	if got := eval(ctx, engaged); got != "1" || visitors != "1" {
		t.Fatalf("after the citizen's idea: visitors %q, took part %q; want 1 and 1", visitors, got)
	}
	shot(ctx, "outreach-kit-counted.png")
}
