package sqlstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// locked checks that err is the lock refusal and returns the minutes it
// asks to wait.
func locked(t *testing.T, err error) int {
	t.Helper()
	var e *participation.Error
	if !errors.As(err, &e) || e.Code != participation.CodeLocked || e.Key != "err.code_locked" || e.Field != "code" || len(e.Args) != 1 {
		t.Fatalf("got %v, want the code locked", err)
	}
	return e.Args[0].(int)
}

func TestVerifyLockout(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.registered()
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		p.PersonalFields = []participation.PersonalField{participation.FieldPhone}
		ok(t, x.s.UpdateProcess(x.ctx, p))
		consent := participation.Consent{NoticeVersion: 1}
		me := x.citizen.ID
		code := must(x.s.Register(x.ctx, x.proc, me, consent, participation.Profile{Phone: "0712 345 678"}))(t)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		at := func(d time.Duration) func(secret string) error {
			ctx := participation.AsOf(x.ctx, now.Add(d))
			return func(secret string) error { return x.s.Verify(ctx, x.proc, me, secret) }
		}

		// Four wrong tries are wrong; the fifth locks the code for a minute.
		for i := 0; i < 4; i++ {
			wantField(t, at(0)(wrong), "code", "err.bad_code")
		}
		if m := locked(t, at(0)(wrong)); m != 1 {
			t.Fatalf("first lock: %d min, want 1", m)
		}
		// During the lock the right code is refused too, and registering
		// again (a fresh code) does not lift it.
		if m := locked(t, at(30*time.Second)(code)); m != 1 {
			t.Fatalf("half-way through the first lock: %d min, want 1", m)
		}
		code = must(x.s.Register(x.ctx, x.proc, me, consent, participation.Profile{Phone: "0712 345 678"}))(t)
		locked(t, at(59*time.Second)(code))

		// After it, five more wrong tries lock it twice as long…
		for i := 0; i < 4; i++ {
			wantField(t, at(time.Minute)(wrong), "code", "err.bad_code")
		}
		if m := locked(t, at(time.Minute)(wrong)); m != 2 {
			t.Fatalf("second lock: %d min, want 2", m)
		}
		locked(t, at(2*time.Minute+59*time.Second)(code))
		// …then four.
		for i := 0; i < 4; i++ {
			wantField(t, at(3*time.Minute)(wrong), "code", "err.bad_code")
		}
		if m := locked(t, at(3*time.Minute)(wrong)); m != 4 {
			t.Fatalf("third lock: %d min, want 4", m)
		}
		if m := locked(t, at(4*time.Minute+time.Second)(code)); m != 3 {
			t.Fatalf("a minute into the third lock: %d min to wait, want 3 (rounded up)", m)
		}
		// Tries during a lock are not counted: once it is over the right
		// code works.
		ok(t, at(7*time.Minute)(code))
		if yes := must(x.s.IsRegistered(x.ctx, x.proc, me))(t); !yes {
			t.Fatal("not registered after the lock")
		}
		var profile participation.Profile
		ok(t, x.s.DB().GetContext(x.ctx, &profile, x.s.DB().Rebind("SELECT phone FROM profiles WHERE participant_id = ? AND process_id = ?"), me, x.proc))
		if profile.Phone != "+254712345678" {
			t.Fatalf("phone stored as %q, want +254712345678", profile.Phone)
		}
	})
}

// rows counts what a registration may have left behind.
func (x *fx) rows(table string, participantID int64) int {
	x.t.Helper()
	var n int
	ok(x.t, x.s.DB().GetContext(x.ctx, &n, x.s.DB().Rebind("SELECT COUNT(*) FROM "+table+" WHERE participant_id = ?"), participantID))
	return n
}

func TestRegistrationContacts(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.registered()
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		p.PersonalFields = []participation.PersonalField{participation.FieldEmail, participation.FieldPhone}
		ok(t, x.s.UpdateProcess(x.ctx, p))
		consent := participation.Consent{NoticeVersion: 1}
		me := x.citizen.ID
		reg := func(pr participation.Profile) error {
			_, err := x.s.Register(x.ctx, x.proc, me, consent, pr)
			return err
		}
		before := x.count()
		wantField(t, reg(participation.Profile{Email: "amina@example"}), "email", "err.email")
		wantField(t, reg(participation.Profile{Email: "Amina <amina@example.org>"}), "email", "err.email")
		wantField(t, reg(participation.Profile{Phone: "07-12"}), "phone", "err.phone")
		wantField(t, reg(participation.Profile{Phone: "020 222 2181"}), "phone", "err.phone_mobile")
		// Refused before anything is stored: no consent, no profile, no code.
		for _, table := range []string{"consents", "profiles", "verifications"} {
			if n := x.rows(table, me); n != 0 {
				t.Fatalf("%d %s rows after refused registrations", n, table)
			}
		}
		if x.count() != before {
			t.Fatal("a refused registration wrote events")
		}

		// A Kenyan process reads the local form; both are stored normalised,
		// with the language the participant registered in.
		ok(t, reg(participation.Profile{Email: "Amina@Example.ORG", Phone: "0712-345-678", Lang: "sw"}))
		var got participation.Profile
		ok(t, x.s.DB().GetContext(x.ctx, &got, x.s.DB().Rebind("SELECT email, phone, lang FROM profiles WHERE participant_id = ? AND process_id = ?"), me, x.proc))
		if got.Email != "Amina@example.org" || got.Phone != "+254712345678" || got.Lang != "sw" {
			t.Fatalf("stored %+v", got)
		}

		// Elsewhere a local form cannot be read: the country code is asked for.
		p.TimeZone = "Europe/Berlin"
		ok(t, x.s.UpdateProcess(x.ctx, p))
		other := x.citizen2.ID
		_, err := x.s.Register(x.ctx, x.proc, other, consent, participation.Profile{Phone: "0712 345 678"})
		wantField(t, err, "phone", "err.phone_country")
		if n := x.rows("profiles", other); n != 0 {
			t.Fatal("a refused phone was stored")
		}
		must(x.s.Register(x.ctx, x.proc, other, consent, participation.Profile{Phone: "+49 30 1234567"}))(t)
		// No language given: the process's first.
		ok(t, x.s.DB().GetContext(x.ctx, &got, x.s.DB().Rebind("SELECT email, phone, lang FROM profiles WHERE participant_id = ? AND process_id = ?"), other, x.proc))
		if got.Phone != "+49301234567" || got.Lang != "en" {
			t.Fatalf("stored %+v", got)
		}
	})
}
