package sqlstore_test

import (
	"context"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// The hot citizen writes (top-level comments, votes, supports) run on
// Postgres as one statement outside a transaction, and step by step inside
// a Batch or after a refusal. These tests hold the two paths to the same
// rules, rows, counters and events.

// citizenWrites are the hot writes against a document section, a comment
// on it and a proposal.
type citizenWrites struct {
	comment func(ctx context.Context, s participation.Store) error
	vote    func(ctx context.Context, s participation.Store, v participation.Vote) error
	support func(ctx context.Context, s participation.Store) error
}

// hotWrites creates the targets and returns the writes of any participant.
func hotWrites(x *fx) func(participantID int64) citizenWrites {
	x.t.Helper()
	doc := x.document()
	prop := x.proposal(x.citizen.ID, "Market lights")
	target := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection,
		TargetID: doc.Sections[0].ID, ParticipantID: x.citizen.ID, Body: "Tarmac the market road first."}))(x.t)
	return func(participantID int64) citizenWrites {
		return citizenWrites{
			comment: func(ctx context.Context, s participation.Store) error {
				_, err := s.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection,
					TargetID: doc.Sections[1].ID, ParticipantID: participantID, Body: "Boreholes before roads."})
				return err
			},
			vote: func(ctx context.Context, s participation.Store, v participation.Vote) error {
				return s.VoteComment(ctx, target, participantID, v)
			},
			support: func(ctx context.Context, s participation.Store) error {
				return s.Support(ctx, prop, participantID, true)
			},
		}
	}
}

func TestHotWritesObeyRules(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		writes := hotWrites(x)
		w, ghost := writes(x.citizen2.ID), writes(9999)
		// Each refusal has its code and appends nothing.
		refused := func(want participation.Code, err error) {
			t.Helper()
			before := x.count()
			wantCode(t, err, want)
			if x.count() != before {
				t.Fatal("a refused write appended an event")
			}
		}
		closed := participation.AsOf(x.ctx, date(2, 28))
		refused(participation.CodeClosed, w.comment(closed, x.s))
		refused(participation.CodeClosed, w.vote(closed, x.s, participation.VoteAgree))
		refused(participation.CodeClosed, w.support(closed, x.s))
		refused(participation.CodeNotFound, ghost.comment(x.ctx, x.s))
		refused(participation.CodeNotFound, ghost.vote(x.ctx, x.s, participation.VoteAgree))
		refused(participation.CodeNotFound, ghost.support(x.ctx, x.s))

		ok(t, x.s.SetPublished(x.ctx, x.proc, false))
		refused(participation.CodeUnpublished, w.comment(x.ctx, x.s))
		refused(participation.CodeUnpublished, w.vote(x.ctx, x.s, participation.VoteAgree))
		refused(participation.CodeUnpublished, w.support(x.ctx, x.s))
		ok(t, x.s.SetPublished(x.ctx, x.proc, true))

		x.registered()
		refused(participation.CodeRegistered, w.comment(x.ctx, x.s))
		refused(participation.CodeRegistered, w.vote(x.ctx, x.s, participation.VoteAgree))
		refused(participation.CodeRegistered, w.support(x.ctx, x.s))
	})
}

func TestHotWritePathsAgree(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		// The same writes by two participants of the same region: one
		// outside any transaction, one inside a Batch.
		alone := must(x.s.CreateParticipant(x.ctx, "030"))(t)
		batched := must(x.s.CreateParticipant(x.ctx, "030"))(t)
		writes := hotWrites(x)
		a, b := writes(alone.ID), writes(batched.ID)
		from := x.count()

		ok(t, a.comment(x.ctx, x.s))
		ok(t, a.vote(x.ctx, x.s, participation.VoteAgree))
		wantCode(t, a.vote(x.ctx, x.s, participation.VoteAgree), participation.CodeDuplicate)
		ok(t, a.vote(x.ctx, x.s, participation.VoteDisagree))
		ok(t, a.support(x.ctx, x.s))
		wantCode(t, a.support(x.ctx, x.s), participation.CodeDuplicate)

		ok(t, x.s.Batch(x.ctx, func(tx participation.Store) error {
			ok(t, b.comment(x.ctx, tx))
			ok(t, b.vote(x.ctx, tx, participation.VoteAgree))
			wantCode(t, b.vote(x.ctx, tx, participation.VoteAgree), participation.CodeDuplicate)
			ok(t, b.vote(x.ctx, tx, participation.VoteDisagree))
			ok(t, b.support(x.ctx, tx))
			wantCode(t, b.support(x.ctx, tx), participation.CodeDuplicate)
			return nil
		}))

		var mine, theirs []participation.Event
		for _, e := range x.events() {
			switch {
			case e.Seq <= from:
			case e.ParticipantID == alone.ID:
				mine = append(mine, e)
			case e.ParticipantID == batched.ID:
				theirs = append(theirs, e)
			}
		}
		if len(mine) != 4 || len(theirs) != 4 {
			t.Fatalf("got %d and %d events, want 4 each", len(mine), len(theirs))
		}
		for i := range mine {
			m, o := mine[i], theirs[i]
			if m.Type != o.Type || m.ProcessID != o.ProcessID || m.ComponentID != o.ComponentID ||
				m.RegionCode != o.RegionCode || m.RegionCode != "030" || !m.OccurredAt.Equal(o.OccurredAt) {
				t.Fatalf("event %d differs:\n alone   %+v\n batched %+v", i, m, o)
			}
			if m.Type != participation.EvCommentCreated && m.EntityID != o.EntityID {
				t.Fatalf("event %d names entity %d, batched %d", i, m.EntityID, o.EntityID)
			}
			sameJSON(t, m.Payload, string(o.Payload))
		}

		// Both comments counted; both first votes moved from agree to
		// disagree; both supports counted.
		doc := must(x.s.GetDocument(x.ctx, x.doc))(t)
		if doc.Sections[1].CommentCount != 2 {
			t.Fatalf("section counts %d comments, want 2", doc.Sections[1].CommentCount)
		}
		cs := must(x.s.ListComments(x.ctx, participation.TargetSection, doc.Sections[0].ID))(t)
		if c := cs[len(cs)-1]; c.Agree != 0 || c.Disagree != 2 || c.Pass != 0 {
			t.Fatalf("votes agree/disagree/pass = %d/%d/%d, want 0/2/0", c.Agree, c.Disagree, c.Pass)
		}
		ps, _ := must2(x.s.ListProposals(x.ctx, participation.ProposalFilter{ComponentID: x.props, Order: "supports"}))(t)
		if ps[0].Title != "Market lights" || ps[0].SupportCount != 2 {
			t.Fatalf("top proposal %q with %d supports, want Market lights with 2", ps[0].Title, ps[0].SupportCount)
		}
	})
}

func must2[A, B any](a A, b B, err error) func(testing.TB) (A, B) {
	return func(t testing.TB) (A, B) {
		t.Helper()
		if err != nil {
			t.Fatalf("unexpected error: %v", err)
		}
		return a, b
	}
}
