package staff

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/jmoiron/sqlx"
)

// Session is a signed-in staff member's session. Token is set only by
// Authenticate, the one time it exists in clear: it is the cookie value.
type Session struct {
	ID         int64        `db:"id"`
	UserID     int64        `db:"user_id"`
	CreatedAt  time.Time    `db:"created_at"`
	LastSeenAt time.Time    `db:"last_seen_at"`
	ExpiresAt  time.Time    `db:"expires_at"` // absolute end, whatever the activity
	RevokedAt  sql.NullTime `db:"revoked_at"`
	Token      string       `db:"-"`
}

// throttleKey identifies an email in the throttle table without storing it:
// unknown addresses typed by an attacker are not kept as personal data.
func throttleKey(email string) string {
	sum := sha256.Sum256([]byte("civicpulse-staff-signin\x00" + NormalizeEmail(email)))
	return hex.EncodeToString(sum[:])
}

type throttleRow struct {
	Failures    int          `db:"failures"`
	LockLevel   int          `db:"lock_level"`
	LockedUntil sql.NullTime `db:"locked_until"`
}

// Authenticate signs a staff member in and returns a new session.
//
// totpCode is the authenticator's code or one recovery code; it is required
// when the account has TOTP (ErrTOTPRequired when empty). Every email —
// known or not — has its own failure counter: after MaxFailures failures in a
// row sign-in is refused (ErrLocked) for LockBase, doubling with each further
// lock up to LockMax; a success resets it. Unknown emails cost one argon2id
// comparison like known ones, and answer the same ErrBadCredentials.
func (s *Service) Authenticate(ctx context.Context, email, password, totpCode string) (Session, error) {
	email = NormalizeEmail(email)
	key := throttleKey(email)
	now := s.now()

	// Count the attempt before checking it, in the same statement that reads
	// the lock: parallel guesses each take their own number, so no more than
	// MaxFailures are ever verified per lock window.
	var th throttleRow
	if err := s.db.QueryRowxContext(ctx, s.q["throttle-count"], key, now).StructScan(&th); err != nil {
		return Session{}, fmt.Errorf("staff: unable to count a sign-in: %w", err)
	}
	if th.LockedUntil.Valid && now.Before(th.LockedUntil.Time) {
		return Session{}, &LockedError{Until: th.LockedUntil.Time.UTC()}
	}
	attempt, level := th.Failures, th.LockLevel
	if attempt > s.cfg.MaxFailures {
		return Session{}, s.lock(ctx, key, level, 0)
	}

	u, err := s.userByEmail(ctx, s.db, email)
	known := err == nil
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Session{}, err
	}
	hash := s.dummyHash
	if known {
		hash = u.PasswordHash
	}
	release, err := s.slot(ctx)
	if err != nil {
		return Session{}, err
	}
	ok, params, err := argon2id.CheckHash(password, hash)
	release()
	if err != nil {
		return Session{}, fmt.Errorf("staff: unable to check a password: %w", err)
	}
	if !known || !ok {
		return Session{}, s.failed(ctx, key, attempt, level, u.ID)
	}
	if u.Disabled {
		return Session{}, ErrDisabled
	}
	if u.TOTPSecret.Valid {
		if totpCode == "" {
			// The attempt stays counted: knowing the password must not buy
			// unlimited guesses at the second factor.
			return Session{}, ErrTOTPRequired
		}
		ok, err := s.checkSecondFactor(ctx, u, totpCode)
		if err != nil {
			return Session{}, err
		}
		if !ok {
			return Session{}, s.failed(ctx, key, attempt, level, u.ID)
		}
	}
	if _, err := s.db.ExecContext(ctx, s.q["throttle-clear"], key); err != nil {
		return Session{}, fmt.Errorf("staff: unable to clear the sign-in throttle: %w", err)
	}
	if *params != *s.cfg.Argon2 {
		// The cost was raised since this hash was made: upgrade it now that
		// the password is at hand. A failure here only postpones it.
		if h, err := s.hash(ctx, password); err == nil {
			s.db.ExecContext(ctx, s.q["user-set-password"], h, now, u.ID)
		}
	}
	sess, err := s.createSession(ctx, u.ID)
	if err != nil {
		return Session{}, err
	}
	s.log.Info("staff: signed in", "user_id", u.ID, "session_id", sess.ID)
	return sess, nil
}

// failed records a failed attempt numbered attempt; the one that reaches the
// limit locks the email.
func (s *Service) failed(ctx context.Context, key string, attempt, level int, userID int64) error {
	// Every failed attempt is logged (ASVS 16.3.1); only a known account
	// is named, by its id, never by the email that was typed.
	s.log.Info("staff: sign-in failed", "user_id", userID, "attempt", attempt)
	if attempt < s.cfg.MaxFailures {
		return ErrBadCredentials
	}
	if err := s.lock(ctx, key, level, userID); err != nil && !errors.Is(err, ErrLocked) {
		return err
	}
	return ErrBadCredentials
}

func (s *Service) lock(ctx context.Context, key string, level int, userID int64) error {
	d := s.cfg.LockBase
	for i := 0; i < level && d < s.cfg.LockMax; i++ {
		d *= 2
	}
	d = min(d, s.cfg.LockMax)
	now := s.now()
	until := now.Add(d)
	n, err := rowsAffected(s.db.ExecContext(ctx, s.q["throttle-lock"], until, now, key, level))
	if err != nil {
		return fmt.Errorf("staff: unable to lock sign-in: %w", err)
	}
	if n == 1 {
		// Only the known account is named: an unknown email is not logged.
		s.log.Warn("staff: sign-in locked after repeated failures", "user_id", userID, "lock", d.String())
		if userID != 0 {
			if err := s.Audit(ctx, Entry{ActorID: 0, Action: "signin.locked", Target: userTarget(userID),
				After: map[string]any{"locked_until": until, "level": level + 1}}); err != nil {
				return err
			}
		}
	}
	return &LockedError{Until: until}
}

func (s *Service) createSession(ctx context.Context, userID int64) (Session, error) {
	token, hash := newToken()
	now := s.now()
	sess := Session{UserID: userID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute), Token: token}
	if err := s.db.QueryRowxContext(ctx, s.q["session-insert"], hash, userID, now, now, sess.ExpiresAt).Scan(&sess.ID); err != nil {
		return Session{}, fmt.Errorf("staff: unable to create a session: %w", err)
	}
	return sess, nil
}

func (s *Service) live(sess Session, now time.Time) bool {
	return !sess.RevokedAt.Valid && now.Before(sess.ExpiresAt) && now.Sub(sess.LastSeenAt) < s.cfg.SessionIdle
}

// touchEvery limits last-seen writes to one a minute per session.
const touchEvery = time.Minute

// SessionByToken returns the live session a cookie value names and its
// user, sliding the idle timeout. Unknown, revoked, idle or expired sessions
// and disabled users are all ErrNoSession.
func (s *Service) SessionByToken(ctx context.Context, token string) (Session, User, error) {
	if token == "" {
		return Session{}, User{}, ErrNoSession
	}
	var sess Session
	err := s.db.GetContext(ctx, &sess, s.q["session-by-hash"], hashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("staff: unable to read a session: %w", err)
	}
	now := s.now()
	if !s.live(sess, now) {
		return Session{}, User{}, ErrNoSession
	}
	u, err := s.userByID(ctx, s.db, sess.UserID)
	if errors.Is(err, ErrNotFound) || (err == nil && u.Disabled) {
		return Session{}, User{}, ErrNoSession
	}
	if err != nil {
		return Session{}, User{}, err
	}
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		if _, err := s.db.ExecContext(ctx, s.q["session-touch"], now, sess.ID); err != nil {
			return Session{}, User{}, fmt.Errorf("staff: unable to touch a session: %w", err)
		}
		sess.LastSeenAt = now
	}
	return s.utc(sess), u.user(), nil
}

func (s *Service) utc(sess Session) Session {
	sess.CreatedAt, sess.LastSeenAt, sess.ExpiresAt = sess.CreatedAt.UTC(), sess.LastSeenAt.UTC(), sess.ExpiresAt.UTC()
	return sess
}

// Sessions lists a user's live sessions, newest first (for "where am I
// signed in").
func (s *Service) Sessions(ctx context.Context, userID int64) ([]Session, error) {
	now := s.now()
	var out []Session
	if err := s.db.SelectContext(ctx, &out, s.q["session-list"], userID, now, now.Add(-s.cfg.SessionIdle)); err != nil {
		return nil, fmt.Errorf("staff: unable to list sessions: %w", err)
	}
	for i := range out {
		out[i] = s.utc(out[i])
	}
	return out, nil
}

// SignOut ends the session a cookie value names; an unknown token is not an
// error (signing out twice is fine).
func (s *Service) SignOut(ctx context.Context, token string) error {
	var sess Session
	err := s.db.GetContext(ctx, &sess, s.q["session-by-hash"], hashToken(token))
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("staff: unable to read a session: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q["session-revoke"], s.now(), sess.ID); err != nil {
		return fmt.Errorf("staff: unable to end a session: %w", err)
	}
	return nil
}

// Revoke ends one session. by must own it or be an admin; anyone else gets
// ErrNotFound, as for a session that does not exist.
func (s *Service) Revoke(ctx context.Context, by, sessionID int64) error {
	var sess Session
	err := s.db.GetContext(ctx, &sess, s.q["session-by-id"], sessionID)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("staff: unable to read session %d: %w", sessionID, err)
	}
	if sess.UserID != by {
		if err := s.requireAdmin(ctx, by); err != nil {
			return ErrNotFound
		}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q["session-revoke"], s.now(), sessionID); err != nil {
			return fmt.Errorf("staff: unable to end session %d: %w", sessionID, err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "session.revoke", Target: userTarget(sess.UserID),
			After: map[string]any{"session_id": sessionID}})
	})
}

// RevokeAll ends every session of userID. by must be that user or an admin.
func (s *Service) RevokeAll(ctx context.Context, by, userID int64) error {
	if by != userID {
		if err := s.requireAdmin(ctx, by); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		n, err := rowsAffected(tx.ExecContext(ctx, s.q["session-revoke-all"], s.now(), userID))
		if err != nil {
			return fmt.Errorf("staff: unable to end the sessions of %d: %w", userID, err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "session.revoke_all", Target: userTarget(userID),
			After: map[string]any{"sessions": n}})
	})
}

// Purge deletes sessions and one-time links that can no longer be used; run
// it from a daily job.
func (s *Service) Purge(ctx context.Context) error {
	now := s.now()
	if _, err := s.db.ExecContext(ctx, s.q["session-purge"], now, now.Add(-s.cfg.SessionIdle)); err != nil {
		return fmt.Errorf("staff: unable to purge sessions: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q["token-purge"], now); err != nil {
		return fmt.Errorf("staff: unable to purge links: %w", err)
	}
	return nil
}
