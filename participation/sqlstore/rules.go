package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// target is the component a citizen write lands in, once the rules have let
// it through.
type target struct {
	ComponentID int64                       `db:"id"`
	Kind        participation.ComponentKind `db:"kind"`
	ProcessID   int64                       `db:"process_id"`
	Published   bool                        `db:"published"`
	State       participation.State         `db:"state"`
	Mode        participation.Mode          `db:"mode"`
	IsOpen      bool                        `db:"is_open"`
	Registered  bool                        `db:"registered"`
	// Region is the participant's region at the time of the write, for the
	// outbox event; NULL when the participant does not exist.
	Region *string `db:"region"`
}

// region returns the participant's region for the event.
func (t target) region() string {
	if t.Region == nil {
		return ""
	}
	return *t.Region
}

// open applies the rules every citizen write obeys, inside the write's
// transaction and in one query: the component exists and is of the expected
// kind, its process is published, a phase open now lists it, the participant
// exists, and a registered-only process has registered them.
func (s *Store) open(ctx context.Context, componentID int64, kind participation.ComponentKind, participantID int64) (target, error) {
	var t target
	if err := s.rules(ctx, &t, "write-rules", participantID, componentID); err != nil {
		if noRows(err) {
			return t, notFound("component_id", "component")
		}
		return t, fmt.Errorf("store: unable to check the rules: %w", err)
	}
	return t, t.check(kind)
}

// rules runs one of the *write-rules statements, whose parameters are the
// time, the participant, then extra (what the statement looks up).
func (s *Store) rules(ctx context.Context, dest any, stmt string, participantID int64, extra ...any) error {
	now := s.now(ctx)
	return s.get(ctx, dest, stmt, append([]any{now, now, participantID, participantID, participantID}, extra...)...)
}

// check refuses a write the rules do not let through.
func (t target) check(kind participation.ComponentKind) error {
	switch {
	case t.Kind != kind:
		return participation.Errorf(participation.CodeInvalid, "component_id", "err.wrong_component", "this is not a %s component", string(kind))
	case t.State.ReadOnly():
		return participation.Errorf(participation.CodeClosed, "", "err.process_closed", "this process is %s; it takes no more contributions", string(t.State))
	case !t.Published:
		return participation.Errorf(participation.CodeUnpublished, "", "err.unpublished", "this process is not published")
	case !t.IsOpen:
		return participation.Errorf(participation.CodeClosed, "", "err.closed", "this is not open for contributions now")
	case t.Region == nil:
		return notFound("participant_id", "participant")
	case t.Mode == participation.ModeRegistered && !t.Registered:
		return participation.Errorf(participation.CodeRegistered, "", "err.registration_required", "this process asks participants to register first")
	}
	return nil
}

// participantRegion returns the participant's self-declared region, or the
// region of their profile for the process; CodeNotFound for an unknown one.
func (s *Store) participantRegion(ctx context.Context, participantID, processID int64) (string, error) {
	var region string
	if err := s.get(ctx, &region, "participant-region", processID, participantID); err != nil {
		if noRows(err) {
			return "", notFound("participant_id", "participant")
		}
		return "", fmt.Errorf("store: unable to read participant: %w", err)
	}
	return region, nil
}
