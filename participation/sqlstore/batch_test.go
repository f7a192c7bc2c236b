package sqlstore_test

import (
	"errors"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

func (x *fx) proposalRows() int {
	x.t.Helper()
	var n int
	ok(x.t, x.s.DB().GetContext(x.ctx, &n, "SELECT COUNT(*) FROM proposals"))
	return n
}

func TestBatch(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		p := participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "Batched", Description: "Written in a batch"}
		events := x.count()

		// Commit: every write and its event.
		ok(t, x.s.Batch(x.ctx, func(tx participation.Store) error {
			for i := 0; i < 3; i++ {
				if _, err := tx.CreateProposal(x.ctx, p); err != nil {
					return err
				}
			}
			// Reads inside the batch see its own writes.
			if _, n, err := tx.ListProposals(x.ctx, participation.ProposalFilter{ComponentID: x.props}); err != nil || n != 3 {
				t.Errorf("inside the batch: %d proposals, %v", n, err)
			}
			return nil
		}))
		if x.proposalRows() != 3 || x.count() != events+3 {
			t.Fatalf("after commit: %d proposals, %d events", x.proposalRows(), x.count()-events)
		}

		// fn's error rolls back rows and events alike, nested batches too.
		boom := errors.New("boom")
		err := x.s.Batch(x.ctx, func(tx participation.Store) error {
			if _, err := tx.CreateProposal(x.ctx, p); err != nil {
				return err
			}
			if err := tx.Batch(x.ctx, func(inner participation.Store) error {
				_, err := inner.CreateProposal(x.ctx, p)
				return err
			}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Batch returned %v", err)
		}
		if x.proposalRows() != 3 || x.count() != events+3 {
			t.Fatalf("after rollback: %d proposals, %d events", x.proposalRows(), x.count()-events)
		}

		// So does a panic, which goes on up.
		func() {
			defer func() {
				if recover() == nil {
					t.Fatal("the panic was swallowed")
				}
			}()
			x.s.Batch(x.ctx, func(tx participation.Store) error {
				tx.CreateProposal(x.ctx, p)
				panic("generator bug")
			})
		}()
		if x.proposalRows() != 3 || x.count() != events+3 {
			t.Fatalf("after panic: %d proposals, %d events", x.proposalRows(), x.count()-events)
		}

		// A write refused inside a batch leaves nothing and the batch goes on.
		prop := x.proposal(x.citizen.ID, "Supported")
		ok(t, x.s.Batch(x.ctx, func(tx participation.Store) error {
			ok(t, tx.Support(x.ctx, prop, x.citizen2.ID, true))
			wantCode(t, tx.Support(x.ctx, prop, x.citizen2.ID, true), participation.CodeDuplicate)
			bad := p
			bad.RegionCode = "999"
			_, err := tx.CreateProposal(x.ctx, bad)
			wantCode(t, err, participation.CodeInvalid)
			return tx.Support(x.ctx, prop, x.citizen.ID, true)
		}))
		if got := must(x.s.GetProposal(x.ctx, prop))(t); got.SupportCount != 2 {
			t.Fatalf("support_count = %d", got.SupportCount)
		}
	})
}

// TestWriteAndEventAreAtomic breaks the outbox so that every write fails
// after its row was inserted, and checks that the row went with the event.
func TestWriteAndEventAreAtomic(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		p := participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "Atomic", Description: "Row and event together"}
		events := x.count()
		exec := func(q string) {
			t.Helper()
			_, err := x.s.DB().ExecContext(x.ctx, q)
			ok(t, err)
		}
		exec("ALTER TABLE outbox RENAME TO outbox_away")
		_, err := x.s.CreateProposal(x.ctx, p)
		if err == nil || code(err) != "" {
			t.Fatalf("a write without its outbox succeeded or looked like a user error: %v", err)
		}
		if x.proposalRows() != 0 {
			t.Fatal("the proposal was stored without its event")
		}

		// Inside a batch an internal failure fails the whole batch, even when
		// fn carries on and returns nil: later writes refuse, nothing commits.
		prop := int64(0)
		err = x.s.Batch(x.ctx, func(tx participation.Store) error {
			if _, err := tx.CreateProposal(x.ctx, p); err == nil || code(err) != "" {
				t.Errorf("a write without its outbox gave %v in a batch", err)
			}
			if err := tx.SetParticipantRegion(x.ctx, x.citizen2.ID, "001"); err == nil {
				t.Error("a batch went on writing after an internal failure")
			}
			return nil
		})
		if err == nil {
			t.Fatal("a batch with a failed write committed")
		}
		exec("ALTER TABLE outbox_away RENAME TO outbox")
		if x.proposalRows() != 0 || x.count() != events {
			t.Fatalf("after the failed batch: %d proposals, %d new events", x.proposalRows(), x.count()-events)
		}
		me := must(x.s.ParticipantByToken(x.ctx, x.citizen2.ID, x.citizen2.Token))(t)
		if me.RegionCode != "" {
			t.Fatal("a write of the failed batch was committed")
		}

		// And a batch rolled back after the row insert takes the event along.
		err = x.s.Batch(x.ctx, func(tx participation.Store) error {
			var err error
			prop, err = tx.CreateProposal(x.ctx, p)
			ok(t, err)
			return errors.New("fail after the insert")
		})
		if err == nil || prop == 0 {
			t.Fatal("batch did not fail")
		}
		if x.proposalRows() != 0 || x.count() != events {
			t.Fatalf("after rollback: %d proposals, %d new events", x.proposalRows(), x.count()-events)
		}
		_, err = x.s.GetProposal(x.ctx, prop)
		wantCode(t, err, participation.CodeNotFound)
	})
}

// TestAsOf dates writes in the past, as the demo generator does.
func TestAsOf(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		days := []time.Time{date(3, 2).Add(7 * time.Hour), date(3, 15).Add(19*time.Hour + 30*time.Minute), date(3, 31).Add(23 * time.Hour)}
		var ids []int64
		ok(t, x.s.Batch(x.ctx, func(tx participation.Store) error {
			for _, d := range days {
				id, err := tx.CreateProposal(participation.AsOf(x.ctx, d.In(time.FixedZone("EAT", 3*3600))), participation.Proposal{
					ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "Historic", Description: "Written in the past"})
				if err != nil {
					return err
				}
				ids = append(ids, id)
			}
			return nil
		}))
		byEntity := map[int64]participation.Event{}
		for _, e := range x.events() {
			if e.Type == participation.EvProposalCreated {
				byEntity[e.EntityID] = e
			}
		}
		for i, id := range ids {
			p := must(x.s.GetProposal(x.ctx, id))(t)
			if !p.CreatedAt.Equal(days[i]) || p.CreatedAt.Location() != time.UTC {
				t.Fatalf("created_at %v, want %v UTC", p.CreatedAt, days[i])
			}
			if e := byEntity[id]; !e.OccurredAt.Equal(days[i]) || e.OccurredAt.Location() != time.UTC {
				t.Fatalf("occurred_at %v, want %v UTC", e.OccurredAt, days[i])
			}
		}
		// The phase check uses the AsOf time too.
		_, err := x.s.CreateProposal(participation.AsOf(x.ctx, date(2, 27)), participation.Proposal{
			ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "Too early", Description: "Before the phase opened"})
		wantCode(t, err, participation.CodeClosed)
	})
}
