package staff_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

func TestPasswordPolicy(t *testing.T) {
	for _, c := range []struct {
		email, password string
		ok              bool
	}{
		{"ana@example.org", "short one", false},
		{"ana@example.org", "elevenchars", false},
		{"ana@example.org", "twelve chars", true},
		{"ana@example.org", "ANA@example.org", false},
		{"ana.maria.lopez@example.org", "Ana.Maria.Lopez", false},
		{"ana@example.org", "ünïcödé pässwörd", true},
		{"ana@example.org", "qwertyuiop123", false}, // on the breached list
		{"ana@example.org", "Password1234", false},  // the list ignores case…
		{"ana@example.org", "password 1234", false}, // …and spaces
		{"ana@example.org", "rain on the tana river", true},
	} {
		err := staff.CheckPassword(c.email, c.password)
		if (err == nil) != c.ok || (err != nil && !errors.Is(err, staff.ErrWeakPassword)) {
			t.Errorf("CheckPassword(%q, %q) = %v, want ok=%v", c.email, c.password, err, c.ok)
		}
	}
}

func TestInvitationsAreOneTimeAndExpire(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		admin := e.admin(t)
		ctx := context.Background()
		grants := []staff.Grant{{ProcessID: 7, Role: staff.RoleOfficial}, {ProcessID: 9, Role: staff.RoleAnalyst}}

		tok, err := e.svc.Invite(ctx, admin.ID, " Official@Example.org", grants)
		if err != nil {
			t.Fatal(err)
		}
		if email, err := e.svc.CheckInvite(ctx, tok); err != nil || email != "official@example.org" {
			t.Fatalf("CheckInvite = %q, %v", email, err)
		}
		// A refused password does not use the link up.
		if _, err := e.svc.AcceptInvite(ctx, tok, "Olu Official", "too short"); !errors.Is(err, staff.ErrWeakPassword) {
			t.Fatalf("weak password: %v", err)
		}
		u, err := e.svc.AcceptInvite(ctx, tok, "Olu Official", "a long enough password")
		if err != nil {
			t.Fatal(err)
		}
		if u.Email != "official@example.org" || u.Admin {
			t.Fatalf("accepted user %+v", u)
		}
		roles, err := e.svc.RolesOf(ctx, u.ID)
		if err != nil || len(roles) != 2 || roles[0] != grants[0] || roles[1] != grants[1] {
			t.Fatalf("RolesOf = %+v, %v", roles, err)
		}
		if _, err := e.svc.AcceptInvite(ctx, tok, "Olu Again", "a long enough password"); !errors.Is(err, staff.ErrInvalidToken) {
			t.Fatalf("link used twice: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, "official@example.org", "a long enough password", ""); err != nil {
			t.Fatalf("invited user signs in: %v", err)
		}

		// Expiry after 72 hours.
		tok, err = e.svc.Invite(ctx, admin.ID, "late@example.org", nil)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(72 * time.Hour)
		if _, err := e.svc.AcceptInvite(ctx, tok, "Late", "a long enough password"); !errors.Is(err, staff.ErrInvalidToken) {
			t.Fatalf("expired link: %v", err)
		}
		if _, err := e.svc.AcceptInvite(ctx, "made-up-token", "X", "a long enough password"); !errors.Is(err, staff.ErrInvalidToken) {
			t.Fatalf("unknown link: %v", err)
		}

		// Who may invite, whom, with what.
		if _, err := e.svc.Invite(ctx, u.ID, "friend@example.org", nil); !errors.Is(err, staff.ErrForbidden) {
			t.Fatalf("an official inviting: %v", err)
		}
		if _, err := e.svc.Invite(ctx, admin.ID, "OFFICIAL@example.org", nil); !errors.Is(err, staff.ErrExists) {
			t.Fatalf("inviting an existing account: %v", err)
		}
		for _, g := range []staff.Grant{{ProcessID: 0, Role: staff.RoleAnalyst}, {ProcessID: 3, Role: staff.RoleAdmin}, {ProcessID: 3, Role: "citizen"}} {
			if _, err := e.svc.Invite(ctx, admin.ID, "x@example.org", []staff.Grant{g}); !errors.Is(err, staff.ErrInvalid) {
				t.Fatalf("grant %+v: %v", g, err)
			}
		}
		// An invited admin becomes a global admin.
		a2 := e.member(t, admin.ID, "second.admin@example.org", "another admin password", staff.Grant{Role: staff.RoleAdmin})
		if !a2.Admin {
			t.Fatal("invited admin is not admin")
		}
	})
}

func TestPasswordResetIsOneTimeExpiresAndRevealsNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		admin := e.admin(t)
		ctx := context.Background()

		none, err := e.svc.RequestReset(ctx, "nobody@example.org")
		if err != nil || none != (staff.ResetRequest{}) {
			t.Fatalf("unknown email: %+v, %v", none, err)
		}
		sess, err := e.svc.Authenticate(ctx, admin.Email, adminPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		first, err := e.svc.RequestReset(ctx, "ADMIN@example.org")
		if err != nil || first.Token == "" || first.Email != admin.Email {
			t.Fatalf("RequestReset: %+v, %v", first, err)
		}
		second, err := e.svc.RequestReset(ctx, admin.Email)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ResetPassword(ctx, first.Token, "a brand new password"); !errors.Is(err, staff.ErrInvalidToken) {
			t.Fatalf("superseded link: %v", err)
		}
		if err := e.svc.ResetPassword(ctx, second.Token, "admin@example.org"); !errors.Is(err, staff.ErrWeakPassword) {
			t.Fatalf("email as password: %v", err)
		}
		if err := e.svc.ResetPassword(ctx, second.Token, "a brand new password"); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.ResetPassword(ctx, second.Token, "yet another password"); !errors.Is(err, staff.ErrInvalidToken) {
			t.Fatalf("link used twice: %v", err)
		}
		if _, _, err := e.svc.SessionByToken(ctx, sess.Token); !errors.Is(err, staff.ErrNoSession) {
			t.Fatalf("session survived the reset: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, admin.Email, adminPassword, ""); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("old password: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, admin.Email, "a brand new password", ""); err != nil {
			t.Fatalf("new password: %v", err)
		}

		// Expiry after an hour.
		late, err := e.svc.RequestReset(ctx, admin.Email)
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Hour)
		if err := e.svc.ResetPassword(ctx, late.Token, "a third new password"); !errors.Is(err, staff.ErrInvalidToken) {
			t.Fatalf("expired link: %v", err)
		}

		// A reset also lifts a lock-out.
		for i := 0; i < 6; i++ {
			e.svc.Authenticate(ctx, admin.Email, "wrong password!!", "")
		}
		if _, err := e.svc.Authenticate(ctx, admin.Email, "a brand new password", ""); !errors.Is(err, staff.ErrLocked) {
			t.Fatalf("not locked: %v", err)
		}
		r, _ := e.svc.RequestReset(ctx, admin.Email)
		if err := e.svc.ResetPassword(ctx, r.Token, "a fourth new password"); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(ctx, admin.Email, "a fourth new password", ""); err != nil {
			t.Fatalf("after reset: %v", err)
		}
	})
}

func TestTheLastAdminStays(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		admin := e.admin(t)
		ctx := context.Background()
		if err := e.svc.SetDisabled(ctx, admin.ID, admin.ID, true); !errors.Is(err, staff.ErrConflict) {
			t.Fatalf("disabling the last admin: %v", err)
		}
		if err := e.svc.RevokeRole(ctx, admin.ID, admin.ID, staff.Grant{Role: staff.RoleAdmin}); !errors.Is(err, staff.ErrConflict) {
			t.Fatalf("demoting the last admin: %v", err)
		}
		other := e.member(t, admin.ID, "other@example.org", "other password 12")
		if err := e.svc.Grant(ctx, admin.ID, other.ID, staff.Grant{Role: staff.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.RevokeRole(ctx, other.ID, admin.ID, staff.Grant{Role: staff.RoleAdmin}); err != nil {
			t.Fatalf("demoting one of two admins: %v", err)
		}
		if _, err := e.svc.CreateAdmin(ctx, "OTHER@example.org", "whatever password"); !errors.Is(err, staff.ErrExists) {
			t.Fatalf("second account with one email: %v", err)
		}
	})
}
