// Package sqldb opens the participation database — Postgres in production, a
// SQLite file as the embedded default — and applies versioned migrations.
// Both the participation store and the staff store sit on the same database,
// each with its own migration stream.
package sqldb

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"  // Postgres driver
	_ "modernc.org/sqlite" // pure-Go SQLite driver
)

// Dialect names the SQL flavour of a database.
type Dialect string

const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DB is an open participation database.
type DB struct {
	*sqlx.DB
	Dialect Dialect
	// URL is what Open was given, for components (the outbox listener) that
	// need their own connection.
	URL string
}

// Open connects to dsn. "postgres://…" or "postgresql://…" selects Postgres;
// "sqlite:PATH" or a plain file path selects SQLite (the file's folder is
// created). SQLite gets WAL, a busy timeout, foreign keys and the time format
// its date functions understand.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		db, err := sqlx.Open("postgres", dsn)
		if err != nil {
			return nil, fmt.Errorf("sqldb: unable to open postgres: %w", err)
		}
		db.SetMaxOpenConns(32)
		db.SetMaxIdleConns(32)
		db.SetConnMaxIdleTime(5 * time.Minute)
		if err := db.PingContext(ctx); err != nil {
			db.Close()
			return nil, fmt.Errorf("sqldb: postgres does not answer at %s: %w", redact(dsn), err)
		}
		return &DB{DB: db, Dialect: Postgres, URL: dsn}, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if path == "" {
		return nil, fmt.Errorf("sqldb: empty SQLite path")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqldb: unable to create %s: %w", dir, err)
		}
	}
	q := url.Values{}
	q.Add("_time_format", "sqlite")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_txlock", "immediate")
	db, err := sqlx.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("sqldb: unable to open sqlite %s: %w", path, err)
	}
	// One writer at a time is SQLite's model; a small pool lets readers run
	// beside it under WAL while BEGIN IMMEDIATE serialises the writers.
	db.SetMaxOpenConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqldb: unable to open sqlite %s: %w", path, err)
	}
	return &DB{DB: db, Dialect: SQLite, URL: dsn}, nil
}

// Rebind turns '?' placeholders into the dialect's own.
func (d *DB) Rebind(q string) string { return d.DB.Rebind(q) }

func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
