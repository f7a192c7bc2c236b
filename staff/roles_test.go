package staff_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

func TestAuthorizationMatrixOnProcessA(t *testing.T) {
	const A, B = 11, 22
	ok, forbidden, notFound := error(nil), staff.ErrForbidden, staff.ErrNotFound
	// want[who][perm] on process A.
	want := map[string]map[staff.Permission]error{
		"admin": {staff.ViewDashboard: ok, staff.Export: ok, staff.Moderate: ok, staff.EditProcess: ok, staff.ManageStaff: ok, staff.ViewAudit: ok,
			staff.CreateProcess: ok},
		"official of A": {staff.ViewDashboard: ok, staff.Export: ok, staff.Moderate: ok, staff.EditProcess: ok,
			staff.ManageStaff: forbidden, staff.ViewAudit: forbidden, staff.CreateProcess: ok},
		"moderator of A": {staff.ViewDashboard: ok, staff.Export: forbidden, staff.Moderate: ok, staff.EditProcess: forbidden,
			staff.ManageStaff: forbidden, staff.ViewAudit: forbidden, staff.CreateProcess: forbidden},
		"analyst of A": {staff.ViewDashboard: ok, staff.Export: ok, staff.Moderate: forbidden, staff.EditProcess: forbidden,
			staff.ManageStaff: forbidden, staff.ViewAudit: forbidden, staff.CreateProcess: forbidden},
		"official of B": {staff.ViewDashboard: notFound, staff.Export: notFound, staff.Moderate: notFound, staff.EditProcess: notFound,
			staff.ManageStaff: notFound, staff.ViewAudit: notFound, staff.CreateProcess: notFound},
		"no role": {staff.ViewDashboard: notFound, staff.Export: notFound, staff.Moderate: notFound, staff.EditProcess: notFound,
			staff.ManageStaff: notFound, staff.ViewAudit: notFound, staff.CreateProcess: notFound},
	}
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		admin := e.admin(t)
		ctx := context.Background()
		users := map[string]staff.User{
			"admin":          admin,
			"official of A":  e.member(t, admin.ID, "oa@example.org", "password of oa 1", staff.Grant{ProcessID: A, Role: staff.RoleOfficial}),
			"moderator of A": e.member(t, admin.ID, "ma@example.org", "password of ma 1", staff.Grant{ProcessID: A, Role: staff.RoleModerator}),
			"analyst of A":   e.member(t, admin.ID, "aa@example.org", "password of aa 1", staff.Grant{ProcessID: A, Role: staff.RoleAnalyst}),
			"official of B":  e.member(t, admin.ID, "ob@example.org", "password of ob 1", staff.Grant{ProcessID: B, Role: staff.RoleOfficial}),
			"no role":        e.member(t, admin.ID, "nr@example.org", "password of nr 1"),
		}
		for who, perms := range want {
			if len(perms) != len(staff.Permissions) {
				t.Fatalf("matrix row %q does not cover every permission", who)
			}
			for _, perm := range staff.Permissions {
				err := e.svc.Authorize(ctx, users[who], perm, A)
				if !errors.Is(err, perms[perm]) || (perms[perm] == nil) != (err == nil) {
					t.Errorf("%s, %s on A: got %v, want %v", who, perm, err, perms[perm])
				}
			}
			// Global permissions (process 0): admins only, and a 403, since
			// the staff area itself is no secret to staff.
			wantGlobal := forbidden
			if who == "admin" {
				wantGlobal = ok
			}
			if err := e.svc.Authorize(ctx, users[who], staff.ManageStaff, 0); !errors.Is(err, wantGlobal) || (wantGlobal == nil) != (err == nil) {
				t.Errorf("%s, global ManageStaff: got %v", who, err)
			}
		}
		// Anonymous and disabled users are not signed in at all.
		if err := e.svc.Authorize(ctx, staff.User{}, staff.ViewDashboard, A); !errors.Is(err, staff.ErrNoSession) {
			t.Errorf("anonymous: %v", err)
		}
		if err := e.svc.SetDisabled(ctx, admin.ID, users["official of A"].ID, true); err != nil {
			t.Fatal(err)
		}
		disabled, _ := e.svc.GetUser(ctx, users["official of A"].ID)
		if err := e.svc.Authorize(ctx, disabled, staff.ViewDashboard, A); !errors.Is(err, staff.ErrNoSession) {
			t.Errorf("disabled: %v", err)
		}
		if err := e.svc.Authorize(ctx, admin, "fly", A); !errors.Is(err, staff.ErrInvalid) {
			t.Errorf("unknown permission: %v", err)
		}

		// A second role on the same process adds its permissions; revoking
		// the last role hides the process again.
		an := users["analyst of A"]
		if err := e.svc.Grant(ctx, admin.ID, an.ID, staff.Grant{ProcessID: A, Role: staff.RoleModerator}); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Authorize(ctx, an, staff.Moderate, A); err != nil {
			t.Errorf("analyst+moderator moderating: %v", err)
		}
		if err := e.svc.Grant(ctx, an.ID, an.ID, staff.Grant{ProcessID: B, Role: staff.RoleOfficial}); !errors.Is(err, staff.ErrForbidden) {
			t.Errorf("a non-admin granting: %v", err)
		}
		for _, r := range []staff.Role{staff.RoleAnalyst, staff.RoleModerator} {
			if err := e.svc.RevokeRole(ctx, admin.ID, an.ID, staff.Grant{ProcessID: A, Role: r}); err != nil {
				t.Fatal(err)
			}
		}
		if err := e.svc.Authorize(ctx, an, staff.ViewDashboard, A); !errors.Is(err, staff.ErrNotFound) {
			t.Errorf("after revoking every role: %v", err)
		}
		if err := e.svc.RevokeRole(ctx, admin.ID, an.ID, staff.Grant{ProcessID: A, Role: staff.RoleAnalyst}); !errors.Is(err, staff.ErrNotFound) {
			t.Errorf("revoking a role not held: %v", err)
		}

		// What each one sees.
		ids, all, err := e.svc.ProcessesVisibleTo(ctx, admin)
		if err != nil || !all {
			t.Errorf("admin sees all: %v %v %v", ids, all, err)
		}
		ob := users["official of B"]
		if err := e.svc.Grant(ctx, admin.ID, ob.ID, staff.Grant{ProcessID: 33, Role: staff.RoleAnalyst}); err != nil {
			t.Fatal(err)
		}
		ids, all, err = e.svc.ProcessesVisibleTo(ctx, ob)
		if err != nil || all || !slices.Equal(ids, []int64{B, 33}) {
			t.Errorf("official of B sees %v all=%v, %v", ids, all, err)
		}
		members, err := e.svc.StaffOf(ctx, B)
		if err != nil || len(members) != 1 || members[0].UserID != ob.ID || members[0].Role != staff.RoleOfficial {
			t.Errorf("StaffOf(B) = %+v, %v", members, err)
		}
	})
}

// TestCreateProcessAndAdopt: an official of any process may create one and
// becomes its official; a moderator or analyst may not; a process that has
// staff cannot be adopted by anyone.
func TestCreateProcessAndAdopt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		admin := e.admin(t)
		official := e.member(t, admin.ID, "creator@example.org", "password of creator 1", staff.Grant{ProcessID: 1, Role: staff.RoleOfficial})
		analyst := e.member(t, admin.ID, "reader@example.org", "password of reader 1", staff.Grant{ProcessID: 1, Role: staff.RoleAnalyst})
		nobody := e.member(t, admin.ID, "nobody@example.org", "password of nobody 1")
		if err := e.svc.Authorize(ctx, official, staff.CreateProcess, 0); err != nil {
			t.Fatalf("an official may not create a process: %v", err)
		}
		for _, u := range []staff.User{analyst, nobody} {
			if err := e.svc.Authorize(ctx, u, staff.CreateProcess, 0); !errors.Is(err, staff.ErrForbidden) {
				t.Fatalf("%s creating a process: %v, want ErrForbidden", u.Email, err)
			}
		}
		if err := e.svc.Authorize(ctx, official, staff.ManageStaff, 0); !errors.Is(err, staff.ErrForbidden) {
			t.Fatalf("an official holds another global permission: %v", err)
		}
		if err := e.svc.AdoptProcess(ctx, official, 2); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.Authorize(ctx, official, staff.EditProcess, 2); err != nil {
			t.Errorf("the creator cannot edit the process created: %v", err)
		}
		if err := e.svc.AdoptProcess(ctx, analyst, 3); !errors.Is(err, staff.ErrForbidden) {
			t.Errorf("an analyst adopted a process: %v", err)
		}
		other := e.member(t, admin.ID, "other@example.org", "password of other 1", staff.Grant{ProcessID: 9, Role: staff.RoleOfficial})
		if err := e.svc.AdoptProcess(ctx, other, 2); !errors.Is(err, staff.ErrForbidden) {
			t.Errorf("an official adopted a process that has its official: %v", err)
		}
	})
}
