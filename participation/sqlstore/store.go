package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"modernc.org/sqlite"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqlfile"
	"github.com/civicpulse/civicpulse/participation"
)

// Stream is the migration stream of the participation schema.
const Stream = "participation"

//go:embed migrations
var migrations embed.FS

//go:embed sql/*.sql
var queryFiles embed.FS

// sharedQueryFiles hold the statements both dialects run; each dialect's
// own file is added to them.
var sharedQueryFiles = []string{"queries.sql", "setup.sql"}

// statementTails are statements written as a head that ends in a shared
// statement (name → the tail's name), joined when the files are loaded:
// recipients.sql states each audience's candidates once and who may be
// reached once.
var statementTails = map[string]string{}

// Store implements participation.Store on Postgres and SQLite.
type Store struct {
	db     *sqldb.DB
	ownDB  bool
	q      queryer     // the pool, or the transaction inside Batch
	tx     *sqlx.Tx    // non-nil inside a transaction (a Batch, or one write)
	sql    sqlfile.Set // rebound to the dialect's placeholders
	raw    sqlfile.Set // as written, for sqlx.In
	clock  participation.Clock
	wake   *listener             // shared by the store and its transaction-bound copies
	poke   *notifier             // Postgres only: NOTIFY after commits that wrote events
	stmts  map[string]*sqlx.Stmt // Postgres only: hotStatements, prepared
	shapes *shapeCache           // region sets' areas, for proposals' map points

	txs *txState // inside a transaction: what it has done so far

	recipientPage int // candidates per page of ForEachRecipient; 0 is the default
}

var (
	_ participation.Store = (*Store)(nil)
	_ participation.Setup = (*Store)(nil)
)

// queryer is what *sqlx.DB and *sqlx.Tx have in common, so every method runs
// unchanged on the pool or inside a Batch transaction.
type queryer interface {
	sqlx.ExtContext
	GetContext(ctx context.Context, dest any, query string, args ...any) error
	SelectContext(ctx context.Context, dest any, query string, args ...any) error
}

// Option configures a Store.
type Option func(*Store)

// WithClock makes the store read the time from clock instead of time.Now
// (participation.AsOf still wins).
func WithClock(c participation.Clock) Option { return func(s *Store) { s.clock = c } }

// Open connects to dsn (see sqldb.Open), applies the participation
// migrations and returns the store; Close closes the database too.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	db, err := sqldb.Open(ctx, oneRoundTrip(dsn))
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	if err := Migrate(ctx, db); err != nil {
		db.Close()
		return nil, err
	}
	s, err := New(db, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	s.ownDB = true
	return s, nil
}

// oneRoundTrip asks lib/pq to send each statement with its parameters in one
// round trip instead of two (prepare, then execute): a citizen write runs
// half a dozen statements, so this halves its latency on Postgres.
func oneRoundTrip(dsn string) string {
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // sqldb.Open reports it
	}
	q := u.Query()
	if q.Get("binary_parameters") == "" {
		q.Set("binary_parameters", "yes")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// Migrate applies the participation migrations db lacks.
func Migrate(ctx context.Context, db *sqldb.DB) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return fmt.Errorf("store: unable to read migrations: %w", err)
	}
	if _, err := db.Migrate(ctx, Stream, sub); err != nil {
		return fmt.Errorf("store: unable to migrate: %w", err)
	}
	return nil
}

// New returns a store over an already migrated db that the caller keeps
// owning: Close leaves it open.
func New(db *sqldb.DB, opts ...Option) (*Store, error) {
	set, raw, err := loadQueries(db)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, q: db.DB, sql: set, raw: raw, wake: &listener{url: db.URL},
		shapes: &shapeCache{sets: map[int64][]participation.Shape{}}}
	if db.Dialect == sqldb.Postgres {
		s.poke = newNotifier(db.DB, set.Get("notify-outbox"))
		if err := s.prepare(); err != nil {
			return nil, err
		}
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// loadQueries reads the shared statements and the dialect's own, rebinds
// them to its placeholders and checks that every name the code uses exists.
func loadQueries(db *sqldb.DB) (set, raw sqlfile.Set, err error) {
	var parts []sqlfile.Set
	for _, f := range append(append([]string{}, sharedQueryFiles...), string(db.Dialect)+".sql") {
		part, err := sqlfile.Load(queryFiles, "sql/"+f)
		if err != nil {
			return nil, nil, fmt.Errorf("store: %w", err)
		}
		parts = append(parts, part)
	}
	set, raw = sqlfile.Set{}, sqlfile.Set{}
	for _, part := range parts {
		for name, q := range part {
			if _, dup := raw[name]; dup {
				return nil, nil, fmt.Errorf("store: statement %q defined twice (shared files and %s.sql)", name, db.Dialect)
			}
			raw[name] = q
		}
	}
	for name, tail := range statementTails {
		if raw[name] == "" || raw[tail] == "" {
			return nil, nil, fmt.Errorf("store: statement %q or its tail %q is missing", name, tail)
		}
		raw[name] += "\n" + raw[tail]
	}
	for name, q := range raw {
		set[name] = db.Rebind(q)
	}
	if err := set.Require(append(append([]string{}, statementNames...), setupStatementNames...)...); err != nil {
		return nil, nil, fmt.Errorf("store: %w", err)
	}
	if db.Dialect == sqldb.Postgres {
		if err := set.Require(postgresStatementNames...); err != nil {
			return nil, nil, fmt.Errorf("store: %w", err)
		}
	}
	return set, raw, nil
}

// DB returns the database the store runs on.
func (s *Store) DB() *sqldb.DB { return s.db }

// Close stops the outbox listener and, when Open created the database,
// closes it.
func (s *Store) Close() error {
	if s.tx != nil {
		return nil
	}
	s.wake.close()
	if s.poke != nil {
		s.poke.close()
	}
	for _, st := range s.stmts {
		st.Close()
	}
	if s.ownDB {
		return s.db.Close()
	}
	return nil
}

// now is the time of a write, cut to the microsecond that Postgres keeps, so
// both backends store and compare the same instant.
func (s *Store) now(ctx context.Context) time.Time {
	return participation.Now(ctx, s.clock).Truncate(time.Microsecond)
}

// Batch runs fn with a copy of the store bound to one transaction. A Batch
// inside fn reuses that transaction.
//
// A write refused for a domain reason (duplicate, closed, invalid, …) has
// written nothing, so fn may carry on. An internal failure (a database
// error) fails the whole batch even if fn ignores it: later writes return it
// and Batch rolls back. Savepoints would allow more, but every one that
// writes takes a Postgres subtransaction, and a transaction with more than
// 64 of them slows down every snapshot on the server.
func (s *Store) Batch(ctx context.Context, fn func(tx participation.Store) error) (err error) {
	if s.tx != nil {
		return fn(s)
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unable to begin batch: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tx.Rollback()
		}
	}()
	b := s.bound(tx)
	if err := fn(b); err != nil {
		return err
	}
	if b.txs.err != nil {
		return fmt.Errorf("store: batch rolled back after a failed write: %w", b.txs.err)
	}
	done = true
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: unable to commit batch: %w", err)
	}
	b.committed()
	return nil
}

// txState is what one transaction has done so far.
type txState struct {
	err     error // its first internal error
	emitted bool  // it appended outbox events
}

// committed wakes the outbox listeners once a transaction with events has
// committed.
func (s *Store) committed() {
	if s.txs.emitted && s.poke != nil {
		s.poke.committed()
	}
}

func (s *Store) bound(tx *sqlx.Tx) *Store {
	c := *s
	c.q = tx
	c.tx = tx
	c.txs = &txState{}
	return &c
}

// isDomain reports whether err is a refusal the caller can act on, as
// opposed to an internal failure.
func isDomain(err error) bool {
	var v participation.ValidationErrors
	return participation.ErrorCode(err) != "" || errors.As(err, &v)
}

// write runs fn atomically in its own transaction, or inside the Batch's.
// Every domain refusal is decided before fn changes anything, so a refused
// write leaves nothing behind either way.
func (s *Store) write(ctx context.Context, fn func(w *Store) error) error {
	if s.tx != nil {
		if s.txs.err != nil {
			return fmt.Errorf("store: an earlier write of this batch failed: %w", s.txs.err)
		}
		err := fn(s)
		if err != nil && !isDomain(err) {
			s.txs.err = err
		}
		return err
	}
	tx, err := s.db.BeginTxx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: unable to begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			tx.Rollback()
		}
	}()
	w := s.bound(tx)
	if err := fn(w); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: unable to commit: %w", err)
	}
	committed = true
	w.committed()
	return nil
}

// prepare readies hotStatements on Postgres. database/sql prepares each
// once per connection, so the server parses and plans them once instead of
// on every citizen write.
func (s *Store) prepare() error {
	s.stmts = map[string]*sqlx.Stmt{}
	for _, name := range hotStatements {
		st, err := s.db.Preparex(s.sql.Get(name))
		if err != nil {
			for _, st := range s.stmts {
				st.Close()
			}
			return fmt.Errorf("store: unable to prepare %s: %w", name, err)
		}
		s.stmts[name] = st
	}
	return nil
}

// stmt returns the prepared statement name, bound to the transaction if
// there is one, or nil when name is not prepared.
func (s *Store) stmt(ctx context.Context, name string) *sqlx.Stmt {
	st := s.stmts[name]
	if st == nil || s.tx == nil {
		return st
	}
	return s.tx.StmtxContext(ctx, st)
}

// oneStatement reports whether the hot writes (votes, supports, top-level
// comments) first try their whole write, rules included, as one Postgres
// statement outside any transaction. A refusal or a race makes it write
// nothing, and the step-by-step path then decides and explains.
func (s *Store) oneStatement() bool { return s.fused() && s.tx == nil }

// writeOne runs fn, whose only change is one fused statement on Postgres
// (the row, its counter and its event), without BEGIN and COMMIT: that
// statement is a transaction of its own, so the write and its event still
// commit together, and the counter row is locked only while it runs. The
// rules fn reads first are as fresh as inside a READ COMMITTED transaction,
// which takes no lock on them either; a refusal decided by the fused
// statement writes nothing. In a Batch, and on SQLite, it is write.
func (s *Store) writeOne(ctx context.Context, fn func(w *Store) error) error {
	if s.tx != nil || !s.fused() {
		return s.write(ctx, fn)
	}
	w := *s
	w.txs = &txState{}
	if err := fn(&w); err != nil {
		return err
	}
	w.committed()
	return nil
}

// Small helpers over the named statements.

func (s *Store) get(ctx context.Context, dest any, name string, args ...any) error {
	if st := s.stmt(ctx, name); st != nil {
		return st.GetContext(ctx, dest, args...)
	}
	return s.q.GetContext(ctx, dest, s.sql.Get(name), args...)
}

func (s *Store) sel(ctx context.Context, dest any, name string, args ...any) error {
	if st := s.stmt(ctx, name); st != nil {
		return st.SelectContext(ctx, dest, args...)
	}
	return s.q.SelectContext(ctx, dest, s.sql.Get(name), args...)
}

func (s *Store) exec(ctx context.Context, name string, args ...any) (int64, error) {
	var res sql.Result
	var err error
	if st := s.stmt(ctx, name); st != nil {
		res, err = st.ExecContext(ctx, args...)
	} else {
		res, err = s.q.ExecContext(ctx, s.sql.Get(name), args...)
	}
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// insertID runs an INSERT … RETURNING id.
func (s *Store) insertID(ctx context.Context, name string, args ...any) (int64, error) {
	var id int64
	if st := s.stmt(ctx, name); st != nil {
		err := st.QueryRowxContext(ctx, args...).Scan(&id)
		return id, err
	}
	err := s.q.QueryRowxContext(ctx, s.sql.Get(name), args...).Scan(&id)
	return id, err
}

// in expands a statement whose "IN (?)" takes a list.
func (s *Store) in(name string, args ...any) (string, []any, error) {
	q, a, err := sqlx.In(s.raw.Get(name), args...)
	if err != nil {
		return "", nil, err
	}
	return s.db.Rebind(q), a, nil
}

func notFound(field, what string) *participation.Error {
	return participation.Errorf(participation.CodeNotFound, field, "err.not_found", "%s not found", what)
}

// isUnique reports whether err is a unique-constraint violation on either
// backend: a concurrent writer beat the pre-check.
func isUnique(err error) bool {
	var pe *pq.Error
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == 2067 || se.Code() == 1555 // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY
	}
	return false
}

// fused reports whether writes use the statements that insert a row, bump
// its counter and append its event in one round trip (Postgres); SQLite
// runs in-process, where the three statements cost next to nothing.
func (s *Store) fused() bool { return s.db.Dialect == sqldb.Postgres }

func noRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }

// listener wakes Outbox.Wait on Postgres; it is created on first use.
type listener struct {
	url string
	mu  sync.Mutex
	l   *pq.Listener
}

func (l *listener) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.l != nil {
		l.l.Close()
		l.l = nil
	}
}
