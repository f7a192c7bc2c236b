package sqlstore_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

func TestCreateProposal(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		img := participation.Image{ContentType: "image/png", Width: 4, Height: 3, Data: []byte("png-bytes"), Thumb: []byte("thumb")}
		in := participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "  Fix the Likoni ferry  ",
			Description: "Two more ferries at rush hour.", BudgetMinor: 5_000_000, Tags: []string{"transport", " ferry ", "transport", ""},
			RegionCode: "001", Lat: f64(-4.07), Lng: f64(39.66), Images: []participation.Image{img, img}}
		id := must(x.s.CreateProposal(x.ctx, in))(t)

		got := must(x.s.GetProposal(x.ctx, id))(t)
		if got.Title != "Fix the Likoni ferry" || got.ProcessID != x.proc || got.ParticipantID != x.citizen.ID || got.Status != participation.StatusPublished ||
			!reflect.DeepEqual(got.Tags, []string{"transport", "ferry"}) || *got.Lat != -4.07 || got.RegionCode != "001" || !got.CreatedAt.Equal(now) ||
			len(got.Images) != 2 || got.Images[1].Position != 2 || got.Images[0].Data != nil {
			t.Fatalf("proposal round trip: %+v", got)
		}
		im := must(x.s.GetImage(x.ctx, id, 2))(t)
		if !bytes.Equal(im.Data, img.Data) || !bytes.Equal(im.Thumb, img.Thumb) || im.ContentType != "image/png" || im.Width != 4 {
			t.Fatalf("image %+v", im)
		}
		_, err := x.s.GetImage(x.ctx, id, 3)
		wantCode(t, err, participation.CodeNotFound)

		e := x.last(participation.EvProposalCreated)
		if e.ProcessID != x.proc || e.ComponentID != x.props || e.EntityID != id || e.ParticipantID != x.citizen.ID ||
			e.RegionCode != "047" || !e.OccurredAt.Equal(now) {
			t.Fatalf("event %+v", e)
		}
		sameJSON(t, e.Payload, `{"title":"Fix the Likoni ferry","description":"Two more ferries at rush hour.","budget_minor":5000000,
			"tags":["transport","ferry"],"region_code":"001","lat":-4.07,"lng":39.66}`)

		_, err = x.s.GetProposal(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)
	})
}

func TestProposalValidation(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		base := participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "A title", Description: "Long enough text"}
		img := participation.Image{ContentType: "image/jpeg", Width: 1, Height: 1, Data: []byte{1}, Thumb: []byte{1}}
		cases := []struct {
			name, field, key string
			edit             func(p *participation.Proposal)
		}{
			{"title short", "title", "err.too_short", func(p *participation.Proposal) { p.Title = "ab" }},
			{"title missing", "title", "err.required", func(p *participation.Proposal) { p.Title = "   " }},
			{"title long", "title", "err.too_long", func(p *participation.Proposal) { p.Title = strings.Repeat("é", 151) }},
			{"description short", "description", "err.too_short", func(p *participation.Proposal) { p.Description = "short" }},
			{"description long", "description", "err.too_long", func(p *participation.Proposal) { p.Description = strings.Repeat("x", 5001) }},
			{"budget", "budget_minor", "err.negative", func(p *participation.Proposal) { p.BudgetMinor = -1 }},
			{"too many tags", "tags", "err.too_many", func(p *participation.Proposal) { p.Tags = strings.Fields("a b c d e f g h i") }},
			{"long tag", "tags", "err.too_long", func(p *participation.Proposal) { p.Tags = []string{strings.Repeat("t", 31)} }},
			{"region", "region_code", "err.unknown_region", func(p *participation.Proposal) { p.RegionCode = "999" }},
			{"lat", "lat", "err.out_of_range", func(p *participation.Proposal) { p.Lat, p.Lng = f64(91), f64(0) }},
			{"lng", "lng", "err.out_of_range", func(p *participation.Proposal) { p.Lat, p.Lng = f64(0), f64(-181) }},
			{"half point", "lat", "err.incomplete_point", func(p *participation.Proposal) { p.Lat = f64(1) }},
			{"six images", "images", "err.too_many", func(p *participation.Proposal) { p.Images = make([]participation.Image, 6) }},
			{"gif", "images", "err.image_type", func(p *participation.Proposal) {
				i := img
				i.ContentType = "image/gif"
				p.Images = []participation.Image{i}
			}},
		}
		before := x.count()
		for _, c := range cases {
			p := base
			c.edit(&p)
			_, err := x.s.CreateProposal(x.ctx, p)
			if err == nil {
				t.Fatalf("%s: accepted", c.name)
			}
			wantField(t, err, c.field, c.key)
		}
		big := base
		big.Images = []participation.Image{{ContentType: "image/jpeg", Width: 1, Height: 1, Data: make([]byte, participation.ImageMaxBytes+1), Thumb: []byte{1}}}
		_, err := x.s.CreateProposal(x.ctx, big)
		wantCode(t, err, participation.CodeTooLarge)
		if x.count() != before {
			t.Fatal("a refused proposal left an event")
		}
		if _, n, _ := x.s.ListProposals(x.ctx, participation.ProposalFilter{ComponentID: x.props}); n != 0 {
			t.Fatalf("refused proposals stored: %d", n)
		}
	})
}

// TestWriteRules covers the rules every citizen write obeys, on proposals.
func TestWriteRules(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		p := participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "A title", Description: "Long enough text"}
		create := func(p participation.Proposal) error { _, err := x.s.CreateProposal(x.ctx, p); return err }

		q := p
		q.ComponentID = 9999
		wantCode(t, create(q), participation.CodeNotFound)
		q = p
		q.ParticipantID = 9999
		wantCode(t, create(q), participation.CodeNotFound)
		q = p
		q.ComponentID = x.survey
		wantCode(t, create(q), participation.CodeInvalid)

		// Closed: before the phase, at its (exclusive) end, and for a
		// component no open phase lists.
		ok(t, create(p))
		before := participation.AsOf(x.ctx, date(2, 28))
		_, err := x.s.CreateProposal(before, p)
		wantCode(t, err, participation.CodeClosed)
		_, err = x.s.CreateProposal(participation.AsOf(x.ctx, date(4, 1)), p)
		wantCode(t, err, participation.CodeClosed)
		_, err = x.s.CreateProposal(participation.AsOf(x.ctx, date(4, 1).Add(-1)), p)
		ok(t, err)
		extra := must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: x.proc, Kind: participation.KindProposals, Title: "Later"}))(t)
		q = p
		q.ComponentID = extra
		wantCode(t, create(q), participation.CodeClosed)

		// Unpublished wins over closed: citizens must not learn it exists.
		ok(t, x.s.SetPublished(x.ctx, x.proc, false))
		wantCode(t, create(p), participation.CodeUnpublished)
		_, err = x.s.CreateProposal(before, p)
		wantCode(t, err, participation.CodeUnpublished)
	})
}

func TestListProposals(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		mk := func(title, region string, tags ...string) int64 {
			return must(x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID,
				Title: title, Description: "About " + strings.ToLower(title) + " in the county", RegionCode: region, Tags: tags}))(t)
		}
		water := mk("Water kiosks", "001", "water")
		roads := mk("Tarmac roads", "047", "roads", "transport")
		market := mk("Market shade 100%_done", "047", "trade")
		ok(t, x.s.Support(x.ctx, roads, x.citizen.ID, true))
		ok(t, x.s.Support(x.ctx, roads, x.citizen2.ID, true))
		ok(t, x.s.Support(x.ctx, market, x.citizen.ID, true))
		must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: water, ParticipantID: x.citizen.ID, Body: "Yes please"}))(t)

		ids := func(f participation.ProposalFilter) ([]int64, int) {
			f.ComponentID = x.props
			ps, n, err := x.s.ListProposals(x.ctx, f)
			ok(t, err)
			var out []int64
			for _, p := range ps {
				out = append(out, p.ID)
			}
			return out, n
		}
		check := func(name string, f participation.ProposalFilter, want []int64, total int) {
			t.Helper()
			got, n := ids(f)
			if !reflect.DeepEqual(got, want) || n != total {
				t.Fatalf("%s: got %v (%d), want %v (%d)", name, got, n, want, total)
			}
		}
		// Same created_at (fixed clock): recent falls back to id, newest first.
		check("recent", participation.ProposalFilter{}, []int64{market, roads, water}, 3)
		check("supports", participation.ProposalFilter{Order: "supports"}, []int64{roads, market, water}, 3)
		check("comments", participation.ProposalFilter{Order: "comments"}, []int64{water, market, roads}, 3)
		check("tag", participation.ProposalFilter{Tag: "transport"}, []int64{roads}, 1)
		check("region", participation.ProposalFilter{RegionCode: "047"}, []int64{market, roads}, 2)
		check("query", participation.ProposalFilter{Query: "WATER"}, []int64{water}, 1)
		check("query in description", participation.ProposalFilter{Query: "about tarmac"}, []int64{roads}, 1)
		check("query wildcards are literal", participation.ProposalFilter{Query: "100%_"}, []int64{market}, 1)
		check("query % alone", participation.ProposalFilter{Query: "%"}, []int64{market}, 1)
		check("page", participation.ProposalFilter{Limit: 1, Offset: 1}, []int64{roads}, 3)
		ps, _, err := x.s.ListProposals(x.ctx, participation.ProposalFilter{ComponentID: x.props, Order: "supports", Limit: 1})
		ok(t, err)
		if ps[0].SupportCount != 2 || !reflect.DeepEqual(ps[0].Tags, []string{"roads", "transport"}) {
			t.Fatalf("listed proposal %+v", ps[0])
		}
	})
}

func TestSupportAndFollow(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		id := x.proposal(x.citizen2.ID, "Street lights")
		ok(t, x.s.Support(x.ctx, id, x.citizen.ID, true))
		e := x.last(participation.EvSupportAdded)
		if e.EntityID != id || e.ParticipantID != x.citizen.ID || e.ComponentID != x.props || e.ProcessID != x.proc || e.RegionCode != "047" || string(e.Payload) != "{}" {
			t.Fatalf("support.added %+v", e)
		}
		wantCode(t, x.s.Support(x.ctx, id, x.citizen.ID, true), participation.CodeDuplicate)
		if yes := must(x.s.HasSupported(x.ctx, id, x.citizen.ID))(t); !yes {
			t.Fatal("HasSupported = false")
		}
		if p := must(x.s.GetProposal(x.ctx, id))(t); p.SupportCount != 1 {
			t.Fatalf("support_count = %d", p.SupportCount)
		}
		ok(t, x.s.Support(x.ctx, id, x.citizen.ID, false))
		e = x.last(participation.EvSupportRemoved)
		if e.EntityID != id || e.ParticipantID != x.citizen.ID {
			t.Fatalf("support.removed %+v", e)
		}
		wantCode(t, x.s.Support(x.ctx, id, x.citizen.ID, false), participation.CodeNotFound)
		if p := must(x.s.GetProposal(x.ctx, id))(t); p.SupportCount != 0 {
			t.Fatalf("support_count = %d", p.SupportCount)
		}
		wantCode(t, x.s.Support(x.ctx, 9999, x.citizen.ID, true), participation.CodeNotFound)
		_, err := x.s.HasSupported(x.ctx, id, x.citizen.ID)
		ok(t, err)
		wantCode(t, x.s.Support(participation.AsOf(x.ctx, date(5, 1)), id, x.citizen.ID, true), participation.CodeClosed)

		before := x.count()
		ok(t, x.s.Follow(x.ctx, id, x.citizen.ID, true))
		ok(t, x.s.Follow(x.ctx, id, x.citizen.ID, true))
		if yes := must(x.s.IsFollowing(x.ctx, id, x.citizen.ID))(t); !yes {
			t.Fatal("IsFollowing = false")
		}
		ok(t, x.s.Follow(x.ctx, id, x.citizen.ID, false))
		if yes := must(x.s.IsFollowing(x.ctx, id, x.citizen.ID))(t); yes {
			t.Fatal("IsFollowing = true after unfollow")
		}
		wantCode(t, x.s.Follow(x.ctx, 9999, x.citizen.ID, true), participation.CodeNotFound)
		wantCode(t, x.s.Follow(x.ctx, id, 9999, true), participation.CodeNotFound)
		if x.count() != before {
			t.Fatal("follow wrote events")
		}
	})
}

func TestSetProposalStatus(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		id := x.proposal(x.citizen.ID, "Moderated")
		ok(t, x.s.SetProposalStatus(x.ctx, id, participation.StatusHidden))
		e := x.last(participation.EvContributionHidden)
		if e.EntityID != id || e.ComponentID != x.props || e.ParticipantID != x.citizen.ID || e.RegionCode != "047" {
			t.Fatalf("contribution.hidden %+v", e)
		}
		sameJSON(t, e.Payload, `{"kind":"proposal","status":"hidden"}`)
		_, err := x.s.GetProposal(x.ctx, id)
		wantCode(t, err, participation.CodeNotFound)
		if _, n, _ := x.s.ListProposals(x.ctx, participation.ProposalFilter{ComponentID: x.props}); n != 0 {
			t.Fatalf("hidden proposal listed (%d)", n)
		}
		wantCode(t, x.s.Support(x.ctx, id, x.citizen2.ID, true), participation.CodeNotFound)
		_, err = x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: id, ParticipantID: x.citizen2.ID, Body: "Hello"})
		wantCode(t, err, participation.CodeNotFound)
		if sub := must(x.s.MySubmissions(x.ctx, x.citizen.ID))(t); len(sub.Proposals) != 1 || sub.Proposals[0].Status != participation.StatusHidden {
			t.Fatalf("author's own list %+v", sub.Proposals)
		}
		ok(t, x.s.SetProposalStatus(x.ctx, id, participation.StatusPublished))
		must(x.s.GetProposal(x.ctx, id))(t)
		wantCode(t, x.s.SetProposalStatus(x.ctx, 9999, participation.StatusHidden), participation.CodeNotFound)
		wantCode(t, x.s.SetProposalStatus(x.ctx, id, "gone"), participation.CodeInvalid)
	})
}
