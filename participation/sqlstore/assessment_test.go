package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

func (x *fx) criterion(name string, weight float64, lo, hi int) participation.Criterion {
	x.t.Helper()
	return must(x.s.SaveCriterion(x.ctx, participation.Criterion{ProcessID: x.proc, Name: name, Weight: weight, ScaleMin: lo, ScaleMax: hi, StaffID: 7}))(x.t)
}

func TestCriteriaSaveListTranslate(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		cost := x.criterion("Cost", 2, 1, 5)
		impact := x.criterion("Community-wide impact", 0, 0, 0) // defaults: weight 1, scale 1–5
		if impact.Weight != 1 || impact.ScaleMin != 1 || impact.ScaleMax != 5 || impact.Position <= cost.Position {
			t.Fatalf("defaults not filled: %+v", impact)
		}
		e := x.last(participation.EvCriterionSet)
		if e.EntityID != impact.ID || e.ProcessID != x.proc {
			t.Fatalf("criterion event %+v", e)
		}
		cost.Description = "What it costs the county"
		cost.Weight = 3
		cost = must(x.s.SaveCriterion(x.ctx, cost))(t)
		p := must(x.s.GetProcess(x.ctx, x.proc, true))(t)
		if len(p.Criteria) != 2 || p.Criteria[0].Name != "Cost" || p.Criteria[0].Weight != 3 || p.Criteria[0].Description == "" || p.Criteria[1].ID != impact.ID {
			t.Fatalf("process criteria %+v", p.Criteria)
		}
		// Criteria are content like any other: they take translations and
		// are listed until translated.
		missing := participation.Untranslated(p, nil, nil, nil)
		if !slices.ContainsFunc(missing, func(m participation.Missing) bool {
			return m.Entity == participation.EntityCriterion && m.EntityID == cost.ID
		}) {
			t.Fatalf("criterion not among the untranslated: %+v", missing)
		}

		// Bad input.
		n := x.count()
		_, err := x.s.SaveCriterion(x.ctx, participation.Criterion{ProcessID: x.proc, Name: " "})
		wantField(t, err, "name", "err.required")
		_, err = x.s.SaveCriterion(x.ctx, participation.Criterion{ProcessID: x.proc, Name: "Upside down", ScaleMin: 5, ScaleMax: 1})
		wantField(t, err, "scale_max", "err.scale")
		_, err = x.s.SaveCriterion(x.ctx, participation.Criterion{ProcessID: x.proc, Name: "Heavy", Weight: -1})
		wantField(t, err, "weight", "err.out_of_range")
		_, err = x.s.SaveCriterion(x.ctx, participation.Criterion{ProcessID: 9999, Name: "Nowhere"})
		wantCode(t, err, participation.CodeNotFound)
		if x.count() != n {
			t.Fatal("a refused criterion wrote an event")
		}

		// A scale change that would strand given scores is refused.
		prop := x.proposal(x.citizen.ID, "Boreholes")
		ok(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: prop, CriterionID: cost.ID, StaffID: 7, Score: 5}))
		cost.ScaleMax = 4
		_, err = x.s.SaveCriterion(x.ctx, cost)
		wantCode(t, err, participation.CodeConflict)

		ok(t, x.s.DeleteCriterion(x.ctx, x.proc, impact.ID, 7))
		wantCode(t, x.s.DeleteCriterion(x.ctx, x.proc, impact.ID, 7), participation.CodeNotFound)
		if cs := must(x.s.Criteria(x.ctx, x.proc))(t); len(cs) != 1 || cs[0].ID != cost.ID {
			t.Fatalf("after delete: %+v", cs)
		}
	})
}

func TestScoresOutsideScaleRefused(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		cost := x.criterion("Cost", 2, 1, 5)
		time := x.criterion("Time to implement", 1, 0, 10)
		p1, p2 := x.proposal(x.citizen.ID, "Boreholes"), x.proposal(x.citizen2.ID, "Bus shelter")
		n := x.count()
		for _, bad := range []participation.Score{
			{ProposalID: p1, CriterionID: cost.ID, StaffID: 7, Score: 0},
			{ProposalID: p1, CriterionID: cost.ID, StaffID: 7, Score: 6},
			{ProposalID: p1, CriterionID: time.ID, StaffID: 7, Score: -1},
			{ProposalID: p1, CriterionID: time.ID, StaffID: 7, Score: 11},
		} {
			wantField(t, x.s.SaveScore(x.ctx, bad), "score", "err.out_of_range")
		}
		wantField(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p1, CriterionID: cost.ID, StaffID: 7, Score: 3,
			Note: strings.Repeat("x", participation.AssessTextMax+1)}), "note", "err.too_long")
		// Another process's criterion, an unknown proposal.
		other := must(x.s.CreateProcess(x.ctx, process("other", x.rs, participation.ModeOpen)))(t)
		foreign := must(x.s.SaveCriterion(x.ctx, participation.Criterion{ProcessID: other, Name: "Elsewhere"}))(t)
		n = x.count()
		wantCode(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p1, CriterionID: foreign.ID, StaffID: 7, Score: 3}), participation.CodeNotFound)
		wantCode(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: 99999, CriterionID: cost.ID, StaffID: 7, Score: 3}), participation.CodeNotFound)
		if x.count() != n {
			t.Fatal("a refused score wrote an event")
		}
		if sc := must(x.s.Scores(x.ctx, x.proc))(t); len(sc) != 0 {
			t.Fatalf("refused scores stored: %+v", sc)
		}

		// The edges of the scale are in it; a second score by the same
		// assessor replaces the first.
		ok(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p1, CriterionID: cost.ID, StaffID: 7, Score: 1, Note: "first"}))
		ok(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p1, CriterionID: cost.ID, StaffID: 7, Score: 5, Note: "cheap after all"}))
		ok(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p1, CriterionID: time.ID, StaffID: 7, Score: 10}))
		ok(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p1, CriterionID: cost.ID, StaffID: 8, Score: 1}))
		ok(t, x.s.SaveScore(x.ctx, participation.Score{ProposalID: p2, CriterionID: time.ID, StaffID: 8, Score: 0}))
		sc := must(x.s.Scores(x.ctx, x.proc))(t)
		if len(sc) != 4 || sc[0].Score != 5 || sc[0].Note != "cheap after all" || sc[0].StaffID != 7 {
			t.Fatalf("scores %+v", sc)
		}
		e := x.last(participation.EvProposalScored)
		if e.EntityID != p2 || e.ProcessID != x.proc {
			t.Fatalf("scored event %+v", e)
		}
		// p1: cost mean (1+0)/2 = 0.5 ×2, time 1 ×1 → 100×2/3; p2: 0.
		r := participation.Rank(must(x.s.Criteria(x.ctx, x.proc))(t), sc, []int64{p2, p1, 123})
		if r[0].ProposalID != p1 || r[0].Rank != 1 || r[0].Assessors != 2 || r[1].ProposalID != p2 || r[2].Rank != 0 {
			t.Fatalf("ranking %+v", r)
		}
		if got := r[0].Score; got < 66.6 || got > 66.7 {
			t.Fatalf("weighted score %v, want 66.67", got)
		}
		// Assessor 7: (2×1 + 1×1)/3 = 100; assessor 8: cost 0 → 0.
		if r[0].Spread != 100 {
			t.Fatalf("spread %v, want 100", r[0].Spread)
		}
	})
}

// TestProposalStateMachine walks every pair of states: the moves the
// machine allows pass, every other one is refused and writes nothing.
func TestProposalStateMachine(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		allowed := map[[2]participation.AssessmentState]bool{}
		for _, from := range participation.AssessmentStates {
			for _, to := range participation.NextAssessmentStates(from) {
				allowed[[2]participation.AssessmentState{from, to}] = true
			}
		}
		// A path through the machine to each state.
		path := map[participation.AssessmentState][]participation.AssessmentState{
			participation.AssessSubmitted:        nil,
			participation.AssessUnderAssessment:  {participation.AssessUnderAssessment},
			participation.AssessSelected:         {participation.AssessUnderAssessment, participation.AssessSelected},
			participation.AssessNotSelected:      {participation.AssessUnderAssessment, participation.AssessNotSelected},
			participation.AssessNeedsMoreStudy:   {participation.AssessUnderAssessment, participation.AssessNeedsMoreStudy},
			participation.AssessInImplementation: {participation.AssessUnderAssessment, participation.AssessSelected, participation.AssessInImplementation},
			participation.AssessImplemented:      {participation.AssessUnderAssessment, participation.AssessSelected, participation.AssessInImplementation, participation.AssessImplemented},
		}
		i := 0
		for _, from := range participation.AssessmentStates {
			for _, to := range participation.AssessmentStates {
				i++
				p := x.proposal(x.citizen.ID, "Idea "+strings.Repeat("i", i))
				cur := participation.AssessSubmitted
				for _, st := range path[from] {
					must(x.s.Decide(x.ctx, p, cur, st, "because", 7))(t)
					cur = st
				}
				n := x.count()
				d, err := x.s.Decide(x.ctx, p, from, to, "the public reason", 7)
				if allowed[[2]participation.AssessmentState{from, to}] {
					ok(t, err)
					if d.State != to || d.Reason != "the public reason" || !d.DecidedAt.Equal(now) {
						t.Fatalf("%s → %s: %+v", from, to, d)
					}
					e := x.last(participation.EvProposalDecided)
					if e.EntityID != p || e.ProcessID != x.proc {
						t.Fatalf("decided event %+v", e)
					}
					sameJSON(t, e.Payload, `{"from":"`+string(from)+`","to":"`+string(to)+`","reason":"the public reason"}`)
					continue
				}
				wantCode(t, err, participation.CodeConflict)
				if x.count() != n {
					t.Fatalf("%s → %s was refused but wrote an event", from, to)
				}
				if got := must(x.s.Decision(x.ctx, p))(t); got.State != from {
					t.Fatalf("%s → %s refused, state now %s", from, to, got.State)
				}
			}
		}
		// Unknown states, stale from, unknown proposal.
		p := x.proposal(x.citizen.ID, "Last one")
		_, err := x.s.Decide(x.ctx, p, participation.AssessSubmitted, "maybe", "", 7)
		wantField(t, err, "state", "err.bad_choice")
		_, err = x.s.Decide(x.ctx, p, participation.AssessUnderAssessment, participation.AssessSelected, "", 7)
		wantCode(t, err, participation.CodeConflict)
		_, err = x.s.Decide(x.ctx, 99999, participation.AssessSubmitted, participation.AssessUnderAssessment, "", 7)
		wantCode(t, err, participation.CodeNotFound)
		if d := must(x.s.Decision(x.ctx, p))(t); d.State != participation.AssessSubmitted || !d.DecidedAt.IsZero() {
			t.Fatalf("never decided: %+v", d)
		}
	})
}

func TestDecisionReasonRequired(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		for _, to := range []participation.AssessmentState{participation.AssessNotSelected, participation.AssessNeedsMoreStudy} {
			p := x.proposal(x.citizen.ID, "Idea for "+string(to))
			must(x.s.Decide(x.ctx, p, participation.AssessSubmitted, participation.AssessUnderAssessment, "", 7))(t)
			n := x.count()
			for _, reason := range []string{"", "  \n "} {
				_, err := x.s.Decide(x.ctx, p, participation.AssessUnderAssessment, to, reason, 7)
				wantField(t, err, "reason", "err.decision_reason")
			}
			_, err := x.s.Decide(x.ctx, p, participation.AssessUnderAssessment, to, strings.Repeat("r", participation.AssessTextMax+1), 7)
			wantField(t, err, "reason", "err.too_long")
			if x.count() != n {
				t.Fatal("a decision without its reason wrote an event")
			}
			d := must(x.s.Decide(x.ctx, p, participation.AssessUnderAssessment, to, "Outside the county's remit", 7))(t)
			if d.Reason != "Outside the county's remit" {
				t.Fatalf("decision %+v", d)
			}
		}
		// Selecting needs no reason.
		p := x.proposal(x.citizen.ID, "Chosen")
		must(x.s.Decide(x.ctx, p, participation.AssessSubmitted, participation.AssessUnderAssessment, "", 7))(t)
		must(x.s.Decide(x.ctx, p, participation.AssessUnderAssessment, participation.AssessSelected, "", 7))(t)
		ds := must(x.s.ProposalDecisions(x.ctx, x.proc))(t)
		if len(ds) != 3 || ds[2].ProposalID != p || ds[2].State != participation.AssessSelected {
			t.Fatalf("decisions %+v", ds)
		}
	})
}

func TestSectionResponsesAndTakeaways(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		v1 := x.document()
		must(x.s.PublishDocument(x.ctx, participation.Document{ComponentID: x.doc, Title: "Plan v2",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 60 km."}, {Heading: "Water", Body: "Ten boreholes."}}}))(t)
		v2 := must(x.s.GetDocument(x.ctx, x.doc))(t)
		r := participation.SectionResponse{ComponentID: x.doc, SectionID: v1.Sections[0].ID, NewSectionID: v2.Sections[0].ID,
			Changed: "60 km instead of 40", Why: "Most comments asked for the feeder roads", StaffID: 7}
		ok(t, x.s.SaveSectionResponse(x.ctx, r))
		r.Why = "Most comments asked for the feeder roads to the markets"
		ok(t, x.s.SaveSectionResponse(x.ctx, r))
		got := must(x.s.SectionResponses(x.ctx, x.doc))(t)
		if len(got) != 1 || got[0].Why != r.Why || got[0].NewSectionID != v2.Sections[0].ID {
			t.Fatalf("responses %+v", got)
		}
		if e := x.last(participation.EvSectionResponded); e.EntityID != v1.Sections[0].ID || e.ComponentID != x.doc || e.ProcessID != x.proc {
			t.Fatalf("event %+v", e)
		}
		wantField(t, x.s.SaveSectionResponse(x.ctx, participation.SectionResponse{ComponentID: x.doc, SectionID: v1.Sections[1].ID}), "changed", "err.required")
		wantCode(t, x.s.SaveSectionResponse(x.ctx, participation.SectionResponse{ComponentID: x.props, SectionID: v1.Sections[1].ID, Why: "x"}), participation.CodeNotFound)
		wantCode(t, x.s.SaveSectionResponse(x.ctx, participation.SectionResponse{ComponentID: x.doc, SectionID: v1.Sections[1].ID, NewSectionID: 99999, Why: "x"}), participation.CodeNotFound)

		ok(t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: x.survey, Pages: 2, Questions: []participation.Question{
			{Page: 1, Type: participation.QText, Prompt: "What matters?"}, {Page: 2, Type: participation.QText, Prompt: "Anything else?"}}}))
		sv := must(x.s.GetSurvey(x.ctx, x.survey))(t)
		ok(t, x.s.SaveTakeaway(x.ctx, participation.SurveyTakeaway{ComponentID: x.survey, QuestionID: sv.Questions[0].ID, Text: "Water first", StaffID: 7}))
		ok(t, x.s.SaveTakeaway(x.ctx, participation.SurveyTakeaway{ComponentID: x.survey, Page: 2, Text: "Few answered page 2", StaffID: 7}))
		wantField(t, x.s.SaveTakeaway(x.ctx, participation.SurveyTakeaway{ComponentID: x.survey, Text: "about nothing"}), "question_id", "err.bad_choice")
		wantCode(t, x.s.SaveTakeaway(x.ctx, participation.SurveyTakeaway{ComponentID: x.doc, Page: 1, Text: "not a survey"}), participation.CodeNotFound)
		tk := must(x.s.Takeaways(x.ctx, x.survey))(t)
		if len(tk) != 2 || tk[0].QuestionID != sv.Questions[0].ID || tk[1].Page != 2 {
			t.Fatalf("takeaways %+v", tk)
		}
		ok(t, x.s.SaveTakeaway(x.ctx, participation.SurveyTakeaway{ComponentID: x.survey, Page: 2, Text: " "}))
		if tk := must(x.s.Takeaways(x.ctx, x.survey))(t); len(tk) != 1 {
			t.Fatalf("an empty takeaway should remove it: %+v", tk)
		}
	})
}
