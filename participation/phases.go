package participation

import (
	"context"
	"time"
)

// Phases open and close by themselves: the job queue (package jobs) runs a
// job at each boundary that calls AdvancePhases. The store decides what is
// due and applies each boundary once, so a job that runs late, twice, or on
// two servers at once changes nothing more.

// The outbox events of a phase boundary (payload {"phase_id", "name"}; the
// event's occurred_at is the boundary's time, entity_id the phase).
const (
	EvPhaseOpened EventType = "phase.opened"
	EvPhaseClosed EventType = "phase.closed"
)

// The kinds of phase boundary.
const (
	BoundaryOpen  = "open"
	BoundaryClose = "close"
)

// ClosedByLastPhase is the reason a published process gives when it closes
// because its last phase ended.
const ClosedByLastPhase = "last phase ended"

// PhaseBoundary is the start ("open") or the end ("close") of a phase.
type PhaseBoundary struct {
	ProcessID int64     `db:"process_id" json:"process_id"`
	PhaseID   int64     `db:"phase_id" json:"phase_id"`
	Kind      string    `db:"kind" json:"kind"`
	At        time.Time `db:"at" json:"at"`
}

// PhaseChange is a boundary that AdvancePhases applied, and when.
type PhaseChange struct {
	PhaseBoundary
	AppliedAt time.Time `db:"applied_at" json:"applied_at"`
}

// PhaseJobs is what the job queue needs from the store to move phases on
// time.
type PhaseJobs interface {
	// UpcomingPhaseBoundaries returns up to limit boundaries at or after
	// from that are not applied yet, of published processes, in time order
	// (a close before an open at the same instant).
	UpcomingPhaseBoundaries(ctx context.Context, from time.Time, limit int) ([]PhaseBoundary, error)
	// PendingPhaseBoundaries returns every boundary of one process not
	// applied yet, due or not, in time order; none unless it is published.
	PendingPhaseBoundaries(ctx context.Context, processID int64) ([]PhaseBoundary, error)
	// AdvancePhases applies every boundary at or before Now() not applied
	// yet, each exactly once however many servers call it at once, with its
	// outbox event in the same transaction; when the last phase of a
	// published process closes, the process closes ("last phase ended").
	// It returns what this call applied.
	AdvancePhases(ctx context.Context) ([]PhaseChange, error)
}
