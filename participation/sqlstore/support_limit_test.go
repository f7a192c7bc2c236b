package sqlstore_test

import (
	"sync"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// TestSupportLimitUnderConcurrency fires a participant's supports of many
// proposals at once against a component's support limit: counting the
// supports already given is no lock, so without one two supports could
// both see room for one more. Exactly the limit's number must succeed, the
// others refused with CodeConflict, and the stored rows must agree.
func TestSupportLimitUnderConcurrency(t *testing.T) {
	const proposals, limit, rounds = 12, 3, 4
	each(t, func(t *testing.T, x *fx) {
		c := must(x.s.GetComponent(x.ctx, x.props))(t)
		c.Proposals = &participation.ProposalSettings{SupportLimit: limit}
		ok(t, x.s.UpdateComponent(x.ctx, c))
		var props []int64
		for i := range proposals {
			props = append(props, x.proposal(x.citizen.ID, "Idea "+string(rune('A'+i))))
		}
		// Several participants, each racing alone, make the race likely
		// on a busy machine without making the test slow.
		for range rounds {
			p := must(x.s.CreateParticipant(x.ctx, "001"))(t).ID
			var wg sync.WaitGroup
			errs := make(chan error, proposals)
			start := make(chan struct{})
			for _, prop := range props {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					errs <- x.s.Support(x.ctx, prop, p, true)
				}()
			}
			close(start)
			wg.Wait()
			close(errs)
			var okCount, refused int
			for err := range errs {
				switch {
				case err == nil:
					okCount++
				case code(err) == participation.CodeConflict:
					refused++
				default:
					t.Fatalf("unexpected %v", err)
				}
			}
			if okCount != limit || refused != proposals-limit {
				t.Fatalf("%d supports succeeded and %d were refused, want %d and %d", okCount, refused, limit, proposals-limit)
			}
			stored := 0
			for _, prop := range props {
				if must(x.s.HasSupported(x.ctx, prop, p))(t) {
					stored++
				}
			}
			if stored != limit {
				t.Fatalf("%d supports stored, want %d", stored, limit)
			}
		}
	})
}
