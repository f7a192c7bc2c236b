package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/lib/pq"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/participation"
)

// NotifyChannel is the Postgres channel every outbox insert notifies.
const NotifyChannel = "civicpulse_outbox"

// event is an outbox row about to be written. payload must never hold a
// personal field: it is marshalled as is.
type event struct {
	typ           participation.EventType
	processID     int64
	componentID   int64
	entityID      int64
	participantID int64
	region        string
	payload       any
}

// emit appends e to the outbox in the caller's transaction.
func (s *Store) emit(ctx context.Context, e event) error {
	args, err := s.eventArgs(ctx, e)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, "insert-event", args...); err != nil {
		return fmt.Errorf("store: unable to append %s event: %w", e.typ, err)
	}
	s.emitted()
	return nil
}

// eventArgs are the parameters of an outbox insert, in the order of its
// columns (type, process, component, entity, participant, region,
// occurred_at, payload). The Postgres statements that write a row and its
// event in one round trip take them after the row's own and set the entity
// from the row they insert.
func (s *Store) eventArgs(ctx context.Context, e event) ([]any, error) {
	p := e.payload
	if p == nil {
		p = struct{}{}
	}
	b, err := json.Marshal(p)
	if err != nil {
		return nil, fmt.Errorf("store: unable to encode %s event: %w", e.typ, err)
	}
	return []any{string(e.typ), e.processID, e.componentID, e.entityID, e.participantID, e.region, s.now(ctx), string(b)}, nil
}

// emitted notes that an event was written, so that its commit wakes the
// outbox listeners.
func (s *Store) emitted() {
	if s.txs != nil {
		s.txs.emitted = true
	} else if s.poke != nil {
		s.poke.committed() // the insert committed on its own
	}
}

// fusedEventArgs are eventArgs without the entity, which the fused
// statement takes from the row it inserts.
func (s *Store) fusedEventArgs(ctx context.Context, e event) ([]any, error) {
	a, err := s.eventArgs(ctx, e)
	if err != nil {
		return nil, err
	}
	return append(a[:3:3], a[4:]...), nil
}

// Outbox returns the reader of the store's outbox.
func (s *Store) Outbox() participation.Outbox { return outbox{s} }

type outbox struct{ s *Store }

// Read returns up to limit events after the cursor; on Postgres only those
// of transactions older than every one still running (see the Outbox doc).
//
// Rows are scanned by hand into one slice sized for the page: sqlx's
// reflection and the growth of its result slice were most of a backlog
// read's CPU.
func (o outbox) Read(ctx context.Context, after participation.Cursor, limit int) ([]participation.Event, error) {
	if limit <= 0 {
		limit = 1000
	}
	args := []any{after.Seq, limit}
	if o.s.db.Dialect == sqldb.Postgres {
		args = []any{after.Tx, after.Seq, limit}
	}
	var rows *sql.Rows
	var err error
	if st := o.s.stmt(ctx, "read-outbox"); st != nil {
		rows, err = st.QueryContext(ctx, args...)
	} else {
		rows, err = o.s.q.QueryContext(ctx, o.s.sql.Get("read-outbox"), args...)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read outbox: %w", err)
	}
	defer rows.Close()
	events, err := scanEvents(rows, limit)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read outbox: %w", err)
	}
	return events, nil
}

// scanEvents reads read-outbox's columns. The payloads of a page share one
// buffer: one allocation per page instead of one per event.
func scanEvents(rows *sql.Rows, limit int) ([]participation.Event, error) {
	events := make([]participation.Event, 0, min(limit, 1<<16))
	var ends []int
	var payloads []byte
	var typ string
	var payload sql.RawBytes
	for rows.Next() {
		var e participation.Event
		if err := rows.Scan(&e.Seq, &e.Tx, &typ, &e.ProcessID, &e.ComponentID, &e.EntityID, &e.ParticipantID,
			&e.RegionCode, &e.OccurredAt, &payload); err != nil {
			return nil, err
		}
		e.Type = participation.EventType(typ)
		e.OccurredAt = e.OccurredAt.UTC()
		payloads = append(payloads, payload...)
		ends = append(ends, len(payloads))
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	begin := 0
	for i, end := range ends {
		events[i].Payload = json.RawMessage(payloads[begin:end:end])
		begin = end
	}
	return events, nil
}

// Count returns how many events the outbox holds.
func (o outbox) Count(ctx context.Context) (int64, error) {
	var n int64
	if err := o.s.get(ctx, &n, "count-outbox"); err != nil {
		return 0, fmt.Errorf("store: unable to count outbox: %w", err)
	}
	return n, nil
}

// sqlitePoll is how often Wait looks again on SQLite, where nothing notifies.
const sqlitePoll = 100 * time.Millisecond

// Wait blocks until an outbox insert may have committed, ctx ends or timeout
// passes. It returns nil on a wake-up or a timeout and ctx's error when ctx
// ends: the caller reads again either way.
func (o outbox) Wait(ctx context.Context, timeout time.Duration) error {
	// A cancelled caller is told so even when a notification is queued too
	// (select would pick either at random).
	if err := ctx.Err(); err != nil {
		return err
	}
	if o.s.db.Dialect != sqldb.Postgres {
		d := min(timeout, sqlitePoll)
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			return nil
		}
	}
	notify, err := o.s.wake.channel()
	if err != nil {
		return err
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	case <-notify:
		// One read covers every commit so far: drop the queued duplicates.
		for {
			select {
			case <-notify:
			default:
				return nil
			}
		}
	}
}

// channel starts the LISTEN connection on first use.
func (l *listener) channel() (<-chan *pq.Notification, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.l != nil {
		return l.l.Notify, nil
	}
	pl := pq.NewListener(l.url, 100*time.Millisecond, 10*time.Second, func(ev pq.ListenerEventType, err error) {
		if err != nil {
			slog.Warn("outbox listener", "event", int(ev), "err", err)
		}
	})
	if err := pl.Listen(NotifyChannel); err != nil {
		pl.Close()
		return nil, fmt.Errorf("store: unable to listen on %s: %w", NotifyChannel, err)
	}
	l.l = pl
	return pl.Notify, nil
}
