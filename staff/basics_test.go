package staff_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

func TestChangePassword(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		admin := e.admin(t)
		const old, next = "an old long password 1", "a new long password 2"
		u := e.member(t, admin.ID, "pat@example.org", old, staff.Grant{ProcessID: 3, Role: staff.RoleAnalyst})
		here, err := e.svc.Authenticate(ctx, u.Email, old, "")
		if err != nil {
			t.Fatal(err)
		}
		other, err := e.svc.Authenticate(ctx, u.Email, old, "")
		if err != nil {
			t.Fatal(err)
		}
		for name, c := range map[string]struct {
			current, next string
			want          error
		}{
			"wrong current": {"not the password at all", next, staff.ErrBadCredentials},
			"too short":     {old, "short", staff.ErrWeakPassword},
			"the email":     {old, "pat@example.org", staff.ErrWeakPassword},
			"unchanged":     {old, old, staff.ErrSamePassword},
		} {
			if err := e.svc.ChangePassword(ctx, u.ID, here.ID, c.current, c.next); !errors.Is(err, c.want) {
				t.Errorf("%s: %v, want %v", name, err, c.want)
			}
		}
		if _, _, err := e.svc.SessionByToken(ctx, other.Token); err != nil {
			t.Fatalf("a refused change ended a session: %v", err)
		}
		if err := e.svc.ChangePassword(ctx, u.ID, here.ID, old, next); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.SessionByToken(ctx, here.Token); err != nil {
			t.Errorf("the session that changed the password ended: %v", err)
		}
		if _, _, err := e.svc.SessionByToken(ctx, other.Token); !errors.Is(err, staff.ErrNoSession) {
			t.Errorf("another session survived the change: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, old, ""); !errors.Is(err, staff.ErrBadCredentials) {
			t.Errorf("old password: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, next, ""); err != nil {
			t.Errorf("new password: %v", err)
		}
		recs, _, err := e.svc.ListAudit(ctx, staff.AuditFilter{Action: "password.change"})
		if err != nil || len(recs) != 1 || recs[0].ActorID != u.ID || recs[0].Target != userTarget(u.ID) {
			t.Fatalf("audit: %+v %v", recs, err)
		}
		if strings.Contains(string(recs[0].After), next) || strings.Contains(string(recs[0].After), old) {
			t.Error("a password is in the audit log")
		}

		// Guessing the current password with a stolen session locks like sign-in.
		var last error
		for i := 0; i < 7; i++ {
			last = e.svc.ChangePassword(ctx, u.ID, here.ID, "guess number one two", "whatever comes next 9")
		}
		if !errors.Is(last, staff.ErrLocked) {
			t.Errorf("seven wrong current passwords: %v, want locked", last)
		}
		if err := e.svc.ChangePassword(ctx, u.ID, here.ID, next, "yet another password 3"); !errors.Is(err, staff.ErrLocked) {
			t.Errorf("right password while locked: %v", err)
		}
	})
}

func TestRevokedInvitationCannotBeAccepted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		admin := e.admin(t)
		analyst := e.member(t, admin.ID, "ana@example.org", "an analyst password 1", staff.Grant{ProcessID: 3, Role: staff.RoleAnalyst})
		grants := []staff.Grant{{ProcessID: 3, Role: staff.RoleOfficial}}
		tok, err := e.svc.Invite(ctx, admin.ID, "Later@Example.org", grants)
		if err != nil {
			t.Fatal(err)
		}
		keep, err := e.svc.Invite(ctx, admin.ID, "keep@example.org", nil)
		if err != nil {
			t.Fatal(err)
		}
		pending, err := e.svc.PendingInvites(ctx, admin.ID)
		if err != nil || len(pending) != 2 {
			t.Fatalf("pending: %+v %v", pending, err)
		}
		inv := pending[1] // newest first
		if inv.Email != "later@example.org" || !reflect.DeepEqual(inv.Grants, grants) || inv.CreatedBy != admin.ID {
			t.Fatalf("pending invitation: %+v", inv)
		}
		if _, err := e.svc.PendingInvites(ctx, analyst.ID); !errors.Is(err, staff.ErrForbidden) {
			t.Errorf("analyst lists invitations: %v", err)
		}
		if err := e.svc.RevokeInvite(ctx, analyst.ID, inv.ID); !errors.Is(err, staff.ErrForbidden) {
			t.Errorf("analyst revokes: %v", err)
		}
		if err := e.svc.RevokeInvite(ctx, admin.ID, 9999); !errors.Is(err, staff.ErrNotFound) {
			t.Errorf("revoke unknown: %v", err)
		}
		if err := e.svc.RevokeInvite(ctx, admin.ID, inv.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RevokeInvite(ctx, admin.ID, inv.ID); !errors.Is(err, staff.ErrConflict) {
			t.Errorf("revoke twice: %v", err)
		}
		if _, err := e.svc.CheckInvite(ctx, tok); !errors.Is(err, staff.ErrRevoked) {
			t.Errorf("check a revoked invitation: %v", err)
		}
		if _, err := e.svc.AcceptInvite(ctx, tok, "Later", "a later long password"); !errors.Is(err, staff.ErrRevoked) {
			t.Errorf("accept a revoked invitation: %v", err)
		}
		if us, _ := e.svc.ListUsers(ctx); len(us) != 2 {
			t.Errorf("%d accounts after a refused acceptance, want 2", len(us))
		}
		if pending, _ := e.svc.PendingInvites(ctx, admin.ID); len(pending) != 1 || pending[0].Email != "keep@example.org" {
			t.Errorf("pending after revoke: %+v", pending)
		}
		// An accepted invitation is no longer pending and cannot be revoked.
		u, err := e.svc.AcceptInvite(ctx, keep, "Keep", "a kept long password")
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RevokeInvite(ctx, admin.ID, pending[0].ID); !errors.Is(err, staff.ErrConflict) {
			t.Errorf("revoke an accepted invitation: %v", err)
		}
		if _, err := e.svc.GetUser(ctx, u.ID); err != nil {
			t.Error(err)
		}
		// Expired invitations leave the list.
		if _, err := e.svc.Invite(ctx, admin.ID, "late@example.org", nil); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(73 * time.Hour)
		if pending, _ := e.svc.PendingInvites(ctx, admin.ID); len(pending) != 0 {
			t.Errorf("expired invitation listed: %+v", pending)
		}
		recs, _, err := e.svc.ListAudit(ctx, staff.AuditFilter{Action: "staff.invite_revoke"})
		if err != nil || len(recs) != 1 || recs[0].ActorID != admin.ID {
			t.Fatalf("audit: %+v %v", recs, err)
		}
		if ch := staff.Diff(recs[0].Before, recs[0].After); len(ch) == 0 || !hasChange(ch, "state", `"pending"`, `"revoked"`) {
			t.Errorf("revocation diff: %+v", ch)
		}
	})
}

func hasChange(cs []staff.Change, key, before, after string) bool {
	for _, c := range cs {
		if c.Key == key && c.Before == before && c.After == after {
			return true
		}
	}
	return false
}

// The API other packages call: before/after stored as given (minus secrets
// and citizens' contact data), read back, and diffed key by key.
func TestAuditBeforeAfterFromOtherPackages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		admin := e.admin(t)
		type phase struct {
			Name  string `json:"name"`
			Order int    `json:"order"`
		}
		type process struct {
			Title        string            `json:"title"`
			Budget       int64             `json:"budget_minor"`
			Languages    []string          `json:"languages"`
			FieldReasons map[string]string `json:"field_reasons"`
			Phase        phase             `json:"phase"`
			Summary      string            `json:"summary"`
		}
		before := process{Title: "Budget", Budget: 100, Languages: []string{"en"},
			FieldReasons: map[string]string{"email": "to send you the results"}, Phase: phase{"Ideas", 1}, Summary: "Same"}
		after := before
		after.Title, after.Languages, after.Phase.Name = "Budget 2026", []string{"en", "sw"}, "Ideas and votes"
		after.Summary = "Ask wanjiru@mail.example or 0712 345 678"
		err := e.svc.Audit(ctx, staff.Entry{ActorID: admin.ID, Action: "process.update", ProcessID: 4, Target: "process:4", Before: before, After: after})
		if err != nil {
			t.Fatal(err)
		}
		// A citizen's profile, a token and a password: stripped or redacted.
		err = e.svc.Audit(ctx, staff.Entry{ActorID: admin.ID, Action: "participant.erase", ProcessID: 4, Target: "participant:9",
			Before: map[string]any{"name": "Wanjiru Kamau", "email": "wanjiru@mail.example", "phone": "+254 712 345 678",
				"region_code": "047", "token": "tok-abcdef", "password": "pw-abcdef"}})
		if err != nil {
			t.Fatal(err)
		}
		recs, _, err := e.svc.ListAudit(ctx, staff.AuditFilter{ProcessID: 4})
		if err != nil || len(recs) != 2 {
			t.Fatalf("%d records, %v", len(recs), err)
		}
		erase, upd := recs[0], recs[1]
		dump := string(erase.Before) + string(upd.Before) + string(upd.After)
		for _, s := range []string{"Wanjiru Kamau", "wanjiru@mail.example", "712 345 678", "tok-abcdef", "pw-abcdef"} {
			if strings.Contains(dump, s) {
				t.Errorf("%q reached the audit log: %s", s, dump)
			}
		}
		var p map[string]string
		json.Unmarshal(erase.Before, &p)
		if p["region_code"] != "047" || p["name"] != staff.Personal || p["token"] != staff.Redacted {
			t.Errorf("profile entry: %s", erase.Before)
		}
		var got process
		if err := json.Unmarshal(upd.Before, &got); err != nil || !reflect.DeepEqual(got, before) {
			t.Errorf("before read back as %+v (%v), want %+v", got, err, before)
		}
		// The reason for asking an email is not an email: kept.
		if !strings.Contains(string(upd.After), "to send you the results") {
			t.Errorf("field reason stripped: %s", upd.After)
		}
		want := []staff.Change{
			{Key: "languages", Before: `["en"]`, After: `["en","sw"]`},
			{Key: "phase.name", Before: `"Ideas"`, After: `"Ideas and votes"`},
			{Key: "summary", Before: `"Same"`, After: `"Ask [personal] or [personal]"`},
			{Key: "title", Before: `"Budget"`, After: `"Budget 2026"`},
		}
		if ch := staff.Diff(upd.Before, upd.After); !reflect.DeepEqual(ch, want) {
			t.Errorf("diff:\n got %+v\nwant %+v", ch, want)
		}
		// A creation lists every key; a scalar compares whole.
		if ch := staff.Diff(nil, json.RawMessage(`{"a":1,"b":{"c":true}}`)); !reflect.DeepEqual(ch, []staff.Change{{Key: "a", After: "1"}, {Key: "b.c", After: "true"}}) {
			t.Errorf("creation diff: %+v", ch)
		}
		if ch := staff.Diff(json.RawMessage(`3`), json.RawMessage(`4`)); !reflect.DeepEqual(ch, []staff.Change{{Before: "3", After: "4"}}) {
			t.Errorf("scalar diff: %+v", ch)
		}
		if ch := staff.Diff(nil, nil); len(ch) != 0 {
			t.Errorf("empty diff: %+v", ch)
		}

		// The staff package's own entries keep staff emails (staff are not citizens).
		inv, _, _ := e.svc.ListAudit(ctx, staff.AuditFilter{Action: "staff.create_admin"})
		if len(inv) != 1 || !strings.Contains(string(inv[0].After), "admin@example.org") {
			t.Errorf("staff email gone from a staff entry: %+v", inv)
		}
	})
}

func TestPersonalKeyNames(t *testing.T) {
	for k, want := range map[string]bool{
		"email": true, "contactEmail": true, "phone_number": true, "msisdn": true, "ipAddress": true,
		"region_code": false, "name": false, "title": false, "zip": false, "tip": false,
	} {
		if got := staff.PersonalKey(k); got != want {
			t.Errorf("PersonalKey(%q) = %v, want %v", k, got, want)
		}
	}
}
