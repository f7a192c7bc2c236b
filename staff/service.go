// Package staff holds the staff side of civicpulse: accounts (invited by an
// admin, argon2id passwords, optional TOTP), sign-in with lock-out, sessions,
// per-process roles, the one authorisation check every staff handler goes
// through, and the append-only audit log.
//
// Staff are not participants: they live in their own tables of the
// participation database, in the migration stream "staff", so no citizen
// account can ever become a staff account. See README.md for how the web
// layer is meant to call this package.
package staff

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/jmoiron/sqlx"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed migrations
var migrations embed.FS

//go:embed queries/*.sql
var queryFiles embed.FS

// Errors. Handlers map them to statuses: ErrNoSession 401, ErrForbidden 403,
// ErrNotFound 404, ErrLocked 429, ErrInvalid and ErrWeakPassword 422,
// ErrExists and ErrConflict 409; ErrBadCredentials, ErrTOTPRequired,
// ErrDisabled and ErrInvalidToken re-render their form with a message;
// ErrRevoked (a withdrawn invitation) is 410 like ErrInvalidToken, with its
// own message.
var (
	ErrNotFound       = errors.New("staff: not found")
	ErrForbidden      = errors.New("staff: not allowed")
	ErrNoSession      = errors.New("staff: not signed in or session expired")
	ErrBadCredentials = errors.New("staff: wrong email, password or code")
	ErrTOTPRequired   = errors.New("staff: an authentication code is required")
	ErrLocked         = errors.New("staff: too many failed sign-ins; try again later")
	ErrDisabled       = errors.New("staff: this account is disabled")
	ErrInvalidToken   = errors.New("staff: this link is invalid, already used or expired")
	ErrRevoked        = errors.New("staff: this invitation was revoked")
	ErrWeakPassword   = errors.New("staff: password does not meet the policy")
	ErrInvalid        = errors.New("staff: invalid input")
	ErrExists         = errors.New("staff: an account with this email exists")
	ErrConflict       = errors.New("staff: the change conflicts with the current state")
)

// LockedError says until when sign-in is refused for an email. It is the
// same for known and unknown addresses, so it reveals nothing.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return fmt.Sprintf("staff: too many failed sign-ins; try again after %s", e.Until.Format(time.RFC3339))
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Config holds the tunables; Open's options set them.
type Config struct {
	Argon2          *argon2id.Params
	SessionIdle     time.Duration // a session unused this long ends
	SessionAbsolute time.Duration // and no session lives longer than this
	InviteTTL       time.Duration
	ResetTTL        time.Duration
	MaxFailures     int           // failed sign-ins before a lock
	LockBase        time.Duration // first lock; each further lock doubles
	LockMax         time.Duration
	Issuer          string // shown in authenticator apps
	// MaxHashes bounds the argon2id computations running at once: each holds
	// Argon2.Memory, and a burst of sign-ins must not exhaust the machine.
	MaxHashes int
}

// DefaultConfig is what production runs with. The argon2id cost (64 MiB, one
// pass, 2 lanes; RFC 9106's second recommendation scaled to our cores) is
// measured by BenchmarkArgon2idDefault.
func DefaultConfig() Config {
	return Config{
		Argon2:          &argon2id.Params{Memory: 64 * 1024, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32},
		MaxHashes:       4,
		SessionIdle:     30 * time.Minute,
		SessionAbsolute: 12 * time.Hour,
		InviteTTL:       72 * time.Hour,
		ResetTTL:        time.Hour,
		MaxFailures:     5,
		LockBase:        time.Minute,
		LockMax:         24 * time.Hour,
		Issuer:          "civicpulse",
	}
}

// Option changes how Open builds the Service.
type Option func(*Service)

// WithClock replaces time.Now (tests use a fixed clock).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.clock = now } }

// WithArgon2Params sets the password hashing cost (tests use a low one).
// Hashes carry their own parameters, so changing them later keeps old
// passwords working; they are re-hashed at the next sign-in.
func WithArgon2Params(p *argon2id.Params) Option { return func(s *Service) { s.cfg.Argon2 = p } }

// WithLogger sets the logger; it never receives emails, names, tokens or secrets.
func WithLogger(l *slog.Logger) Option { return func(s *Service) { s.log = l } }

// WithSecretKey sets the 32-byte key that seals TOTP secrets at rest
// (AES-256-GCM). Without it a random key is kept in the staff_settings table,
// which protects against a leaked column but not a stolen database: production
// should pass a key from the environment (e.g. CIVICPULSE_STAFF_KEY_FILE).
func WithSecretKey(key []byte) Option { return func(s *Service) { s.key = key } }

// WithConfig replaces every tunable at once.
func WithConfig(c Config) Option { return func(s *Service) { s.cfg = c } }

// Service is the staff store and its rules. It is safe for concurrent use.
type Service struct {
	db        *sqldb.DB
	q         map[string]string // statement name → text rebound for the dialect
	cfg       Config
	clock     func() time.Time
	log       *slog.Logger
	key       []byte
	aead      cipher.AEAD
	dummyHash string // compared against for unknown emails, so timing matches
	hashSlots chan struct{}
}

// Open migrates the "staff" stream, loads and checks the SQL, and returns the
// Service.
func Open(ctx context.Context, db *sqldb.DB, opts ...Option) (*Service, error) {
	s := &Service{db: db, cfg: DefaultConfig(), clock: time.Now, log: slog.Default()}
	for _, o := range opts {
		o(s)
	}
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx, "staff", sub); err != nil {
		return nil, fmt.Errorf("staff: unable to migrate: %w", err)
	}
	set, err := sqlfile.Load(queryFiles, "queries/*.sql")
	if err != nil {
		return nil, fmt.Errorf("staff: unable to load SQL: %w", err)
	}
	s.q = make(map[string]string, len(set))
	for name, text := range set {
		text = db.Rebind(text)
		// Preparing every statement now makes a broken query fail at boot.
		st, err := db.PrepareContext(ctx, text)
		if err != nil {
			return nil, fmt.Errorf("staff: statement %s does not prepare: %w", name, err)
		}
		st.Close()
		s.q[name] = text
	}
	if err := s.initKey(ctx); err != nil {
		return nil, err
	}
	s.hashSlots = make(chan struct{}, max(1, s.cfg.MaxHashes))
	if s.dummyHash, err = argon2id.CreateHash("not a password of anyone", s.cfg.Argon2); err != nil {
		return nil, fmt.Errorf("staff: unable to hash: %w", err)
	}
	return s, nil
}

func (s *Service) initKey(ctx context.Context) error {
	if s.key == nil {
		var enc string
		err := s.db.GetContext(ctx, &enc, s.q["setting-get"], "totp_key")
		if errors.Is(err, sql.ErrNoRows) {
			k := make([]byte, 32)
			rand.Read(k)
			// Two replicas starting together: the first insert wins and both read it back.
			if _, err := s.db.ExecContext(ctx, s.q["setting-insert"], "totp_key", base64.StdEncoding.EncodeToString(k)); err != nil {
				return fmt.Errorf("staff: unable to store the TOTP key: %w", err)
			}
			err = s.db.GetContext(ctx, &enc, s.q["setting-get"], "totp_key")
		}
		if err != nil {
			return fmt.Errorf("staff: unable to read the TOTP key: %w", err)
		}
		if s.key, err = base64.StdEncoding.DecodeString(enc); err != nil {
			return fmt.Errorf("staff: stored TOTP key is not base64: %w", err)
		}
		s.log.Warn("staff: TOTP secrets are sealed with a key kept in the database; pass WithSecretKey in production")
	}
	if len(s.key) != 32 {
		return fmt.Errorf("staff: the secret key must be 32 bytes, got %d", len(s.key))
	}
	block, err := aes.NewCipher(s.key)
	if err != nil {
		return fmt.Errorf("staff: unable to build the cipher: %w", err)
	}
	s.aead, err = cipher.NewGCM(block)
	return err
}

// now is the clock in UTC at the precision both backends keep.
func (s *Service) now() time.Time { return s.clock().UTC().Truncate(time.Microsecond) }

// inTx runs f in one transaction (on SQLite an immediate one: the write lock
// is taken at BEGIN, so read-then-write inside f cannot race).
func (s *Service) inTx(ctx context.Context, f func(tx *sqlx.Tx) error) error {
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("staff: unable to begin: %w", err)
	}
	if err := f(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("staff: unable to commit: %w", err)
	}
	return nil
}

func (s *Service) seal(plain string) (string, error) {
	nonce := make([]byte, s.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", err
	}
	out := s.aead.Seal(nonce, nonce, []byte(plain), []byte("staff-totp"))
	return base64.StdEncoding.EncodeToString(out), nil
}

func (s *Service) open(sealed string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(b) < s.aead.NonceSize() {
		return "", errors.New("staff: sealed secret is malformed")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, b[:n], b[n:], []byte("staff-totp"))
	if err != nil {
		return "", errors.New("staff: sealed secret does not open with this key")
	}
	return string(plain), nil
}

func rowsAffected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
