package ingest_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
)

// TestOutOfOrderCommitsArrive opens two transactions on Postgres that each
// write an outbox row, commits the one holding the higher sequence first,
// ingests in between, then commits the lower one: both events must arrive.
// (SQLite has one writer at a time, so commit order is sequence order.)
func TestOutOfOrderCommitsArrive(t *testing.T) {
	url := sqldbtest.NewPostgresURL(t)
	s := openStore(t, url, &clock{})
	w := newWorld(t, s)
	w.act(t, rand.New(rand.NewPCG(9, 9)), 30)
	wh := openWarehouse(t, "")
	defer wh.Close()
	in := newIngester(t, s, wh, ingest.Options{BatchSize: 10})
	ctx := context.Background()
	if err := in.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	insert := `INSERT INTO outbox (type, process_id, occurred_at, payload)
		VALUES ('visit', $1, now(), '{"visitor_hash":"ooo","path":"/","device":"mobile"}') RETURNING seq`
	db := s.DB()
	tx1, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx1.Rollback()
	var low, high int64
	if err := tx1.GetContext(ctx, &low, insert, w.open); err != nil {
		t.Fatal(err)
	}
	tx2, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tx2.GetContext(ctx, &high, insert, w.open); err != nil {
		t.Fatal(err)
	}
	if high <= low {
		t.Fatalf("sequences %d, %d: the test needs the second higher", low, high)
	}
	if err := tx2.Commit(); err != nil {
		t.Fatal(err)
	}
	// The higher one is committed, the lower one is not: ingest as far as
	// possible. A seq-only tailer would take `high` now and never look back.
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	if err := in.Run(short); err != nil {
		t.Fatal(err)
	}
	cancel()
	if wh.Has(low) {
		t.Fatal("an uncommitted event reached the warehouse")
	}
	if err := tx1.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := in.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	if !wh.Has(low) || !wh.Has(high) {
		t.Fatalf("after both commits: has(%d) = %v, has(%d) = %v", low, wh.Has(low), high, wh.Has(high))
	}
	checkComplete(t, s, wh)
}
