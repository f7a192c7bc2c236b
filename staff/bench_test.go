package staff_test

import (
	"context"
	"testing"

	"github.com/alexedwards/argon2id"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

// BenchmarkArgon2idDefault measures one password hash at the production cost,
// which is what every sign-in (known email or not) pays once.
func BenchmarkArgon2idDefault(b *testing.B) {
	p := staff.DefaultConfig().Argon2
	for b.Loop() {
		if _, err := argon2id.CreateHash("correct horse battery staple", p); err != nil {
			b.Fatal(err)
		}
	}
}

func benchBackends(b *testing.B, f func(b *testing.B, be sqldbtest.Backend)) {
	b.Run("sqlite", func(b *testing.B) { f(b, sqldbtest.Backend{Name: "sqlite", URL: sqldbtest.NewSQLiteURL(b)}) })
	b.Run("postgres", func(b *testing.B) { f(b, sqldbtest.Backend{Name: "postgres", URL: sqldbtest.NewPostgresURL(b)}) })
}

// BenchmarkAuthenticate is a full sign-in at production cost: throttle
// count, argon2id check, throttle clear, session insert.
func BenchmarkAuthenticate(b *testing.B) {
	benchBackends(b, func(b *testing.B, be sqldbtest.Backend) {
		ctx := context.Background()
		svc, err := staff.Open(ctx, be.Open(b))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.CreateAdmin(ctx, "admin@example.org", adminPassword); err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := svc.Authenticate(ctx, "admin@example.org", adminPassword, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSessionAndAuthorize is what every staff request pays: the session
// lookup and one Authorize on a process.
func BenchmarkSessionAndAuthorize(b *testing.B) {
	benchBackends(b, func(b *testing.B, be sqldbtest.Backend) {
		ctx := context.Background()
		svc, err := staff.Open(ctx, be.Open(b), staff.WithArgon2Params(cheap))
		if err != nil {
			b.Fatal(err)
		}
		admin, err := svc.CreateAdmin(ctx, "admin@example.org", adminPassword)
		if err != nil {
			b.Fatal(err)
		}
		tok, err := svc.Invite(ctx, admin.ID, "analyst@example.org", []staff.Grant{{ProcessID: 1, Role: staff.RoleAnalyst}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := svc.AcceptInvite(ctx, tok, "Analyst", "analyst password 1"); err != nil {
			b.Fatal(err)
		}
		sess, err := svc.Authenticate(ctx, "analyst@example.org", "analyst password 1", "")
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			_, u, err := svc.SessionByToken(ctx, sess.Token)
			if err != nil {
				b.Fatal(err)
			}
			if err := svc.Authorize(ctx, u, staff.ViewDashboard, 1); err != nil {
				b.Fatal(err)
			}
		}
	})
}
