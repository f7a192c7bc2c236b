// Package export writes one process's results for analysts to hand on:
// proposals, comments, survey answers, themes, campaigns and opinion
// groups, as CSV files, one XLSX workbook or Parquet files. It reads the
// warehouse only, through the named statements of sql/export.sql, and no
// file holds a participant pseudonym (invariant 3 of the design: exports
// leave the institution, pseudonyms stay in the warehouse).
package export

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed sql/*.sql
var sqlFS embed.FS

// Formats an export can be written in.
const (
	CSV     = "csv"
	XLSX    = "xlsx"
	Parquet = "parquet"
)

// Table is one file (or sheet) of an export: its name and the statement
// that reads it.
type Table struct {
	Name  string
	Query string
}

// Tables lists what an export holds, in the order a reader meets it.
var Tables = []Table{
	{"proposals", "proposals"},
	{"comments", "comments"},
	{"survey_answers", "survey-answers"},
	{"themes", "themes"},
	{"theme_members", "theme-members"},
	{"campaigns", "campaigns"},
	{"campaign_members", "campaign-members"},
	{"opinion_groups", "opinion-groups"},
	{"opinion_representatives", "opinion-representatives"},
}

// ErrUnknownProcess is returned for a process the warehouse has no record of.
var ErrUnknownProcess = errors.New("export: unknown process")

// Options say what to export and where.
type Options struct {
	Process int64
	Format  string // CSV, XLSX or Parquet
	Dir     string // created if missing
}

// File is one file written, with its data rows (header aside).
type File struct {
	Path  string
	Table string // "" for the workbook, which holds every table
	Rows  int64
}

// Exporter reads the warehouse through db (its read pool, or a read-only
// connection to the file).
type Exporter struct {
	db        *sql.DB
	q         sqlfile.Set
	snapshots chan struct{} // one token per Parquet snapshot being built
}

// New loads the statements; a broken one fails here, not halfway through
// an export.
func New(db *sql.DB) (*Exporter, error) {
	q, err := sqlfile.Load(sqlFS, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	names := []string{"process-exists"}
	for _, t := range Tables {
		names = append(names, t.Query)
	}
	names = append(names, zipQueries...)
	names = append(names, snapshotQueries...)
	if err := q.Require(names...); err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return &Exporter{db: db, q: q, snapshots: make(chan struct{}, MaxSnapshots)}, nil
}

// Write exports the process in the format asked into opt.Dir and returns
// the files written. A process with no inputs yet gives files with headers
// only.
func (e *Exporter) Write(ctx context.Context, opt Options) ([]File, error) {
	dir, err := outDir(opt.Dir)
	if err != nil {
		return nil, err
	}
	var n int64
	if err := e.db.QueryRowContext(ctx, e.q.Get("process-exists"), sql.Named("process", opt.Process)).Scan(&n); err != nil {
		return nil, fmt.Errorf("export: unable to look up process %d: %w", opt.Process, err)
	}
	if n == 0 {
		return nil, fmt.Errorf("%w %d (not in the warehouse; has it been ingested?)", ErrUnknownProcess, opt.Process)
	}
	switch opt.Format {
	case CSV:
		return e.writeCSV(ctx, opt.Process, dir)
	case XLSX:
		return e.writeXLSX(ctx, opt.Process, dir)
	case Parquet:
		return e.writeParquet(ctx, opt.Process, dir)
	}
	return nil, fmt.Errorf("export: unknown format %q (csv, xlsx or parquet)", opt.Format)
}

// outDir makes the folder absolute and creates it. Its path reaches DuckDB
// only as a bound parameter, but a control character in it is refused
// anyway: it is a typo, and it would make the file names printed at the
// end misleading.
func outDir(dir string) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", errors.New("export: an output folder is required")
	}
	if strings.ContainsFunc(dir, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", fmt.Errorf("export: output folder %q has a control character", dir)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("export: unable to resolve %s: %w", dir, err)
	}
	if err := os.MkdirAll(abs, 0o750); err != nil {
		return "", fmt.Errorf("export: unable to create %s: %w", abs, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("export: unable to use %s: %w", abs, err)
	}
	if !st.IsDir() {
		return "", fmt.Errorf("export: %s is not a folder", abs)
	}
	return abs, nil
}

// query runs a table's statement for the process.
func (e *Exporter) query(ctx context.Context, t Table, process int64) (*sql.Rows, error) {
	rows, err := e.db.QueryContext(ctx, e.q.Get(t.Query), sql.Named("process", process))
	if err != nil {
		return nil, fmt.Errorf("export: unable to read %s: %w", t.Name, err)
	}
	return rows, nil
}

// replace moves a finished temporary file into place, so that an export
// that fails halfway never leaves a truncated file under the final name.
func replace(tmp, final string) error {
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("export: unable to write %s: %w", final, err)
	}
	return nil
}
