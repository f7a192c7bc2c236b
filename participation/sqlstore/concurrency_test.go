package sqlstore_test

import (
	"sync"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// TestConcurrentWrites races writers on one proposal: counters match the
// rows, a participant's second support loses with CodeDuplicate (never an
// internal error), and every write has exactly one event.
func TestConcurrentWrites(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Contested")
		var people []int64
		for i := 0; i < 6; i++ {
			people = append(people, must(x.s.CreateParticipant(x.ctx, "001"))(t).ID)
		}
		before := x.count()
		var wg sync.WaitGroup
		errs := make(chan error, 64)
		for _, p := range people {
			for range 2 { // each participant tries twice at once
				wg.Add(1)
				go func() {
					defer wg.Done()
					errs <- x.s.Support(x.ctx, prop, p, true)
				}()
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParticipantID: p, Body: "Me too"})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		var okCount, dup int
		for err := range errs {
			switch code(err) {
			case "":
				if err != nil {
					t.Fatalf("internal error under concurrency: %v", err)
				}
				okCount++
			case participation.CodeDuplicate:
				dup++
			default:
				t.Fatalf("unexpected %v", err)
			}
		}
		if okCount != 12 || dup != 6 {
			t.Fatalf("%d writes succeeded and %d were duplicates, want 12 and 6", okCount, dup)
		}
		p := must(x.s.GetProposal(x.ctx, prop))(t)
		if p.SupportCount != 6 || p.CommentCount != 6 {
			t.Fatalf("counts: %d supports, %d comments", p.SupportCount, p.CommentCount)
		}
		if n := x.count() - before; n != 12 {
			t.Fatalf("%d events for 12 writes", n)
		}
	})
}
