package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// target is the component a citizen write lands in, once the rules have let
// it through.
type target struct {
	ComponentID int64                       `db:"id"`
	Kind        participation.ComponentKind `db:"kind"`
	ProcessID   int64                       `db:"process_id"`
	Published   bool                        `db:"published"`
	Mode        participation.Mode          `db:"mode"`
	RegionSetID int64                       `db:"region_set_id"`
	// Region is the participant's region at the time of the write, for the
	// outbox event.
	Region string `db:"-"`
}

// open applies the rules every citizen write obeys, inside the write's
// transaction: the component exists and is of the expected kind, its process
// is published, a phase open now lists it, the participant exists, and a
// registered-only process has registered them.
func (s *Store) open(ctx context.Context, componentID int64, kind participation.ComponentKind, participantID int64) (target, error) {
	var t target
	if err := s.get(ctx, &t, "component-rules", componentID); err != nil {
		if noRows(err) {
			return t, notFound("component_id", "component")
		}
		return t, fmt.Errorf("store: unable to read component: %w", err)
	}
	if t.Kind != kind {
		return t, participation.Errorf(participation.CodeInvalid, "component_id", "err.wrong_component", "this is not a %s component", string(kind))
	}
	if !t.Published {
		return t, participation.Errorf(participation.CodeUnpublished, "", "err.unpublished", "this process is not published")
	}
	var phases []struct {
		StartsAt time.Time `db:"starts_at"`
		EndsAt   time.Time `db:"ends_at"`
	}
	if err := s.sel(ctx, &phases, "component-phases", componentID); err != nil {
		return t, fmt.Errorf("store: unable to read phases: %w", err)
	}
	now, isOpen := s.now(ctx), false
	for _, ph := range phases {
		if (participation.Phase{StartsAt: ph.StartsAt, EndsAt: ph.EndsAt}).IsOpenAt(now) {
			isOpen = true
			break
		}
	}
	if !isOpen {
		return t, participation.Errorf(participation.CodeClosed, "", "err.closed", "this is not open for contributions now")
	}
	region, err := s.participantRegion(ctx, participantID, t.ProcessID)
	if err != nil {
		return t, err
	}
	t.Region = region
	if t.Mode == participation.ModeRegistered {
		ok, err := s.IsRegistered(ctx, t.ProcessID, participantID)
		if err != nil {
			return t, err
		}
		if !ok {
			return t, participation.Errorf(participation.CodeRegistered, "", "err.registration_required", "this process asks participants to register first")
		}
	}
	return t, nil
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
