package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

func TestOutboxPaging(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		for i := 0; i < 7; i++ {
			x.proposal(x.citizen.ID, "Paged proposal")
		}
		all := x.events()
		if int64(len(all)) != x.count() || len(all) < 10 {
			t.Fatalf("%d events, count %d", len(all), x.count())
		}
		var got []participation.Event
		var cur participation.Cursor
		for {
			page, err := x.s.Outbox().Read(x.ctx, cur, 3)
			ok(t, err)
			if len(page) == 0 {
				break
			}
			if len(page) > 3 {
				t.Fatalf("page of %d", len(page))
			}
			for _, e := range page {
				if !cur.Less(e.Cursor()) {
					t.Fatalf("event %+v not after cursor %+v", e.Cursor(), cur)
				}
				cur = e.Cursor()
			}
			got = append(got, page...)
		}
		if len(got) != len(all) {
			t.Fatalf("paged %d events, want %d", len(got), len(all))
		}
		seen := map[int64]bool{}
		for i, e := range got {
			if e.Seq != all[i].Seq || seen[e.Seq] {
				t.Fatalf("event %d: seq %d, want %d once", i, e.Seq, all[i].Seq)
			}
			seen[e.Seq] = true
			if x.b.Name == "sqlite" && e.Tx != 0 {
				t.Fatalf("sqlite tx = %d", e.Tx)
			}
			if x.b.Name == "postgres" && e.Tx == 0 {
				t.Fatal("postgres event without its transaction id")
			}
		}
	})
}

func TestOutboxWait(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		ctx, cancel := context.WithTimeout(x.ctx, 30*time.Second)
		defer cancel()
		// The first call starts listening; nothing was written since.
		ok(t, x.s.Outbox().Wait(ctx, 10*time.Millisecond))
		woke := make(chan error, 1)
		go func() { woke <- x.s.Outbox().Wait(ctx, time.Hour) }()
		x.proposal(x.citizen.ID, "Wake up")
		// On Postgres only the notification can end this Wait before ctx
		// does; SQLite's Wait returns after its poll interval.
		if err := <-woke; err != nil {
			t.Fatalf("Wait did not wake on a new event: %v", err)
		}
		cancelled, stop := context.WithCancel(x.ctx)
		stop()
		if err := x.s.Outbox().Wait(cancelled, time.Hour); err == nil {
			t.Fatal("Wait ignored a cancelled context")
		}
	})
}

// TestOutboxOutOfOrderCommits runs on Postgres, where sequence numbers are
// handed out before commit: a reader must never skip an event whose
// transaction commits after one holding a higher sequence.
func TestOutboxOutOfOrderCommits(t *testing.T) {
	b := sqldbtest.Backend{Name: "postgres", URL: sqldbtest.NewPostgresURL(t)}
	x := setup(t, b)
	reader := &tailer{t: t, s: x.s}
	reader.drain()

	// Case 1: the lower sequence commits last.
	first := hold(t, x.s, newParticipant)
	second := hold(t, x.s, newParticipant)
	second.commit()
	if evs := reader.read(); len(evs) != 0 {
		t.Fatalf("read %+v past an uncommitted lower sequence", evs)
	}
	first.commit()
	evs := reader.until(2)
	if evs[0].Seq > evs[1].Seq {
		t.Fatalf("case 1 order: %+v", evs)
	}

	// Case 2: the transaction that started first (lower xid) writes the
	// higher sequence and commits first; the reader moves past it while the
	// lower sequence is still in flight, and must still get it afterwards.
	early := hold(t, x.s, func(tx participation.Store) error {
		return tx.SetParticipantRegion(x.ctx, x.citizen.ID, "001") // takes an xid, writes no event
	})
	late := hold(t, x.s, newParticipant)
	early.then(newParticipant)
	early.commit()
	got := reader.until(1)
	late.commit()
	got = append(got, reader.until(1)...)
	if !(got[0].Seq > got[1].Seq && got[0].Tx < got[1].Tx) {
		t.Fatalf("case 2 did not interleave as planned: %+v", got)
	}
	if n := x.count(); reader.seen != n {
		t.Fatalf("reader saw %d events of %d", reader.seen, n)
	}
}

// TestOutboxIgnoresOtherDatabases: a long transaction in another database
// of the same server (a report, a migration, another application) holds
// the server's snapshot horizon back; the outbox must keep flowing past it,
// while a transaction in flight in this database still holds it (above).
func TestOutboxIgnoresOtherDatabases(t *testing.T) {
	b := sqldbtest.Backend{Name: "postgres", URL: sqldbtest.NewPostgresURL(t)}
	x := setup(t, b)
	reader := &tailer{t: t, s: x.s}
	reader.drain()

	other, err := sqlx.Open("postgres", sqldbtest.NewPostgresURL(t))
	ok(t, err)
	defer other.Close()
	long, err := other.BeginTxx(x.ctx, nil)
	ok(t, err)
	defer long.Rollback()
	var xid string
	ok(t, long.GetContext(x.ctx, &xid, "SELECT pg_current_xact_id()::text")) // takes an xid and keeps it
	var heldBack bool
	ok(t, other.GetContext(x.ctx, &heldBack, "SELECT pg_snapshot_xmin(pg_current_snapshot()) <= CAST($1 AS xid8)", xid))
	if !heldBack {
		t.Fatal("the other database's transaction does not hold the server's horizon: the test proves nothing")
	}

	before := reader.seen
	ok(t, newParticipant(x.s))
	deadline := time.Now().Add(15 * time.Second)
	for reader.read(); reader.seen == before; reader.read() {
		if time.Now().After(deadline) {
			t.Fatal("a committed event stayed unread behind another database's open transaction")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if n := x.count(); reader.seen != n {
		t.Fatalf("reader saw %d events of %d", reader.seen, n)
	}
}

// tailer reads the outbox like the ingester: it keeps only its cursor.
type tailer struct {
	t    *testing.T
	s    *sqlstore.Store
	cur  participation.Cursor
	seen int64
}

func (r *tailer) read() []participation.Event {
	r.t.Helper()
	evs, err := r.s.Outbox().Read(context.Background(), r.cur, 100)
	ok(r.t, err)
	for _, e := range evs {
		r.cur = e.Cursor()
	}
	r.seen += int64(len(evs))
	return evs
}

// until reads until n more events arrived (other clusters' transactions may
// hold the horizon back for a while).
func (r *tailer) until(n int) []participation.Event {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var got []participation.Event
	for len(got) < n {
		got = append(got, r.read()...)
		if len(got) < n {
			if err := r.s.Outbox().Wait(ctx, 20*time.Millisecond); err != nil {
				r.t.Fatalf("got %d of %d events: %v", len(got), n, err)
			}
		}
	}
	if len(got) != n {
		r.t.Fatalf("got %d events, want %d: %+v", len(got), n, got)
	}
	return got
}

func (r *tailer) drain() {
	n, err := r.s.Outbox().Count(context.Background())
	ok(r.t, err)
	r.until(int(n))
}

// held is a Batch transaction kept open between steps; steps run on the
// batch's goroutine and report failures with t.Errorf.
type held struct {
	t      *testing.T
	steps  chan func(participation.Store) error
	done   chan error
	passed chan struct{}
}

func hold(t *testing.T, s *sqlstore.Store, first func(participation.Store) error) *held {
	h := &held{t: t, steps: make(chan func(participation.Store) error), done: make(chan error, 1), passed: make(chan struct{})}
	go func() {
		h.done <- s.Batch(context.Background(), func(tx participation.Store) error {
			if err := first(tx); err != nil {
				t.Errorf("held step: %v", err)
			}
			h.passed <- struct{}{}
			for step := range h.steps {
				if err := step(tx); err != nil {
					t.Errorf("held step: %v", err)
				}
				h.passed <- struct{}{}
			}
			return nil
		})
	}()
	<-h.passed
	return h
}

func (h *held) then(step func(participation.Store) error) {
	h.steps <- step
	<-h.passed
}

func (h *held) commit() {
	close(h.steps)
	ok(h.t, <-h.done)
}

func newParticipant(tx participation.Store) error {
	_, err := tx.CreateParticipant(context.Background(), "")
	return err
}
