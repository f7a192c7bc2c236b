// Package warehouse is the DuckDB analytics store: facts appended from the
// outbox, dimensions, text features, incremental rollups and the ingester's
// checkpoint, all committed together, plus a read pool for dashboards.
//
// DuckDB allows one read-write process per file, so one Warehouse owns the
// file: a single writer connection (Write) and a pool of readers (Read) in
// the same process. Readers see only committed batches.
package warehouse

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/civicpulse/civicpulse/internal/sqlfile"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

//go:embed sql/*.sql
var sqlFS embed.FS

var statementNames = []string{
	"get-checkpoint", "set-checkpoint", "load-seqs", "load-first-seen", "load-rollup-keys", "add-to-rollup",
	"delete-process", "delete-phases", "delete-components", "delete-regions",
	"delete-sections", "delete-questions", "drop-counts",
}

// Warehouse is an open DuckDB warehouse.
type Warehouse struct {
	connector *duckdb.Connector
	db        *sql.DB
	q         sqlfile.Set
	path      string

	seenMu sync.RWMutex // guards seen apart from mu, so Has never waits for a write
	seen   *seqSet

	mu         sync.Mutex // serialises Write and guards the state below
	writer     *sql.Conn
	firstSeen  map[firstKey]struct{}
	rollupKeys map[rollupKey]uint64 // key -> key_id
	rollupIDs  map[uint64]struct{}
	cursor     Cursor
	consumed   int64

	subMu sync.Mutex
	subs  map[int]chan Advance
	next  int
}

type firstKey struct {
	process, component int64
	kind, region       string
	participant        string
}

// Open opens (creating if needed) the warehouse at path and applies its
// migrations; "" opens a private in-memory warehouse for tests.
func Open(path string) (*Warehouse, error) {
	q, err := sqlfile.Load(sqlFS, "sql/*.sql")
	if err != nil {
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	if err := q.Require(statementNames...); err != nil {
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	if err := q.Require(decisionStatementNames...); err != nil {
		return nil, fmt.Errorf("warehouse: %w", err)
	}
	if path != "" {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("warehouse: unable to create folder for %s: %w", path, err)
		}
	}
	connector, err := duckdb.NewConnector(path, nil)
	if err != nil {
		return nil, fmt.Errorf("warehouse: unable to open %q: %w", path, err)
	}
	w := &Warehouse{connector: connector, db: sql.OpenDB(connector), q: q, path: path, subs: map[int]chan Advance{}}
	ctx := context.Background()
	if err := w.migrate(ctx); err != nil {
		w.db.Close()
		return nil, err
	}
	if w.writer, err = w.db.Conn(ctx); err != nil {
		w.db.Close()
		return nil, fmt.Errorf("warehouse: unable to open the writer connection: %w", err)
	}
	if err := w.load(ctx); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// load reads the state the writer keeps in memory: the checkpoint, the set
// of sequences already present (duplicate detection) and the first-seen
// keys (distinct participants in rollups).
func (w *Warehouse) load(ctx context.Context) error {
	var batches int64
	if err := w.db.QueryRowContext(ctx, w.q.Get("get-checkpoint")).Scan(&w.cursor.Tx, &w.cursor.Seq, &w.consumed, &batches); err != nil {
		return fmt.Errorf("warehouse: unable to read the checkpoint: %w", err)
	}
	w.seen = newSeqSet()
	rows, err := w.db.QueryContext(ctx, w.q.Get("load-seqs"))
	if err != nil {
		return fmt.Errorf("warehouse: unable to load sequences: %w", err)
	}
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return fmt.Errorf("warehouse: unable to load sequences: %w", err)
		}
		w.seen.add(s)
	}
	rows.Close()
	w.firstSeen = map[firstKey]struct{}{}
	w.rollupKeys = map[rollupKey]uint64{}
	w.rollupIDs = map[uint64]struct{}{}
	rows, err = w.db.QueryContext(ctx, w.q.Get("load-rollup-keys"))
	if err != nil {
		return fmt.Errorf("warehouse: unable to load rollup keys: %w", err)
	}
	for rows.Next() {
		var k rollupKey
		var id uint64
		if err := rows.Scan(&id, &k.grain, &k.bucket, &k.process, &k.component, &k.kind, &k.region); err != nil {
			rows.Close()
			return fmt.Errorf("warehouse: unable to load rollup keys: %w", err)
		}
		k.bucket = k.bucket.UTC()
		w.rollupKeys[k] = id
		w.rollupIDs[id] = struct{}{}
	}
	rows.Close()
	rows, err = w.db.QueryContext(ctx, w.q.Get("load-first-seen"))
	if err != nil {
		return fmt.Errorf("warehouse: unable to load first-seen participants: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k firstKey
		if err := rows.Scan(&k.process, &k.component, &k.kind, &k.region, &k.participant); err != nil {
			return fmt.Errorf("warehouse: unable to load first-seen participants: %w", err)
		}
		w.firstSeen[k] = struct{}{}
	}
	return rows.Err()
}

// Close closes the warehouse. Subscribers' channels are closed.
func (w *Warehouse) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.subMu.Lock()
	for id, ch := range w.subs {
		close(ch)
		delete(w.subs, id)
	}
	w.subMu.Unlock()
	var errs []error
	if w.writer != nil {
		errs = append(errs, w.writer.Close())
		w.writer = nil
	}
	if w.db != nil {
		errs = append(errs, w.db.Close())
		w.db = nil
	}
	return errors.Join(errs...)
}

// Read returns the read pool for dashboards and exports. It shares the
// database with the writer, so it sees each batch once it commits.
func (w *Warehouse) Read() *sql.DB { return w.db }

// Checkpoint returns the cursor after the last committed batch and the
// number of outbox events consumed so far.
func (w *Warehouse) Checkpoint() (Cursor, int64) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cursor, w.consumed
}

// Has reports whether an event with this sequence is already in the
// warehouse (accepted, or dropped as invalid or spam).
func (w *Warehouse) Has(seq int64) bool {
	w.seenMu.RLock()
	defer w.seenMu.RUnlock()
	return w.seen.has(seq)
}

// DropCounts returns dropped events per process and reason.
func (w *Warehouse) DropCounts(ctx context.Context) ([]DropCount, error) {
	rows, err := w.db.QueryContext(ctx, w.q.Get("drop-counts"))
	if err != nil {
		return nil, fmt.Errorf("warehouse: unable to count drops: %w", err)
	}
	defer rows.Close()
	var out []DropCount
	for rows.Next() {
		var d DropCount
		if err := rows.Scan(&d.ProcessID, &d.Reason, &d.N); err != nil {
			return nil, fmt.Errorf("warehouse: unable to count drops: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// FactTables names the tables built from the outbox alone: what a rebuild
// must reproduce row for row (dimensions aside, which are read from the
// store). DecisionTables are rebuilt too; other tables (what the insights
// jobs and the alert check compute) are not.
var FactTables = []string{
	"events", "proposals", "comments", "votes", "supports", "survey_pages", "survey_answers",
	"visits", "registrations", "consents", "moderation", "text_features", "dropped",
	"participant_first_seen", "rollup",
}

// DimensionTables are replaced from the store when it announces a change.
var DimensionTables = []string{
	"dim_processes", "dim_phases", "dim_components", "dim_regions", "dim_sections", "dim_questions",
}

// Subscribe returns a channel that receives an Advance after each committed
// batch, and a function to stop. Delivery never blocks the writer: a
// subscriber that has not taken the previous Advance gets the newest one
// instead (it only needs to know how far the warehouse got).
func (w *Warehouse) Subscribe() (<-chan Advance, func()) {
	ch := make(chan Advance, 1)
	w.subMu.Lock()
	id := w.next
	w.next++
	w.subs[id] = ch
	w.subMu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			w.subMu.Lock()
			if c, ok := w.subs[id]; ok {
				delete(w.subs, id)
				close(c)
			}
			w.subMu.Unlock()
		})
	}
}

func (w *Warehouse) publish(a Advance) {
	w.subMu.Lock()
	defer w.subMu.Unlock()
	for _, ch := range w.subs {
		select {
		case ch <- a:
		default:
			select { // replace the stale value with the newest
			case <-ch:
			default:
			}
			select {
			case ch <- a:
			default:
			}
		}
	}
}

// Write commits a batch: its facts, rollups, dimensions, drops and the new
// checkpoint in one DuckDB transaction on the writer connection. Appenders
// write into that open transaction, so a crash before COMMIT leaves none of
// the batch behind, and one after leaves all of it with its checkpoint.
func (w *Warehouse) Write(ctx context.Context, b *Batch) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.writer == nil {
		return errors.New("warehouse: closed")
	}
	start := time.Now()
	newFirst := w.pendingFirstSeen(b.Events)
	var newKeys []keyID
	err := w.writer.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("warehouse: writer is not a driver connection")
		}
		ex := conn.(driver.ExecerContext)
		if _, err := ex.ExecContext(ctx, "BEGIN TRANSACTION", nil); err != nil {
			return fmt.Errorf("warehouse: unable to begin: %w", err)
		}
		var err error
		if newKeys, err = w.writeBatch(ctx, conn, b, newFirst); err != nil {
			if _, rerr := ex.ExecContext(context.WithoutCancel(ctx), "ROLLBACK", nil); rerr != nil {
				slog.Error("warehouse: rollback failed", "err", rerr)
			}
			return err
		}
		if _, err := ex.ExecContext(ctx, "COMMIT", nil); err != nil {
			ex.ExecContext(context.WithoutCancel(ctx), "ROLLBACK", nil)
			return fmt.Errorf("warehouse: unable to commit batch: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Memory follows the database only once the batch is durable.
	w.seenMu.Lock()
	for _, e := range b.Events {
		w.seen.add(e.Seq)
	}
	for _, d := range b.Dropped {
		if d.Reason != ReasonDuplicate {
			w.seen.add(d.Seq)
		}
	}
	w.seenMu.Unlock()
	for _, f := range newFirst {
		w.firstSeen[f.key] = struct{}{}
	}
	for _, k := range newKeys {
		w.rollupKeys[k.key] = k.id
		w.rollupIDs[k.id] = struct{}{}
	}
	if b.Consumed > 0 || b.To != (Cursor{}) {
		w.cursor = b.To
	}
	w.consumed += b.Consumed
	slog.Debug("warehouse: batch committed", "events", b.Consumed, "took", time.Since(start))
	w.publish(Advance{Cursor: w.cursor, Seq: w.cursor.Seq, Events: w.consumed, Batch: int(b.Consumed), At: time.Now().UTC()})
	return nil
}

type firstSeen struct {
	key firstKey
	at  time.Time
}

// pendingFirstSeen returns the participant keys the batch sees for the first
// time, in event order.
func (w *Warehouse) pendingFirstSeen(events []Event) []firstSeen {
	var out []firstSeen
	inBatch := map[firstKey]struct{}{}
	for _, e := range events {
		if e.Participant == "" {
			continue
		}
		k := firstKey{e.ProcessID, e.ComponentID, e.Type, e.RegionCode, e.Participant}
		if _, ok := w.firstSeen[k]; ok {
			continue
		}
		if _, ok := inBatch[k]; ok {
			continue
		}
		inBatch[k] = struct{}{}
		out = append(out, firstSeen{k, e.OccurredAt})
	}
	return out
}

// CopyOtherTablesFrom copies into w the rows of every table of the
// warehouse file at path that the outbox cannot rebuild (neither a fact, a
// decision nor a dimension table: what the insights jobs and the alert
// check computed), so that a rebuild keeps them. w's tables must be empty;
// tables w lacks are skipped.
func (w *Warehouse) CopyOtherTablesFrom(ctx context.Context, path string) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	skip := map[string]bool{"checkpoint": true, "schema_version": true}
	for _, t := range FactTables {
		skip[t] = true
	}
	for _, t := range DimensionTables {
		skip[t] = true
	}
	for _, t := range DecisionTables {
		skip[t] = true
	}
	conn := w.writer
	if _, err := conn.ExecContext(ctx, `ATTACH '`+strings.ReplaceAll(path, "'", "''")+`' AS previous (READ_ONLY)`); err != nil {
		return fmt.Errorf("warehouse: unable to open %s: %w", path, err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH previous`)
	rows, err := conn.QueryContext(ctx, `SELECT p.table_name FROM duckdb_tables() p
		JOIN duckdb_tables() m ON m.database_name = current_database() AND m.schema_name = 'main' AND m.table_name = p.table_name
		WHERE p.database_name = 'previous' AND p.schema_name = 'main'`)
	if err != nil {
		return fmt.Errorf("warehouse: unable to list tables of %s: %w", path, err)
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		if !skip[t] {
			tables = append(tables, t)
		}
	}
	rows.Close()
	for _, t := range tables {
		q := fmt.Sprintf(`INSERT INTO main."%[1]s" BY NAME SELECT * FROM previous.main."%[1]s"`, t)
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("warehouse: unable to copy %s: %w", t, err)
		}
	}
	return nil
}
