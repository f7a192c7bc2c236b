package staff

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
)

// Role is what a staff member is on a process; admin is global.
type Role string

const (
	RoleAdmin     Role = "admin"     // everything, every process
	RoleOfficial  Role = "official"  // sets up and runs the process
	RoleModerator Role = "moderator" // moderates the process's contributions
	RoleAnalyst   Role = "analyst"   // reads dashboards and exports them
)

// Permission is what a staff handler asks for before it acts.
type Permission string

const (
	ViewDashboard Permission = "view_dashboard"
	Export        Permission = "export"
	Moderate      Permission = "moderate"
	EditProcess   Permission = "edit_process"
	ManageStaff   Permission = "manage_staff"
	ViewAudit     Permission = "view_audit"
	// CreateProcess is global but not admins' alone: an official of one
	// process may open the next (a county's officials run several
	// consultations a year), and becomes an official of the one created.
	CreateProcess Permission = "create_process"
)

// Permissions lists every permission, for tests that walk the matrix.
var Permissions = []Permission{ViewDashboard, Export, Moderate, EditProcess, ManageStaff, ViewAudit, CreateProcess}

// rolePermissions is the whole authorisation policy for per-process roles.
// Admins pass every check; ManageStaff and ViewAudit are theirs alone.
var rolePermissions = map[Role][]Permission{
	RoleOfficial:  {ViewDashboard, Export, Moderate, EditProcess, CreateProcess},
	RoleModerator: {ViewDashboard, Moderate},
	RoleAnalyst:   {ViewDashboard, Export},
}

// Can reports whether role grants perm (admin grants everything).
func (r Role) Can(perm Permission) bool {
	return r == RoleAdmin || slices.Contains(rolePermissions[r], perm)
}

func (g Grant) valid() error {
	switch {
	case g.Role == RoleAdmin && g.ProcessID == 0:
		return nil
	case g.Role == RoleAdmin:
		return fmt.Errorf("%w: admin is global, not per process", ErrInvalid)
	case rolePermissions[g.Role] == nil:
		return fmt.Errorf("%w: unknown role %q", ErrInvalid, g.Role)
	case g.ProcessID <= 0:
		return fmt.Errorf("%w: role %s needs a process", ErrInvalid, g.Role)
	}
	return nil
}

// Authorize is the one check every staff handler and API call goes through,
// with the user of this request's session (SessionByToken).
//
// processID 0 asks for a global permission, which only admins have. For a
// process, a user with no role on it gets ErrNotFound — handlers answer 404,
// so an official of process A cannot learn that B exists — and a user whose
// role there is too weak gets ErrForbidden (403). A zero or disabled user is
// ErrNoSession (401).
func (s *Service) Authorize(ctx context.Context, u User, perm Permission, processID int64) error {
	if u.ID == 0 || u.Disabled {
		return ErrNoSession
	}
	if !slices.Contains(Permissions, perm) {
		return fmt.Errorf("%w: unknown permission %q", ErrInvalid, perm)
	}
	if u.Admin {
		return nil
	}
	if processID == 0 && perm == CreateProcess {
		return s.authorizeAnywhere(ctx, u, perm)
	}
	if processID == 0 {
		return ErrForbidden
	}
	roles, err := s.rolesOn(ctx, u.ID, processID)
	if err != nil {
		return err
	}
	if len(roles) == 0 {
		return ErrNotFound
	}
	for _, r := range roles {
		if r.Can(perm) {
			return nil
		}
	}
	return ErrForbidden
}

// authorizeAnywhere passes a user whose role on some process grants perm.
func (s *Service) authorizeAnywhere(ctx context.Context, u User, perm Permission) error {
	var roles []Role
	if err := s.db.SelectContext(ctx, &roles, s.q["roles-anywhere"], u.ID); err != nil {
		return fmt.Errorf("staff: unable to read roles: %w", err)
	}
	for _, r := range roles {
		if r.Can(perm) {
			return nil
		}
	}
	return ErrForbidden
}

// AdoptProcess makes u, who has just created processID, an official of it,
// recorded in the audit log as u's own grant. Admins need no role. It
// refuses a process that already has staff: it is for the creator of a new
// process only, never a way into someone else's.
func (s *Service) AdoptProcess(ctx context.Context, u User, processID int64) error {
	if u.Admin {
		return nil
	}
	if err := s.Authorize(ctx, u, CreateProcess, 0); err != nil {
		return err
	}
	if processID <= 0 {
		return fmt.Errorf("%w: no process to adopt", ErrInvalid)
	}
	g := Grant{ProcessID: processID, Role: RoleOfficial}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var staffed int
		if err := tx.GetContext(ctx, &staffed, s.q["process-staffed"], processID); err != nil {
			return fmt.Errorf("staff: unable to read the staff of process %d: %w", processID, err)
		}
		if staffed > 0 {
			return ErrForbidden
		}
		if _, err := tx.ExecContext(ctx, s.q["role-insert"], u.ID, processID, string(g.Role), u.ID, s.now()); err != nil {
			return fmt.Errorf("staff: unable to grant a role: %w", err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: u.ID, Action: "role.grant", ProcessID: processID,
			Target: userTarget(u.ID), After: g})
	})
}

func (s *Service) rolesOn(ctx context.Context, userID, processID int64) ([]Role, error) {
	var roles []Role
	if err := s.db.SelectContext(ctx, &roles, s.q["roles-on"], userID, processID); err != nil {
		return nil, fmt.Errorf("staff: unable to read roles: %w", err)
	}
	return roles, nil
}

// RolesOf lists a user's roles: Grant{0, RoleAdmin} first for an admin, then
// one Grant per process role.
func (s *Service) RolesOf(ctx context.Context, userID int64) ([]Grant, error) {
	u, err := s.userByID(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	var out []Grant
	if u.IsAdmin {
		out = append(out, Grant{Role: RoleAdmin})
	}
	var rows []struct {
		ProcessID int64 `db:"process_id"`
		Role      Role  `db:"role"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.q["roles-of"], userID); err != nil {
		return nil, fmt.Errorf("staff: unable to read roles: %w", err)
	}
	for _, r := range rows {
		out = append(out, Grant{ProcessID: r.ProcessID, Role: r.Role})
	}
	return out, nil
}

// ProcessesVisibleTo returns the ids of the processes u has a role on, or
// all=true for an admin (who sees every process, including ones created
// after this call).
func (s *Service) ProcessesVisibleTo(ctx context.Context, u User) (ids []int64, all bool, err error) {
	if u.ID == 0 || u.Disabled {
		return nil, false, ErrNoSession
	}
	if u.Admin {
		return nil, true, nil
	}
	grants, err := s.RolesOf(ctx, u.ID)
	if err != nil {
		return nil, false, err
	}
	for _, g := range grants {
		if g.ProcessID != 0 && !slices.Contains(ids, g.ProcessID) {
			ids = append(ids, g.ProcessID)
		}
	}
	return ids, false, nil
}

// StaffMember is one role holder on a process.
type StaffMember struct {
	UserID int64 `db:"user_id"`
	Role   Role  `db:"role"`
}

// StaffOf lists who holds which role on a process (admins are not listed:
// they hold every process).
func (s *Service) StaffOf(ctx context.Context, processID int64) ([]StaffMember, error) {
	var out []StaffMember
	if err := s.db.SelectContext(ctx, &out, s.q["staff-of-process"], processID); err != nil {
		return nil, fmt.Errorf("staff: unable to list the staff of process %d: %w", processID, err)
	}
	return out, nil
}

// Grant gives userID a role (admins only). Granting RoleAdmin (ProcessID 0)
// makes the user a global admin. Granting a role held already is no change.
func (s *Service) Grant(ctx context.Context, by, userID int64, g Grant) error {
	if err := s.requireAdmin(ctx, by); err != nil {
		return err
	}
	if err := g.valid(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := s.userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		now := s.now()
		if g.Role == RoleAdmin {
			if u.IsAdmin {
				return nil
			}
			if _, err := tx.ExecContext(ctx, s.q["user-set-admin"], true, now, userID); err != nil {
				return fmt.Errorf("staff: unable to make %d admin: %w", userID, err)
			}
		} else {
			n, err := rowsAffected(tx.ExecContext(ctx, s.q["role-insert"], userID, g.ProcessID, string(g.Role), by, now))
			if err != nil {
				return fmt.Errorf("staff: unable to grant a role: %w", err)
			}
			if n == 0 {
				return nil
			}
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "role.grant", ProcessID: g.ProcessID,
			Target: userTarget(userID), After: g})
	})
}

// RevokeRole takes a role away (admins only). Taking admin from the last
// enabled admin is ErrConflict; revoking a role not held is ErrNotFound.
func (s *Service) RevokeRole(ctx context.Context, by, userID int64, g Grant) error {
	if err := s.requireAdmin(ctx, by); err != nil {
		return err
	}
	if err := g.valid(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := s.userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		now := s.now()
		if g.Role == RoleAdmin {
			if !u.IsAdmin {
				return ErrNotFound
			}
			if !u.Disabled {
				if err := s.keepOneAdmin(ctx, tx); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, s.q["user-set-admin"], false, now, userID); err != nil {
				return fmt.Errorf("staff: unable to take admin from %d: %w", userID, err)
			}
		} else {
			n, err := rowsAffected(tx.ExecContext(ctx, s.q["role-delete"], userID, g.ProcessID, string(g.Role)))
			if err != nil {
				return fmt.Errorf("staff: unable to revoke a role: %w", err)
			}
			if n == 0 {
				return ErrNotFound
			}
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "role.revoke", ProcessID: g.ProcessID,
			Target: userTarget(userID), Before: g})
	})
}

// IsAuthError reports whether err is one of the answers Authorize gives, as
// opposed to a failure of the database.
func IsAuthError(err error) bool {
	return errors.Is(err, ErrNoSession) || errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound)
}
