package staff

import (
	"context"
	"fmt"

	"github.com/alexedwards/argon2id"
	"github.com/jmoiron/sqlx"
)

// ErrSamePassword refuses a "change" to the password already in use. It is
// a kind of ErrWeakPassword (errors.Is holds for both).
var ErrSamePassword = fmt.Errorf("%w: the new password is the current one", ErrWeakPassword)

// ChangePassword sets a signed-in user's new password after checking the
// current one, under the same policy as invitations and resets
// (CheckPassword). Every other session of the user ends — a thief holding
// one loses it — while keepSession (the caller's own) stays signed in.
//
// A wrong current password is ErrBadCredentials and counts toward the same
// lock-out as sign-in: it is the same secret being guessed, and a stolen
// session must not buy unlimited guesses at it (ErrLocked once locked).
func (s *Service) ChangePassword(ctx context.Context, userID, keepSession int64, current, next string) error {
	u, err := s.userByID(ctx, s.db, userID)
	if err != nil {
		return err
	}
	if u.Disabled {
		return ErrNoSession
	}
	key := throttleKey(u.Email)
	now := s.now()
	var th throttleRow
	if err := s.db.QueryRowxContext(ctx, s.q["throttle-count"], key, now).StructScan(&th); err != nil {
		return fmt.Errorf("staff: unable to count a password check: %w", err)
	}
	if th.LockedUntil.Valid && now.Before(th.LockedUntil.Time) {
		return &LockedError{Until: th.LockedUntil.Time.UTC()}
	}
	if th.Failures > s.cfg.MaxFailures {
		return s.lock(ctx, key, th.LockLevel, u.ID)
	}
	release, err := s.slot(ctx)
	if err != nil {
		return err
	}
	ok, err := argon2id.ComparePasswordAndHash(current, u.PasswordHash)
	release()
	if err != nil {
		return fmt.Errorf("staff: unable to check a password: %w", err)
	}
	if !ok {
		return s.failed(ctx, key, th.Failures, th.LockLevel, u.ID)
	}
	if _, err := s.db.ExecContext(ctx, s.q["throttle-clear"], key); err != nil {
		return fmt.Errorf("staff: unable to clear the lock-out: %w", err)
	}
	if next == current {
		return ErrSamePassword
	}
	if err := CheckPassword(u.Email, next); err != nil {
		return err
	}
	h, err := s.hash(ctx, next)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		now := s.now()
		if _, err := tx.ExecContext(ctx, s.q["user-set-password"], h, now, userID); err != nil {
			return fmt.Errorf("staff: unable to set a password: %w", err)
		}
		n, err := rowsAffected(tx.ExecContext(ctx, s.q["session-revoke-others"], now, userID, keepSession))
		if err != nil {
			return fmt.Errorf("staff: unable to end the other sessions: %w", err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: userID, Action: "password.change", Target: userTarget(userID),
			After: map[string]any{"other_sessions_ended": n}})
	})
	if err != nil {
		return err
	}
	s.log.Info("staff: password changed", "user_id", userID)
	return nil
}
