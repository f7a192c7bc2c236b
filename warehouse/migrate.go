package warehouse

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrate applies the embedded migrations/NNN_name.sql files in order, each
// in its own transaction with its schema_version row.
func (w *Warehouse) migrate(ctx context.Context) error {
	files, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("warehouse: unable to list migrations: %w", err)
	}
	type step struct {
		version int
		name    string
	}
	var steps []step
	seen := map[int]bool{}
	for _, f := range files {
		num, _, ok := strings.Cut(path.Base(f), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || seen[v] {
			return fmt.Errorf("warehouse: migration %s: name must be NNN_description.sql with a unique NNN", f)
		}
		seen[v] = true
		steps = append(steps, step{v, f})
	}
	sort.Slice(steps, func(i, j int) bool { return steps[i].version < steps[j].version })
	if _, err := w.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_version (
		version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)`); err != nil {
		return fmt.Errorf("warehouse: unable to create schema_version: %w", err)
	}
	var current int
	if err := w.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_version`).Scan(&current); err != nil {
		return fmt.Errorf("warehouse: unable to read schema_version: %w", err)
	}
	for _, s := range steps {
		if s.version <= current {
			continue
		}
		body, err := fs.ReadFile(migrationFS, s.name)
		if err != nil {
			return fmt.Errorf("warehouse: unable to read %s: %w", s.name, err)
		}
		tx, err := w.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("warehouse: unable to begin migration %s: %w", s.name, err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("warehouse: migration %s failed: %w", s.name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_version (version, name) VALUES (?, ?)`, s.version, path.Base(s.name)); err != nil {
			tx.Rollback()
			return fmt.Errorf("warehouse: unable to record migration %s: %w", s.name, err)
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("warehouse: unable to commit migration %s: %w", s.name, err)
		}
	}
	return nil
}
