package sqlstore_test

import (
	"os"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// TestProposalPointInRegions: a process whose region set has a map takes
// map points inside its regions only; one without a map takes any point.
func TestProposalPointInRegions(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		geo, err := os.ReadFile("../../testdata/kenya/kenya_counties.geojson")
		ok(t, err)
		rs := kenya(t)
		rs.GeoJSON = geo
		set := must(x.s.CreateRegionSet(x.ctx, rs))(t)
		proc := must(x.s.CreateProcess(x.ctx, process("mapped-2026", set, participation.ModeOpen)))(t)
		comp := must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: proc, Kind: participation.KindProposals, Title: "Places",
			Proposals: &participation.ProposalSettings{MapPoint: true}}))(t)
		must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: proc, Name: "Ideas", StartsAt: date(3, 1), EndsAt: date(4, 1), OpenComponents: []int64{comp}}))(t)
		ok(t, x.s.SetPublished(x.ctx, proc, true))
		at := func(component int64, lat, lng float64) error {
			_, err := x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: component, ParticipantID: x.citizen.ID,
				Title: "A footbridge", Description: "Over the river by the school", Lat: &lat, Lng: &lng})
			return err
		}
		ok(t, at(comp, -1.2864, 36.8172))                              // Nairobi
		wantField(t, at(comp, -4.3, 40.2), "lat", "err.point_outside") // the sea off Mombasa
		ok(t, at(comp, -1.2864, 36.8172))                              // again, from the cache
		ok(t, at(x.props, -4.3, 40.2))                                 // a set without a map
	})
}
