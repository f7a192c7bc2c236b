package staffweb_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// An admin erases a participant on their request: the form refuses what is
// missing (keeping what was typed), the erasure deletes the profile and
// keeps the proposal, the audit log names the admin and the participant's
// id but not the email; a second request finds nobody; an official may
// not.
func TestStaffEraseParticipantOnRequest(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		ctx := context.Background()
		me, err := fx.Store.CreateParticipant(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		secret, err := fx.Store.Register(ctx, fx.Registered.ID, me.ID, participation.Consent{NoticeVersion: 1},
			participation.Profile{Name: "Zawadi Mwangi", Email: "zawadi@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.Store.Verify(ctx, fx.Registered.ID, me.ID, secret); err != nil {
			t.Fatal(err)
		}
		pid, err := fx.Store.CreateProposal(ctx, participation.Proposal{ComponentID: fx.RegProposals, ParticipantID: me.ID,
			Title: "Borehole repair", Description: "The pump has been broken for a month."})
		if err != nil {
			t.Fatal(err)
		}
		page := "/staff/admin/participants/erase"

		off := signedIn(t, fx, "official")
		if p := off.Get(page); p.Status == http.StatusOK {
			t.Fatal("an official opens the erasure page")
		}

		admin := signedIn(t, fx, "admin")
		tok := admin.Token(page)
		p := admin.Post(page, tok, url.Values{"email": {" zawadi@EXAMPLE.org "}, "contributions": {"keep"}})
		if p.Status != http.StatusUnprocessableEntity || !p.Has("Tick the box to confirm the erasure.") || !p.Has(`value="zawadi@EXAMPLE.org"`) {
			t.Fatalf("no confirmation: %d\n%s", p.Status, p.Body)
		}
		p = admin.Post(page, tok, url.Values{"email": {"nobody@example.org"}, "contributions": {"keep"}, "confirm": {"yes"}})
		if p.Status != http.StatusUnprocessableEntity || !p.Has("Nobody is registered with this email") {
			t.Fatalf("unknown email: %d\n%s", p.Status, p.Body)
		}
		if ids, _ := fx.Store.ParticipantsByEmail(ctx, "zawadi@example.org"); len(ids) != 1 {
			t.Fatalf("a refused erasure erased: %v", ids)
		}

		p = admin.Post(page, tok, url.Values{"email": {" zawadi@EXAMPLE.org "}, "contributions": {"keep"}, "confirm": {"yes"}})
		if p.Status != http.StatusSeeOther || p.Location() != page+"?erased=1" {
			t.Fatalf("erase: %d → %q\n%s", p.Status, p.Location(), p.Body)
		}
		if done := admin.Get(p.Location()); !done.Has("1 participant was erased.") {
			t.Fatalf("no confirmation after the erasure:\n%s", done.Body)
		}
		if ids, _ := fx.Store.ParticipantsByEmail(ctx, "zawadi@example.org"); len(ids) != 0 {
			t.Fatalf("still found by email: %v", ids)
		}
		if pr, err := fx.Store.GetProposal(ctx, pid); err != nil || pr.Title != "Borehole repair" {
			t.Fatalf("the kept proposal: %+v %v", pr, err)
		}
		rs, _, err := fx.Staff.ListAudit(ctx, staff.AuditFilter{Action: "participant.erase"})
		if err != nil || len(rs) != 1 || rs[0].ActorID != fx.People["admin"].ID || !strings.Contains(rs[0].Target, "participant ") ||
			strings.Contains(strings.ToLower(string(rs[0].After)+rs[0].Target), "zawadi") {
			t.Fatalf("audit %+v %v", rs, err)
		}
		// Asked again: nobody holds the email any more, nothing is audited.
		p = admin.Post(page, tok, url.Values{"email": {"zawadi@example.org"}, "contributions": {"remove"}, "confirm": {"yes"}})
		if p.Status != http.StatusUnprocessableEntity || !p.Has(`value="remove" checked`) {
			t.Fatalf("repeated erasure: %d\n%s", p.Status, p.Body)
		}
		if rs, _, _ := fx.Staff.ListAudit(ctx, staff.AuditFilter{Action: "participant.erase"}); len(rs) != 1 {
			t.Fatalf("%d audit entries after a repeated request", len(rs))
		}
	})
}
