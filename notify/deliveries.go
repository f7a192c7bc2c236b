package notify

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Delivery is one row of the deliveries table as staff may read it: the
// address only masked, never the payload.
type Delivery struct {
	ID            int64        `db:"id"`
	Key           string       `db:"idem_key"`
	Kind          Kind         `db:"kind"`
	Channel       Channel      `db:"channel"`
	ParticipantID int64        `db:"participant_id"`
	To            string       `db:"address_masked"`
	Lang          string       `db:"lang"`
	State         string       `db:"state"` // queued, sending, sent, failed
	Attempts      int          `db:"attempts"`
	NextAttemptAt time.Time    `db:"next_attempt_at"`
	LastError     string       `db:"last_error"`
	CreatedAt     time.Time    `db:"created_at"`
	SentAt        sql.NullTime `db:"sent_at"`
}

// ListFilter selects deliveries: State "" is every state; Before (a
// delivery id, 0 for the newest) pages back; Limit defaults to 50.
type ListFilter struct {
	State  string
	Before int64
	Limit  int
}

// Deliveries lists deliveries newest first (the staff deliveries page).
func (s *Service) Deliveries(ctx context.Context, f ListFilter) ([]Delivery, error) {
	switch f.State {
	case "", stateQueued, stateSending, stateSent, stateFailed:
	default:
		return nil, fmt.Errorf("%w %q", ErrUnknownState, f.State)
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	var out []Delivery
	if err := s.db.SelectContext(ctx, &out, s.q["deliveries-list"], f.State, f.State, f.Before, f.Before, f.Limit); err != nil {
		return nil, fmt.Errorf("notify: unable to list deliveries: %w", err)
	}
	return out, nil
}

// DeliveryOf returns the delivery of a message (found by its idempotency
// key); ok is false when it was never queued.
func (s *Service) DeliveryOf(ctx context.Context, m Message) (d Delivery, ok bool, err error) {
	err = s.db.GetContext(ctx, &d, s.q["delivery-by-key"], m.Key())
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("notify: unable to read a delivery: %w", err)
	}
	return d, true, nil
}

// Counts returns how many deliveries are in each state.
func (s *Service) Counts(ctx context.Context) (map[string]int, error) {
	var rows []struct {
		State string `db:"state"`
		N     int    `db:"n"`
	}
	if err := s.db.SelectContext(ctx, &rows, s.q["deliveries-count"]); err != nil {
		return nil, fmt.Errorf("notify: unable to count deliveries: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, nil
}
