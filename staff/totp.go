package staff

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"image/png"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// totpPeriod and totpSkew are what authenticator apps expect: 30-second
// steps, one step either side accepted for clock drift.
const (
	totpPeriod = 30
	totpSkew   = 1
	// RecoveryCodeCount is how many recovery codes an enrolment yields.
	RecoveryCodeCount = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

// Enrolment is what the TOTP set-up page shows once: the secret (for typing
// in), the otpauth:// URL and the same as a QR code PNG.
type Enrolment struct {
	Secret string
	URL    string
	PNG    []byte
}

// BeginTOTP starts TOTP enrolment for userID. The secret is stored sealed
// and becomes active only when ConfirmTOTP sees a valid code from it.
func (s *Service) BeginTOTP(ctx context.Context, userID int64) (Enrolment, error) {
	u, err := s.userByID(ctx, s.db, userID)
	if err != nil {
		return Enrolment{}, err
	}
	if u.TOTPSecret.Valid {
		return Enrolment{}, fmt.Errorf("%w: TOTP is already on; turn it off first", ErrConflict)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.Issuer, AccountName: u.Email, Period: totpPeriod})
	if err != nil {
		return Enrolment{}, fmt.Errorf("staff: unable to make a TOTP key: %w", err)
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return Enrolment{}, fmt.Errorf("staff: unable to draw the QR code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Enrolment{}, fmt.Errorf("staff: unable to encode the QR code: %w", err)
	}
	sealed, err := s.seal(key.Secret())
	if err != nil {
		return Enrolment{}, fmt.Errorf("staff: unable to seal the TOTP secret: %w", err)
	}
	if _, err := s.db.ExecContext(ctx, s.q["totp-set-pending"], sealed, s.now(), userID); err != nil {
		return Enrolment{}, fmt.Errorf("staff: unable to store the TOTP secret: %w", err)
	}
	return Enrolment{Secret: key.Secret(), URL: key.URL(), PNG: buf.Bytes()}, nil
}

// ConfirmTOTP turns TOTP on once code matches the pending secret, and returns
// RecoveryCodeCount fresh recovery codes: shown once, stored hashed, each
// good for one sign-in.
func (s *Service) ConfirmTOTP(ctx context.Context, userID int64, code string) ([]string, error) {
	u, err := s.userByID(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	if !u.TOTPPending.Valid {
		return nil, fmt.Errorf("%w: no TOTP enrolment is under way", ErrConflict)
	}
	secret, err := s.open(u.TOTPPending.String)
	if err != nil {
		return nil, err
	}
	step, ok := s.matchTOTP(secret, normalizeCode(code), 0)
	if !ok {
		return nil, ErrBadCredentials
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		now := s.now()
		n, err := rowsAffected(tx.ExecContext(ctx, s.q["totp-enable"], step, now, userID))
		if err != nil {
			return fmt.Errorf("staff: unable to turn TOTP on: %w", err)
		}
		if n != 1 {
			return fmt.Errorf("%w: no TOTP enrolment is under way", ErrConflict)
		}
		if err := s.replaceRecoveryCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, Entry{ActorID: userID, Action: "totp.enable", Target: userTarget(userID),
			Before: map[string]any{"totp": false}, After: map[string]any{"totp": true}})
	})
	if err != nil {
		return nil, err
	}
	s.log.Info("staff: TOTP turned on", "user_id", userID)
	return codes, nil
}

func (s *Service) replaceRecoveryCodes(ctx context.Context, tx *sqlx.Tx, userID int64, codes []string) error {
	if _, err := tx.ExecContext(ctx, s.q["recovery-delete"], userID); err != nil {
		return fmt.Errorf("staff: unable to drop recovery codes: %w", err)
	}
	now := s.now()
	for _, c := range codes {
		if _, err := tx.ExecContext(ctx, s.q["recovery-insert"], userID, hashToken(normalizeCode(c)), now); err != nil {
			return fmt.Errorf("staff: unable to store a recovery code: %w", err)
		}
	}
	return nil
}

// RegenerateRecoveryCodes replaces a TOTP user's recovery codes (the old
// ones stop working). The caller re-checks the password first.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, userID int64) ([]string, error) {
	u, err := s.userByID(ctx, s.db, userID)
	if err != nil {
		return nil, err
	}
	if !u.TOTPSecret.Valid {
		return nil, fmt.Errorf("%w: TOTP is off", ErrConflict)
	}
	codes := make([]string, RecoveryCodeCount)
	for i := range codes {
		codes[i] = newRecoveryCode()
	}
	err = s.inTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.replaceRecoveryCodes(ctx, tx, userID, codes); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, Entry{ActorID: userID, Action: "totp.recovery_regenerate", Target: userTarget(userID)})
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// RecoveryCodesLeft counts a user's unused recovery codes.
func (s *Service) RecoveryCodesLeft(ctx context.Context, userID int64) (int, error) {
	var n int
	if err := s.db.GetContext(ctx, &n, s.q["recovery-remaining"], userID); err != nil {
		return 0, fmt.Errorf("staff: unable to count recovery codes: %w", err)
	}
	return n, nil
}

// DisableTOTP turns the second factor off for userID and drops its recovery
// codes. by is the user themself (after VerifyPassword) or an admin helping
// someone who lost their device.
func (s *Service) DisableTOTP(ctx context.Context, by, userID int64) error {
	if by != userID {
		if err := s.requireAdmin(ctx, by); err != nil {
			return err
		}
	}
	return s.inTx(ctx, func(tx *sqlx.Tx) error {
		u, err := s.userByID(ctx, tx, userID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q["totp-disable"], s.now(), userID); err != nil {
			return fmt.Errorf("staff: unable to turn TOTP off: %w", err)
		}
		if _, err := tx.ExecContext(ctx, s.q["recovery-delete"], userID); err != nil {
			return fmt.Errorf("staff: unable to drop recovery codes: %w", err)
		}
		return s.auditTx(ctx, tx, Entry{ActorID: by, Action: "totp.disable", Target: userTarget(userID),
			Before: map[string]any{"totp": u.TOTPSecret.Valid}, After: map[string]any{"totp": false}})
	})
}

// checkSecondFactor accepts a current TOTP code not used before, or an unused
// recovery code (which it uses up).
func (s *Service) checkSecondFactor(ctx context.Context, u userRow, code string) (bool, error) {
	code = normalizeCode(code)
	if len(code) == 6 {
		secret, err := s.open(u.TOTPSecret.String)
		if err != nil {
			return false, err
		}
		step, ok := s.matchTOTP(secret, code, u.TOTPLastStep)
		if !ok {
			return false, nil
		}
		// The conditional update makes a code good once even under
		// concurrent sign-ins.
		n, err := rowsAffected(s.db.ExecContext(ctx, s.q["totp-use-step"], step, u.ID, step))
		if err != nil {
			return false, fmt.Errorf("staff: unable to record a TOTP step: %w", err)
		}
		return n == 1, nil
	}
	n, err := rowsAffected(s.db.ExecContext(ctx, s.q["recovery-use"], s.now(), u.ID, hashToken(code)))
	if err != nil {
		return false, fmt.Errorf("staff: unable to use a recovery code: %w", err)
	}
	if n != 1 {
		return false, nil
	}
	if err := s.Audit(ctx, Entry{ActorID: u.ID, Action: "totp.recovery_used", Target: userTarget(u.ID)}); err != nil {
		return false, err
	}
	return true, nil
}

// matchTOTP finds the time step, within the skew and after lastStep, whose
// code is code.
func (s *Service) matchTOTP(secret, code string, lastStep int64) (int64, bool) {
	if len(code) != 6 {
		return 0, false
	}
	now := s.clock().Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := now + d
		if step <= lastStep {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totpOpts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// normalizeCode drops what people type around a code: spaces and dashes.
func normalizeCode(c string) string {
	return strings.ToLower(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(strings.TrimSpace(c)))
}

// newRecoveryCode returns ten characters of Crockford-like base32 (50 bits),
// shown as xxxxx-xxxxx.
func newRecoveryCode() string {
	const alphabet = "abcdefghjkmnpqrstvwxyz0123456789"
	b := make([]byte, 10)
	rand.Read(b)
	out := make([]byte, 0, 11)
	for i, c := range b {
		if i == 5 {
			out = append(out, '-')
		}
		out = append(out, alphabet[int(c)%len(alphabet)])
	}
	return string(out)
}
