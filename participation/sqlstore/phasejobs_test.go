package sqlstore_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// clock is a settable time for the phase tests.
type clock struct{ ns atomic.Int64 }

func (c *clock) set(t time.Time) { c.ns.Store(t.UnixNano()) }
func (c *clock) now() time.Time  { return time.Unix(0, c.ns.Load()).UTC() }
func openAt(t testing.TB, b sqldbtest.Backend, c *clock) *sqlstore.Store {
	t.Helper()
	s, err := sqlstore.Open(context.Background(), b.URL, sqlstore.WithClock(c.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// phased creates a process with two back-to-back phases (1–15 March, 15
// March–1 April) and publishes it when published is set.
func phased(t testing.TB, s *sqlstore.Store, slug string, published bool) (proc, first, second int64) {
	t.Helper()
	ctx := context.Background()
	p := process(slug, 0, participation.ModeOpen)
	proc = must(s.CreateProcess(ctx, p))(t)
	first = must(s.AddPhase(ctx, participation.Phase{ProcessID: proc, Name: "Ideas", StartsAt: date(3, 1), EndsAt: date(3, 15)}))(t)
	second = must(s.AddPhase(ctx, participation.Phase{ProcessID: proc, Name: "Ranking", StartsAt: date(3, 15), EndsAt: date(4, 1)}))(t)
	if published {
		ok(t, s.SetPublished(ctx, proc, true))
	}
	return proc, first, second
}

func boundary(proc, phase int64, kind string, at time.Time) participation.PhaseBoundary {
	return participation.PhaseBoundary{ProcessID: proc, PhaseID: phase, Kind: kind, At: at}
}

func sameBoundaries(t testing.TB, what string, got []participation.PhaseBoundary, want ...participation.PhaseBoundary) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d boundaries %+v, want %d %+v", what, len(got), got, len(want), want)
	}
	for i := range want {
		if got[i].ProcessID != want[i].ProcessID || got[i].PhaseID != want[i].PhaseID || got[i].Kind != want[i].Kind || !got[i].At.Equal(want[i].At) {
			t.Fatalf("%s: boundary %d is %+v, want %+v", what, i, got[i], want[i])
		}
	}
}

func changedBoundaries(cs []participation.PhaseChange) []participation.PhaseBoundary {
	out := make([]participation.PhaseBoundary, len(cs))
	for i, c := range cs {
		out[i] = c.PhaseBoundary
	}
	return out
}

// phaseEvents returns the phase events of the outbox, in order.
func phaseEvents(t testing.TB, s *sqlstore.Store) []participation.Event {
	t.Helper()
	var out []participation.Event
	for _, e := range allEvents(t, s) {
		if e.Type == participation.EvPhaseOpened || e.Type == participation.EvPhaseClosed {
			out = append(out, e)
		}
	}
	return out
}

func TestPhaseBoundariesUpcomingAndAdvance(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		c := &clock{}
		c.set(date(2, 20))
		s := openAt(t, b, c)
		proc, first, second := phased(t, s, "phased", true)
		draft, _, _ := phased(t, s, "draft", false)

		all := []participation.PhaseBoundary{
			boundary(proc, first, "open", date(3, 1)),
			boundary(proc, first, "close", date(3, 15)), // a close before the open at the same instant
			boundary(proc, second, "open", date(3, 15)),
			boundary(proc, second, "close", date(4, 1)),
		}
		sameBoundaries(t, "upcoming from 20 Feb", must(s.UpcomingPhaseBoundaries(ctx, date(2, 20), 100))(t), all...)
		sameBoundaries(t, "upcoming, limit 2", must(s.UpcomingPhaseBoundaries(ctx, date(2, 20), 2))(t), all[:2]...)
		sameBoundaries(t, "upcoming from 15 March", must(s.UpcomingPhaseBoundaries(ctx, date(3, 15), 100))(t), all[1:]...)
		sameBoundaries(t, "pending of the process", must(s.PendingPhaseBoundaries(ctx, proc))(t), all...)
		sameBoundaries(t, "pending of a draft", must(s.PendingPhaseBoundaries(ctx, draft))(t))

		if got := must(s.AdvancePhases(ctx))(t); len(got) != 0 {
			t.Fatalf("before the first phase, AdvancePhases applied %+v", got)
		}

		// 20 March: the first phase opened and closed, the second opened —
		// applied in time order, each with its event at the boundary's time.
		c.set(date(3, 20))
		got := must(s.AdvancePhases(ctx))(t)
		sameBoundaries(t, "applied on 20 March", changedBoundaries(got), all[:3]...)
		for _, ch := range got {
			if !ch.AppliedAt.Equal(date(3, 20)) {
				t.Fatalf("applied at %v, want the store's now", ch.AppliedAt)
			}
		}
		if again := must(s.AdvancePhases(ctx))(t); len(again) != 0 {
			t.Fatalf("a second call applied %+v again", again)
		}
		evs := phaseEvents(t, s)
		wantTypes := []participation.EventType{participation.EvPhaseOpened, participation.EvPhaseClosed, participation.EvPhaseOpened}
		if len(evs) != len(wantTypes) {
			t.Fatalf("%d phase events, want %d: %+v", len(evs), len(wantTypes), evs)
		}
		for i, e := range evs {
			if e.Type != wantTypes[i] || e.ProcessID != proc || e.EntityID != all[i].PhaseID || !e.OccurredAt.Equal(all[i].At) {
				t.Fatalf("event %d = %s process %d entity %d at %v, want %s of phase %d at %v", i, e.Type, e.ProcessID, e.EntityID, e.OccurredAt, wantTypes[i], all[i].PhaseID, all[i].At)
			}
		}
		sameJSON(t, evs[0].Payload, `{"phase_id": `+strconv.FormatInt(first, 10)+`, "name": "Ideas"}`)
		sameJSON(t, evs[2].Payload, `{"phase_id": `+strconv.FormatInt(second, 10)+`, "name": "Ranking"}`)

		sameBoundaries(t, "upcoming after", must(s.UpcomingPhaseBoundaries(ctx, date(2, 20), 100))(t), all[3])
		changes := must(s.PhaseChanges(ctx, proc))(t)
		sameBoundaries(t, "phase changes", changedBoundaries(changes), all[:3]...)

		// The draft's phases never move.
		c.set(date(4, 2))
		got = must(s.AdvancePhases(ctx))(t)
		sameBoundaries(t, "applied on 2 April", changedBoundaries(got), all[3])
		if n := len(must(s.PhaseChanges(ctx, draft))(t)); n != 0 {
			t.Fatalf("a draft had %d phase changes", n)
		}
		if n := len(phaseEvents(t, s)); n != 4 {
			t.Fatalf("%d phase events after the last close, want 4", n)
		}
		// The close of the last phase closed the process, through
		// Transition, in the same transaction.
		p := must(s.GetProcess(ctx, proc, false))(t)
		if p.State != participation.StateClosed || p.ClosedReason != participation.ClosedByLastPhase || p.ClosedAt == nil || !p.ClosedAt.Equal(date(4, 2)) {
			t.Fatalf("after its last phase the process is %s (reason %q, closed at %v), want closed by %q on 2 April", p.State, p.ClosedReason, p.ClosedAt, participation.ClosedByLastPhase)
		}
		if d := must(s.GetProcess(ctx, draft, false))(t); d.State != participation.StateDraft {
			t.Fatalf("the draft is %s", d.State)
		}
		var states []participation.Event
		for _, e := range allEvents(t, s) {
			if e.Type == participation.EvProcessState && e.ProcessID == proc {
				states = append(states, e)
			}
		}
		if len(states) == 0 {
			t.Fatal("no process.state event")
		}
		sameJSON(t, states[len(states)-1].Payload, `{"from": "published", "to": "closed", "reason": "last phase ended"}`)
		if again := must(s.AdvancePhases(ctx))(t); len(again) != 0 {
			t.Fatalf("after closing, AdvancePhases applied %+v", again)
		}
	})
}

// TestPhaseBoundaryAppliedOnceConcurrently has several servers (stores with
// their own connection pools) call AdvancePhases at once, many times: every
// boundary is applied by exactly one call and has exactly one event.
func TestPhaseBoundaryAppliedOnceConcurrently(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		c := &clock{}
		c.set(date(2, 20))
		setupStore := openAt(t, b, c)
		var procs []int64
		for _, slug := range []string{"one", "two", "three"} {
			p, _, _ := phased(t, setupStore, slug, true)
			procs = append(procs, p)
		}
		servers := []*sqlstore.Store{setupStore, openAt(t, b, c), openAt(t, b, c), openAt(t, b, c)}
		c.set(date(4, 2)) // every boundary is due

		const callsPerServer = 6
		var wg sync.WaitGroup
		var mu sync.Mutex
		applied := map[participation.PhaseBoundary]int{}
		errs := make(chan error, len(servers)*callsPerServer)
		for _, s := range servers {
			for range callsPerServer {
				wg.Add(1)
				go func() {
					defer wg.Done()
					got, err := s.AdvancePhases(ctx)
					if err != nil {
						errs <- err
						return
					}
					mu.Lock()
					defer mu.Unlock()
					for _, ch := range got {
						applied[ch.PhaseBoundary]++
					}
				}()
			}
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("AdvancePhases failed under concurrency: %v", err)
		}
		if len(applied) != 4*len(procs) {
			t.Fatalf("%d boundaries applied, want %d", len(applied), 4*len(procs))
		}
		for bd, n := range applied {
			if n != 1 {
				t.Fatalf("boundary %+v applied %d times", bd, n)
			}
		}
		evs := phaseEvents(t, setupStore)
		if len(evs) != 4*len(procs) {
			t.Fatalf("%d phase events, want %d", len(evs), 4*len(procs))
		}
		seen := map[[2]int64]int{}
		for _, e := range evs {
			k := 0
			if e.Type == participation.EvPhaseClosed {
				k = 1
			}
			seen[[2]int64{e.EntityID, int64(k)}]++
		}
		for k, n := range seen {
			if n != 1 {
				t.Fatalf("phase %d kind %d has %d events", k[0], k[1], n)
			}
		}
	})
}
