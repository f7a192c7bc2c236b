package sqlstore_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// publishable creates a draft that passes ValidateForPublish: one language,
// one proposals component open in one phase.
func (x *fx) publishable(slug string) (id, comp int64) {
	x.t.Helper()
	p := process(slug, x.rs, participation.ModeOpen)
	p.Languages = []string{"en"}
	id = must(x.s.CreateProcess(x.ctx, p))(x.t)
	comp = must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: participation.KindProposals, Title: "Ideas"}))(x.t)
	must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: id, Name: "Open", StartsAt: date(3, 1), EndsAt: date(4, 1), OpenComponents: []int64{comp}}))(x.t)
	return id, comp
}

var lifePath = []participation.State{participation.StatePreview, participation.StatePublished, participation.StateClosed, participation.StateArchived}

// moveTo walks a draft along the legal path to state.
func (x *fx) moveTo(id int64, state participation.State) {
	x.t.Helper()
	for _, st := range lifePath {
		if state == participation.StateDraft {
			return
		}
		ok(x.t, x.s.Transition(x.ctx, id, st, "early close for the test"))
		if st == state {
			return
		}
	}
}

func (x *fx) state(id int64) participation.State {
	x.t.Helper()
	return must(x.s.GetProcess(x.ctx, id, false))(x.t).State
}

func TestTransitionsEveryPair(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		for _, from := range participation.AllStates {
			for _, to := range append(append([]participation.State{}, participation.AllStates...), "bogus") {
				id, _ := x.publishable(fmt.Sprintf("t-%s-%s", from, to))
				x.moveTo(id, from)
				before := x.count()
				err := x.s.Transition(x.ctx, id, to, "a reason")
				if participation.CheckTransition(from, to) == nil {
					ok(t, err)
					if got := x.state(id); got != to {
						t.Fatalf("%s→%s: state is %s", from, to, got)
					}
					e := x.last(participation.EvProcessState)
					sameJSON(t, e.Payload, fmt.Sprintf(`{"from":%q,"to":%q,"reason":"a reason"}`, from, to))
					continue
				}
				wantCode(t, err, participation.CodeConflict)
				if got := x.state(id); got != from {
					t.Fatalf("%s→%s refused but state is %s", from, to, got)
				}
				if x.count() != before {
					t.Fatalf("%s→%s refused but wrote an event", from, to)
				}
			}
		}
	})
}

func TestLifecycleRules(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		id, comp := x.publishable("life")
		// Draft and preview are staff only.
		for _, st := range []participation.State{participation.StateDraft, participation.StatePreview} {
			x.moveTo(id, st)
			_, err := x.s.GetProcess(x.ctx, id, true)
			wantCode(t, err, participation.CodeNotFound)
			for _, p := range must(x.s.ListProcesses(x.ctx, true))(t) {
				if p.ID == id {
					t.Fatalf("%s process listed to citizens", st)
				}
			}
			_, err = x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Clinic", Description: "A clinic in every ward"})
			wantCode(t, err, participation.CodeUnpublished)
		}
		ok(t, x.s.Transition(x.ctx, id, participation.StatePublished, ""))
		p := must(x.s.GetProcess(x.ctx, id, true))(t)
		if !p.Published || p.State != participation.StatePublished {
			t.Fatalf("published process reads %v/%s", p.Published, p.State)
		}
		must(x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Clinic", Description: "A clinic in every ward"}))(t)
		// Closing before the last phase ends needs a reason.
		err := x.s.Transition(x.ctx, id, participation.StateClosed, " ")
		wantField(t, err, "reason", "err.close_reason")
		ok(t, x.s.Transition(x.ctx, id, participation.StateClosed, "budget withdrawn"))
		p = must(x.s.GetProcess(x.ctx, id, true))(t)
		if p.Published || p.ClosedReason != "budget withdrawn" || p.ClosedAt == nil || !p.ClosedAt.Equal(now) {
			t.Fatalf("closed process = %+v", p)
		}
		// Closed: citizens still read it, every write is CodeClosed.
		_, err = x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Roads", Description: "Tarmac the feeder roads"})
		wantCode(t, err, participation.CodeClosed)
		wantCode(t, x.s.UpdateProcess(x.ctx, p), participation.CodeClosed)
		_, err = x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: participation.KindSurvey, Title: "Late"})
		wantCode(t, err, participation.CodeClosed)
		wantCode(t, x.s.UpdatePhase(x.ctx, p.Phases[0]), participation.CodeClosed)
		ok(t, x.s.Transition(x.ctx, id, participation.StateArchived, ""))
		p = must(x.s.GetProcess(x.ctx, id, true))(t)
		if p.ClosedReason != "budget withdrawn" {
			t.Fatalf("archiving lost the closing reason: %+v", p)
		}
		wantCode(t, x.s.MoveComponent(x.ctx, comp, 1), participation.CodeClosed)
		wantCode(t, x.s.Transition(x.ctx, 99999, participation.StatePreview, ""), participation.CodeNotFound)
	})
}

func TestValidateForPublishListsEveryProblem(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		p := process("not-ready", x.rs, participation.ModeRegistered)
		id := must(x.s.CreateProcess(x.ctx, p))(t)
		must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: participation.KindDocument, Title: "Plan"}))(t)
		must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: participation.KindSurvey, Title: "Poll"}))(t)
		err := x.s.ValidateForPublish(x.ctx, id)
		for _, w := range [][2]string{{"privacy_notice", "err.privacy_notice"}, {"field_reasons.name", "err.field_reason"},
			{"field_reasons.email", "err.field_reason"}, {"phases", "err.no_phases"}, {"components", "err.document_missing"},
			{"components", "err.survey_missing"}, {"translations", "err.untranslated"}} {
			wantField(t, err, w[0], w[1])
		}
		ok(t, x.s.Transition(x.ctx, id, participation.StatePreview, ""))
		wantField(t, x.s.Transition(x.ctx, id, participation.StatePublished, ""), "phases", "err.no_phases")
		if x.state(id) != participation.StatePreview {
			t.Fatal("refused publication changed the state")
		}
	})
}

func TestStrategyFieldsAndReconsent(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		p := process("strategy", x.rs, participation.ModeRegistered)
		p.PersonalFields = []participation.PersonalField{participation.FieldName}
		p.Languages = []string{"en"}
		p.FaceToFace = []string{"Ward barazas", "Radio call-in"}
		p.FieldReasons = map[participation.PersonalField]string{participation.FieldPhone: "to call you"}
		_, err := x.s.CreateProcess(x.ctx, p)
		wantField(t, err, "field_reasons.phone", "err.reason_unasked")
		p.FieldReasons = map[participation.PersonalField]string{participation.FieldName: "to address you"}
		id := must(x.s.CreateProcess(x.ctx, p))(t)
		got := must(x.s.GetProcess(x.ctx, id, false))(t)
		if strings.Join(got.FaceToFace, "|") != "Ward barazas|Radio call-in" || got.FieldReasons[participation.FieldName] != "to address you" || got.State != participation.StateDraft {
			t.Fatalf("strategy round trip: %+v", got)
		}
		before := x.count()
		got.FaceToFace = []string{"Ward barazas"}
		ok(t, x.s.UpdateProcess(x.ctx, got))
		if x.count() != before+1 || x.last(participation.EvProcessChanged).ProcessID != id {
			t.Fatal("UpdateProcess wrote no process.changed")
		}
		if g := must(x.s.GetProcess(x.ctx, id, false))(t); len(g.FaceToFace) != 1 {
			t.Fatalf("update lost: %+v", g.FaceToFace)
		}
		// Published; a participant registers, then a new notice version
		// asks them to confirm again.
		must(x.s.PublishPrivacyNotice(x.ctx, id, "We keep your name for the process."))(t)
		comp := must(x.s.AddComponent(x.ctx, participation.Component{ProcessID: id, Kind: participation.KindProposals, Title: "Ideas"}))(t)
		must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: id, Name: "Open", StartsAt: date(3, 1), EndsAt: date(4, 1), OpenComponents: []int64{comp}}))(t)
		x.moveTo(id, participation.StatePublished)
		secret := must(x.s.Register(x.ctx, id, x.citizen.ID, participation.Consent{NoticeVersion: 1}, participation.Profile{Name: "Amina"}))(t)
		if secret != "" {
			t.Fatalf("name-only registration returned a secret")
		}
		if !must(x.s.IsRegistered(x.ctx, id, x.citizen.ID))(t) {
			t.Fatal("not registered after Register")
		}
		must(x.s.PublishPrivacyNotice(x.ctx, id, "We keep your name, now for a year."))(t)
		if must(x.s.IsRegistered(x.ctx, id, x.citizen.ID))(t) {
			t.Fatal("still registered after a new notice version")
		}
		_, err = x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Clinic", Description: "A clinic in every ward"})
		wantCode(t, err, participation.CodeRegistered)
		_, err = x.s.Register(x.ctx, id, x.citizen.ID, participation.Consent{NoticeVersion: 1}, participation.Profile{})
		wantCode(t, err, participation.CodeConsent)
		must(x.s.Register(x.ctx, id, x.citizen.ID, participation.Consent{NoticeVersion: 2}, participation.Profile{}))(t)
		if !must(x.s.IsRegistered(x.ctx, id, x.citizen.ID))(t) {
			t.Fatal("not registered after confirming the new notice")
		}
		must(x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: comp, ParticipantID: x.citizen.ID, Title: "Clinic", Description: "A clinic in every ward"}))(t)
		_, err = x.s.Register(x.ctx, id, x.citizen.ID, participation.Consent{NoticeVersion: 2}, participation.Profile{})
		wantCode(t, err, participation.CodeDuplicate)
	})
}

func TestTranslations(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		tr := []participation.Translation{
			{Entity: participation.EntityProcess, EntityID: x.proc, Field: "title", Lang: "sw", Text: "Bajeti ya kaunti"},
			{Entity: participation.EntityComponent, EntityID: x.props, Field: "title", Lang: "sw", Text: "Mawazo"},
			{Entity: participation.EntityPhase, EntityID: x.phase, Field: "name", Lang: "sw", Text: "Mashauriano"},
		}
		ok(t, x.s.SetTranslations(x.ctx, x.proc, tr))
		got := must(x.s.Translations(x.ctx, x.proc))(t)
		if len(got) != 3 {
			t.Fatalf("translations = %+v", got)
		}
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		texts := participation.NewTexts(p.Languages[0], got)
		if s, fb := texts.Get(participation.EntityProcess, x.proc, "title", "sw", p.Title); s != "Bajeti ya kaunti" || fb {
			t.Fatalf("Get = %q %v", s, fb)
		}
		missing := participation.Untranslated(p, nil, nil, got)
		for _, m := range missing {
			if m.Entity == participation.EntityProcess && m.Field == "title" {
				t.Fatal("translated title listed as missing")
			}
		}
		if len(missing) == 0 {
			t.Fatal("summary etc. not listed as untranslated")
		}
		// Upsert, delete with empty text.
		ok(t, x.s.SetTranslations(x.ctx, x.proc, []participation.Translation{
			{Entity: participation.EntityProcess, EntityID: x.proc, Field: "title", Lang: "sw", Text: "Bajeti 2026"},
			{Entity: participation.EntityComponent, EntityID: x.props, Field: "title", Lang: "sw"}}))
		got = must(x.s.Translations(x.ctx, x.proc))(t)
		if len(got) != 2 || got[1].Text != "Bajeti 2026" && got[0].Text != "Bajeti 2026" {
			t.Fatalf("after upsert/delete: %+v", got)
		}
		other, _ := x.publishable("other")
		err := x.s.SetTranslations(x.ctx, x.proc, []participation.Translation{
			{Entity: participation.EntityProcess, EntityID: other, Field: "title", Lang: "sw", Text: "x"},
			{Entity: participation.EntityProcess, EntityID: x.proc, Field: "title", Lang: "en", Text: "x"},
			{Entity: participation.EntityProcess, EntityID: x.proc, Field: "slug", Lang: "sw", Text: "x"},
			{Entity: participation.EntityComponent, EntityID: 99999, Field: "title", Lang: "sw", Text: "x"}})
		wantField(t, err, "translations.0", "err.translation_entity")
		wantField(t, err, "translations.1", "err.translation_lang")
		wantField(t, err, "translations.2", "err.translation_field")
		wantField(t, err, "translations.3", "err.translation_entity")
	})
}

func TestRegionSetsFromFiles(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		want := kenya(t)
		var csv strings.Builder
		csv.WriteString("code,name,population,parent_code\n")
		csv.WriteString("KE,Kenya,0,\n")
		for _, r := range want.Regions {
			fmt.Fprintf(&csv, "%s,%q,%d,KE\n", r.Code, r.Name, r.Population)
		}
		regions := must(participation.ParseRegionCSV(strings.NewReader(csv.String())))(t)
		if len(regions) != 48 || regions[1].ParentCode != "KE" {
			t.Fatalf("parsed %d regions: %+v", len(regions), regions[:2])
		}
		geo, err := os.ReadFile("../../testdata/kenya/kenya_counties.geojson")
		ok(t, err)
		// The file has no feature for the country itself.
		_, err = x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Kenya", Regions: regions, GeoJSON: geo})
		wantField(t, err, "geojson", "err.geojson_missing")
		_, err = x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Kenya counties", Regions: regions[1:], GeoJSON: geo})
		wantField(t, err, "regions", "err.unknown_parent")
		id := must(x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Kenya counties", Source: "KNBS 2019", Regions: regions, GeoJSON: geo[:0]}))(t)
		counties := append([]participation.Region{}, regions[1:]...)
		for i := range counties {
			counties[i].ParentCode = ""
		}
		cid := must(x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Kenya counties", Source: "KNBS 2019", Regions: counties, GeoJSON: geo}))(t)
		if g := must(x.s.GetRegionSet(x.ctx, id))(t); g.GeoJSON != nil || g.Regions[1].ParentCode != "KE" {
			t.Fatalf("set with parents: %d bytes of GeoJSON, %+v", len(g.GeoJSON), g.Regions[1])
		}
		id = cid
		got := must(x.s.GetRegionSet(x.ctx, id))(t)
		var fc struct {
			Features []struct {
				Properties map[string]string `json:"properties"`
			} `json:"features"`
		}
		ok(t, json.Unmarshal(got.GeoJSON, &fc))
		if len(fc.Features) != 47 || fc.Features[0].Properties["code"] != "001" || len(got.GeoJSON) >= len(geo) {
			t.Fatalf("stored GeoJSON: %d features, first %v, %d bytes", len(fc.Features), fc.Features[0].Properties, len(got.GeoJSON))
		}
		_, err = x.s.CreateRegionSet(x.ctx, participation.RegionSet{Name: "Orphans", Regions: []participation.Region{{Code: "a", Name: "A", ParentCode: "z"}}})
		wantField(t, err, "regions", "err.unknown_parent")
		sets := must(x.s.ListRegionSets(x.ctx))(t)
		var found bool
		for _, rs := range sets {
			if rs.GeoJSON != nil {
				t.Fatal("ListRegionSets returned GeoJSON")
			}
			if rs.ID == id {
				found = len(rs.Regions) == 47
			}
		}
		if !found || len(sets) < 2 {
			t.Fatalf("ListRegionSets = %d sets, kenya found %v", len(sets), found)
		}
	})
}

func TestComponentSettingsEnforced(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		c := must(x.s.GetComponent(x.ctx, x.props))(t)
		c.Proposals = &participation.ProposalSettings{Budget: true, MaxBudgetMinor: 1000, SupportLimit: 1, SupportThreshold: 50}
		c.Title = "Ideas for the budget"
		ok(t, x.s.UpdateComponent(x.ctx, c))
		got := must(x.s.GetComponent(x.ctx, x.props))(t)
		if got.Title != "Ideas for the budget" || got.Proposals == nil || *got.Proposals != *c.Proposals {
			t.Fatalf("settings round trip: %+v", got)
		}
		lat, lng := -1.28, 36.82
		_, err := x.s.CreateProposal(x.ctx, participation.Proposal{ComponentID: x.props, ParticipantID: x.citizen.ID, Title: "Clinic",
			Description: "A clinic in every ward", BudgetMinor: 5000, Lat: &lat, Lng: &lng,
			Images: []participation.Image{{ContentType: "image/png", Data: []byte("x"), Thumb: []byte("x")}}})
		wantField(t, err, "budget_minor", "err.budget_max")
		wantField(t, err, "images", "err.pictures_off")
		wantField(t, err, "location", "err.map_point_off")
		a := x.proposal(x.citizen.ID, "Water")
		b := x.proposal(x.citizen.ID, "Roads")
		ok(t, x.s.Support(x.ctx, a, x.citizen2.ID, true))
		wantCode(t, x.s.Support(x.ctx, b, x.citizen2.ID, true), participation.CodeConflict)
		ok(t, x.s.Support(x.ctx, a, x.citizen2.ID, false))
		ok(t, x.s.Support(x.ctx, b, x.citizen2.ID, true))
		c.Proposals.Budget = false
		wantField(t, x.s.UpdateComponent(x.ctx, c), "proposals.max_budget_minor", "err.not_allowed")
		_, err = x.s.AddComponent(x.ctx, participation.Component{ProcessID: x.proc, Kind: participation.KindSurvey, Title: "S", Proposals: &participation.ProposalSettings{}})
		wantField(t, err, "proposals", "err.not_allowed")

		// Delete: refused with contributions, allowed without; move.
		wantCode(t, x.s.DeleteComponent(x.ctx, x.props), participation.CodeConflict)
		x.document()
		ok(t, x.s.DeleteComponent(x.ctx, x.doc))
		_, err = x.s.GetComponent(x.ctx, x.doc)
		wantCode(t, err, participation.CodeNotFound)
		ok(t, x.s.MoveComponent(x.ctx, x.survey, -5))
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		if len(p.Components) != 2 || p.Components[0].ID != x.survey || p.Components[1].ID != x.props || p.Phases[0].OpenComponents[0] == x.doc {
			t.Fatalf("after delete and move: %+v, phase %v", p.Components, p.Phases[0].OpenComponents)
		}
	})
}

func TestPhaseEdits(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		_, err := x.s.AddPhase(x.ctx, participation.Phase{ProcessID: x.proc, Name: "Overlap", StartsAt: date(3, 20), EndsAt: date(4, 10)})
		wantField(t, err, "starts_at", "err.phase_overlap")
		next := must(x.s.AddPhase(x.ctx, participation.Phase{ProcessID: x.proc, Name: "Feedback", StartsAt: date(4, 1), EndsAt: date(4, 20)}))(t)
		ph := must(x.s.GetProcess(x.ctx, x.proc, false))(t).Phases[1]
		ph.EndsAt = date(3, 25)
		wantField(t, x.s.UpdatePhase(x.ctx, ph), "ends_at", "err.dates")
		ph.StartsAt, ph.EndsAt, ph.OpenComponents = date(3, 15), date(4, 25), []int64{x.survey}
		wantField(t, x.s.UpdatePhase(x.ctx, ph), "starts_at", "err.phase_overlap")
		ph.StartsAt, ph.Name = date(4, 2), "Feedback round"
		ok(t, x.s.UpdatePhase(x.ctx, ph))
		got := must(x.s.GetProcess(x.ctx, x.proc, false))(t).Phases[1]
		if got.Name != "Feedback round" || !got.StartsAt.Equal(date(4, 2)) || len(got.OpenComponents) != 1 || got.OpenComponents[0] != x.survey {
			t.Fatalf("updated phase = %+v", got)
		}
		ok(t, x.s.DeletePhase(x.ctx, next))
		if n := len(must(x.s.GetProcess(x.ctx, x.proc, false))(t).Phases); n != 1 {
			t.Fatalf("%d phases after delete", n)
		}
		wantCode(t, x.s.DeletePhase(x.ctx, next), participation.CodeNotFound)
	})
}

func TestDocumentLineage(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		v1 := x.document()
		roads, water := v1.Sections[0], v1.Sections[1]
		if roads.LineageID != roads.ID || roads.Changed {
			t.Fatalf("first version section = %+v", roads)
		}
		c1 := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: roads.ID, ParticipantID: x.citizen.ID, Body: "More roads please"}))(t)
		must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: water.ID, ParticipantID: x.citizen.ID, Body: "Boreholes first"}))(t)
		ok(t, x.s.SetTranslations(x.ctx, x.proc, []participation.Translation{
			{Entity: participation.EntitySection, EntityID: water.ID, Field: "body", Lang: "sw", Text: "Visima kumi."},
			{Entity: participation.EntitySection, EntityID: roads.ID, Field: "body", Lang: "sw", Text: "Lami km 40."}}))
		d := participation.SplitMarkdown("Draft plan v2", "Intro text.\n\n## Water\nTen boreholes.\n\n## Roads\nTarmac 60 km.\n")
		d.ComponentID = x.doc
		must(x.s.PublishDocument(x.ctx, d))(t)
		v2 := must(x.s.GetDocument(x.ctx, x.doc))(t)
		if len(v2.Sections) != 3 || v2.Sections[0].Heading != "" {
			t.Fatalf("v2 = %+v", v2.Sections)
		}
		intro, w2, r2 := v2.Sections[0], v2.Sections[1], v2.Sections[2]
		if intro.LineageID != intro.ID || w2.LineageID != water.ID || w2.Changed || r2.LineageID != roads.ID || !r2.Changed {
			t.Fatalf("lineage: intro %+v water %+v roads %+v", intro, w2, r2)
		}
		// The unchanged section keeps its translation; the changed one needs a new one.
		kept := map[int64]bool{}
		for _, tr := range must(x.s.Translations(x.ctx, x.proc))(t) {
			kept[tr.EntityID] = true
		}
		if !kept[w2.ID] || kept[r2.ID] {
			t.Fatalf("translations after v2: water %v roads %v", kept[w2.ID], kept[r2.ID])
		}
		if r2.CommentCount != 1 || w2.CommentCount != 1 || intro.CommentCount != 0 {
			t.Fatalf("lineage comment counts %d %d %d", intro.CommentCount, w2.CommentCount, r2.CommentCount)
		}
		c2 := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: r2.ID, ParticipantID: x.citizen2.ID, Body: "60 km is better"}))(t)
		list := must(x.s.ListComments(x.ctx, participation.TargetSection, r2.ID))(t)
		if len(list) != 2 || list[0].ID != c1 || !list[0].OnEarlierVersion || list[1].ID != c2 || list[1].OnEarlierVersion {
			t.Fatalf("roads comments = %+v", list)
		}
		// A reply on the new version to a comment on the old one threads under it.
		reply := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: r2.ID, ParentID: &c1, ParticipantID: x.citizen2.ID, Body: "Agreed"}))(t)
		if l := must(x.s.ListComments(x.ctx, participation.TargetSection, r2.ID))(t); len(l) != 2 || len(l[0].Replies) != 1 || l[0].Replies[0].ID != reply {
			t.Fatalf("reply across versions: %+v", l)
		}
		_, err := x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: w2.ID, ParentID: &c1, ParticipantID: x.citizen2.ID, Body: "Wrong thread"})
		wantField(t, err, "parent_id", "err.bad_parent")
		wl := must(x.s.ListComments(x.ctx, participation.TargetSection, w2.ID))(t)
		if len(wl) != 1 || wl[0].OnEarlierVersion {
			t.Fatalf("water comments (unchanged text) = %+v", wl)
		}
		// The old version's section lists only what was written up to it.
		if old := must(x.s.ListComments(x.ctx, participation.TargetSection, roads.ID))(t); len(old) != 1 || old[0].OnEarlierVersion {
			t.Fatalf("v1 roads comments = %+v", old)
		}
	})
}

func TestSurveyConditionsAndEdits(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		sv := participation.Survey{ComponentID: x.survey, Questions: []participation.Question{
			{Page: 1, Type: participation.QSingle, Prompt: "Do you farm?", Options: []string{"Yes", "No"}, Required: true},
			{Page: 1, Type: participation.QText, Prompt: "What do you grow?", Required: true, ShowIf: &participation.Condition{QuestionPosition: 1, Choices: []int{0}}},
			{Page: 2, Type: participation.QLikert, Prompt: "Rate the extension service", Required: true, ShowIf: &participation.Condition{QuestionPosition: 2, Choices: []int{0}}},
		}}
		wantField(t, x.s.SetSurvey(x.ctx, sv), "questions", "err.condition_type")
		sv.Questions[2].ShowIf = &participation.Condition{QuestionPosition: 3, Choices: []int{0}}
		wantField(t, x.s.SetSurvey(x.ctx, sv), "questions", "err.condition_earlier")
		sv.Questions[2].ShowIf = &participation.Condition{QuestionPosition: 1, Choices: []int{2}}
		wantField(t, x.s.SetSurvey(x.ctx, sv), "questions", "err.condition_option")
		sv.Questions[2].ShowIf = &participation.Condition{QuestionPosition: 1, Choices: []int{0}}
		ok(t, x.s.SetSurvey(x.ctx, sv))
		got := must(x.s.GetSurvey(x.ctx, x.survey))(t)
		q1, q2, q3 := got.Questions[0], got.Questions[1], got.Questions[2]
		if q2.ShowIf == nil || q2.ShowIf.QuestionPosition != 1 || q2.ShowIf.Choices[0] != 0 {
			t.Fatalf("condition round trip: %+v", q2.ShowIf)
		}
		// "No": the follow-ups are hidden, so not required and not answerable.
		_, err := x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, 1, []participation.Answer{{QuestionID: q1.ID, Choices: []int{1}}, {QuestionID: q2.ID, Text: "maize"}})
		wantField(t, err, fmt.Sprintf("question_%d", q2.ID), "err.hidden_question")
		must(x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, 1, []participation.Answer{{QuestionID: q1.ID, Choices: []int{1}}}))(t)
		must(x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, 2, nil))(t)
		// "Yes": they are asked and required.
		_, err = x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen2.ID, 1, []participation.Answer{{QuestionID: q1.ID, Choices: []int{0}}})
		wantField(t, err, fmt.Sprintf("question_%d", q2.ID), "err.required")
		must(x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen2.ID, 1, []participation.Answer{{QuestionID: q1.ID, Choices: []int{0}}, {QuestionID: q2.ID, Text: "maize"}}))(t)
		_, err = x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen2.ID, 2, nil)
		wantField(t, err, fmt.Sprintf("question_%d", q3.ID), "err.required")

		// With responses: texts may change and questions be added; an
		// answered question cannot be removed, retyped or lose options.
		edit := got
		edit.Questions = append([]participation.Question{}, got.Questions...)
		edit.Questions[0].Prompt = "Do you farm for a living?"
		edit.Questions = append(edit.Questions, participation.Question{Page: 2, Type: participation.QText, Prompt: "Anything else?"})
		ok(t, x.s.SetSurvey(x.ctx, edit))
		after := must(x.s.GetSurvey(x.ctx, x.survey))(t)
		if len(after.Questions) != 4 || after.Questions[0].ID != q1.ID || after.Questions[0].Prompt != "Do you farm for a living?" {
			t.Fatalf("edited survey = %+v", after.Questions)
		}
		bad := after
		bad.Questions = append([]participation.Question{}, after.Questions...)
		bad.Questions[0].Type = participation.QMulti
		wantCode(t, x.s.SetSurvey(x.ctx, bad), participation.CodeConflict)
		bad.Questions[0].Type = participation.QSingle
		bad.Questions[0].Options = []string{"Yes", "No", "Sometimes"}
		ok(t, x.s.SetSurvey(x.ctx, bad))
		bad.Questions[0].Options = []string{"Yes", "No"}
		wantCode(t, x.s.SetSurvey(x.ctx, bad), participation.CodeConflict)
		bad.Questions = after.Questions[1:]
		for i := range bad.Questions {
			bad.Questions[i].ShowIf = nil
		}
		wantCode(t, x.s.SetSurvey(x.ctx, bad), participation.CodeConflict)

		// Moving: q3 and the new one swap on page 2; q2 cannot go before q1.
		ok(t, x.s.MoveQuestion(x.ctx, after.Questions[3].ID, -1))
		moved := must(x.s.GetSurvey(x.ctx, x.survey))(t)
		if moved.Questions[2].ID != after.Questions[3].ID || moved.Questions[3].ShowIf == nil || moved.Questions[3].ShowIf.QuestionPosition != 1 {
			t.Fatalf("after move: %+v", moved.Questions)
		}
		wantField(t, x.s.MoveQuestion(x.ctx, q2.ID, -1), "questions", "err.condition_earlier")
	})
}

func TestCopyProcessAndTemplates(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.document()
		ok(t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: x.survey, Questions: []participation.Question{
			{Page: 1, Type: participation.QSingle, Prompt: "Roads or water?", Options: []string{"Roads", "Water"}},
			{Page: 1, Type: participation.QText, Prompt: "Why roads?", ShowIf: &participation.Condition{QuestionPosition: 1, Choices: []int{0}}}}}))
		must(x.s.PublishPrivacyNotice(x.ctx, x.proc, "We keep nothing personal."))(t)
		ok(t, x.s.SetTranslations(x.ctx, x.proc, []participation.Translation{
			{Entity: participation.EntityProcess, EntityID: x.proc, Field: "title", Lang: "sw", Text: "Bajeti"},
			{Entity: participation.EntityComponent, EntityID: x.props, Field: "title", Lang: "sw", Text: "Mawazo"}}))
		x.proposal(x.citizen.ID, "Water for all")

		tpl := must(x.s.CopyProcess(x.ctx, x.proc, "budget-template", "Budget template", true))(t)
		cp := must(x.s.CopyProcess(x.ctx, tpl, "budget-2027", "County budget 2027/28", false))(t)
		p := must(x.s.GetProcess(x.ctx, cp, false))(t)
		if p.State != participation.StateDraft || p.IsTemplate || p.Title != "County budget 2027/28" || len(p.Components) != 3 || len(p.Phases) != 1 ||
			len(p.Phases[0].OpenComponents) != 3 || p.PrivacyNotice == nil || p.RegionSetID != x.rs {
			t.Fatalf("copy = %+v", p)
		}
		props := p.Components[0]
		if n, total, _ := x.s.ListProposals(x.ctx, participation.ProposalFilter{ComponentID: props.ID}); total != 0 || len(n) != 0 {
			t.Fatal("the copy carries proposals")
		}
		doc := must(x.s.GetDocument(x.ctx, p.Components[1].ID))(t)
		sv := must(x.s.GetSurvey(x.ctx, p.Components[2].ID))(t)
		if len(doc.Sections) != 2 || len(sv.Questions) != 2 || sv.Questions[1].ShowIf == nil {
			t.Fatalf("copied content: %+v %+v", doc, sv)
		}
		tr := must(x.s.Translations(x.ctx, cp))(t)
		if len(tr) != 2 {
			t.Fatalf("copied translations = %+v", tr)
		}
		for _, l := range must(x.s.ListProcesses(x.ctx, false))(t) {
			if l.ID == tpl {
				t.Fatal("template listed among processes")
			}
		}
		tpls := must(x.s.ListTemplates(x.ctx))(t)
		if len(tpls) != 1 || tpls[0].ID != tpl || !tpls[0].IsTemplate {
			t.Fatalf("templates = %+v", tpls)
		}
		wantCode(t, x.s.Transition(x.ctx, tpl, participation.StatePreview, ""), participation.CodeConflict)
		_, err := x.s.CopyProcess(x.ctx, x.proc, "budget-2027", "Again", false)
		wantCode(t, err, participation.CodeDuplicate)
	})
}

// TestFillRegionSetMap: a set without a map gets the one given, normalised
// as at creation, once; a second fill and a set with its own map change
// nothing; a map that does not fit the set is refused.
func TestFillRegionSetMap(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		geo, err := os.ReadFile("../../testdata/kenya/kenya_counties.geojson")
		ok(t, err)
		bare := must(x.s.CreateRegionSet(x.ctx, kenya(t)))(t)
		if filled := must(x.s.FillRegionSetMap(x.ctx, bare, geo))(t); !filled {
			t.Fatal("the set without a map was not filled")
		}
		got := must(x.s.GetRegionSet(x.ctx, bare))(t)
		var fc struct {
			Features []struct {
				Properties map[string]string `json:"properties"`
			} `json:"features"`
		}
		ok(t, json.Unmarshal(got.GeoJSON, &fc))
		if len(fc.Features) != 47 || fc.Features[0].Properties["code"] != "001" {
			t.Fatalf("filled map: %d features, first %v", len(fc.Features), fc.Features)
		}
		if filled := must(x.s.FillRegionSetMap(x.ctx, bare, geo))(t); filled {
			t.Error("a set with a map was filled again")
		}
		other := `{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"T1"},"geometry":{"type":"Point","coordinates":[36.8,-1.3]}}]}`
		if filled, err := x.s.FillRegionSetMap(x.ctx, x.rs, []byte(other)); err == nil || filled {
			t.Errorf("a map without the set's regions: filled %v, err %v", filled, err)
		}
		if _, err := x.s.FillRegionSetMap(x.ctx, 1<<40, geo); !participation.IsNotFound(err) {
			t.Errorf("an unknown set: %v", err)
		}
	})
}
