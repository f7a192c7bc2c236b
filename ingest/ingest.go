// Package ingest tails the participation outbox into the warehouse: a
// pipeline of small named steps (read batch → validate → dedupe →
// pseudonymise → facts → text features → dimensions → write), each event
// committed exactly once together with the checkpoint, drops counted by
// reason.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/analysis/text"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

// Options configure an Ingester.
type Options struct {
	// Key is the pseudonym key (LoadOrCreateKey, or from configuration).
	Key []byte
	// Analyzer computes text features; nil uses text.NewAnalyzer with
	// default options (no NER: it costs ~30× the rest).
	Analyzer *text.Analyzer
	// BatchSize is the most events one transaction takes (default 250,000).
	// A backlog goes fastest in large transactions: once a table gains more
	// than a DuckDB row group (122,880 rows) in one transaction, DuckDB
	// writes the row groups straight to the file instead of through the
	// write-ahead log and a later checkpoint, and the per-batch statements
	// (commit, rollups) run less often. Measured on a 1M-event backlog:
	// 20,000 → 250,000 took ~1.5× fewer CPU-seconds per event; 500,000 was
	// no better. Live traffic never fills a batch (FlushEvery ends it first).
	BatchSize int
	// FlushEvery bounds how long a partial batch waits (default 100 ms).
	FlushEvery time.Duration
	// Idle is how long to wait for new events when caught up (default 1 s;
	// Postgres NOTIFY wakes the tailer sooner).
	Idle time.Duration
	// Workers analyse texts in parallel (default GOMAXPROCS).
	Workers int
}

// Ingester moves outbox events into one warehouse.
type Ingester struct {
	store    participation.Store
	wh       *warehouse.Warehouse
	opts     Options
	analyzer *text.Analyzer
	pseudo   *Pseudonymiser

	featureCache  map[string]text.Features
	questionTypes map[int64]map[int64]participation.QuestionType

	// inFlight holds the sequences of batches prepared but not yet
	// committed, so that dedupe sees them while the warehouse does not yet.
	mu       sync.Mutex
	inFlight map[int64]struct{}
}

// New returns an Ingester reading store's outbox into wh.
func New(store participation.Store, wh *warehouse.Warehouse, opts Options) (*Ingester, error) {
	if len(opts.Key) < 16 {
		return nil, errors.New("ingest: a pseudonym key of at least 16 bytes is required")
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 250_000
	}
	if opts.FlushEvery <= 0 {
		opts.FlushEvery = 100 * time.Millisecond
	}
	if opts.Idle <= 0 {
		opts.Idle = time.Second
	}
	if opts.Workers <= 0 {
		opts.Workers = defaultWorkers()
	}
	a := opts.Analyzer
	if a == nil {
		a = text.NewAnalyzer(text.Options{})
	}
	return &Ingester{
		store: store, wh: wh, opts: opts, analyzer: a,
		pseudo:        NewPseudonymiser(opts.Key),
		featureCache:  map[string]text.Features{},
		questionTypes: map[int64]map[int64]participation.QuestionType{},
		inFlight:      map[int64]struct{}{},
	}, nil
}

// Run tails the outbox until ctx ends, then writes what it has read and
// returns nil. Each batch is flushed when it is full, when its first event
// has waited FlushEvery, and on shutdown.
func (in *Ingester) Run(ctx context.Context) error {
	return in.run(ctx, false)
}

// CatchUp ingests every event committed to the outbox before it was called
// and returns. On Postgres, events behind a transaction still running
// anywhere on the server are not readable yet; CatchUp waits for them.
func (in *Ingester) CatchUp(ctx context.Context) error {
	return in.run(ctx, true)
}

func (in *Ingester) run(ctx context.Context, untilEmpty bool) error {
	var target int64
	if untilEmpty {
		n, err := in.store.Outbox().Count(ctx)
		if err != nil {
			return fmt.Errorf("ingest: unable to count the outbox: %w", err)
		}
		target = n
	}
	// Nothing is in flight between runs: a batch a failed run prepared was
	// not written, and its events must not count as duplicates next time.
	in.mu.Lock()
	clear(in.inFlight)
	in.mu.Unlock()
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	// Three stages overlap: reading the next batch, preparing one (CPU:
	// decoding, text features) and writing the one before (DuckDB). The
	// hand-offs are unbuffered so that, while the writer is busy,
	// live events keep joining the reader's batch instead of queueing as
	// small batches behind it (each costs a whole write's fixed statements).
	batches := make(chan []participation.Event)
	prepared := make(chan *batch)
	readErr := make(chan error, 1)
	go func() {
		readErr <- in.read(readCtx, batches, untilEmpty, target)
		close(batches)
	}()
	// Writes outlive ctx so that shutdown flushes what was read.
	wctx := context.WithoutCancel(ctx)
	prepErr := make(chan error, 1)
	go func() {
		var failed error
		for evs := range batches {
			if failed != nil {
				continue // drain so the reader can finish
			}
			b, err := in.prepare(wctx, evs)
			if err != nil {
				failed = err
				stopReading()
				continue
			}
			prepared <- b
		}
		close(prepared)
		prepErr <- failed
	}()
	var werr error
	for b := range prepared {
		if werr != nil {
			continue
		}
		if err := in.commit(wctx, b); err != nil {
			werr = err
			stopReading()
		}
	}
	if err := errors.Join(werr, <-prepErr); err != nil {
		return err
	}
	return <-readErr
}

// read sends batches of events from the warehouse's checkpoint on. It
// accumulates until BatchSize or until the first pending event has waited
// FlushEvery; on ctx's end it sends what it holds and returns nil. With
// untilEmpty it returns once target events in all have been read.
func (in *Ingester) read(ctx context.Context, out chan<- []participation.Event, untilEmpty bool, target int64) error {
	c, consumed := in.wh.Checkpoint()
	cursor := participation.Cursor{Tx: c.Tx, Seq: c.Seq}
	ob := in.store.Outbox()
	var pending []participation.Event
	var firstAt time.Time
	flush := func() {
		if len(pending) > 0 {
			out <- pending
			pending = nil
		}
	}
	// offer hands pending over if prepare takes it within d, else keeps it
	// to add what is read meanwhile.
	offer := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case out <- pending:
			pending = nil
			return true
		case <-t.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	backoff := 100 * time.Millisecond
	for {
		if ctx.Err() != nil {
			flush()
			return nil
		}
		want := in.opts.BatchSize - len(pending)
		readAt := time.Now()
		evs, err := ob.Read(ctx, cursor, want)
		slog.Debug("ingest: read", "events", len(evs), "took", time.Since(readAt))
		if err != nil {
			if ctx.Err() != nil {
				flush()
				return nil
			}
			if untilEmpty {
				flush()
				return fmt.Errorf("ingest: unable to read the outbox: %w", err)
			}
			slog.Warn("ingest: unable to read the outbox; retrying", "err", err, "in", backoff)
			sleep(ctx, backoff)
			backoff = min(2*backoff, 10*time.Second)
			continue
		}
		backoff = 100 * time.Millisecond
		if len(evs) > 0 {
			if len(pending) == 0 {
				firstAt = time.Now()
			}
			pending = append(pending, evs...)
			cursor = evs[len(evs)-1].Cursor()
			consumed += int64(len(evs))
		}
		more := len(evs) == want
		switch {
		case len(pending) >= in.opts.BatchSize:
			flush()
			continue
		case untilEmpty && !more && consumed >= target:
			flush()
			return nil
		case untilEmpty && !more:
			flush() // what is readable now; the rest waits behind a running transaction
			if err := ob.Wait(ctx, 20*time.Millisecond); err != nil && ctx.Err() == nil {
				return fmt.Errorf("ingest: unable to wait for the outbox: %w", err)
			}
			continue
		case more:
			continue
		case len(pending) > 0 && time.Since(firstAt) >= in.opts.FlushEvery:
			offer(busyPoll)
			continue
		}
		wait := in.opts.Idle
		if len(pending) > 0 {
			wait = in.opts.FlushEvery - time.Since(firstAt)
		}
		if err := ob.Wait(ctx, wait); err != nil && ctx.Err() == nil {
			slog.Warn("ingest: outbox wait failed", "err", err)
			sleep(ctx, wait)
		}
	}
}

// busyPoll is how often a due batch that the pipeline cannot take yet
// gathers the events committed since.
const busyPoll = 10 * time.Millisecond

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Process runs the pipeline's steps over one batch of events, in outbox
// order, and commits it.
func (in *Ingester) Process(ctx context.Context, events []participation.Event) error {
	if len(events) == 0 {
		return nil
	}
	b, err := in.prepare(ctx, events)
	if err != nil {
		return err
	}
	return in.commit(ctx, b)
}

// prepare runs every step but write.
func (in *Ingester) prepare(ctx context.Context, events []participation.Event) (*batch, error) {
	b := &batch{items: make([]item, len(events)), to: events[len(events)-1].Cursor(), out: &warehouse.Batch{}}
	for i, e := range events {
		b.items[i].ev = e
	}
	steps := in.Steps()
	for _, s := range steps[:len(steps)-1] {
		began := time.Now()
		if err := s.Run(ctx, b); err != nil {
			in.settle(b)
			return nil, fmt.Errorf("ingest: step %s: %w", s.Name, err)
		}
		b.took = append(b.took, s.Name, time.Since(began))
	}
	return b, nil
}

// commit runs the write step.
func (in *Ingester) commit(ctx context.Context, b *batch) error {
	steps := in.Steps()
	last := steps[len(steps)-1]
	began := time.Now()
	err := last.Run(ctx, b)
	in.settle(b)
	if err != nil {
		return fmt.Errorf("ingest: step %s: %w", last.Name, err)
	}
	slog.Debug("ingest: batch", append([]any{"events", len(b.items)}, append(b.took, last.Name, time.Since(began))...)...)
	return nil
}

// Status is what officials see of the ingester.
type Status struct {
	OutboxEvents    int64                 `json:"outbox_events"`
	WarehouseEvents int64                 `json:"warehouse_events"` // consumed: accepted or dropped
	Lag             int64                 `json:"lag"`              // events not yet in the warehouse
	Cursor          warehouse.Cursor      `json:"cursor"`
	Drops           map[string]int64      `json:"drops"` // by reason, since the warehouse was built
	DropsByProcess  []warehouse.DropCount `json:"drops_by_process"`
}

// Status reports lag and drops.
func (in *Ingester) Status(ctx context.Context) (Status, error) {
	return StatusOf(ctx, in.store, in.wh)
}

// StatusOf reports lag and drops for a store and its warehouse.
func StatusOf(ctx context.Context, store participation.Store, wh *warehouse.Warehouse) (Status, error) {
	var s Status
	n, err := store.Outbox().Count(ctx)
	if err != nil {
		return s, fmt.Errorf("ingest: unable to count the outbox: %w", err)
	}
	s.Cursor, s.WarehouseEvents = wh.Checkpoint()
	s.OutboxEvents = n
	s.Lag = max(0, n-s.WarehouseEvents)
	if s.DropsByProcess, err = wh.DropCounts(ctx); err != nil {
		return s, err
	}
	s.Drops = map[string]int64{}
	for _, d := range s.DropsByProcess {
		s.Drops[d.Reason] += d.N
	}
	return s, nil
}

// Rebuild builds a fresh warehouse at warehousePath from the whole outbox,
// replacing the one there only once the new one is complete. Tables the
// outbox cannot rebuild (dashboard settings) are copied from the old one.
// Nothing else may have the warehouse open.
func Rebuild(ctx context.Context, store participation.Store, warehousePath string, opts Options) error {
	tmp := warehousePath + ".rebuild"
	for _, p := range []string{tmp, tmp + ".wal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("ingest: unable to clear %s: %w", p, err)
		}
	}
	wh, err := warehouse.Open(tmp)
	if err != nil {
		return err
	}
	in, err := New(store, wh, opts)
	if err != nil {
		wh.Close()
		return err
	}
	if err := in.CatchUp(ctx); err != nil {
		wh.Close()
		return fmt.Errorf("ingest: rebuild: %w", err)
	}
	if _, err := os.Stat(warehousePath); err == nil {
		if err := wh.CopyOtherTablesFrom(ctx, warehousePath); err != nil {
			wh.Close()
			return fmt.Errorf("ingest: rebuild: %w", err)
		}
	}
	if err := wh.Close(); err != nil {
		return fmt.Errorf("ingest: rebuild: %w", err)
	}
	if err := os.Remove(warehousePath + ".wal"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("ingest: rebuild: %w", err)
	}
	if err := os.Rename(tmp, warehousePath); err != nil {
		return fmt.Errorf("ingest: unable to replace the warehouse: %w", err)
	}
	return nil
}
