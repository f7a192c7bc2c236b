package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// A citizen reports a comment through the plain form (twice: counted once),
// a moderator hides it with a reason, and everyone then sees the reason in
// its place; the author reads it on "my submissions"; a pre-moderated
// comment reads "awaiting moderation" to its author.
func TestReportHideAndReasonShown(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		proposal := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		b := newBrowser(t, fx)
		page := b.get(proposal)
		want(t, page.Status, http.StatusOK, page.Body)
		link := web.ReportPath("budget-2026", participation.ContribComment, fx.Comment, 0)
		if !strings.Contains(page.Body, strings.ReplaceAll(link, "&", "&amp;")) {
			t.Fatalf("the comment has no report link %q", link)
		}
		form := b.get(link)
		want(t, form.Status, http.StatusOK, form.Body)
		for _, s := range []string{`name="reason" value="off_topic"`, `name="reason" value="personal_data"`, `name="csrf_token"`, `maxlength="500"`} {
			if !strings.Contains(form.Body, s) {
				t.Fatalf("the report form lacks %s", s)
			}
		}
		tok := b.token(link)
		report := url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)}, "reason": {"off_topic"}, "text": {"Not about the borehole"}}
		p := b.post("/p/budget-2026/report", tok, report)
		want(t, p.Status, http.StatusOK, p.Body)
		if !strings.Contains(p.Body, `id="report-done"`) {
			t.Fatalf("no thanks after the report:\n%s", p.Body)
		}
		// Bad input: a reason off the list, a text too long; then twice.
		bad := url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)}, "reason": {"boring"}}
		want(t, b.post("/p/budget-2026/report", tok, bad).Status, http.StatusUnprocessableEntity, "bad reason")
		long := url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)}, "reason": {"other"}, "text": {strings.Repeat("x", 501)}}
		if p := b.post("/p/budget-2026/report", tok, long); p.Status != http.StatusUnprocessableEntity || !strings.Contains(p.Body, `id="e-text"`) {
			t.Fatalf("a 501-character text: %d", p.Status)
		}
		p = b.post("/p/budget-2026/report", tok, report)
		want(t, p.Status, http.StatusOK, p.Body)
		ref := participation.ContributionRef{Kind: participation.ContribComment, ID: fx.Comment}
		m, err := fx.Store.GetModeration(ctx, ref)
		if err != nil || m.Reports != 1 || !m.Open {
			t.Fatalf("after two reports by one citizen: %+v %v", m, err)
		}
		// Without the CSRF token the report is refused.
		noToken := url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)}, "reason": {"spam"}}
		if p := b.post("/p/budget-2026/report", "", noToken); p.Status != http.StatusForbidden {
			t.Fatalf("report without CSRF: %d", p.Status)
		}

		if _, err := fx.Store.Moderate(ctx, participation.ModerationDecision{Ref: ref, Action: participation.ActHide, Reason: "off-topic", StaffID: 1}); err != nil {
			t.Fatal(err)
		}
		anon := newBrowser(t, fx)
		page = anon.get(proposal)
		want(t, page.Status, http.StatusOK, page.Body)
		comments := between(t, page.Body, `id="comments"`, "</section>")
		if strings.Contains(comments, "Traders would chip in") || !strings.Contains(comments, "Hidden by the moderators: off-topic") {
			t.Fatalf("the hidden comment's text shows, or its reason does not:\n%s", comments)
		}
		if sw := anon.get(proposal + "?lang=sw"); !strings.Contains(sw.Body, "Imefichwa na wadhibiti: off-topic") {
			t.Fatal("the reason is not shown in Kiswahili")
		}
		anon.get(proposal + "?lang=en")
		// A hidden item cannot be reported.
		if p := b.post("/p/budget-2026/report", tok, url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)}, "reason": {"spam"}}); p.Status != http.StatusConflict {
			t.Fatalf("reporting a hidden comment: %d", p.Status)
		}

		// The author of a hidden comment reads the reason on /me.
		p = b.post(proposal+"/comments", tok, url.Values{"body": {"Call me on 0712 345 678 about it."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		mine, err := fx.Store.ListComments(ctx, participation.TargetProposal, fx.Proposal)
		if err != nil {
			t.Fatal(err)
		}
		last := mine[len(mine)-1].ID
		if _, err := fx.Store.Moderate(ctx, participation.ModerationDecision{Ref: participation.ContributionRef{Kind: participation.ContribComment, ID: last},
			Action: participation.ActHide, Reason: "personal data", StaffID: 1}); err != nil {
			t.Fatal(err)
		}
		me := between(t, b.get("/me").Body, fmt.Sprintf(`id="my-comment-%d"`, last), "</li>")
		if !strings.Contains(me, "Hidden by the moderators: personal data") {
			t.Fatalf("the author does not see the reason:\n%s", me)
		}

		// Pre-moderation: the author reads "awaiting moderation".
		if err := fx.Store.SetPremoderated(ctx, fx.Proposals, true); err != nil {
			t.Fatal(err)
		}
		p = b.post(proposal+"/comments", tok, url.Values{"body": {"A comment that waits for approval."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if got := b.get("/me").Body; !strings.Contains(got, "A comment that waits for approval.") || !strings.Contains(got, "Awaiting moderation") {
			t.Fatal("the author of a pending comment is not told it awaits moderation")
		}
		if strings.Contains(anon.get(proposal).Body, "A comment that waits for approval.") {
			t.Fatal("a pending comment is shown to everyone")
		}

		// A hidden proposal's page shows the reason instead of its text.
		if _, err := fx.Store.Moderate(ctx, participation.ModerationDecision{Ref: participation.ContributionRef{Kind: participation.ContribProposal, ID: fx.Proposal},
			Action: participation.ActHide, Reason: "duplicate", StaffID: 1}); err != nil {
			t.Fatal(err)
		}
		page = anon.get(proposal)
		if page.Status != http.StatusGone || !strings.Contains(page.Body, "Hidden by the moderators: duplicate") || strings.Contains(page.Body, "Borehole for Kiambu market") {
			t.Fatalf("hidden proposal page: %d\n%s", page.Status, page.Body)
		}
		// Reporting something of another process is not found.
		other := web.ReportPath("budget-2026", participation.ContribProposal, fx.DraftProps+1000, 0)
		if p := anon.get(other); p.Status != http.StatusNotFound {
			t.Fatalf("report form of a missing item: %d", p.Status)
		}
	})
}
