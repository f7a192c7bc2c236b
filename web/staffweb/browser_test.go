package staffweb_test

import (
	"context"
	"github.com/civicpulse/civicpulse/internal/browsertest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestBrowserStaffSignIn signs in through the real form (CSRF cookie and
// token, SameSite=Strict session cookie) and lands on the staff home.
func TestBrowserStaffSignIn(t *testing.T) {
	ctx := browsertest.New(t)
	fx := staffwebtest.New(t, sqliteURL(t))
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1024, 800),
		chromedp.Navigate(fx.URL+"/staff"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Waiting for the home's list also waits out the navigation.
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Second)
	defer wcancel()
	if err := chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS("ul.cards"))); err != nil {
		where, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + " " + document.body.innerText`))
		t.Fatalf("no staff home after signing in (%v): %s", err, where)
	}
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
	body, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
	if heading != "Your processes" || !strings.Contains(body, fx.Open.Title) || !strings.Contains(body, "Official") {
		t.Errorf("home: heading %q, body %q", heading, body)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "staff-home.png", shot)

	// An invitation link in a fresh browser: its page's referrer policy must
	// still let the form's own POST pass the CSRF origin check.
	token, err := fx.Staff.Invite(context.Background(), fx.People["admin"].ID, "browser@county.example", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx2 := browsertest.New(t)
	err = chromedp.Do(ctx2,
		chromedp.Navigate(fx.URL+"/staff/invite?token="+token),
		chromedp.WaitVisible(chromedp.CSS("#name")),
		chromedp.SendKeys(chromedp.CSS("#name"), "Browser Person"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a browser made password"),
		chromedp.SendKeys(chromedp.CSS("#confirm"), "a browser made password"),
		chromedp.Click(chromedp.CSS(`form[action="/staff/invite"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("p.note")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx2, chromedp.Text(chromedp.CSS("main"))); !strings.Contains(text, "Your account is ready") {
		t.Errorf("after accepting the invitation: %q", text)
	}
}

// TestBrowserChangePassword changes the password through the account page's
// form in a real browser: a wrong current password shows the message with
// empty fields, the right one lands on the page's notice.
func TestBrowserChangePassword(t *testing.T) {
	ctx := browsertest.New(t)
	fx := staffwebtest.New(t, sqliteURL(t))
	const next = "a browser changed password"
	fill := func(current string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{
			chromedp.WaitVisible(chromedp.CSS("#current")),
			chromedp.SendKeys(chromedp.CSS("#current"), current),
			chromedp.SendKeys(chromedp.CSS("#new-password"), next),
			chromedp.SendKeys(chromedp.CSS("#new-confirm"), next),
			chromedp.Click(chromedp.CSS(`form[action="/staff/account/password"] button[type=submit]`)),
		}
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Navigate(fx.URL + "/staff/account"),
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), fx.People["official"].Email),
		chromedp.SendKeys(chromedp.CSS("#password"), staffwebtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/staff/sign-in"] button[type=submit]`)),
	}
	steps = append(steps, fill("not the right password")...)
	err := chromedp.Do(ctx, append(steps, chromedp.WaitVisible(chromedp.CSS("#password-error")))...)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#password-error")))
	typed, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#current").value`))
	if !strings.Contains(msg, "The current password is not right") || typed != "" {
		t.Errorf("refused change: message %q, current field %q", msg, typed)
	}
	if err := chromedp.Do(ctx, append(fill(staffwebtest.Password), chromedp.WaitVisible(chromedp.CSS("p.note")))...); err != nil {
		t.Fatal(err)
	}
	if text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("p.note"))); !strings.Contains(text, "Your password was changed") {
		t.Errorf("after the change: %q", text)
	}
	if p := fx.Client(t).SignIn(fx.People["official"].Email, next, ""); p.Status != 303 {
		t.Errorf("the new password does not sign in: %d", p.Status)
	}
}
