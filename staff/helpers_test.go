package staff_test

import (
	"bytes"
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

// clock is a fixed, hand-advanced clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// lockedBuffer collects log output from concurrent writers.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type env struct {
	svc   *staff.Service
	db    *sqldb.DB
	clock *clock
	logs  *lockedBuffer
}

// cheap keeps argon2id fast in tests; production cost is in DefaultConfig.
var cheap = &argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func newEnv(t *testing.T, b sqldbtest.Backend) env {
	t.Helper()
	db := b.Open(t)
	c := &clock{t: time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)}
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, err := staff.Open(context.Background(), db, staff.WithClock(c.Now), staff.WithArgon2Params(cheap), staff.WithLogger(logger))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return env{svc: svc, db: db, clock: c, logs: logs}
}

const adminPassword = "correct horse battery staple"

func (e env) admin(t *testing.T) staff.User {
	t.Helper()
	u, err := e.svc.CreateAdmin(context.Background(), "Admin@Example.org", adminPassword)
	if err != nil {
		t.Fatalf("CreateAdmin: %v", err)
	}
	return u
}

// member invites email with grants and accepts the invitation.
func (e env) member(t *testing.T, by int64, email, password string, grants ...staff.Grant) staff.User {
	t.Helper()
	ctx := context.Background()
	tok, err := e.svc.Invite(ctx, by, email, grants)
	if err != nil {
		t.Fatalf("Invite %s: %v", email, err)
	}
	u, err := e.svc.AcceptInvite(ctx, tok, "Member "+email, password)
	if err != nil {
		t.Fatalf("AcceptInvite %s: %v", email, err)
	}
	return u
}
