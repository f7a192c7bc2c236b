package sqlstore_test

import (
	"sync/atomic"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
)

// BenchmarkCreateComment measures one comment with its rules, counter and
// outbox event, each in its own transaction, on each backend.
func BenchmarkCreateComment(b *testing.B) {
	for _, backend := range []struct {
		name string
		url  func(testing.TB) string
	}{{"sqlite", sqldbtest.NewSQLiteURL}, {"postgres", sqldbtest.NewPostgresURL}} {
		b.Run(backend.name, func(b *testing.B) {
			x := setup(b, sqldbtest.Backend{Name: backend.name, URL: backend.url(b)})
			prop := x.proposal(x.citizen.ID, "Benchmarked")
			c := participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParticipantID: x.citizen2.ID,
				Body: "A comment of ordinary length about the proposal and why it matters."}
			b.Run("serial", func(b *testing.B) {
				for b.Loop() {
					if _, err := x.s.CreateComment(x.ctx, c); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("parallel", func(b *testing.B) {
				b.SetParallelism(4)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := x.s.CreateComment(x.ctx, c); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
			// Each writer on its own proposal: no wait on one counter row.
			var targets []int64
			for range 16 {
				targets = append(targets, x.proposal(x.citizen.ID, "Spread"))
			}
			var next atomic.Int64
			b.Run("parallel-spread", func(b *testing.B) {
				b.SetParallelism(4)
				b.RunParallel(func(pb *testing.PB) {
					c := c
					c.TargetID = targets[int(next.Add(1))%len(targets)]
					for pb.Next() {
						if _, err := x.s.CreateComment(x.ctx, c); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
			b.Run("batch", func(b *testing.B) {
				ok(b, x.s.Batch(x.ctx, func(tx participation.Store) error {
					for b.Loop() {
						if _, err := tx.CreateComment(x.ctx, c); err != nil {
							return err
						}
					}
					return nil
				}))
			})
		})
	}
}
