package export

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// MaxSnapshots bounds the Parquet snapshots built at once: each holds a
// DuckDB COPY and a folder of files, and the warehouse serves the
// dashboards meanwhile.
const MaxSnapshots = 2

// ErrSnapshotsBusy means MaxSnapshots are being built; the caller asks
// again in a moment.
var ErrSnapshotsBusy = errors.New("export: too many Parquet snapshots are being built; try again in a minute")

// snapshotQueries are the statements Snapshot needs (New checks them).
var snapshotQueries = []string{"parquet-survey", "parquet-columns"}

// Snapshot is a process's facts written as Parquet files in a folder of
// its own: the same files, columns, status flags and data dictionary as
// the complete export zip, one .parquet per table. Close removes it.
type Snapshot struct {
	dir     string
	files   []string // names inside dir, in the zip's order
	release func()
}

// Snapshot writes the process's Parquet files into a new temporary folder
// (under tempDir; "" means the system's). It fails before anything goes
// out: an unknown process is ErrUnknownProcess, a full house
// ErrSnapshotsBusy.
func (e *Exporter) Snapshot(ctx context.Context, process int64, tempDir string) (_ *Snapshot, err error) {
	select {
	case e.snapshots <- struct{}{}:
	default:
		return nil, ErrSnapshotsBusy
	}
	release := func() { <-e.snapshots }
	var n int64
	if err := e.db.QueryRowContext(ctx, e.q.Get("process-exists"), sql.Named("process", process)).Scan(&n); err != nil {
		release()
		return nil, fmt.Errorf("export: unable to look up process %d: %w", process, err)
	}
	if n == 0 {
		release()
		return nil, fmt.Errorf("%w %d", ErrUnknownProcess, process)
	}
	dir, err := os.MkdirTemp(tempDir, "civicpulse-parquet-")
	if err != nil {
		release()
		return nil, fmt.Errorf("export: unable to make the snapshot's folder: %w", err)
	}
	s := &Snapshot{dir: dir, release: release}
	defer func() {
		if err != nil {
			s.Close()
		}
	}()
	var dict []Column
	for _, f := range []struct{ file, query string }{{"proposals", "zip-proposals"}, {"comments", "zip-comments"}} {
		cols, err := e.copyParquet(ctx, s, f.file, f.query, process)
		if err != nil {
			return nil, err
		}
		dict = append(dict, cols...)
	}
	surveys, err := e.surveys(ctx, process)
	if err != nil {
		return nil, err
	}
	for _, sv := range surveys {
		cols, err := e.surveyParquet(ctx, s, process, sv)
		if err != nil {
			return nil, err
		}
		dict = append(dict, cols...)
	}
	if err := s.writeDictionary(dict); err != nil {
		return nil, err
	}
	return s, nil
}

// copyParquet has DuckDB run a zip statement inside COPY and checks the
// file's columns against the dictionary, as WriteZip does.
func (e *Exporter) copyParquet(ctx context.Context, s *Snapshot, name, query string, process int64) ([]Column, error) {
	file := name + ".parquet"
	path := filepath.Join(s.dir, file)
	// The statement comes from zip.sql, never from a request.
	q := "COPY (" + strings.TrimSuffix(strings.TrimSpace(e.q.Get(query)), ";") + ") TO $path (FORMAT parquet)"
	if _, err := e.db.ExecContext(ctx, q, sql.Named("process", process), sql.Named("path", path)); err != nil {
		return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
	}
	s.files = append(s.files, file)
	cols, err := e.parquetColumns(ctx, path)
	if err != nil {
		return nil, err
	}
	known := map[string]Column{}
	for _, c := range fixedColumns[name+".csv"] {
		known[c.Name] = c
	}
	dict := make([]Column, len(cols))
	for i, c := range cols {
		d, ok := known[c]
		if !ok {
			return nil, fmt.Errorf("export: %s has column %s, which the data dictionary lacks", file, c)
		}
		d.File = file
		dict[i] = d
	}
	return dict, nil
}

func (e *Exporter) parquetColumns(ctx context.Context, path string) ([]string, error) {
	rows, err := e.db.QueryContext(ctx, e.q.Get("parquet-columns"), sql.Named("path", path))
	if err != nil {
		return nil, fmt.Errorf("export: unable to read back %s: %w", filepath.Base(path), err)
	}
	defer rows.Close()
	return rows.Columns()
}

// duckTypes are the Parquet column types of the dictionary's types.
var duckTypes = map[string]string{tInt: "BIGINT", tNum: "DOUBLE", tText: "VARCHAR", tBool: "BOOLEAN", tTime: "TIMESTAMP"}

// surveyParquet folds a survey's responses into wide rows as the CSV zip
// does, stages them as a CSV in the snapshot's folder (no formula guard:
// the text must come back as typed) and has DuckDB turn it into Parquet
// with the dictionary's types. The stage goes once the Parquet is written.
func (e *Exporter) surveyParquet(ctx context.Context, s *Snapshot, process int64, sv survey) ([]Column, error) {
	file := fmt.Sprintf("survey-%d-responses.parquet", sv.component)
	stage := filepath.Join(s.dir, fmt.Sprintf("survey-%d-stage.csv", sv.component))
	f, err := os.Create(stage)
	if err != nil {
		return nil, fmt.Errorf("export: unable to stage %s: %w", file, err)
	}
	defer os.Remove(stage)
	cw := csv.NewWriter(f)
	dict, err := e.pivotSurvey(ctx, process, sv, file, func(s string) string { return s },
		func(head []string) error { return cw.Write(head) },
		func(rec []string) error { return cw.Write(rec) })
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("export: unable to stage %s: %w", file, err)
	}
	types := make([]string, len(dict))
	for i, c := range dict {
		types[i] = duckTypes[c.Type]
	}
	if _, err := e.db.ExecContext(ctx, e.q.Get("parquet-survey"), sql.Named("source", stage),
		sql.Named("types", types), sql.Named("target", filepath.Join(s.dir, file))); err != nil {
		return nil, fmt.Errorf("export: unable to write %s: %w", file, err)
	}
	s.files = append(s.files, file)
	return dict, nil
}

func (s *Snapshot) writeDictionary(dict []Column) error {
	f, err := os.Create(filepath.Join(s.dir, "dictionary.csv"))
	if err != nil {
		return fmt.Errorf("export: unable to write dictionary.csv: %w", err)
	}
	cw := csv.NewWriter(f)
	if err := dictionaryRows(cw, dict); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("export: unable to write dictionary.csv: %w", err)
	}
	s.files = append(s.files, "dictionary.csv")
	return nil
}

// WriteTo streams the snapshot's files to w as a zip. Parquet is
// compressed already, so the files are stored, not deflated again.
func (s *Snapshot) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	zw := zip.NewWriter(cw)
	now := time.Now().UTC()
	for _, name := range s.files {
		method := zip.Store
		if strings.HasSuffix(name, ".csv") {
			method = zip.Deflate
		}
		out, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method, Modified: now})
		if err != nil {
			return cw.n, fmt.Errorf("export: unable to add %s to the zip: %w", name, err)
		}
		in, err := os.Open(filepath.Join(s.dir, name))
		if err != nil {
			return cw.n, fmt.Errorf("export: unable to read %s: %w", name, err)
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			return cw.n, fmt.Errorf("export: unable to send %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("export: unable to finish the zip: %w", err)
	}
	return cw.n, nil
}

// Files names the snapshot's files, in the zip's order.
func (s *Snapshot) Files() []string { return append([]string(nil), s.files...) }

// Close removes the snapshot's folder and frees its place.
func (s *Snapshot) Close() error {
	err := os.RemoveAll(s.dir)
	if s.release != nil {
		s.release()
		s.release = nil
	}
	return err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
