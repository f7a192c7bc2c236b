package insights

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// openWarehouse opens a real DuckDB warehouse in the test's folder.
func openWarehouse(t testing.TB) *warehouse.Warehouse {
	t.Helper()
	wh, err := warehouse.Open(filepath.Join(t.TempDir(), "w.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	return wh
}

// testClock advances a minute per reading, so that every write of a job
// carries a time of its own and a rewrite shows.
type testClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(time.Minute)
	return c.at
}

func newRunner(t testing.TB, wh *warehouse.Warehouse) *Runner {
	t.Helper()
	clock := &testClock{at: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	r, err := New(wh, Options{Seed: 1, Now: clock.now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// facts numbers the events a test writes, as the outbox would.
type facts struct {
	wh    *warehouse.Warehouse
	seq   int64
	edits int64 // theme edit ids, as the store numbers them
}

func (f *facts) next() int64 {
	f.seq++
	return f.seq
}

// write commits a batch with the cursor after its last event.
func (f *facts) write(t testing.TB, b *warehouse.Batch) {
	t.Helper()
	b.To = warehouse.Cursor{Seq: f.seq}
	b.Consumed = int64(len(b.Events))
	if err := f.wh.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// scalar reads one value.
func scalar[T any](t testing.TB, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// envInt reads a positive number from the environment, 0 when unset.
func envInt(t testing.TB, name string) int {
	t.Helper()
	s := os.Getenv(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 {
		t.Fatalf("%s=%q: want a positive number", name, s)
	}
	return n
}

// officials makes theme edits the way the platform does: checked against
// the themes as they stand, written to theme_edits by the warehouse writer
// (as the ingester writes the store's theme.edited event), then applied.
type officials struct {
	t testing.TB
	f *facts
	r *Runner
}

func (o officials) edit(ctx context.Context, process int64, kind string, theme, other int64, label string, staff int64) error {
	o.t.Helper()
	scope, scopeID, err := o.r.CheckEdit(ctx, process, kind, theme, other, label)
	if err != nil {
		return err
	}
	o.f.edits++
	o.f.write(o.t, &warehouse.Batch{Decisions: []warehouse.Decision{{Seq: o.f.seq, Op: warehouse.EditTheme, ProcessID: process,
		ID: o.f.edits, At: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), Kind: kind, Scope: scope, ScopeID: scopeID,
		ThemeID: theme, OtherID: other, Label: strings.TrimSpace(label), StaffID: staff}}})
	return o.r.ApplyEdits(ctx, process)
}

func (o officials) RenameTheme(ctx context.Context, process, theme int64, label string, staff int64) error {
	return o.edit(ctx, process, "rename", theme, 0, label, staff)
}

func (o officials) MergeThemes(ctx context.Context, process, theme, into int64, staff int64) error {
	return o.edit(ctx, process, "merge", theme, into, "", staff)
}

func (o officials) SplitTheme(ctx context.Context, process, theme int64, staff int64) error {
	return o.edit(ctx, process, "split", theme, 0, "", staff)
}
