package web_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestBrowserMoreCommentsAndVote loads a section's next page of comments
// and votes on one of them with htmx in a real Chromium: the page does not
// reload, the focus lands on the first new comment, the live region says
// what came, and the vote changes its buttons in place.
func TestBrowserMoreCommentsAndVote(t *testing.T) {
	ctx := browsertest.New(t)
	fx := webtest.New(t, sqliteURL(t))
	sec := fx.Sections[0]
	newest := slices.SortedFunc(slices.Values(seedComments(t, fx, sec, 45, 3)), newestFirst)
	list := fmt.Sprintf("#comments-%d", sec)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(fmt.Sprintf("%s/p/budget-2026/c/%d", fx.URL, fx.Document)),
		chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("#more-%d a", sec))),
	)
	if err != nil {
		t.Fatal(err)
	}
	kind, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker = "same page"; typeof htmx`))
	if err != nil || kind != "object" {
		t.Fatalf("htmx not loaded (%q, %v)", kind, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(fmt.Sprintf("#more-%d a", sec)))); err != nil {
		t.Fatal(err)
	}
	loaded, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
		`document.querySelectorAll("%s > li.comment").length === 30 && document.activeElement.id === "comment-%d"`, list, newest[15].id),
		chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !loaded {
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(
			`document.querySelectorAll("%s > li.comment").length + " comments, focus on " + document.activeElement.id`, list)))
		t.Fatalf("next page not loaded with the focus on its first comment: %s (%v)", n, err)
	}
	said, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("live").textContent`))
	if said != "Comments 16–30 of 46 loaded." {
		t.Fatalf("live region says %q", said)
	}
	marker, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`))
	if marker != "same page" {
		t.Fatal("the page reloaded: htmx did not load the comments in place")
	}
	// The next link is there for the last page.
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll("#more-%d").length`, sec))); n != 1 {
		t.Fatalf("%d more links after the second page, want 1", n)
	}

	// Vote on a comment of the loaded page.
	target := newest[22].id
	button := fmt.Sprintf(`#votes-%d button[value="%d:agree"]`, target, target)
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(button))); err != nil {
		t.Fatal(err)
	}
	voted, err := chromedp.Run(ctx, chromedp.Poll[bool](fmt.Sprintf(
		`(function(){ var b = document.querySelector(%q); return !!b && b.getAttribute("aria-pressed") === "true" && document.activeElement === b && document.getElementById("votes-%d").textContent.includes("Your vote: Agree") })()`,
		button, target), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil || !voted {
		got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`document.getElementById("votes-%d").outerHTML`, target)))
		t.Fatalf("vote not shown in place with the focus on its button: %s (%v)", got, err)
	}
	if marker, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`window.__marker || "reloaded"`)); marker != "same page" {
		t.Fatal("the vote reloaded the page")
	}
	// What the reader sees where the new page begins (the focused comment).
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(fmt.Sprintf("#comment-%d", newest[14].id)))); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "document-more-comments-phone.png", png)
	// The section's comment heading: count, sort choice, range.
	if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.CSS(fmt.Sprintf("#section-%d h3", sec)))); err != nil {
		t.Fatal(err)
	}
	if png, err = chromedp.Run(ctx, chromedp.CaptureScreenshot()); err != nil {
		t.Fatal(err)
	}
	browsertest.Artifact(t, "document-comments-head-phone.png", png)
}
