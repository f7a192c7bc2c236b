package main

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/polis"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// trimmedExport copies the real scoop-hivemind export, keeping only the
// comments with id below maxComment and the votes on them, so that the
// command's test stays quick on both stores (participation/polisimport imports
// the whole conversation).
func trimmedExport(t *testing.T, maxComment int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "scoop-hivemind.biodiversity")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"comments.csv", "votes.csv", "summary.csv"} {
		rows := readRows2(t, filepath.Join(scoopExport, name))
		col := -1
		for i, h := range rows[0] {
			if h == "comment-id" {
				col = i
			}
		}
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		w := csv.NewWriter(f)
		for i, r := range rows {
			if i > 0 && col >= 0 {
				if id, _ := strconv.Atoi(r[col]); id >= maxComment {
					continue
				}
			}
			w.Write(r)
		}
		w.Flush()
		if err := f.Close(); err != nil || w.Error() != nil {
			t.Fatal(err, w.Error())
		}
	}
	return dir
}

// readRows2 reads a CSV whose rows may differ in length (summary.csv).
func readRows2(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestImportPolisCLI(t *testing.T) {
	dir := trimmedExport(t, 5)
	e, err := polis.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	final := e.FinalVotes()
	hidden := len(e.ModeratedOut())
	t.Logf("trimmed export: %d comments (%d moderated out), %d final votes", len(e.Comments), hidden, len(final))

	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		args := []string{"polis", dir, "--database-url", b.URL, "--chunk", "500"}
		if err := runImport(ctx, args); err != nil {
			t.Fatal(err)
		}
		st, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		p, err := st.GetProcessBySlug(ctx, "polis-scoop-hivemind-biodiversity", true)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := st.GetDocument(ctx, p.Components[0].ID)
		if err != nil || len(doc.Sections) != 1 {
			t.Fatalf("document %+v: %v", doc, err)
		}
		// In the store: the visible comments and the votes they counted
		// (a hidden comment's votes stay in the outbox, as cast).
		listed, err := st.ListComments(ctx, participation.TargetSection, doc.Sections[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != len(e.Comments)-hidden {
			t.Errorf("%d comments listed, want %d", len(listed), len(e.Comments)-hidden)
		}
		visible := map[int]bool{}
		for _, c := range e.Comments {
			visible[c.ID] = c.Moderated != polis.ModeratedOut
		}
		wantVisibleVotes := 0
		for _, v := range final {
			if visible[v.CommentID] {
				wantVisibleVotes++
			}
		}
		counted := 0
		for _, c := range listed {
			counted += c.Agree + c.Disagree + c.Pass
		}
		if counted != wantVisibleVotes {
			t.Errorf("visible comments count %d votes, export %d", counted, wantVisibleVotes)
		}
		// In the outbox: every comment and every final vote, all in the
		// imported process. (The table, not Outbox.Read, which on a shared
		// Postgres waits for every older transaction in the cluster.)
		var rows []struct {
			Type      participation.EventType `db:"type"`
			ProcessID int64                   `db:"process_id"`
		}
		if err := st.DB().SelectContext(ctx, &rows, "SELECT type, process_id FROM outbox"); err != nil {
			t.Fatal(err)
		}
		kinds := map[participation.EventType]int{}
		for _, r := range rows {
			kinds[r.Type]++
			if r.ProcessID != p.ID && r.Type != participation.EvParticipantJoined {
				t.Fatalf("%s event of process %d, imported %d", r.Type, r.ProcessID, p.ID)
			}
		}
		// The same export again is refused, with the way out named.
		err = runImport(ctx, args)
		if err == nil || !strings.Contains(err.Error(), "already imported") || !strings.Contains(err.Error(), "slug") {
			t.Errorf("second import: %v", err)
		}
		// Under another slug it is a second process.
		if err := runImport(ctx, append(args, "--slug", "scoop-again")); err != nil {
			t.Errorf("import under another slug: %v", err)
		}
	})
}

func TestImportRejectsBadInput(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	url := "sqlite:" + filepath.Join(dir, "civicpulse.db")
	broken := filepath.Join(dir, "broken")
	os.Mkdir(broken, 0o755)
	writeFile(t, broken, "comments.csv", polisComments+"1568101622999,x,1,1,0,0,1,A fine statement\n1568101622999,x,2,1,0,0\n")
	writeFile(t, broken, "votes.csv", polisVotes)
	empty := filepath.Join(dir, "empty")
	os.Mkdir(empty, 0o755)
	writeFile(t, empty, "comments.csv", polisComments)
	writeFile(t, empty, "votes.csv", polisVotes)
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"no source", nil, []string{"import polis DIR"}},
		{"unknown source", []string{"decidim"}, []string{"import polis DIR"}},
		{"no folder named", []string{"polis", "--database-url", url}, []string{"export folder"}},
		{"missing folder", []string{"polis", filepath.Join(dir, "nowhere"), "--database-url", url}, []string{"nowhere"}},
		{"broken comments.csv", []string{"polis", broken, "--database-url", url}, []string{"comments.csv", "line 3"}},
		{"empty conversation", []string{"polis", empty, "--database-url", url}, []string{"no comments"}},
		{"bad slug", []string{"polis", scoopExport, "--database-url", url, "--slug", "Not A Slug"}, []string{"slug"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := runImport(ctx, tc.args)
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
