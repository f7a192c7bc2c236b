package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

var _ participation.PhaseJobs = (*Store)(nil)

// phaseStatements are the statements of sql/phases.sql; New loads the file
// with the shared ones and checks them with the rest.
var phaseStatements = []string{
	"applied-phase-boundaries",
	"due-phase-boundaries",
	"insert-phase-boundary-applied",
	"pending-phase-boundaries",
	"upcoming-phase-boundaries",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "phases.sql")
	statementNames = append(statementNames, phaseStatements...)
}

// UpcomingPhaseBoundaries returns up to limit boundaries at or after from,
// not applied yet, of published processes, in time order.
func (s *Store) UpcomingPhaseBoundaries(ctx context.Context, from time.Time, limit int) ([]participation.PhaseBoundary, error) {
	if limit <= 0 {
		limit = 1000
	}
	var out []participation.PhaseBoundary
	if err := s.sel(ctx, &out, "upcoming-phase-boundaries", from.UTC(), from.UTC(), limit); err != nil {
		return nil, fmt.Errorf("store: unable to list upcoming phase boundaries: %w", err)
	}
	return utcBoundaries(out), nil
}

// PendingPhaseBoundaries returns the boundaries of one published process
// not applied yet, due or not, in time order.
func (s *Store) PendingPhaseBoundaries(ctx context.Context, processID int64) ([]participation.PhaseBoundary, error) {
	var out []participation.PhaseBoundary
	if err := s.sel(ctx, &out, "pending-phase-boundaries", processID, processID); err != nil {
		return nil, fmt.Errorf("store: unable to list pending phase boundaries: %w", err)
	}
	return utcBoundaries(out), nil
}

// PhaseChanges returns the boundaries of a process applied so far, in time
// order.
func (s *Store) PhaseChanges(ctx context.Context, processID int64) ([]participation.PhaseChange, error) {
	var rows []struct {
		participation.PhaseBoundary
		AppliedAt time.Time `db:"applied_at"`
	}
	if err := s.sel(ctx, &rows, "applied-phase-boundaries", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list phase changes: %w", err)
	}
	out := make([]participation.PhaseChange, len(rows))
	for i, r := range rows {
		r.At = r.At.UTC()
		out[i] = participation.PhaseChange{PhaseBoundary: r.PhaseBoundary, AppliedAt: r.AppliedAt.UTC()}
	}
	return out, nil
}

func utcBoundaries(bs []participation.PhaseBoundary) []participation.PhaseBoundary {
	for i := range bs {
		bs[i].At = bs[i].At.UTC()
	}
	return bs
}

// dueBoundary is a boundary due now, with what applying it needs.
type dueBoundary struct {
	participation.PhaseBoundary
	Name string `db:"name"`
	Last bool   `db:"last"` // a close, and no other phase of the process ends later
}

type phasePayload struct {
	PhaseID int64  `json:"phase_id"`
	Name    string `json:"name"`
}

// AdvancePhases applies every boundary due at Now() that is not applied yet,
// in time order, in one transaction.
//
// Exactly once rests on the primary key of phase_boundaries_applied: each
// boundary is claimed by an INSERT … ON CONFLICT DO NOTHING, and only the
// caller whose insert took the row writes the event (and closes the
// process). On Postgres a concurrent caller's insert waits for the first
// one's transaction and then inserts nothing; both walk the boundaries in
// the same order, so they cannot deadlock. On SQLite writers take turns.
//
// The event's occurred_at is the boundary's time, not the time it was
// applied: the monitor marks the phase change where it happened, even when
// the server was down at that moment.
func (s *Store) AdvancePhases(ctx context.Context) ([]participation.PhaseChange, error) {
	var changes []participation.PhaseChange
	err := s.write(ctx, func(w *Store) error {
		changes = nil
		now := w.now(ctx)
		var due []dueBoundary
		if err := w.sel(ctx, &due, "due-phase-boundaries", now, now); err != nil {
			return fmt.Errorf("store: unable to list due phase boundaries: %w", err)
		}
		for _, b := range due {
			b.At = b.At.UTC()
			n, err := w.exec(ctx, "insert-phase-boundary-applied", b.PhaseID, b.Kind, b.ProcessID, b.At, now)
			if err != nil {
				return fmt.Errorf("store: unable to apply phase boundary: %w", err)
			}
			if n == 0 {
				continue // another caller applied it first
			}
			typ := participation.EvPhaseOpened
			if b.Kind == participation.BoundaryClose {
				typ = participation.EvPhaseClosed
			}
			if err := w.emit(participation.AsOf(ctx, b.At), event{typ: typ, processID: b.ProcessID, entityID: b.PhaseID,
				payload: phasePayload{PhaseID: b.PhaseID, Name: b.Name}}); err != nil {
				return err
			}
			if b.Last {
				if err := w.closeAfterLastPhase(ctx, b.ProcessID); err != nil {
					return err
				}
			}
			changes = append(changes, participation.PhaseChange{PhaseBoundary: b.PhaseBoundary, AppliedAt: now})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return changes, nil
}

// closeAfterLastPhase moves a published process to closed when its last
// phase has ended, inside AdvancePhases's transaction.
// It is Transition itself, bound to this transaction, so the same rules and
// the same process.state event apply as when an official closes it.
// A refusal (a rule of the lifecycle says no) leaves the process as it is
// and the boundary applied: it must not hold up every other boundary.
func (s *Store) closeAfterLastPhase(ctx context.Context, processID int64) error {
	err := s.Transition(ctx, processID, participation.StateClosed, participation.ClosedByLastPhase)
	if err != nil && isDomain(err) {
		return nil
	}
	return err
}
