package web_test

import (
	"context"
	"fmt"
	"github.com/civicpulse/civicpulse/internal/browsertest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/web/webtest"
)

func TestBrowserCommentWithoutReload(t *testing.T) {
	ctx := browsertest.New(t)
	fx := webtest.New(t, sqliteURL(t))
	url := fmt.Sprintf("%s/p/budget-2026/proposals/%d", fx.URL, fx.Proposal)
	const text = "Posted from the browser without a reload"
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(url),
		chromedp.WaitVisible(chromedp.CSS("#f-body")),
	)
	if err != nil {
		t.Fatal(err)
	}
	// htmx must have loaded under the CSP; mark the page to detect a reload.
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker = "same page"; typeof htmx`))
	if err != nil || kind != "object" {
		t.Fatalf("htmx not loaded (%q, %v)", kind, err)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS("#f-body"), text),
		chromedp.Click(chromedp.CSS("form.comment-form button[type=submit]")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelector("#comments .comment-list").textContent.includes(%q)`, text), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !shown {
		t.Fatalf("comment did not appear: %v", err)
	}
	marker, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`))
	if err != nil || marker != "same page" {
		t.Fatalf("the page reloaded (%q, %v): htmx did not swap the fragment", marker, err)
	}
	// The textarea is empty again and the count went up.
	body, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-body")))
	heading, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#h-comments")))
	if body != "" || !strings.Contains(heading, "(2)") {
		t.Fatalf("after the swap: textarea %q, heading %q", body, heading)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "proposal-comment-phone.png", png)

	// Screenshots of every citizen page, phone and desktop, for a human eye.
	pages := map[string]string{
		"home":     "/",
		"process":  "/p/budget-2026",
		"list":     fmt.Sprintf("/p/budget-2026/c/%d", fx.Proposals),
		"new":      fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals),
		"document": fmt.Sprintf("/p/budget-2026/c/%d", fx.Document),
		"survey":   fmt.Sprintf("/p/budget-2026/c/%d", fx.Survey),
		"register": "/p/youth-fund/register?lang=sw",
	}
	for name, path := range pages {
		for _, vp := range []struct {
			name string
			w, h int64
		}{{"phone", 390, 844}, {"desktop", 1280, 900}} {
			png, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(fx.URL+path)); err != nil {
					return nil, err
				}
				return chromedp.FullScreenshot(100)(ctx, tg)
			})
			if err != nil {
				t.Fatalf("%s %s: %v", name, vp.name, err)
			}
			browsertest.Artifact(t, name+"-"+vp.name+".png", png)
		}
	}
}
