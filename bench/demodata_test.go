package bench

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// TestDemoDataReachesItsSizeAndCopiesWhole generates a small demo, checks
// it reaches the size asked, that the ingester takes the whole outbox, and
// that Postgres ends up with every row of the baseline's tables, times
// included.
func TestDemoDataReachesItsSizeAndCopiesWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo and fills a Postgres database")
	}
	ctx := context.Background()
	now := time.Date(2027, 2, 18, 9, 30, 0, 0, time.UTC)
	d, err := GenerateDemo(ctx, DemoOptions{Submissions: 3000, Dir: t.TempDir(), Now: now, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Store.Close()
	if d.Submissions < 3000 || d.Submissions > 3600 {
		t.Errorf("asked 3000 submissions, generated %d", d.Submissions)
	}
	outbox, err := d.Store.Outbox().Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if outbox <= d.Submissions {
		t.Errorf("outbox holds %d events for %d submissions and their visits", outbox, d.Submissions)
	}

	wh, err := warehouse.Open(t.TempDir() + "/w.duckdb")
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	events, err := d.Ingest(ctx, wh)
	if err != nil {
		t.Fatal(err)
	}
	if events != outbox {
		t.Errorf("ingested %d events of %d", events, outbox)
	}

	dsn := sqldbtest.NewPostgresURL(t)
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	pg, err := sql.Open("postgres", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	copied, err := d.CopyToPostgres(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	var want int64
	lite := d.Store.DB()
	for _, table := range baselineTables {
		var l, p int64
		if err := lite.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&l); err != nil {
			t.Fatal(err)
		}
		if err := pg.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&p); err != nil {
			t.Fatal(err)
		}
		if l != p || l == 0 {
			t.Errorf("%s: %d rows in SQLite, %d in Postgres", table, l, p)
		}
		want += l
	}
	if copied != want {
		t.Errorf("copied %d rows, the tables hold %d", copied, want)
	}
	// Times must survive the copy: the baseline buckets by them.
	var first, last time.Time
	if err := pg.QueryRowContext(ctx, `SELECT min(occurred_at), max(occurred_at) FROM outbox`).Scan(&first, &last); err != nil {
		t.Fatal(err)
	}
	// (The processes are set up before the activity starts.)
	if last.Before(d.Result.Start) || last.After(now) || !last.After(first) {
		t.Errorf("outbox times %v .. %v against the demo's activity %v .. %v", first, last, d.Result.Start, now)
	}
	var pgSubs int64
	if err := pg.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM proposals) + (SELECT count(*) FROM comments)
		+ (SELECT count(*) FROM comment_votes) + (SELECT count(*) FROM supports) + (SELECT count(*) FROM responses)`).Scan(&pgSubs); err != nil {
		t.Fatal(err)
	}
	t.Logf("submissions: %d counted by the demo, %d rows in Postgres (revoked supports and changed votes are gone)", d.Submissions, pgSubs)
	if pgSubs > d.Submissions || pgSubs < d.Submissions*9/10 {
		t.Errorf("Postgres holds %d submission rows for %d submissions", pgSubs, d.Submissions)
	}
}
