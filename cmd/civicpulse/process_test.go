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
	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/processfile"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/staff"
)

// TestProcessCLI: the demo's process, exported with `process export` from
// one store and applied with `process apply` to another, exports the same;
// a second apply says "unchanged"; a broken file is refused with its paths.
func TestProcessCLI(t *testing.T) {
	t.Setenv("CIVICPULSE_SECRET", strings.Repeat("ab", 32))
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
		// The first apply is recorded as the command line's act with the
		// file after it; the unchanged second one is not recorded.
		db, err := sqldb.Open(ctx, toURL)
		if err != nil {
			t.Fatal(err)
		}
		svc, err := staff.Open(ctx, db, staff.WithSecretKey(make([]byte, 32)))
		if err != nil {
			t.Fatal(err)
		}
		recs, _, err := svc.ListAudit(ctx, staff.AuditFilter{Action: "process.apply"})
		db.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0].ActorID != 0 || !strings.Contains(string(recs[0].After), res.Slug) {
			t.Errorf("audit after two applies: %d records %+v, want one by the command line (actor 0) naming %s", len(recs), recs, res.Slug)
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
