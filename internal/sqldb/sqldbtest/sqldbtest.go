// Package sqldbtest gives tests a fresh, empty database on each backend.
//
// Postgres comes from DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable): every call creates
// its own database there and drops it when the test ends, so packages can run
// in parallel. A Postgres that does not answer fails the test — the Postgres
// suite is never skipped silently (make test starts a cluster when none runs).
package sqldbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/civicpulse/civicpulse/internal/sqldb"
)

// DefaultURL is the Postgres that make test and CI use.
const DefaultURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the server URL tests use.
func PostgresURL() string {
	if u := os.Getenv("DATABASE_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// NewPostgresURL creates an empty database on the test server and returns its
// URL; the database is dropped when t ends.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	admin, err := sqlx.Open("postgres", base)
	if err != nil {
		t.Fatalf("sqldbtest: bad DATABASE_URL: %v", err)
	}
	defer admin.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := admin.PingContext(ctx); err != nil {
		t.Fatalf("sqldbtest: Postgres does not answer at %s (%v). Start it (make test does) or set DATABASE_URL; the Postgres suite is never skipped.", base, err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "cp_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("sqldbtest: unable to create database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sqlx.Open("postgres", base)
		if err != nil {
			return
		}
		defer a.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		a.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("sqldbtest: bad DATABASE_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// NewSQLiteURL returns the DSN of a fresh SQLite file in t's temp dir.
func NewSQLiteURL(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "civicpulse.db")
}

// Backend is one database a test runs against.
type Backend struct {
	Name string
	URL  string
}

// Open opens the backend's database, closed when t ends.
func (b Backend) Open(t testing.TB) *sqldb.DB {
	t.Helper()
	db, err := sqldb.Open(context.Background(), b.URL)
	if err != nil {
		t.Fatalf("sqldbtest: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Each runs f once per backend, as subtests "sqlite" and "postgres", each with
// a fresh empty database.
func Each(t *testing.T, f func(t *testing.T, b Backend)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { f(t, Backend{Name: "sqlite", URL: NewSQLiteURL(t)}) })
	t.Run("postgres", func(t *testing.T) { f(t, Backend{Name: "postgres", URL: NewPostgresURL(t)}) })
}

// String names the backend in messages.
func (b Backend) String() string { return fmt.Sprintf("%s backend", b.Name) }
