package sqldb

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migrate applies the migrations of one stream that the database lacks.
//
// fsys holds one folder per dialect, "postgres/" and "sqlite/", each with files
// named NNN_description.sql. The version is NNN; every version present for one
// dialect must be present for the other, so both backends keep one schema.
// Each migration runs in its own transaction together with its bookkeeping row
// in schema_migrations(stream, version). On Postgres an advisory lock keeps two
// starting processes from migrating at once.
func (d *DB) Migrate(ctx context.Context, stream string, fsys fs.FS) (applied int, err error) {
	steps, err := readSteps(fsys, string(d.Dialect))
	if err != nil {
		return 0, fmt.Errorf("sqldb: %s migrations: %w", stream, err)
	}
	conn, err := d.Connx(ctx)
	if err != nil {
		return 0, fmt.Errorf("sqldb: unable to migrate %s: %w", stream, err)
	}
	defer conn.Close()
	if d.Dialect == Postgres {
		if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727274)`); err != nil {
			return 0, fmt.Errorf("sqldb: unable to lock for migration: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(727274)`)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		stream TEXT NOT NULL,
		version INTEGER NOT NULL,
		name TEXT NOT NULL,
		applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
		PRIMARY KEY (stream, version))`); err != nil {
		return 0, fmt.Errorf("sqldb: unable to create schema_migrations: %w", err)
	}
	done := map[int]bool{}
	rows, err := conn.QueryContext(ctx, d.Rebind(`SELECT version FROM schema_migrations WHERE stream = ?`), stream)
	if err != nil {
		return 0, fmt.Errorf("sqldb: unable to read schema_migrations: %w", err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return 0, err
		}
		done[v] = true
	}
	rows.Close()
	for _, s := range steps {
		if done[s.version] {
			continue
		}
		tx, err := conn.BeginTxx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, s.sql); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("sqldb: migration %s/%s failed: %w", stream, s.name, err)
		}
		if _, err := tx.ExecContext(ctx, d.Rebind(`INSERT INTO schema_migrations (stream, version, name) VALUES (?, ?, ?)`), stream, s.version, s.name); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("sqldb: unable to record migration %s/%s: %w", stream, s.name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("sqldb: unable to commit migration %s/%s: %w", stream, s.name, err)
		}
		applied++
	}
	return applied, nil
}

type step struct {
	version int
	name    string
	sql     string
}

func readSteps(fsys fs.FS, dialect string) ([]step, error) {
	byDialect := map[string]map[int]string{}
	for _, dl := range []string{"postgres", "sqlite"} {
		files, err := fs.Glob(fsys, dl+"/*.sql")
		if err != nil {
			return nil, err
		}
		byDialect[dl] = map[int]string{}
		for _, f := range files {
			base := path.Base(f)
			num, _, ok := strings.Cut(base, "_")
			v, err := strconv.Atoi(num)
			if !ok || err != nil || v <= 0 {
				return nil, fmt.Errorf("%s: name must be NNN_description.sql", f)
			}
			if _, dup := byDialect[dl][v]; dup {
				return nil, fmt.Errorf("%s: version %d appears twice", f, v)
			}
			byDialect[dl][v] = f
		}
	}
	for v := range byDialect["postgres"] {
		if _, ok := byDialect["sqlite"][v]; !ok {
			return nil, fmt.Errorf("version %d exists for postgres but not sqlite", v)
		}
	}
	for v := range byDialect["sqlite"] {
		if _, ok := byDialect["postgres"][v]; !ok {
			return nil, fmt.Errorf("version %d exists for sqlite but not postgres", v)
		}
	}
	var steps []step
	for v, f := range byDialect[dialect] {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		steps = append(steps, step{version: v, name: path.Base(f), sql: string(b)})
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].version < steps[j].version })
	return steps, nil
}
