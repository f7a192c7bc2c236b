package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/civicpulse/civicpulse/internal/browsertest"
	"github.com/civicpulse/civicpulse/internal/racecheck"
)

// TestBrowserKeyboardOnlyInEachTool takes part in each tool of the demo's
// budget process with the keyboard alone — Tab, Space, the arrows, typing
// and Enter, never a click or a script that sets a value — at phone width:
// a proposal, a comment on a document section, and a whole survey. Each
// control must be reachable in a bounded number of Tab presses (the section
// comment form once took 222), and after each post the focus must rest on
// something a screen reader announces, not fall back to the page.
func TestBrowserKeyboardOnlyInEachTool(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo and walks it in a browser")
	}
	if racecheck.Enabled {
		// Pages, not goroutines, are under test: make test's second pass
		// runs it without the race detector, several times faster.
		t.Skip("runs in make test's pass without the race detector")
	}
	browser := browsertest.NewWithin(t, 300*time.Second)
	dir := t.TempDir()
	base := startServe(t, dir, "--demo", "--demo-participants", "150")
	b := newTab(t, browser, "keyboard", base)
	if _, err := chromedp.Run(b.ctx, chromedp.EmulateViewport(375, 812)); err != nil {
		b.fail("viewport: %v", err)
	}
	const slug = "/p/budget-policy-2027"

	b.step = "proposal"
	b.open(slug + "/c/1/new?lang=en")
	const title = "Footbridge over the Nzoia at Ruambwa"
	b.tabTo(`input[name=title]`, 40)
	b.keys(title)
	b.tabTo(`textarea[name=description]`, 5)
	b.keys("Children cross the river on foot in the rains; a footbridge would keep them safe on the way to school.")
	b.tabTo(`form[action$="/proposals"] button[type=submit]`, 25)
	b.keys(kb.Enter)
	b.settle(fmt.Sprintf(`document.body.innerText.includes(%q) && !location.pathname.endsWith("/new")`, title), 15*time.Second)
	b.focusNotLost()

	b.step = "comment on a section"
	b.open(slug + "/c/2?lang=en")
	section := b.eval(`document.querySelector("section.section").id`)
	b.tabTo("#"+section+" details > summary", 60)
	b.keys(kb.Enter) // opens the section's comment form
	b.tabTo("#"+section+` form[action$="/comments"] textarea[name=body]`, 10)
	const comment = "Rural roads should come before the town's new car park."
	b.keys(comment)
	b.tabTo("#"+section+` form[action$="/comments"] button[type=submit]`, 10)
	b.keys(kb.Enter)
	b.settle(fmt.Sprintf(`(document.querySelector("#%s .comment-list") || {innerText: ""}).innerText.includes(%q)`, section, comment), 15*time.Second)
	b.focusNotLost()

	b.step = "survey"
	b.open(slug + "/c/3?lang=en")
	for page := 1; ; page++ {
		if page > 10 {
			b.fail("the survey did not end within 10 pages")
		}
		b.step = fmt.Sprintf("survey page %d", page)
		b.answerWithKeys()
		b.settle(fmt.Sprintf(`!!document.querySelector("#survey .thanks") || (document.querySelector("#survey input[name=page]") || {value: "0"}).value === "%d" || !!document.querySelector("#survey .error-summary, #survey [role=alert]")`, page+1), 15*time.Second)
		if b.eval(`document.querySelector("#survey [role=alert]") ? document.querySelector("#survey").innerText : ""`) != "" {
			b.fail("the survey refused the keyboard's answers")
		}
		b.focusNotLost()
		if b.eval(`document.querySelector("#survey .thanks") ? "done" : ""`) == "done" {
			break
		}
	}
}

// settle polls js until it is true, within d, across the navigation a
// post without JavaScript makes (chromedp's Poll loses its page then).
func (b *tab) settle(js string, d time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for {
		ctx, cancel := b.bounded()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			b.fail("waited %s for %s (last error: %v)", d, js, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// keys types into the focused element as a keyboard does (kb.Enter,
// kb.ArrowDown and the like for the special keys).
func (b *tab) keys(s string) {
	b.t.Helper()
	ctx, cancel := b.bounded()
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.KeyEvent(s)); err != nil {
		b.fail("keys %q: %v", s, err)
	}
}

// tabTo presses Tab until the focused element matches selector, and fails
// past max presses.
func (b *tab) tabTo(selector string, max int) {
	b.t.Helper()
	check := fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, selector)
	for n := 0; n <= max; n++ {
		if b.eval(check+` ? "y" : ""`) == "y" {
			return
		}
		b.keys(kb.Tab)
	}
	b.fail("%s not reached within %d Tab presses (focus on %s)", selector, max, b.eval(`document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : "nothing"`))
}

// focusNotLost wants the focus on an element of the page's content after
// a post, not on <body> (where a screen reader user would start over).
func (b *tab) focusNotLost() {
	b.t.Helper()
	if tag := b.eval(`document.activeElement ? document.activeElement.tagName : "BODY"`); tag == "BODY" || tag == "HTML" {
		b.fail("after the post the focus fell back to <%s>", strings.ToLower(tag))
	}
}

// answerWithKeys walks the survey page's form with Tab and answers each
// question the way a keyboard user would: Space on a choice (the first of
// a group; the arrows then move within it), typing in a text or number
// field, the arrows on a ranking's selects (rank r takes the r-th option),
// then Enter on the page's button.
func (b *tab) answerWithKeys() {
	b.t.Helper()
	const state = `(() => { const e = document.activeElement; if (!e || !e.closest("#survey form")) return "outside";
		if (e.matches("button[type=submit]")) return "submit";
		const q = e.closest("fieldset.question");
		if (e.type === "radio") return q.querySelector("input:checked") ? "done" : "choose";
		if (e.type === "checkbox") return q.querySelector("input:checked") ? "done" : "choose";
		if (e.tagName === "TEXTAREA") return e.value ? "done" : "text";
		if (e.type === "number") return e.value ? "done" : "number:" + (e.min || "1");
		if (e.tagName === "SELECT") return e.value ? "done" : "rank:" + e.id.split("-").pop();
		return "done"; })()`
	for n := 0; n < 200; n++ {
		s := b.eval(state)
		switch {
		case s == "submit":
			b.keys(kb.Enter)
			return
		case s == "choose":
			b.keys(" ")
		case s == "text":
			b.keys("Street lights at the market, please.")
		case strings.HasPrefix(s, "number:"):
			b.keys(strings.TrimPrefix(s, "number:"))
		case strings.HasPrefix(s, "rank:"):
			var r int
			fmt.Sscan(strings.TrimPrefix(s, "rank:"), &r)
			for i := 0; i <= r; i++ {
				b.keys(kb.ArrowDown)
			}
		}
		b.keys(kb.Tab)
	}
	b.fail("the survey page's button was not reached within 200 Tab presses")
}
