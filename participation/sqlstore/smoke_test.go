package sqlstore_test

import (
	"context"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

func TestOpen(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s, err := sqlstore.Open(context.Background(), b.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		n, err := s.Outbox().Count(context.Background())
		if err != nil || n != 0 {
			t.Fatal(n, err)
		}
	})
}
