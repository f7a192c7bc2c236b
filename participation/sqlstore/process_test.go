package sqlstore_test

import (
	"encoding/csv"
	"os"
	"reflect"
	"strconv"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// kenya reads the 47 counties with their 2019 census population.
func kenya(t *testing.T) participation.RegionSet {
	f, err := os.Open("../../testdata/kenya/kenya_county_population_2019.csv")
	ok(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	ok(t, err)
	rs := participation.RegionSet{Name: "Kenya counties", Source: "KNBS 2019 census"}
	for _, r := range rows[1:] {
		n, err := strconv.ParseInt(r[2], 10, 64)
		ok(t, err)
		code, _ := strconv.Atoi(r[0])
		rs.Regions = append(rs.Regions, participation.Region{Code: strconv.Itoa(1000 + code)[1:], Name: r[1], Population: n})
	}
	return rs
}

func TestRegionSets(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		want := kenya(t)
		if len(want.Regions) != 47 {
			t.Fatalf("csv has %d counties", len(want.Regions))
		}
		id := must(x.s.CreateRegionSet(x.ctx, want))(t)
		got := must(x.s.GetRegionSet(x.ctx, id))(t)
		want.ID = id
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("region set round trip:\n got %+v\nwant %+v", got, want)
		}
		var total int64
		for _, r := range got.Regions {
			total += r.Population
		}
		if total != 47_564_296 {
			t.Fatalf("population sums to %d", total)
		}
		// A process over the 47 counties accepts a proposal in one of them.
		p := process("kenya-wide", id, participation.ModeOpen)
		pid := must(x.s.CreateProcess(x.ctx, p))(t)
		comp := must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: pid, Kind: participation.KindProposals, Title: "Ideas"}))(t)
		must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: pid, Name: "Open", StartsAt: date(3, 1), EndsAt: date(4, 1), OpenComponents: []int64{comp}}))(t)
		ok(t, x.s.SetPublished(x.ctx, pid, true))
		_, err := x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Turkana water", Description: "Boreholes along the lake", RegionCode: "023"})
		ok(t, err)
		_, err = x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Atlantis water", Description: "Boreholes under the sea", RegionCode: "048"})
		wantField(t, err, "region_code", "err.unknown_region")

		_, err = x.s.GetRegionSet(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Twice", Regions: []participation.Region{{Code: "a"}, {Code: "a"}}})
		wantField(t, err, "regions", "err.region_code")
	})
}

func TestProcessLifecycle(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		before := x.count()
		p := process("draft-one", x.rs, participation.ModeRegistered)
		id := must(x.s.CreateProcess(x.ctx, p))(t)
		e := x.last(participation.EvProcessChanged)
		if e.ProcessID != id || e.EntityID != id || string(e.Payload) != "{}" {
			t.Fatalf("process.changed = %+v", e)
		}

		// Drafts are invisible to citizens.
		_, err := x.s.GetProcess(x.ctx, id, true)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.GetProcessBySlug(x.ctx, "draft-one", true)
		wantCode(t, err, participation.CodeNotFound)
		got := must(x.s.GetProcessBySlug(x.ctx, "draft-one", false))(t)
		if got.ID != id || got.Published || !reflect.DeepEqual(got.Officials, p.Officials) || !reflect.DeepEqual(got.Languages, p.Languages) ||
			!reflect.DeepEqual(got.PersonalFields, p.PersonalFields) || !got.StartsAt.Equal(p.StartsAt) || got.StartsAt.Location().String() != "UTC" ||
			got.TimeZone != "Africa/Nairobi" || got.RegionSetID != x.rs || got.BudgetMinor != p.BudgetMinor || !got.CreatedAt.Equal(now) {
			t.Fatalf("process round trip: %+v", got)
		}
		if got.PrivacyNotice != nil || len(got.Phases) != 0 || len(got.Components) != 0 {
			t.Fatalf("new process has children: %+v", got)
		}

		published := must(x.s.ListProcesses(x.ctx, true))(t)
		all := must(x.s.ListProcesses(x.ctx, false))(t)
		if len(published) != 1 || published[0].ID != x.proc || len(all) != 2 {
			t.Fatalf("lists: published %d, all %d", len(published), len(all))
		}

		// Notices are versioned.
		n1 := must(x.s.PublishPrivacyNotice(x.ctx, id, "We keep your email until the process closes."))(t)
		n2 := must(x.s.PublishPrivacyNotice(x.ctx, id, "We keep your email until results are out."))(t)
		if n1.Version != 1 || n2.Version != 2 {
			t.Fatalf("notice versions %d, %d", n1.Version, n2.Version)
		}
		_, err = x.s.PublishPrivacyNotice(x.ctx, id, "  ")
		wantField(t, err, "text", "err.required")
		_, err = x.s.PublishPrivacyNotice(x.ctx, 9999, "text")
		wantCode(t, err, participation.CodeNotFound)

		comp := must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: participation.KindSurvey, Title: "Survey"}))(t)
		phase := must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: id, Name: "Survey phase", StartsAt: date(3, 1), EndsAt: date(3, 15), OpenComponents: []int64{comp}}))(t)
		// A phase cannot open another process's component.
		_, err = x.s.AddPhase(x.ctx, participation.Phase{ProcessID: id, Name: "Bad", StartsAt: date(3, 1), EndsAt: date(3, 15), OpenComponents: []int64{x.props}})
		wantField(t, err, "open_components", "err.unknown_component")
		_, err = x.s.AddPhase(x.ctx, participation.Phase{ProcessID: id, Name: "Backwards", StartsAt: date(3, 15), EndsAt: date(3, 1)})
		wantField(t, err, "ends_at", "err.dates")
		_, err = x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: "poll", Title: "Poll"})
		wantField(t, err, "kind", "err.bad_choice")
		_, err = x.s.AddComponent(x.ctx, participation.Component{ProcessID: 9999, Kind: participation.KindSurvey, Title: "Orphan"})
		wantCode(t, err, participation.CodeNotFound)

		ok(t, x.s.SetPublished(x.ctx, id, true))
		got = must(x.s.GetProcess(x.ctx, id, true))(t)
		if got.PrivacyNotice == nil || got.PrivacyNotice.Version != 2 || len(got.Components) != 1 || got.Components[0].ID != comp ||
			len(got.Phases) != 1 || got.Phases[0].ID != phase || !reflect.DeepEqual(got.Phases[0].OpenComponents, []int64{comp}) || got.Phases[0].Position != 1 {
			t.Fatalf("published process: %+v", got)
		}
		c := must(x.s.GetComponent(x.ctx, comp))(t)
		if c.Kind != participation.KindSurvey || c.ProcessID != id || c.Position != 1 {
			t.Fatalf("component %+v", c)
		}
		_, err = x.s.GetComponent(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)

		// Update keeps publication, refuses a taken slug and bad fields.
		p.ID, p.Title = id, "County budget, revised"
		ok(t, x.s.UpdateProcess(x.ctx, p))
		got = must(x.s.GetProcess(x.ctx, id, true))(t)
		if got.Title != "County budget, revised" || !got.Published {
			t.Fatalf("updated: %+v", got)
		}
		p.Slug = "budget-2026"
		wantCode(t, x.s.UpdateProcess(x.ctx, p), participation.CodeDuplicate)
		p.Slug, p.ID = "ghost", 9999
		wantCode(t, x.s.UpdateProcess(x.ctx, p), participation.CodeNotFound)
		wantCode(t, x.s.SetPublished(x.ctx, 9999, true), participation.CodeNotFound)

		_, err = x.s.CreateProcess(x.ctx, process("budget-2026", x.rs, participation.ModeOpen))
		wantCode(t, err, participation.CodeDuplicate)
		bad := process("Bad Slug!", 9999, "secret")
		bad.TimeZone, bad.EndsAt = "Mars/Olympus", bad.StartsAt
		_, err = x.s.CreateProcess(x.ctx, bad)
		for _, f := range []string{"slug", "mode", "time_zone", "ends_at", "region_set_id"} {
			var v participation.ValidationErrors
			if !asValidation(err, &v) || !hasField(v, f) {
				t.Fatalf("bad process: %v lacks %s", err, f)
			}
		}
		open := process("open-with-fields", x.rs, participation.ModeOpen)
		open.PersonalFields = []participation.PersonalField{participation.FieldEmail}
		_, err = x.s.CreateProcess(x.ctx, open)
		wantField(t, err, "personal_fields", "err.not_allowed")

		// create, 2 notices, component, phase, publish, update: one event each.
		if n := x.count() - before; n != 7 {
			t.Fatalf("%d process.changed events, want 7", n)
		}
	})
}

func asValidation(err error, v *participation.ValidationErrors) bool {
	e, isV := err.(participation.ValidationErrors)
	*v = e
	return isV
}

func hasField(v participation.ValidationErrors, f string) bool {
	for _, e := range v {
		if e.Field == f {
			return true
		}
	}
	return false
}
