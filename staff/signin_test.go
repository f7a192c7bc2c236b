package staff_test

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

func wantLocked(t *testing.T, err error, until time.Time) {
	t.Helper()
	var le *staff.LockedError
	if !errors.As(err, &le) || !errors.Is(err, staff.ErrLocked) {
		t.Fatalf("got %v, want a lock", err)
	}
	if !le.Until.Equal(until) {
		t.Fatalf("locked until %s, want %s", le.Until, until)
	}
}

func TestLockoutBacksOffPerEmailAndTreatsUnknownEmailsAlike(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		e.admin(t)
		ctx := context.Background()
		for _, email := range []string{"admin@example.org", "nobody@example.org"} {
			t.Run(email, func(t *testing.T) {
				fail := func(n int) {
					t.Helper()
					for i := 0; i < n; i++ {
						if _, err := e.svc.Authenticate(ctx, email, "wrong password!!", ""); !errors.Is(err, staff.ErrBadCredentials) {
							t.Fatalf("failure %d: %v, want ErrBadCredentials", i+1, err)
						}
					}
				}
				before := strings.Count(e.logs.String(), "staff: sign-in failed")
				fail(5)
				if n := strings.Count(e.logs.String(), "staff: sign-in failed") - before; n != 5 {
					t.Errorf("%d failed sign-ins logged, want 5", n)
				}
				if strings.Contains(e.logs.String(), email) || strings.Contains(e.logs.String(), "wrong password") {
					t.Error("the log names the email or the password that was typed")
				}
				// Locked now, even with the right password.
				_, err := e.svc.Authenticate(ctx, email, adminPassword, "")
				wantLocked(t, err, e.clock.Now().Add(time.Minute))
				e.clock.Advance(59 * time.Second)
				_, err = e.svc.Authenticate(ctx, email, adminPassword, "")
				wantLocked(t, err, e.clock.Now().Add(time.Second))

				// The second lock lasts twice as long, the third four times.
				e.clock.Advance(time.Second)
				fail(5)
				_, err = e.svc.Authenticate(ctx, email, "wrong password!!", "")
				wantLocked(t, err, e.clock.Now().Add(2*time.Minute))
				e.clock.Advance(2 * time.Minute)
				fail(5)
				_, err = e.svc.Authenticate(ctx, email, "wrong password!!", "")
				wantLocked(t, err, e.clock.Now().Add(4*time.Minute))
				e.clock.Advance(4 * time.Minute)

				if email == "nobody@example.org" {
					return
				}
				// A success resets the back-off.
				if _, err := e.svc.Authenticate(ctx, "ADMIN@example.org ", adminPassword, ""); err != nil {
					t.Fatalf("sign-in after the lock: %v", err)
				}
				fail(5)
				_, err = e.svc.Authenticate(ctx, email, adminPassword, "")
				wantLocked(t, err, e.clock.Now().Add(time.Minute))
			})
		}
	})
}

func TestParallelGuessesAreCountedBeforeTheyAreChecked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		e.admin(t)
		ctx := context.Background()
		const n = 20
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = e.svc.Authenticate(ctx, "admin@example.org", "wrong password!!", "")
			}()
		}
		wg.Wait()
		checked := 0
		for _, err := range errs {
			switch {
			case errors.Is(err, staff.ErrBadCredentials):
				checked++
			case errors.Is(err, staff.ErrLocked):
			default:
				t.Fatalf("unexpected error %v", err)
			}
		}
		if checked > 5 {
			t.Fatalf("%d parallel guesses were checked, want at most 5", checked)
		}
	})
}

func TestTOTPEnrolmentSignInAndRecoveryCodes(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		u := e.admin(t)
		ctx := context.Background()
		code := func(secret string) string {
			t.Helper()
			c, err := totp.GenerateCodeCustom(secret, e.clock.Now(), totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
			if err != nil {
				t.Fatal(err)
			}
			return c
		}

		enr, err := e.svc.BeginTOTP(ctx, u.ID)
		if err != nil {
			t.Fatalf("BeginTOTP: %v", err)
		}
		img, err := png.Decode(bytes.NewReader(enr.PNG))
		if err != nil || img.Bounds().Dx() < 200 {
			t.Fatalf("QR code is not a usable PNG: %v", err)
		}
		// Not active until confirmed.
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, ""); err != nil {
			t.Fatalf("sign-in before confirmation: %v", err)
		}
		if _, err := e.svc.ConfirmTOTP(ctx, u.ID, wrongCode(code(enr.Secret))); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("wrong confirmation code: %v", err)
		}
		confirmCode := code(enr.Secret)
		recovery, err := e.svc.ConfirmTOTP(ctx, u.ID, confirmCode)
		if err != nil || len(recovery) != staff.RecoveryCodeCount {
			t.Fatalf("ConfirmTOTP: %d codes, %v", len(recovery), err)
		}

		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, ""); !errors.Is(err, staff.ErrTOTPRequired) {
			t.Fatalf("no code: %v, want ErrTOTPRequired", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, confirmCode); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("the confirmation code replayed: %v", err)
		}
		e.clock.Advance(30 * time.Second)
		c := code(enr.Secret)
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, c[:3]+" "+c[3:]); err != nil {
			t.Fatalf("fresh code: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, c); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("same code twice: %v", err)
		}
		// A code from one step ago is still accepted (clock drift), two steps not.
		e.clock.Advance(30 * time.Second)
		old := code(enr.Secret)
		e.clock.Advance(30 * time.Second)
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, old); err != nil {
			t.Fatalf("code one step old: %v", err)
		}
		e.clock.Advance(30 * time.Second)
		stale := code(enr.Secret)
		e.clock.Advance(60 * time.Second)
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, stale); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("unused code two steps old: %v", err)
		}
		// The wrong password with a right code fails too.
		if _, err := e.svc.Authenticate(ctx, u.Email, "wrong password!!", code(enr.Secret)); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("wrong password, right code: %v", err)
		}

		// Recovery codes: each once, in any case and with or without the dash.
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, recovery[0]); err != nil {
			t.Fatalf("recovery code: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, recovery[0]); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("recovery code twice: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, " "+upperNoDash(recovery[1])); err != nil {
			t.Fatalf("recovery code typed differently: %v", err)
		}
		if left, err := e.svc.RecoveryCodesLeft(ctx, u.ID); err != nil || left != 8 {
			t.Fatalf("recovery codes left = %d (%v), want 8", left, err)
		}
		// New codes replace the old ones.
		fresh, err := e.svc.RegenerateRecoveryCodes(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, recovery[2]); !errors.Is(err, staff.ErrBadCredentials) {
			t.Fatalf("replaced recovery code: %v", err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, fresh[0]); err != nil {
			t.Fatalf("new recovery code: %v", err)
		}

		if _, err := e.svc.BeginTOTP(ctx, u.ID); !errors.Is(err, staff.ErrConflict) {
			t.Fatalf("second enrolment while on: %v", err)
		}
		if err := e.svc.DisableTOTP(ctx, u.ID, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Authenticate(ctx, u.Email, adminPassword, ""); err != nil {
			t.Fatalf("sign-in with TOTP off: %v", err)
		}
		if left, _ := e.svc.RecoveryCodesLeft(ctx, u.ID); left != 0 {
			t.Fatalf("recovery codes survive TOTP off: %d", left)
		}
	})
}

// wrongCode changes the last digit of a right code.
func wrongCode(c string) string {
	return c[:5] + string('0'+(c[5]-'0'+1)%10)
}

func upperNoDash(s string) string {
	out := []rune{}
	for _, r := range s {
		if r == '-' {
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		out = append(out, r)
	}
	return string(out)
}

func TestSessionsExpireAndCanBeRevoked(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		admin := e.admin(t)
		ctx := context.Background()
		signIn := func(email, password string) staff.Session {
			t.Helper()
			s, err := e.svc.Authenticate(ctx, email, password, "")
			if err != nil || s.Token == "" {
				t.Fatalf("sign-in: %v", err)
			}
			return s
		}
		alive := func(tok string) bool {
			t.Helper()
			_, _, err := e.svc.SessionByToken(ctx, tok)
			if err != nil && !errors.Is(err, staff.ErrNoSession) {
				t.Fatal(err)
			}
			return err == nil
		}

		// Idle timeout slides with use.
		s := signIn(admin.Email, adminPassword)
		_, u, err := e.svc.SessionByToken(ctx, s.Token)
		if err != nil || u.ID != admin.ID || !u.Admin {
			t.Fatalf("SessionByToken: %+v %v", u, err)
		}
		e.clock.Advance(29 * time.Minute)
		if !alive(s.Token) {
			t.Fatal("session ended before the idle timeout")
		}
		e.clock.Advance(29 * time.Minute)
		if !alive(s.Token) {
			t.Fatal("use did not extend the idle timeout")
		}
		e.clock.Advance(30 * time.Minute)
		if alive(s.Token) {
			t.Fatal("idle session still alive")
		}

		// Absolute expiry holds however busy the session is.
		s = signIn(admin.Email, adminPassword)
		for i := 0; i < 12*3-1; i++ {
			e.clock.Advance(20 * time.Minute)
			if !alive(s.Token) {
				t.Fatalf("busy session ended after %d min", (i+1)*20)
			}
		}
		e.clock.Advance(20 * time.Minute)
		if alive(s.Token) {
			t.Fatal("session outlived its absolute expiry")
		}

		// Revocation: one, all, and by whom.
		other := e.member(t, admin.ID, "analyst@example.org", "analyst password 1", staff.Grant{ProcessID: 1, Role: staff.RoleAnalyst})
		s1, s2 := signIn(admin.Email, adminPassword), signIn(admin.Email, adminPassword)
		so := signIn(other.Email, "analyst password 1")
		list, err := e.svc.Sessions(ctx, admin.ID)
		if err != nil || len(list) != 2 || list[0].ID != s2.ID {
			t.Fatalf("Sessions = %+v, %v", list, err)
		}
		if err := e.svc.Revoke(ctx, other.ID, s1.ID); !errors.Is(err, staff.ErrNotFound) {
			t.Fatalf("revoking someone else's session: %v", err)
		}
		if err := e.svc.Revoke(ctx, admin.ID, s1.ID); err != nil {
			t.Fatal(err)
		}
		if alive(s1.Token) || !alive(s2.Token) {
			t.Fatal("Revoke ended the wrong session")
		}
		if err := e.svc.RevokeAll(ctx, other.ID, admin.ID); !errors.Is(err, staff.ErrForbidden) {
			t.Fatalf("a non-admin revoking all of another: %v", err)
		}
		if err := e.svc.RevokeAll(ctx, admin.ID, other.ID); err != nil {
			t.Fatal(err)
		}
		if alive(so.Token) || !alive(s2.Token) {
			t.Fatal("RevokeAll ended the wrong sessions")
		}
		if err := e.svc.SignOut(ctx, s2.Token); err != nil || alive(s2.Token) {
			t.Fatalf("SignOut: %v", err)
		}
		if err := e.svc.SignOut(ctx, s2.Token); err != nil {
			t.Fatalf("second SignOut: %v", err)
		}

		// Disabling an account ends its sessions and its sign-ins.
		so = signIn(other.Email, "analyst password 1")
		if err := e.svc.SetDisabled(ctx, admin.ID, other.ID, true); err != nil {
			t.Fatal(err)
		}
		if alive(so.Token) {
			t.Fatal("a disabled user's session lives on")
		}
		if _, err := e.svc.Authenticate(ctx, other.Email, "analyst password 1", ""); !errors.Is(err, staff.ErrDisabled) {
			t.Fatalf("disabled sign-in: %v", err)
		}
		for _, tok := range []string{"", "nonsense", s.Token + "x"} {
			if alive(tok) {
				t.Fatalf("token %q accepted", tok)
			}
		}
		// Purge drops every dead session and keeps the live one.
		live := signIn(admin.Email, adminPassword)
		if err := e.svc.Purge(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := e.db.GetContext(ctx, &n, "SELECT COUNT(*) FROM staff_sessions"); err != nil || n != 1 || !alive(live.Token) {
			t.Fatalf("after Purge: %d sessions (%v), live one alive: %v", n, err, alive(live.Token))
		}
	})
}

func TestReopeningKeepsTOTPWorking(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		u := e.admin(t)
		ctx := context.Background()
		opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
		enr, err := e.svc.BeginTOTP(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := totp.GenerateCodeCustom(enr.Secret, e.clock.Now(), opts)
		if _, err := e.svc.ConfirmTOTP(ctx, u.ID, c); err != nil {
			t.Fatal(err)
		}
		// A restart: migrations are not re-applied and the stored key is reused.
		again, err := staff.Open(ctx, e.db, staff.WithClock(e.clock.Now), staff.WithArgon2Params(cheap))
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(30 * time.Second)
		c, _ = totp.GenerateCodeCustom(enr.Secret, e.clock.Now(), opts)
		if _, err := again.Authenticate(ctx, u.Email, adminPassword, c); err != nil {
			t.Fatalf("sign-in after reopening: %v", err)
		}
		// Another key cannot open the secret: sign-in fails loudly, not open.
		other, err := staff.Open(ctx, e.db, staff.WithClock(e.clock.Now), staff.WithArgon2Params(cheap), staff.WithSecretKey(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(30 * time.Second)
		c, _ = totp.GenerateCodeCustom(enr.Secret, e.clock.Now(), opts)
		if _, err := other.Authenticate(ctx, u.Email, adminPassword, c); err == nil {
			t.Fatal("a wrong key signed in")
		}
		if _, err := staff.Open(ctx, e.db, staff.WithSecretKey([]byte("short"))); err == nil {
			t.Fatal("a 5-byte key was accepted")
		}
	})
}
