package workspace_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

// A moderator works the queue through the plain forms: a reported comment
// is listed with its reasons, hiding it without a reason is refused,
// hiding it with one is stored, audited and takes it out of the queue; an
// illegal move is refused; a decision on another process's item is 404;
// the settings are the officials' (pre-moderation, auto-hide number).
func TestModerationQueueThroughTheForms(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		ctx := fx.ctx
		P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
		reporter, err := fx.Store.CreateParticipant(ctx, "")
		must(t, err)
		ref := participation.ContributionRef{Kind: participation.ContribComment, ID: fx.Comment}
		_, err = fx.Store.Report(ctx, participation.Report{Ref: ref, ParticipantID: reporter.ID, Reason: participation.ReasonOffTopic})
		must(t, err)

		mod := fx.browser(t, "moderator")
		if home := mod.open("/staff"); !home.Has(`href="` + P + `/moderation">Moderation queue (1)</a>`) {
			t.Fatalf("the staff home does not count the queue\n%s", home.Body)
		}
		if home := fx.browser(t, "analyst").open("/staff"); home.Has(P + "/moderation") {
			t.Fatal("the staff home offers an analyst the moderation queue")
		}
		q := mod.open(P + "/moderation")
		if !q.Has(fmt.Sprintf(`id="item-comment-%d"`, fx.Comment)) || !q.Has("Traders would chip in") || !q.Has("Off-topic: 1") {
			t.Fatalf("the queue does not list the reported comment\n%s", q.Body)
		}
		if q.Has(`action="` + P + `/moderation/settings"`) {
			t.Fatal("a moderator is offered the settings, which need edit_process")
		}
		if f := mod.open(P + "/moderation?kind=proposal"); f.Has(fmt.Sprintf(`id="item-comment-%d"`, fx.Comment)) {
			t.Fatal("the kind filter lets a comment through")
		}
		if f := mod.open(P + "/moderation?reason=spam"); f.Has(fmt.Sprintf(`id="item-comment-%d"`, fx.Comment)) {
			t.Fatal("the reason filter lets an off-topic report through")
		}

		form := url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)}, "action": {"hide"}, "reason": {" "}}
		p := mod.submit(P+"/moderation", P+"/moderation", form)
		wantRefused(t, p, http.StatusUnprocessableEntity, "This is required.", "hide without a reason")
		if c, _ := fx.Store.GetComment(ctx, fx.Comment); c.Status != participation.StatusPublished {
			t.Fatalf("a refused hide changed the comment: %s", c.Status)
		}
		form.Set("reason", "off-topic")
		p = mod.submit(P+"/moderation", P+"/moderation", form)
		wantRedirect(t, p, P+"/moderation", "hide")
		if c, _ := fx.Store.GetComment(ctx, fx.Comment); c.Status != participation.StatusHidden {
			t.Fatalf("hidden comment status %s", c.Status)
		}
		if q := mod.open(p.Location()); q.Has(fmt.Sprintf(`id="item-comment-%d"`, fx.Comment)) || !q.Has("Decision recorded.") {
			t.Fatal("the decided comment is still queued, or no confirmation")
		}
		recs, _, err := fx.Staff.ListAudit(ctx, staff.AuditFilter{ProcessID: fx.ProcessA, Action: "moderation.hide"})
		must(t, err)
		if len(recs) != 1 || recs[0].ActorID != fx.People["moderator"].ID || recs[0].Target != fmt.Sprintf("comment:%d", fx.Comment) ||
			!strings.Contains(string(recs[0].After), "off-topic") {
			t.Fatalf("audit %+v", recs)
		}
		// Hiding it again is a move the state machine refuses.
		p = mod.submit(P+"/moderation", P+"/moderation", form)
		wantRefused(t, p, http.StatusConflict, "does not apply to a contribution in this state", "hide a hidden comment")

		// An item of another process is not found through this one.
		otherP := fmt.Sprintf("/staff/processes/%d", fx.ProcessB)
		b := fx.browser(t, "official_b")
		p = b.submit(otherP+"/moderation", otherP+"/moderation", url.Values{"kind": {"comment"}, "id": {fmt.Sprint(fx.Comment)},
			"action": {"restore"}, "reason": {"mine now"}})
		if p.Status != http.StatusNotFound {
			t.Fatalf("restoring process A's comment through process B: %d", p.Status)
		}

		// The official restores it through the API, and sets pre-moderation.
		off := fx.browser(t, "official")
		page := off.open(P + "/moderation")
		if !page.Has(`action="` + P + `/moderation/settings"`) {
			t.Fatal("the official is not offered the settings")
		}
		p = off.submit(P+"/moderation", P+"/moderation/settings", url.Values{"auto_hide_after": {"3"}, "premoderated": {fmt.Sprint(fx.Proposals)}})
		wantRedirect(t, p, P+"/moderation", "settings")
		if n, _ := fx.Store.AutoHideAfter(ctx, fx.ProcessA); n != 3 {
			t.Fatalf("auto-hide %d", n)
		}
		if on, _ := fx.Store.IsPremoderated(ctx, fx.Proposals); !on {
			t.Fatal("pre-moderation not saved")
		}
		p = off.submit(P+"/moderation", P+"/moderation/settings", url.Values{"auto_hide_after": {"many"}})
		wantRefused(t, p, http.StatusUnprocessableEntity, "whole number", "auto-hide not a number")

		s := fx.SignIn(t, "official")
		api := fx.Client(t)
		api.Bearer = s.Token
		body := `{"kind":"comment","id":` + fmt.Sprint(fx.Comment) + `,"action":"restore","reason":"on topic"}`
		req, _ := http.NewRequest(http.MethodPost, fx.URL+"/api/v1/staff/processes/"+fmt.Sprint(fx.ProcessA)+"/moderation", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		r := api.Do(req)
		if r.Status != http.StatusOK {
			t.Fatalf("API restore: %d %s", r.Status, r.Body)
		}
		var m participation.Moderated
		must(t, json.Unmarshal([]byte(r.Body), &m))
		if m.Status != participation.StatusPublished || m.Reason != "on topic" {
			t.Fatalf("API answer %+v", m)
		}
	})
}

// An official answers a citizen's document question through the form; the
// citizen page shows it apart, marked as the institution's; a moderator may
// not answer (the guard's 403, checked by the walk); an empty form is 422.
func TestOfficialAnswerThroughTheForm(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		ctx := fx.ctx
		P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
		asker, err := fx.Store.CreateParticipant(ctx, "")
		must(t, err)
		q, err := fx.Store.CreateComment(participation.AsOf(ctx, fx.Clock.Now()), participation.Comment{TargetKind: participation.TargetSection,
			TargetID: fx.Sections[0], ParticipantID: asker.ID, Kind: participation.CommentQuestion, Body: "When will the parking fees change?"})
		must(t, err)
		off := fx.browser(t, "official")
		page := off.open(P + "/questions")
		if !page.Has(fmt.Sprintf(`id="question-%d"`, q)) || !page.Has("When will the parking fees change?") {
			t.Fatalf("the question is not listed\n%s", page.Body)
		}
		p := off.submit(P+"/questions", P+"/answers", url.Values{"body": {"No comment id"}})
		wantRefused(t, p, http.StatusUnprocessableEntity, "Choose the question", "answer without a question")
		p = off.submit(P+"/questions", P+"/answers", url.Values{"comment_id": {fmt.Sprint(q)}, "body": {"x"}})
		if p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("a one-letter answer: %d", p.Status)
		}
		p = off.submit(P+"/questions", P+"/answers", url.Values{"comment_id": {fmt.Sprint(q)}, "body": {"From July, after the assembly votes the Finance Bill."}})
		wantRedirect(t, p, P+"/questions", "answer")
		if page := off.open(p.Location()); !page.Has("Answered") || !page.Has("Answer published.") {
			t.Fatal("the question is not marked answered")
		}
		recs, _, err := fx.Staff.ListAudit(ctx, staff.AuditFilter{ProcessID: fx.ProcessA, Action: "comment.answer"})
		must(t, err)
		if len(recs) != 1 || recs[0].ActorID != fx.People["official"].ID {
			t.Fatalf("audit %+v", recs)
		}
		citizen := fx.Client(t).Get(fmt.Sprintf("/p/%s/c/%d", fx.Open.Slug, fx.Document))
		if citizen.Status != http.StatusOK || !strings.Contains(citizen.Body, `class="official-answer"`) ||
			!strings.Contains(citizen.Body, "Official answer from the institution") || !strings.Contains(citizen.Body, "From July, after the assembly") {
			t.Fatalf("the document page does not show the official answer: %d", citizen.Status)
		}
		// A comment of another process is not found through this one.
		b := fx.browser(t, "official_b")
		otherP := fmt.Sprintf("/staff/processes/%d", fx.ProcessB)
		if p := b.submit(otherP+"/questions", otherP+"/answers", url.Values{"comment_id": {fmt.Sprint(q)}, "body": {"Not my process."}}); p.Status != http.StatusNotFound {
			t.Fatalf("answering process A's question through B: %d", p.Status)
		}
	})
}
