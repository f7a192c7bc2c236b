package export

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/internal/csvcell"
)

// ZipType is the MIME type of the complete export.
const ZipType = "application/zip"

// zipQueries are the statements WriteZip needs (New checks them).
var zipQueries = []string{"zip-proposals", "zip-comments", "zip-surveys", "zip-questions", "zip-responses"}

// WriteZip streams the process's complete export to w as a zip: every
// proposal and comment with its moderation status (hidden and withdrawn
// ones flagged, not left out), one file per survey with one row per
// response and one column per question (a multiple choice one per option,
// a ranking one per rank), and a data dictionary of every column. Rows go
// from the warehouse's read pool through encoding/csv into the zip one at
// a time, so memory stays flat however many there are. Once bytes have
// gone out an error leaves the zip without its directory: a reader sees it
// is broken, never a shorter file that looks whole.
func (e *Exporter) WriteZip(ctx context.Context, w io.Writer, process int64) error {
	var n int64
	if err := e.db.QueryRowContext(ctx, e.q.Get("process-exists"), sql.Named("process", process)).Scan(&n); err != nil {
		return fmt.Errorf("export: unable to look up process %d: %w", process, err)
	}
	if n == 0 {
		return fmt.Errorf("%w %d", ErrUnknownProcess, process)
	}
	zw := zip.NewWriter(w)
	now := time.Now().UTC()
	var dict []Column
	for _, f := range []struct{ file, query string }{{"proposals.csv", "zip-proposals"}, {"comments.csv", "zip-comments"}} {
		cols, err := e.zipTable(ctx, zw, now, f.file, f.query, process)
		if err != nil {
			return err
		}
		dict = append(dict, cols...)
	}
	surveys, err := e.surveys(ctx, process)
	if err != nil {
		return err
	}
	for _, s := range surveys {
		cols, err := e.zipSurvey(ctx, zw, now, process, s)
		if err != nil {
			return err
		}
		dict = append(dict, cols...)
	}
	if err := writeDictionary(zw, now, dict); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("export: unable to finish the zip: %w", err)
	}
	return nil
}

func create(zw *zip.Writer, name string, at time.Time) (*csv.Writer, error) {
	f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: at})
	if err != nil {
		return nil, fmt.Errorf("export: unable to add %s to the zip: %w", name, err)
	}
	return csv.NewWriter(f), nil
}

// zipTable copies a statement's rows into a file of the zip and returns
// the file's dictionary entries.
func (e *Exporter) zipTable(ctx context.Context, zw *zip.Writer, at time.Time, file, query string, process int64) ([]Column, error) {
	rows, err := e.db.QueryContext(ctx, e.q.Get(query), sql.Named("process", process))
	if err != nil {
		return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
	}
	known := map[string]Column{}
	for _, c := range fixedColumns[file] {
		known[c.Name] = c
	}
	dict := make([]Column, len(cols))
	for i, name := range cols {
		c, ok := known[name]
		if !ok {
			return nil, fmt.Errorf("export: %s has column %s, which the data dictionary lacks", file, name)
		}
		c.File = file
		dict[i] = c
	}
	cw, err := create(zw, file, at)
	if err != nil {
		return nil, err
	}
	if err := cw.Write(cols); err != nil {
		return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
	}
	vals, ptrs := scanTargets(len(cols))
	rec := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
		}
		for i, v := range vals {
			rec[i] = csvValue(v)
		}
		if err := cw.Write(rec); err != nil {
			return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("export: unable to read %s: %w", file, err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
	}
	return dict, nil
}

func writeDictionary(zw *zip.Writer, at time.Time, dict []Column) error {
	cw, err := create(zw, "dictionary.csv", at)
	if err != nil {
		return err
	}
	return dictionaryRows(cw, dict)
}

// dictionaryRows writes the data dictionary, one row per column.
func dictionaryRows(cw *csv.Writer, dict []Column) error {
	cw.Write([]string{"file", "column", "meaning", "type", "allowed_values"})
	for _, c := range dict {
		cw.Write([]string{c.File, c.Name, csvcell.Safe(c.Meaning), c.Type, csvcell.Safe(c.Allowed)})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("export: unable to write dictionary.csv: %w", err)
	}
	return nil
}

func formatTime(t sql.NullTime) string {
	if !t.Valid {
		return ""
	}
	return csvValue(t.Time)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
