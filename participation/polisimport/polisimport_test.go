package polisimport

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/polis"
	"github.com/civicpulse/civicpulse/internal/racecheck"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

const scoop = "../../testdata/polis/scoop-hivemind.biodiversity"

// outboxCounts counts the outbox rows by type, and the votes by value. It
// reads the table, not Outbox.Read: on a shared Postgres server Read waits
// for every older transaction in the cluster, other tests' included.
func outboxCounts(t *testing.T, st *sqlstore.Store) (map[participation.EventType]int, map[participation.Vote]int) {
	t.Helper()
	var rows []struct {
		Type    participation.EventType `db:"type"`
		Payload string                  `db:"payload"`
	}
	if err := st.DB().SelectContext(context.Background(), &rows, "SELECT type, CAST(payload AS TEXT) AS payload FROM outbox"); err != nil {
		t.Fatal(err)
	}
	types := map[participation.EventType]int{}
	votes := map[participation.Vote]int{}
	for _, r := range rows {
		types[r.Type]++
		if r.Type == participation.EvCommentVoted {
			var p struct {
				Vote participation.Vote `json:"vote"`
			}
			if err := json.Unmarshal([]byte(r.Payload), &p); err != nil {
				t.Fatal(err)
			}
			votes[p.Vote]++
		}
	}
	return types, votes
}

// TestImportWholePolisExport imports a whole real conversation into both
// stores. The pure-Go SQLite takes minutes under the race detector, so this
// runs in make test's second pass; TestImportSmallExport covers the same
// path with the race detector on.
func TestImportWholePolisExport(t *testing.T) {
	if racecheck.Enabled {
		t.Skip("whole export: runs in make test's pass without the race detector")
	}
	testImport(t, scoop, 0)
}

// TestImportSmallExport imports the real conversation's first five
// comments and every vote on them.
func TestImportSmallExport(t *testing.T) {
	testImport(t, trimmedExport(t, scoop, 5), 300)
}

func testImport(t *testing.T, dir string, chunk int) {
	t.Helper()
	e, err := polis.Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	final := e.FinalVotes()
	want := map[participation.Vote]int{}
	for _, v := range final {
		want[voteOf[v.Value]]++
	}
	people := map[int]bool{}
	for _, v := range final {
		people[v.VoterID] = true
	}
	for _, c := range e.Comments {
		people[c.AuthorID] = true
	}

	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		st, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		chunks := 0
		res, err := Import(ctx, st, dir, Options{ChunkWrites: chunk, Progress: func(Result) { chunks++ }})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %+v in %d chunks", b, res, chunks)
		if res.Slug != "polis-scoop-hivemind-biodiversity" {
			t.Errorf("slug = %q", res.Slug)
		}
		if res.Comments+res.SkippedComments != len(e.Comments) || res.Comments < len(e.Comments)-2 {
			t.Errorf("comments = %d (+%d skipped), export has %d", res.Comments, res.SkippedComments, len(e.Comments))
		}
		if res.Hidden != len(e.ModeratedOut()) {
			t.Errorf("hidden = %d, moderated out = %d", res.Hidden, len(e.ModeratedOut()))
		}
		if res.Votes+res.SkippedVotes != len(final) || res.SkippedVotes > 0 && res.SkippedComments == 0 {
			t.Errorf("votes = %d (+%d skipped), export has %d final votes", res.Votes, res.SkippedVotes, len(final))
		}
		if res.Participants != len(people) {
			t.Errorf("participants = %d, export has %d", res.Participants, len(people))
		}
		if chunks < 3 {
			t.Errorf("%d chunks: the import did not commit in chunks", chunks)
		}

		// The store holds what the result says, and so does its outbox.
		p, err := st.GetProcessBySlug(ctx, res.Slug, true)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(p.Title, "Biodiversity") || len(p.Components) != 1 || p.Components[0].Kind != participation.KindDocument {
			t.Errorf("process %q with components %+v", p.Title, p.Components)
		}
		if p.StartsAt.After(e.Comments[0].Created) {
			t.Errorf("process starts %s, after its first comment", p.StartsAt)
		}
		listed, err := st.ListComments(ctx, participation.TargetSection, res.SectionID)
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != res.Comments-res.Hidden {
			t.Errorf("%d visible comments listed, want %d", len(listed), res.Comments-res.Hidden)
		}
		types, votes := outboxCounts(t, st)
		if types[participation.EvCommentCreated] != res.Comments || types[participation.EvCommentVoted] != res.Votes ||
			types[participation.EvParticipantJoined] != res.Participants || types[participation.EvContributionHidden] != res.Hidden {
			t.Errorf("outbox: %v; result %+v", types, res)
		}
		if res.SkippedVotes == 0 {
			for v, n := range want {
				if votes[v] != n {
					t.Errorf("outbox has %d %s votes, export %d", votes[v], v, n)
				}
			}
		}
		// Votes are dated as in the export, not at import time.
		var late int
		ends := e.Votes[0].Created
		for _, v := range e.Votes {
			if v.Created.After(ends) {
				ends = v.Created
			}
		}
		if err := st.DB().GetContext(ctx, &late, st.DB().Rebind("SELECT COUNT(*) FROM outbox WHERE type = 'comment.voted' AND occurred_at > ?"), ends); err != nil {
			t.Fatal(err)
		}
		if late > 0 {
			t.Errorf("%d votes dated after the conversation's last vote", late)
		}
		// A second import of the same export is refused and writes nothing.
		before, _ := st.Outbox().Count(ctx)
		_, err = Import(ctx, st, dir, Options{})
		if !errors.Is(err, ErrAlreadyImported) || !strings.Contains(err.Error(), res.Slug) {
			t.Errorf("second import: %v", err)
		}
		if after, _ := st.Outbox().Count(ctx); after != before {
			t.Errorf("refused import wrote %d events", after-before)
		}
	})
}

func TestImportRejectsBadExports(t *testing.T) {
	ctx := context.Background()
	st, err := sqlstore.Open(ctx, sqldbtest.NewSQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	write := func(dir, name, body string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	const comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
	const votes = "timestamp,datetime,comment-id,voter-id,vote\n"

	missing := filepath.Join(t.TempDir(), "nowhere")
	broken := t.TempDir()
	write(broken, "comments.csv", comments+"1568101622999,x,1,1,0,0,1,A fine statement\n")
	write(broken, "votes.csv", votes+"1568101622999,x,1,1,1\n1568101623999,x,1,2,\"9\n")
	empty := t.TempDir()
	write(empty, "comments.csv", comments)
	write(empty, "votes.csv", votes)
	noVotes := t.TempDir()
	write(noVotes, "comments.csv", comments+"1568101622999,x,1,1,0,0,1,A fine statement\n")

	for _, tc := range []struct {
		name, dir string
		want      []string
	}{
		{"missing folder", missing, []string{"no export folder", "nowhere"}},
		{"broken csv", broken, []string{"votes.csv", "line 3"}},
		{"empty conversation", empty, []string{"no comments"}},
		{"missing votes file", noVotes, []string{"votes.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import(ctx, st, tc.dir, Options{})
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
	if n, _ := st.Outbox().Count(ctx); n != 0 {
		t.Errorf("bad exports wrote %d events", n)
	}
}

// trimmedExport copies the real export in src, keeping only the comments
// with id below maxComment and the votes on them.
func trimmedExport(t *testing.T, src string, maxComment int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"comments.csv", "votes.csv", "summary.csv"} {
		in, err := os.Open(filepath.Join(src, name))
		if err != nil {
			t.Fatal(err)
		}
		cr := csv.NewReader(in)
		cr.FieldsPerRecord = -1
		rows, err := cr.ReadAll()
		in.Close()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == "comment-id" {
				col = i
			}
		}
		var b strings.Builder
		w := csv.NewWriter(&b)
		for i, r := range rows {
			if i > 0 && col >= 0 {
				if id, _ := strconv.Atoi(r[col]); id >= maxComment {
					continue
				}
			}
			w.Write(r)
		}
		w.Flush()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
