package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/jmoiron/sqlx"
)

// User is a staff account as the rest of the program sees it: no hash, no
// secret.
type User struct {
	ID          int64
	Email       string
	Name        string
	Admin       bool
	Disabled    bool
	TOTPEnabled bool
	CreatedAt   time.Time
}

// userRow is the stored account, secrets included; it never leaves the package.
type userRow struct {
	ID           int64          `db:"id"`
	Email        string         `db:"email"`
	Name         string         `db:"name"`
	PasswordHash string         `db:"password_hash"`
	IsAdmin      bool           `db:"is_admin"`
	Disabled     bool           `db:"disabled"`
	TOTPSecret   sql.NullString `db:"totp_secret"`
	TOTPPending  sql.NullString `db:"totp_pending"`
	TOTPLastStep int64          `db:"totp_last_step"`
	CreatedAt    time.Time      `db:"created_at"`
}

func (r userRow) user() User {
	return User{ID: r.ID, Email: r.Email, Name: r.Name, Admin: r.IsAdmin, Disabled: r.Disabled,
		TOTPEnabled: r.TOTPSecret.Valid, CreatedAt: r.CreatedAt.UTC()}
}

// Grant is one role on one process; the admin role is global (ProcessID 0).
type Grant struct {
	ProcessID int64 `json:"process_id"`
	Role      Role  `json:"role"`
}

// MinPasswordLength is the policy's shortest password, in characters.
const MinPasswordLength = 12

// maxPasswordBytes bounds the work one request can ask of argon2id's input.
const maxPasswordBytes = 1024

// NormalizeEmail is the form emails are stored and compared in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func validEmail(email string) bool {
	at := strings.LastIndexByte(email, '@')
	return at > 0 && at < len(email)-1 && len(email) <= 254 && !strings.ContainsAny(email, " \t\r\n<>\",;")
}

// CheckPassword applies the password policy: at least MinPasswordLength
// characters, not the email or its local part, and not one of the
// passwords most often found in breaches.
func CheckPassword(email, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return fmt.Errorf("%w: use at least %d characters", ErrWeakPassword, MinPasswordLength)
	}
	if len(password) > maxPasswordBytes {
		return fmt.Errorf("%w: use at most %d bytes", ErrWeakPassword, maxPasswordBytes)
	}
	email = NormalizeEmail(email)
	p := strings.ToLower(strings.TrimSpace(password))
	local, _, _ := strings.Cut(email, "@")
	if p == email || p == local {
		return fmt.Errorf("%w: do not use your email address", ErrWeakPassword)
	}
	if isCommonPassword(password) {
		return fmt.Errorf("%w: this password is one of the most common ones", ErrWeakPassword)
	}
	return nil
}

// slot waits for one of the MaxHashes argon2id slots; call the returned func
// to free it.
func (s *Service) slot(ctx context.Context) (func(), error) {
	select {
	case s.hashSlots <- struct{}{}:
		return func() { <-s.hashSlots }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("staff: gave up waiting to hash: %w", ctx.Err())
	}
}

func (s *Service) hash(ctx context.Context, password string) (string, error) {
	release, err := s.slot(ctx)
	if err != nil {
		return "", err
	}
	defer release()
	h, err := argon2id.CreateHash(password, s.cfg.Argon2)
	if err != nil {
		return "", fmt.Errorf("staff: unable to hash a password: %w", err)
	}
	return h, nil
}

// newToken returns a random URL-safe token and the hash under which it is
// stored: a stolen table yields no usable link or session.
func newToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, hashToken(token)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Service) userByEmail(ctx context.Context, q sqlx.QueryerContext, email string) (userRow, error) {
	var r userRow
	err := sqlx.GetContext(ctx, q, &r, s.q["user-by-email"], NormalizeEmail(email))
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("staff: unable to read an account: %w", err)
	}
	return r, nil
}

func (s *Service) userByID(ctx context.Context, q sqlx.QueryerContext, id int64) (userRow, error) {
	var r userRow
	err := sqlx.GetContext(ctx, q, &r, s.q["user-by-id"], id)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	if err != nil {
		return r, fmt.Errorf("staff: unable to read account %d: %w", id, err)
	}
	return r, nil
}

// GetUser returns one account.
func (s *Service) GetUser(ctx context.Context, id int64) (User, error) {
	r, err := s.userByID(ctx, s.db, id)
	return r.user(), err
}

// ListUsers returns every account, by email.
func (s *Service) ListUsers(ctx context.Context) ([]User, error) {
	var rows []userRow
	if err := s.db.SelectContext(ctx, &rows, s.q["user-list"]); err != nil {
		return nil, fmt.Errorf("staff: unable to list accounts: %w", err)
	}
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// CreateAdmin creates an admin account from the command line (actor 0 in the
// audit log). It is how the first account comes to exist.
func (s *Service) CreateAdmin(ctx context.Context, email, password string) (User, error) {
	email = NormalizeEmail(email)
	if !validEmail(email) {
		return User{}, fmt.Errorf("%w: email", ErrInvalid)
	}
	if err := CheckPassword(email, password); err != nil {
		return User{}, err
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	name, _, _ := strings.Cut(email, "@")
	var u User
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err = s.insertUser(ctx, tx, email, name, h, true)
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, Entry{ActorID: 0, Action: "staff.create_admin", Target: userTarget(u.ID),
			After: map[string]any{"email": u.Email, "admin": true}})
	})
	if err != nil {
		return User{}, err
	}
	s.log.Info("staff: admin account created", "user_id", u.ID)
	return u, nil
}

func (s *Service) insertUser(ctx context.Context, tx *sqlx.Tx, email, name, hash string, admin bool) (User, error) {
	if _, err := s.userByEmail(ctx, tx, email); err == nil {
		return User{}, ErrExists
	} else if !errors.Is(err, ErrNotFound) {
		return User{}, err
	}
	now := s.now()
	var id int64
	if err := tx.QueryRowxContext(ctx, s.q["user-insert"], email, name, hash, admin, now, now).Scan(&id); err != nil {
		return User{}, fmt.Errorf("staff: unable to create an account: %w", err)
	}
	return User{ID: id, Email: email, Name: name, Admin: admin, CreatedAt: now}, nil
}

func userTarget(id int64) string { return fmt.Sprintf("user:%d", id) }

// Invite creates a one-time invitation link token for email with the given
// roles. Only admins invite. The token is shown once (put it in the link
// mailed to the invitee); only its hash is stored.
func (s *Service) Invite(ctx context.Context, by int64, email string, grants []Grant) (string, error) {
	if err := s.requireAdmin(ctx, by); err != nil {
		return "", err
	}
	email = NormalizeEmail(email)
	if !validEmail(email) {
		return "", fmt.Errorf("%w: email", ErrInvalid)
	}
	for _, g := range grants {
		if err := g.valid(); err != nil {
			return "", err
		}
	}
	if _, err := s.userByEmail(ctx, s.db, email); err == nil {
		return "", ErrExists
	} else if !errors.Is(err, ErrNotFound) {
		return "", err
	}
	if grants == nil {
		grants = []Grant{}
	}
	gj, _ := json.Marshal(grants)
	token, hash := newToken()
	now := s.now()
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		var id int64
		if err := tx.QueryRowxContext(ctx, s.q["token-insert"], "invite", hash, email, nil, string(gj), by, now, now.Add(s.cfg.InviteTTL)).Scan(&id); err != nil {
			return fmt.Errorf("staff: unable to store an invitation: %w", err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "staff.invite", Target: fmt.Sprintf("invite:%d", id),
			After: map[string]any{"email": email, "grants": grants, "expires_at": now.Add(s.cfg.InviteTTL)}})
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

type tokenRow struct {
	ID        int64         `db:"id"`
	Kind      string        `db:"kind"`
	Email     string        `db:"email"`
	UserID    sql.NullInt64 `db:"user_id"`
	Grants    string        `db:"grants"`
	CreatedBy int64         `db:"created_by"`
	CreatedAt time.Time     `db:"created_at"`
	ExpiresAt time.Time     `db:"expires_at"`
	UsedAt    sql.NullTime  `db:"used_at"`
	RevokedAt sql.NullTime  `db:"revoked_at"`
}

// liveToken finds an unused, unexpired token of kind; every other case is
// ErrInvalidToken, so a link never tells why it failed — except a revoked
// invitation (ErrRevoked): its invitee was told to expect an account and
// should learn that an admin withdrew it, not that the link broke.
func (s *Service) liveToken(ctx context.Context, kind, token string) (tokenRow, error) {
	var r tokenRow
	err := s.db.GetContext(ctx, &r, s.q["token-by-hash"], hashToken(token), kind)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrInvalidToken
	}
	if err != nil {
		return r, fmt.Errorf("staff: unable to read a link: %w", err)
	}
	if r.RevokedAt.Valid && !r.UsedAt.Valid {
		return r, ErrRevoked
	}
	if r.UsedAt.Valid || !s.now().Before(r.ExpiresAt) {
		return r, ErrInvalidToken
	}
	return r, nil
}

// useToken marks the token used inside tx; a concurrent use loses.
func (s *Service) useToken(ctx context.Context, tx *sqlx.Tx, id int64) error {
	n, err := rowsAffected(tx.ExecContext(ctx, s.q["token-use"], s.now(), id))
	if err != nil {
		return fmt.Errorf("staff: unable to use a link: %w", err)
	}
	if n != 1 {
		return ErrInvalidToken
	}
	return nil
}

// CheckInvite tells whether an invitation token is usable and for which
// email, so the acceptance form can show it before the invitee types.
func (s *Service) CheckInvite(ctx context.Context, token string) (email string, err error) {
	r, err := s.liveToken(ctx, "invite", token)
	return r.Email, err
}

// AcceptInvite creates the invited account with its roles and uses up the
// token.
func (s *Service) AcceptInvite(ctx context.Context, token, name, password string) (User, error) {
	r, err := s.liveToken(ctx, "invite", token)
	if err != nil {
		return User{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return User{}, fmt.Errorf("%w: name", ErrInvalid)
	}
	if err := CheckPassword(r.Email, password); err != nil {
		return User{}, err
	}
	var grants []Grant
	if err := json.Unmarshal([]byte(r.Grants), &grants); err != nil {
		return User{}, fmt.Errorf("staff: invitation %d has unreadable grants: %w", r.ID, err)
	}
	admin := false
	for _, g := range grants {
		admin = admin || g.Role == RoleAdmin
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return User{}, err
	}
	var u User
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.useToken(ctx, tx, r.ID); err != nil {
			return err
		}
		if u, err = s.insertUser(ctx, tx, r.Email, name, h, admin); err != nil {
			return err
		}
		now := s.now()
		for _, g := range grants {
			if g.Role == RoleAdmin {
				continue
			}
			if _, err := tx.ExecContext(ctx, s.q["role-insert"], u.ID, g.ProcessID, string(g.Role), r.CreatedBy, now); err != nil {
				return fmt.Errorf("staff: unable to grant a role: %w", err)
			}
		}
		return s.auditTx(ctx, tx, Entry{ActorID: u.ID, Action: "staff.accept_invite", Target: userTarget(u.ID),
			After: map[string]any{"email": u.Email, "name": u.Name, "grants": grants, "invite": r.ID}})
	})
	if err != nil {
		return User{}, err
	}
	s.log.Info("staff: invitation accepted", "user_id", u.ID)
	return u, nil
}

// ResetRequest is what RequestReset hands back: for an unknown or disabled
// email both fields are empty. The web layer must answer the same page
// either way and send the mail off the request path, so neither the answer
// nor its timing tells whether the account exists.
type ResetRequest struct {
	Email string
	Token string
}

// RequestReset creates a one-time password-reset token for email if an
// enabled account has it; earlier unused reset tokens of that account die.
func (s *Service) RequestReset(ctx context.Context, email string) (ResetRequest, error) {
	u, err := s.userByEmail(ctx, s.db, email)
	if errors.Is(err, ErrNotFound) {
		return ResetRequest{}, nil
	}
	if err != nil {
		return ResetRequest{}, err
	}
	if u.Disabled {
		return ResetRequest{}, nil
	}
	token, hash := newToken()
	now := s.now()
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q["token-void-resets"], now, u.ID); err != nil {
			return fmt.Errorf("staff: unable to void old reset links: %w", err)
		}
		var id int64
		if err := tx.QueryRowxContext(ctx, s.q["token-insert"], "reset", hash, u.Email, u.ID, "[]", u.ID, now, now.Add(s.cfg.ResetTTL)).Scan(&id); err != nil {
			return fmt.Errorf("staff: unable to store a reset link: %w", err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: 0, Action: "password.reset_request", Target: userTarget(u.ID)})
	})
	if err != nil {
		return ResetRequest{}, err
	}
	return ResetRequest{Email: u.Email, Token: token}, nil
}

// ResetPassword sets a new password through a reset token, then ends every
// session of the account and clears its lock-out.
func (s *Service) ResetPassword(ctx context.Context, token, password string) error {
	r, err := s.liveToken(ctx, "reset", token)
	if err != nil {
		return err
	}
	if !r.UserID.Valid {
		return ErrInvalidToken
	}
	if err := CheckPassword(r.Email, password); err != nil {
		return err
	}
	h, err := s.hash(ctx, password)
	if err != nil {
		return err
	}
	uid := r.UserID.Int64
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.useToken(ctx, tx, r.ID); err != nil {
			return err
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, s.q["user-set-password"], h, now, uid); err != nil {
			return fmt.Errorf("staff: unable to set a password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q["session-revoke-all"], now, uid); err != nil {
			return fmt.Errorf("staff: unable to end sessions: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q["throttle-clear"], throttleKey(r.Email)); err != nil {
			return fmt.Errorf("staff: unable to clear the lock-out: %w", err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: uid, Action: "password.reset", Target: userTarget(uid)})
	})
	if err != nil {
		return err
	}
	s.log.Info("staff: password reset", "user_id", uid)
	return nil
}

// VerifyPassword re-checks a signed-in user's password before a sensitive
// change (disabling TOTP, say). Failures do not count toward lock-out: the
// caller already holds a session.
func (s *Service) VerifyPassword(ctx context.Context, userID int64, password string) error {
	u, err := s.userByID(ctx, s.db, userID)
	if err != nil {
		return err
	}
	release, err := s.slot(ctx)
	if err != nil {
		return err
	}
	ok, err := argon2id.ComparePasswordAndHash(password, u.PasswordHash)
	release()
	if err != nil {
		return fmt.Errorf("staff: unable to check a password: %w", err)
	}
	if !ok {
		return ErrBadCredentials
	}
	return nil
}

// SetDisabled disables or re-enables an account (admins only). Disabling ends
// its sessions; the last enabled admin cannot be disabled.
func (s *Service) SetDisabled(ctx context.Context, by, userID int64, disabled bool) error {
	if err := s.requireAdmin(ctx, by); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := s.userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if u.Disabled == disabled {
			return nil
		}
		if disabled && u.IsAdmin {
			if err := s.keepOneAdmin(ctx, tx); err != nil {
				return err
			}
		}
		now := s.now()
		if _, err := tx.ExecContext(ctx, s.q["user-set-disabled"], disabled, now, userID); err != nil {
			return fmt.Errorf("staff: unable to change account %d: %w", userID, err)
		}
		if disabled {
			if _, err := tx.ExecContext(ctx, s.q["session-revoke-all"], now, userID); err != nil {
				return fmt.Errorf("staff: unable to end sessions: %w", err)
			}
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "staff.set_disabled", Target: userTarget(userID),
			Before: map[string]any{"disabled": u.Disabled}, After: map[string]any{"disabled": disabled}})
	})
	return err
}

// keepOneAdmin refuses a change that would leave no enabled admin.
func (s *Service) keepOneAdmin(ctx context.Context, tx *sqlx.Tx) error {
	var n int
	if err := tx.GetContext(ctx, &n, s.q["admin-count"]); err != nil {
		return fmt.Errorf("staff: unable to count admins: %w", err)
	}
	if n <= 1 {
		return fmt.Errorf("%w: this is the last admin", ErrConflict)
	}
	return nil
}

func (s *Service) requireAdmin(ctx context.Context, by int64) error {
	u, err := s.userByID(ctx, s.db, by)
	if errors.Is(err, ErrNotFound) {
		return ErrNoSession
	}
	if err != nil {
		return err
	}
	if u.Disabled {
		return ErrNoSession
	}
	if !u.IsAdmin {
		return ErrForbidden
	}
	return nil
}
