package ingest_test

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
)

// signallingStore is the real store whose outbox reports each Read, so the
// test knows when the tailer holds events it has not written yet.
type signallingStore struct {
	participation.Store
	reads chan int
}

func (s signallingStore) Outbox() participation.Outbox {
	return signallingOutbox{s.Store.Outbox(), s.reads}
}

type signallingOutbox struct {
	participation.Outbox
	reads chan int
}

func (o signallingOutbox) Read(ctx context.Context, after participation.Cursor, limit int) ([]participation.Event, error) {
	evs, err := o.Outbox.Read(ctx, after, limit)
	if err == nil {
		o.reads <- len(evs)
	}
	return evs, err
}

// TestShutdownFlushes reads events into a batch that neither its size nor
// its timer will flush, then stops the tailer: the batch must be written.
// The flush is the tailer's own logic, the same on both stores; it runs on
// SQLite because on a shared Postgres server other databases' transactions
// can hold part of the outbox back, and the tailer would then wait out its
// hour-long timer for the rest.
func TestShutdownFlushes(t *testing.T) {
	{
		b := sqldbtest.Backend{Name: "sqlite", URL: sqldbtest.NewSQLiteURL(t)}
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		w.act(t, rand.New(rand.NewPCG(13, 14)), 60)
		want, err := s.Outbox().Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		wh := openWarehouse(t, "")
		defer wh.Close()
		store := signallingStore{s, make(chan int, 100)}
		in := newIngester(t, store, wh, ingest.Options{BatchSize: 1_000_000, FlushEvery: time.Hour, Idle: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- in.Run(ctx) }()
		var read int64
		for read < want { // other databases' transactions may hold some back for a moment
			read += int64(<-store.reads)
		}
		if _, n := wh.Checkpoint(); n != 0 {
			t.Fatalf("%d events written before shutdown: the test needs them held", n)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
	}
}
