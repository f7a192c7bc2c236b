package sqlstore_test

import (
	"context"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// TestNewOnSharedDB is how the staff package and `civicpulse migrate` use
// the store: on a database someone else opened and keeps.
func TestNewOnSharedDB(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		db := b.Open(t)
		ok(t, sqlstore.Migrate(ctx, db))
		ok(t, sqlstore.Migrate(ctx, db)) // idempotent
		s, err := sqlstore.New(db)
		ok(t, err)
		if n, err := s.Outbox().Count(ctx); err != nil || n != 0 {
			t.Fatalf("count %d, %v", n, err)
		}
		ok(t, s.Close())
		if err := db.PingContext(ctx); err != nil {
			t.Fatalf("Close closed a database the store does not own: %v", err)
		}
	})
}
