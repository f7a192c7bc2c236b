package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// The tests schedule boundaries a second or two ahead and poll fast, so
// that each takes seconds.
const testPoll = 100 * time.Millisecond

func openStore(t testing.TB, b sqldbtest.Backend) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), b.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// span is a phase's dates.
type span struct{ start, end time.Time }

// publishedProcess creates a published process with the given phases and
// returns its id and its phases' ids.
func publishedProcess(t testing.TB, s *sqlstore.Store, slug string, phases ...span) (int64, []int64) {
	t.Helper()
	ctx := context.Background()
	first, last := phases[0].start, phases[len(phases)-1].end
	id, err := s.CreateProcess(ctx, participation.Process{Slug: slug, Title: "Ward budget " + slug,
		Level: participation.LevelConsult, Scope: participation.ScopeLocal, Mode: participation.ModeOpen,
		StartsAt: first.Add(-time.Hour), EndsAt: last.Add(time.Hour), Languages: []string{"en"}, TimeZone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for i, p := range phases {
		ph, err := s.AddPhase(ctx, participation.Phase{ProcessID: id, Name: fmt.Sprintf("Phase %d", i+1), StartsAt: p.start, EndsAt: p.end})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ph)
	}
	if err := s.SetPublished(ctx, id, true); err != nil {
		t.Fatal(err)
	}
	return id, ids
}

// waitApplied waits until the process has n phase changes.
func waitApplied(t testing.TB, s *sqlstore.Store, proc int64, n int, within time.Duration) []participation.PhaseChange {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		cs, err := s.PhaseChanges(context.Background(), proc)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) >= n {
			return cs
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, %d of %d phase boundaries applied: %+v", within, len(cs), n, cs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// riverJob is a row of River's job table.
type riverJob struct {
	ID      int64
	State   string
	Attempt int
	Args    struct {
		PhaseID int64     `json:"phase_id"`
		Kind    string    `json:"kind"`
		At      time.Time `json:"at"`
	}
}

// boundaryJobs reads River's phase boundary jobs straight from its table.
func boundaryJobs(t testing.TB, db *sqldb.DB) []riverJob {
	t.Helper()
	args := "args"
	if db.Dialect == sqldb.SQLite {
		args = "json(args)" // riversqlite keeps arguments as JSONB
	}
	rows, err := db.QueryContext(context.Background(), `SELECT id, state, attempt, `+args+` FROM river_job WHERE kind = 'phase_boundary' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []riverJob
	for rows.Next() {
		var j riverJob
		var args []byte
		if err := rows.Scan(&j.ID, &j.State, &j.Attempt, &args); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(args, &j.Args); err != nil {
			t.Fatalf("job %d args %s: %v", j.ID, args, err)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// phaseEvents counts the outbox's phase events per phase and type.
func phaseEvents(t testing.TB, s *sqlstore.Store, want int) map[string]int {
	t.Helper()
	// On Postgres the outbox holds back an event for a moment after its
	// commit (a reader must not skip one whose sequence came earlier), so
	// the events of a boundary applied just now may not be readable yet:
	// read until want of them are, or for 10 s.
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs, err := s.Outbox().Read(context.Background(), participation.Cursor{}, 100000)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]int{}
		n := 0
		for _, e := range evs {
			if e.Type == participation.EvPhaseOpened || e.Type == participation.EvPhaseClosed {
				out[fmt.Sprintf("%s %d", e.Type, e.EntityID)]++
				n++
			}
		}
		if n >= want || time.Now().After(deadline) {
			return out
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// logLines collects JSON log lines (slog's JSON handler, in this process
// or a helper's stdout) so that the tests can count job runs.
type logLines struct {
	mu      sync.Mutex
	partial []byte
	lines   []map[string]any
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		var m map[string]any
		if json.Unmarshal(l.partial[:i], &m) == nil {
			l.lines = append(l.lines, m)
		}
		l.partial = l.partial[i+1:]
	}
}

func (l *logLines) logger() *slog.Logger { return slog.New(slog.NewJSONHandler(l, nil)) }

// with returns the lines whose message is msg.
func (l *logLines) with(msg string) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, m := range l.lines {
		if m["msg"] == msg {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until a line with msg is logged.
func (l *logLines) waitFor(t testing.TB, msg string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		if ms := l.with(msg); len(ms) > 0 {
			return ms[len(ms)-1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q logged within %s", msg, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const ranMsg = "jobs: phase boundary job ran"

// runs counts the phase boundary job runs that got past the snooze, per
// "kind phase_id" and per job id.
func runs(logs ...*logLines) (byBoundary map[string]int, byJob map[int64]int) {
	byBoundary, byJob = map[string]int{}, map[int64]int{}
	for _, l := range logs {
		for _, m := range l.with(ranMsg) {
			byBoundary[fmt.Sprintf("%v %v", m["kind"], m["phase_id"])]++
			byJob[int64(m["job_id"].(float64))]++
		}
	}
	return byBoundary, byJob
}
