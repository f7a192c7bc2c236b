package sqlstore

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// notifyGap is the shortest time between two NOTIFYs: the commits of a burst
// share one, and the ingester still wakes within a few milliseconds.
const notifyGap = 2 * time.Millisecond

// notifyRetry is how long the notifier waits after a failed NOTIFY; the
// ingester's polling covers the gap.
const notifyRetry = time.Second

// notifier tells outbox listeners that events committed. A NOTIFY inside a
// write's transaction takes Postgres's global notification-queue lock at
// commit and so serialises every writing transaction on the server; sent
// after the commit, from one connection of its own, it costs writers
// nothing. A crash between a commit and its NOTIFY loses only the wake-up:
// the ingester polls as well.
type notifier struct {
	db    *sqlx.DB
	query string
	poke  chan struct{}

	mu      sync.Mutex
	started bool
	closed  bool
	stop    chan struct{}
	done    chan struct{}
}

func newNotifier(db *sqlx.DB, query string) *notifier {
	return &notifier{db: db, query: query, poke: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// committed records that a transaction with events committed. It never
// blocks: a poke already pending covers this commit too.
func (n *notifier) committed() {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	if !n.started {
		n.started = true
		go n.run()
	}
	n.mu.Unlock()
	select {
	case n.poke <- struct{}{}:
	default:
	}
}

func (n *notifier) run() {
	defer close(n.done)
	var conn *sql.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		select {
		case <-n.stop:
			return
		case <-n.poke:
		}
		wait := notifyGap
		if err := n.send(&conn); err != nil {
			slog.Warn("outbox notifier: NOTIFY failed; the ingester will poll", "err", err)
			if conn != nil {
				conn.Close()
				conn = nil
			}
			wait = notifyRetry
			select { // try again for the commits this one was for
			case n.poke <- struct{}{}:
			default:
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-n.stop:
			t.Stop()
			return
		case <-t.C:
		}
	}
}

func (n *notifier) send(conn **sql.Conn) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if *conn == nil {
		c, err := n.db.Conn(ctx)
		if err != nil {
			return err
		}
		*conn = c
	}
	_, err := (*conn).ExecContext(ctx, n.query)
	return err
}

// close stops the notifier; a pending wake-up is dropped.
func (n *notifier) close() {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return
	}
	n.closed = true
	started := n.started
	close(n.stop)
	n.mu.Unlock()
	if started {
		<-n.done
	}
}
