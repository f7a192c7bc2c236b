package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/processfile"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// TestProcessCLI: the demo's process, exported with `process export` from
// one store and applied with `process apply` to another, exports the same;
// a second apply says "unchanged"; a broken file is refused with its paths.
func TestProcessCLI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		fromURL := b.URL
		toURL := sqldbtest.NewSQLiteURL(t)
		if b.Name == "postgres" {
			toURL = sqldbtest.NewPostgresURL(t)
		}
		st, err := sqlstore.Open(ctx, fromURL)
		if err != nil {
			t.Fatal(err)
		}
		res, err := demo.Generate(ctx, st, demo.Options{Participants: 30, Days: 3, Seed: 7})
		st.Close()
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.FormatInt(res.ProcessID, 10)
		var out bytes.Buffer
		if err := runProcessExport(ctx, &out, []string{id, "--database-url", fromURL}); err != nil {
			t.Fatal(err)
		}
		exported := out.Bytes()
		if _, err := processfile.Decode(bytes.NewReader(exported)); err != nil {
			t.Fatalf("the demo's export is refused: %v", err)
		}
		path := filepath.Join(t.TempDir(), "demo.json")
		if err := os.WriteFile(path, exported, 0o644); err != nil {
			t.Fatal(err)
		}
		out.Reset()
		if err := runProcessApply(ctx, &out, []string{path, "--database-url", toURL}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "updated") && !strings.Contains(out.String(), "(id 1)") {
			t.Logf("first apply: %s", out.String())
		}
		out.Reset()
		if err := runProcessApply(ctx, &out, []string{path, "--database-url", toURL}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "unchanged") {
			t.Errorf("second apply: %q, want unchanged", out.String())
		}
		to, err := sqlstore.Open(ctx, toURL)
		if err != nil {
			t.Fatal(err)
		}
		p, err := to.GetProcessBySlug(ctx, res.Slug, false)
		to.Close()
		if err != nil {
			t.Fatal(err)
		}
		out.Reset()
		if err := runProcessExport(ctx, &out, []string{strconv.FormatInt(p.ID, 10), "--database-url", toURL}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out.Bytes(), exported) {
			t.Errorf("the demo process differs after export and apply:\n%s\n---\n%s", exported, out.Bytes())
		}

		broken := bytes.Replace(exported, []byte(`"version": 1`), []byte(`"version": 1, "colour": "red"`), 1)
		broken = bytes.Replace(broken, []byte(`"type": "single"`), []byte(`"type": "slider"`), 1)
		if err := os.WriteFile(path, broken, 0o644); err != nil {
			t.Fatal(err)
		}
		err = runProcessApply(ctx, &out, []string{path, "--database-url", toURL})
		if err == nil || !strings.Contains(err.Error(), `/colour: unknown field "colour"`) ||
			!strings.Contains(err.Error(), `unknown question type "slider"`) || !strings.Contains(err.Error(), "nothing written (2 problems)") {
			t.Errorf("broken file: %v", err)
		}
	})
}
