package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/export"
)

// The Parquet snapshot re-read by DuckDB's read_parquet equals the CSV
// zip cell for cell (the CSV's formula guard aside), keeps types (numbers,
// booleans), Unicode, commas and newlines, has a dictionary entry per
// column, and leaves no folder behind.
func TestParquetSnapshotRoundTrip(t *testing.T) {
	wh := fixture(t)
	moreSurvey(t, wh)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var csvZip bytes.Buffer
	if err := ex.WriteZip(ctx, &csvZip, 1); err != nil {
		t.Fatal(err)
	}
	want, _ := readZip(t, csvZip.Bytes())

	tmp := t.TempDir()
	snap, err := ex.Snapshot(ctx, 1, tmp)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := snap.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := snap.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the snapshot left %d entries in its temporary folder", len(left))
	}

	out := t.TempDir()
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, _ := f.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if err := os.WriteFile(filepath.Join(out, f.Name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if got := strings.Join(names, ","); got != "proposals.parquet,comments.parquet,survey-30-responses.parquet,dictionary.csv" {
		t.Fatalf("files = %s", got)
	}
	typed := map[string][]any{}
	for _, name := range names[:3] {
		rows, err := wh.Read().QueryContext(ctx, `SELECT * FROM read_parquet(?)`, filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		got := [][]string{cols}
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			rec := make([]string, len(cols))
			for i, v := range vals {
				rec[i] = cell(v)
			}
			if name == "survey-30-responses.parquet" && rec[0] == "501" {
				typed[name] = vals
			}
			got = append(got, rec)
		}
		rows.Close()
		csvName := strings.TrimSuffix(name, ".parquet") + ".csv"
		w := want[csvName]
		if len(got) != len(w) {
			t.Fatalf("%s: %d rows, CSV %d", name, len(got)-1, len(w)-1)
		}
		for r := range w {
			if strings.Join(got[r][:0], "") != "" || len(got[r]) != len(w[r]) {
				t.Fatalf("%s row %d: %d columns, CSV %d", name, r, len(got[r]), len(w[r]))
			}
			for c := range w[r] {
				if g, x := got[r][c], w[r][c]; g != x && "'"+g != x {
					t.Errorf("%s row %d %s = %q, CSV %q", name, r, w[0][c], g, x)
				}
			}
		}
	}
	// The awkward body comes back byte for byte, and the formula raw.
	var body string
	if err := wh.Read().QueryRowContext(ctx, `SELECT body FROM read_parquet(?) WHERE comment_id = 204`, filepath.Join(out, "comments.parquet")).Scan(&body); err != nil || body != awkward {
		t.Errorf("awkward body = %q, %v", body, err)
	}
	if err := wh.Read().QueryRowContext(ctx, `SELECT body FROM read_parquet(?) WHERE comment_id = 203`, filepath.Join(out, "comments.parquet")).Scan(&body); err != nil || body != `=HYPERLINK("http://x")` {
		t.Errorf("formula body = %q, %v", body, err)
	}
	// Types follow the dictionary: q302 (likert) an integer, completed a boolean.
	v := typed["survey-30-responses.parquet"]
	if len(v) < 9 || fmt.Sprintf("%T", v[4]) != "bool" || fmt.Sprintf("%T", v[8]) != "int64" {
		t.Errorf("response 501's types: %#v", v)
	}
	dict, err := os.ReadFile(filepath.Join(out, "dictionary.csv"))
	if err != nil || !strings.Contains(string(dict), "survey-30-responses.parquet,q304_opt3,") || !strings.Contains(string(dict), "comments.parquet,body,") {
		t.Errorf("dictionary: %v\n%s", err, dict)
	}

	if _, err := ex.Snapshot(ctx, 99, tmp); !errors.Is(err, export.ErrUnknownProcess) {
		t.Errorf("unknown process: %v", err)
	}
	// Snapshots at once are bounded; closing one frees its place.
	var held []*export.Snapshot
	for range export.MaxSnapshots {
		s, err := ex.Snapshot(ctx, 2, tmp)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, s)
	}
	if _, err := ex.Snapshot(ctx, 2, tmp); !errors.Is(err, export.ErrSnapshotsBusy) {
		t.Errorf("past the bound: %v, want ErrSnapshotsBusy", err)
	}
	held[0].Close()
	s, err := ex.Snapshot(ctx, 2, tmp)
	if err != nil {
		t.Errorf("after a close: %v", err)
	} else {
		s.Close()
	}
	held[1].Close()
}

// cell formats a Parquet value as the CSV zip writes it.
func cell(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		return x.UTC().Format("2006-01-02T15:04:05Z")
	}
	return fmt.Sprint(v)
}

// A survey nobody answered yet gives a Parquet file with its columns and
// no row, not an error.
func TestParquetSnapshotOfAnUnansweredSurvey(t *testing.T) {
	wh := fixture(t)
	if _, err := wh.Read().Exec(`INSERT INTO dim_components (component_id, process_id, kind, position, title) VALUES (40, 2, 'survey', 1, 'Nobody yet')`); err != nil {
		t.Fatal(err)
	}
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	snap, err := ex.Snapshot(ctx, 2, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	if got := strings.Join(snap.Files(), ","); got != "proposals.parquet,comments.parquet,survey-40-responses.parquet,dictionary.csv" {
		t.Fatalf("files = %s", got)
	}
	var buf bytes.Buffer
	if _, err := snap.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := zr.File[2].Open()
	b, _ := io.ReadAll(rc)
	rc.Close()
	path := filepath.Join(t.TempDir(), "s.parquet")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	var n, cols int
	if err := wh.Read().QueryRowContext(ctx, `SELECT count(*) FROM read_parquet(?)`, path).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows = %d, %v", n, err)
	}
	if err := wh.Read().QueryRowContext(ctx, `SELECT count(*) FROM parquet_schema(?) WHERE num_children IS NULL`, path).Scan(&cols); err != nil || cols != 7 {
		t.Errorf("columns = %d, %v; want the response's seven", cols, err)
	}
}
