package staff

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Invitation is a pending invitation as the admin's list shows it: never
// the token (only its hash is stored), the invitee's email and the roles it
// will grant.
type Invitation struct {
	ID        int64
	Email     string
	Grants    []Grant
	CreatedBy int64
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (r tokenRow) invitation() (Invitation, error) {
	inv := Invitation{ID: r.ID, Email: r.Email, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC()}
	if err := json.Unmarshal([]byte(r.Grants), &inv.Grants); err != nil {
		return inv, fmt.Errorf("staff: invitation %d has unreadable grants: %w", r.ID, err)
	}
	return inv, nil
}

// PendingInvites lists the invitations that can still be accepted (not
// used, revoked or expired), newest first. Admins only.
func (s *Service) PendingInvites(ctx context.Context, by int64) ([]Invitation, error) {
	if err := s.requireAdmin(ctx, by); err != nil {
		return nil, err
	}
	var rows []tokenRow
	if err := s.db.SelectContext(ctx, &rows, s.q["token-pending"], s.now()); err != nil {
		return nil, fmt.Errorf("staff: unable to list invitations: %w", err)
	}
	out := make([]Invitation, 0, len(rows))
	for _, r := range rows {
		inv, err := r.invitation()
		if err != nil {
			return nil, err
		}
		out = append(out, inv)
	}
	return out, nil
}

// RevokeInvite withdraws a pending invitation (admins only): its link then
// answers ErrRevoked and can no longer create an account. An unknown id is
// ErrNotFound; an invitation already accepted, revoked or expired is
// ErrConflict. The revocation is audited in the same transaction.
func (s *Service) RevokeInvite(ctx context.Context, by, inviteID int64) error {
	if err := s.requireAdmin(ctx, by); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		var r tokenRow
		err := tx.GetContext(ctx, &r, s.q["token-by-id"], inviteID, "invite")
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("staff: unable to read invitation %d: %w", inviteID, err)
		}
		now := s.now()
		n, err := rowsAffected(tx.ExecContext(ctx, s.q["token-revoke"], now, by, inviteID, now))
		if err != nil {
			return fmt.Errorf("staff: unable to revoke invitation %d: %w", inviteID, err)
		}
		if n != 1 {
			return fmt.Errorf("%w: the invitation is no longer pending", ErrConflict)
		}
		inv, err := r.invitation()
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "staff.invite_revoke", Target: fmt.Sprintf("invite:%d", inviteID),
			Before: map[string]any{"email": inv.Email, "grants": inv.Grants, "state": "pending"},
			After:  map[string]any{"state": "revoked"}})
	})
}
