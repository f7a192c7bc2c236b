package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// TestParticipantRegionMustBeKnown: a participant's region is a code of
// some region set, or none; an invented one is refused, not stored and
// shown on staff and public pages.
func TestParticipantRegionMustBeKnown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if _, err := s.CreateRegionSet(ctx, participation.RegionSet{Name: "Two", Regions: []participation.Region{
			{Code: "A1", Name: "Alpha", Population: 10}, {Code: "B2", Name: "Beta", Population: 20}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateParticipant(ctx, "A1"); err != nil {
			t.Errorf("a known region refused: %v", err)
		}
		if _, err := s.CreateParticipant(ctx, ""); err != nil {
			t.Errorf("no region refused: %v", err)
		}
		for _, code := range []string{"zz", "<script>", "A1 "} {
			_, err := s.CreateParticipant(ctx, code+"x")
			if !refused(err) {
				t.Errorf("region %q: %v, want a refusal", code+"x", err)
			}
		}
		p, err := s.CreateParticipant(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SetParticipantRegion(ctx, p.ID, "nowhere"); !refused(err) {
			t.Errorf("set an unknown region: %v, want a refusal", err)
		}
	})
}

func refused(err error) bool {
	var ve participation.ValidationErrors
	return errors.As(err, &ve) && len(ve) == 1 && ve[0].Key == "err.unknown_region"
}
