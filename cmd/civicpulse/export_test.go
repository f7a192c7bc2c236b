package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

// demoWarehouse builds data/warehouse.duckdb the way serve does: the demo
// in a store, ingested, the insights jobs run, then a comment hidden by a
// moderator and ingested. It returns the data folder and the hidden
// comment.
func demoWarehouse(t *testing.T) (dataDir string, hidden int64) {
	t.Helper()
	ctx := context.Background()
	dataDir = t.TempDir()
	p := newDemoPipeline(t, 300, filepath.Join(dataDir, "warehouse.duckdb"))
	defer p.Close()
	store, wh, ing := p.store, p.wh, p.ing
	// A moderator hides a comment the jobs have already placed in a theme:
	// the export, not the jobs, must leave it out. Its text is shared with
	// no other comment, so that its absence is its own.
	if err := wh.Read().QueryRowContext(ctx, `SELECT min(m.entity_id) FROM theme_members m
		JOIN comments c ON c.comment_id = m.entity_id
		WHERE m.entity_kind = 'comment' AND c.body IN (SELECT body FROM comments GROUP BY body HAVING count(*) = 1)`).Scan(&hidden); err != nil {
		t.Fatal(err)
	}
	if err := store.SetCommentStatus(ctx, hidden, participation.StatusHidden); err != nil {
		t.Fatal(err)
	}
	if err := ing.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	return dataDir, hidden
}

// strings of a warehouse column, read through a read-only connection as
// the command does.
func warehouseStrings(t *testing.T, dataDir, query string) []string {
	t.Helper()
	db, err := export.OpenReadOnly(filepath.Join(dataDir, "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// everyPseudonym lists the pseudonyms in every warehouse table that has a
// participant column, whichever tables a later migration adds.
func everyPseudonym(t *testing.T, dataDir string) []string {
	t.Helper()
	tables := warehouseStrings(t, dataDir, `SELECT table_name FROM information_schema.columns
		WHERE column_name = 'participant' AND table_schema = 'main' ORDER BY table_name`)
	if len(tables) < 5 {
		t.Fatalf("tables with participants: %q", tables)
	}
	var parts []string
	for _, tab := range tables {
		parts = append(parts, `SELECT participant FROM "`+tab+`"`)
	}
	return warehouseStrings(t, dataDir, `SELECT DISTINCT participant FROM (`+strings.Join(parts, " UNION ALL ")+`) WHERE participant <> ''`)
}

// readable is everything an analyst could read in the files: CSV text,
// a workbook's XML parts, Parquet values as DuckDB reads them back.
func readable(t *testing.T, dataDir, dir string) string {
	t.Helper()
	var sb strings.Builder
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		path := filepath.Join(dir, e.Name())
		switch filepath.Ext(path) {
		case ".csv":
			b, _ := os.ReadFile(path)
			sb.Write(b)
		case ".xlsx":
			zr, err := zip.OpenReader(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range zr.File {
				rc, _ := part.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				sb.Write(b)
			}
			zr.Close()
		case ".parquet":
			q := `SELECT CAST(columns(*) AS VARCHAR) FROM read_parquet('` + strings.ReplaceAll(path, "'", "''") + `')`
			db, err := export.OpenReadOnly(filepath.Join(dataDir, "warehouse.duckdb"))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := db.Query(q)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				for _, v := range vals {
					if s, ok := v.(string); ok {
						sb.WriteString(s + "\n")
					}
				}
			}
			rows.Close()
			db.Close()
		default:
			t.Errorf("unexpected file %s", e.Name())
		}
	}
	return sb.String()
}

// The demo end to end, through the command: every process in every format,
// no pseudonym of the warehouse in any file, the hidden comment nowhere.
func TestExportCommandOnTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouse")
	}
	ctx := context.Background()
	dataDir, hidden := demoWarehouse(t)
	pseudonyms := everyPseudonym(t, dataDir)
	if len(pseudonyms) < 100 {
		t.Fatalf("only %d pseudonyms in the demo warehouse", len(pseudonyms))
	}
	processes := warehouseStrings(t, dataDir, `SELECT process_id::VARCHAR FROM dim_processes ORDER BY process_id`)
	hiddenID := strconv.FormatInt(hidden, 10)
	var commentRows, themeRows int
	for _, format := range []string{export.CSV, export.XLSX, export.Parquet} {
		for _, p := range processes {
			out := filepath.Join(t.TempDir(), format+"-"+p)
			var stdout bytes.Buffer
			if err := exportTo(ctx, []string{"--data", dataDir, "--process", p, "--format", format, "--out", out}, &stdout); err != nil {
				t.Fatalf("%s process %s: %v", format, p, err)
			}
			if lines := strings.Count(stdout.String(), "\n"); format == export.XLSX && lines != 1 || format != export.XLSX && lines != len(export.Tables) {
				t.Errorf("%s: reported %q", format, stdout.String())
			}
			text := readable(t, dataDir, out)
			for _, ps := range pseudonyms {
				if strings.Contains(text, ps) {
					t.Fatalf("%s process %s: pseudonym %s in the export", format, p, ps)
				}
			}
			if format != export.CSV {
				continue
			}
			commentRows += countRows(t, filepath.Join(out, "comments.csv"))
			themeRows += countRows(t, filepath.Join(out, "themes.csv"))
			for _, name := range []string{"comments.csv", "theme_members.csv", "campaign_members.csv", "opinion_representatives.csv"} {
				if hasComment(t, filepath.Join(out, name), hiddenID) {
					t.Errorf("process %s: the hidden comment %s is in %s", p, hiddenID, name)
				}
			}
		}
	}
	if commentRows == 0 || themeRows == 0 {
		t.Errorf("the demo exported %d comments and %d themes", commentRows, themeRows)
	}

	var stdout bytes.Buffer
	if err := exportTo(ctx, []string{"--data", dataDir, "--process", "999", "--out", t.TempDir()}, &stdout); err == nil || !strings.Contains(err.Error(), "unknown process 999") {
		t.Errorf("unknown process: %v", err)
	}
	if err := exportTo(ctx, []string{"--data", t.TempDir(), "--process", "1", "--out", t.TempDir()}, &stdout); err == nil || !strings.Contains(err.Error(), "no warehouse") {
		t.Errorf("no warehouse: %v", err)
	}
	if err := exportTo(ctx, []string{"--data", dataDir, "--process", "1", "--format", "pdf", "--out", t.TempDir()}, &stdout); err == nil {
		t.Error("pdf accepted")
	}
}

func countRows(t *testing.T, path string) int {
	t.Helper()
	return len(readCSV(t, path)) - 1
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) == 0 {
		t.Fatalf("%s: %v, %d rows", path, err, len(rows))
	}
	return rows
}

// hasComment reports whether a CSV file names the comment: by comment_id,
// or by entity_kind and entity_id.
func hasComment(t *testing.T, path, id string) bool {
	t.Helper()
	rows := readCSV(t, path)
	byID := slices.Index(rows[0], "comment_id")
	kind, ent := slices.Index(rows[0], "entity_kind"), slices.Index(rows[0], "entity_id")
	if byID < 0 && (kind < 0 || ent < 0) {
		t.Fatalf("%s names no comment: %q", path, rows[0])
	}
	for _, r := range rows[1:] {
		if byID >= 0 && r[byID] == id || byID < 0 && r[kind] == "comment" && r[ent] == id {
			return true
		}
	}
	return false
}

// Beside a running serve the warehouse is locked: the command says what to
// do instead. DuckDB's lock is per process, so the export runs in a child.
func TestExportWhileTheWarehouseIsOpenElsewhere(t *testing.T) {
	if dir := os.Getenv("CIVICPULSE_EXPORT_CHILD"); dir != "" {
		err := exportTo(context.Background(), []string{"--data", dir, "--process", "1", "--out", t.TempDir()}, io.Discard)
		if err == nil {
			t.Fatal("export ran against a locked warehouse")
		}
		os.Stdout.WriteString("CHILD-ERROR: " + err.Error() + "\n")
		return
	}
	dataDir := t.TempDir()
	wh, err := warehouse.Open(filepath.Join(dataDir, "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	cmd := exec.Command(os.Args[0], "-test.run", "^TestExportWhileTheWarehouseIsOpenElsewhere$", "-test.v")
	cmd.Env = append(os.Environ(), "CIVICPULSE_EXPORT_CHILD="+dataDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "CHILD-ERROR: "+export.ErrWarehouseBusy.Error()) || !strings.Contains(string(out), "stop civicpulse serve") {
		t.Errorf("child said:\n%s", out)
	}
}
