package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestDocumentShowsHiddenCommentsByReason: a section's hidden comments are
// told in place of their text, counted by reason (one line for many), in
// the reader's language; restored, the comment is back and the line gone.
func TestDocumentShowsHiddenCommentsByReason(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		sec := fx.Sections[1]
		pt, err := fx.Store.CreateParticipant(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for i := range 3 {
			id, err := fx.Store.CreateComment(ctx, participation.Comment{ProcessID: fx.Open.ID, ComponentID: fx.Document,
				TargetKind: participation.TargetSection, TargetID: sec, ParticipantID: pt.ID, Body: fmt.Sprintf("Buy cheap phones here, offer %d", i)})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		hide := func(id int64, action participation.ModerationAction, reason string) {
			t.Helper()
			if _, err := fx.Store.Moderate(ctx, participation.ModerationDecision{Ref: participation.ContributionRef{Kind: participation.ContribComment, ID: id},
				Action: action, Reason: reason}); err != nil {
				t.Fatal(err)
			}
		}
		hide(ids[0], participation.ActHide, "advertising")
		hide(ids[1], participation.ActHide, "advertising")
		hide(ids[2], participation.ActHide, "personal data")
		b := newBrowser(t, fx)
		doc := fmt.Sprintf("/p/budget-2026/c/%d", fx.Document)
		page := b.get(doc + "?lang=en")
		want(t, page.Status, http.StatusOK, page.Body)
		section := between(t, page.Body, fmt.Sprintf(`id="comments-%d"`, sec), "</ol>")
		if strings.Contains(section, "Buy cheap phones") {
			t.Fatal("a hidden comment's text is on the page")
		}
		for _, s := range []string{"2 comments hidden by the moderators: advertising", "Hidden by the moderators: personal data"} {
			if !strings.Contains(section, s) {
				t.Errorf("the section lacks %q:\n%s", s, section)
			}
		}
		if sw := between(t, b.get(doc+"?lang=sw").Body, fmt.Sprintf(`id="comments-%d"`, sec), "</ol>"); !strings.Contains(sw, "Maoni 2 yamefichwa na wadhibiti: advertising") {
			t.Errorf("in Kiswahili:\n%s", sw)
		}
		hide(ids[2], participation.ActRestore, "not personal after all")
		section = between(t, b.get(doc+"?lang=en").Body, fmt.Sprintf(`id="comments-%d"`, sec), "</ol>")
		if !strings.Contains(section, "Buy cheap phones here, offer 2") || strings.Contains(section, "personal data") {
			t.Errorf("the restored comment:\n%s", section)
		}
	})
}
