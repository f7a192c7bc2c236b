package workspace_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// proposalIn is a citizen's proposal in process A's proposals component.
func (fx *fixture) proposalIn(t *testing.T, title string) int64 {
	t.Helper()
	pt, err := fx.Store.CreateParticipant(fx.ctx, "")
	must(t, err)
	id, err := fx.Store.CreateProposal(fx.ctx, participation.Proposal{ComponentID: fx.Proposals, ParticipantID: pt.ID,
		Title: title, Description: "A longer description of " + title})
	must(t, err)
	return id
}

func (fx *fixture) actions(t *testing.T, processID int64) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, r := range fx.audited(t, processID) {
		out[r.Action]++
	}
	return out
}

// TestAssessmentForms walks the officials' assessment through its forms:
// criteria, scores (a score outside the scale refused with what was typed
// kept), the ranking with its spread and the unscored, and decisions (a
// missing reason and an illegal move refused), each audited.
func TestAssessmentForms(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
		off := fx.browser(t, "official")

		// Criteria: a scale upside down is refused, the name kept.
		pg := off.submit(P+"/criteria", P+"/criteria", url.Values{"name": {"Time to implement"}, "weight": {"1"}, "scale_min": {"5"}, "scale_max": {"1"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "The scale must run", "upside-down scale")
		if !strings.Contains(pg.Body, `value="Time to implement"`) {
			t.Fatal("the refused criterion form lost its name")
		}
		wantRedirect(t, off.submit(P+"/criteria", P+"/criteria", url.Values{"name": {"Cost"}, "description": {"What it costs"}, "weight": {"2"}, "scale_min": {"1"}, "scale_max": {"5"}}), P+"/criteria", "add cost")
		wantRedirect(t, off.submit(P+"/criteria", P+"/criteria", url.Values{"name": {"Impact"}, "weight": {"1"}, "scale_min": {"0"}, "scale_max": {"10"}}), P+"/criteria", "add impact")
		cs, err := fx.Store.Criteria(fx.ctx, fx.ProcessA)
		must(t, err)
		if len(cs) != 2 || cs[0].Name != "Cost" || cs[0].Weight != 2 || cs[1].ScaleMax != 10 {
			t.Fatalf("criteria %+v", cs)
		}
		cost, impact := cs[0], cs[1]
		wantRedirect(t, off.submit(P+"/criteria", fmt.Sprintf("%s/criteria/%d", P, impact.ID), url.Values{"name": {"Community-wide impact"}, "weight": {"1"}, "scale_min": {"0"}, "scale_max": {"10"}}), P+"/criteria", "rename impact")

		p1, p2, p3 := fx.proposalIn(t, "Boreholes"), fx.proposalIn(t, "Bus shelter"), fx.proposalIn(t, "Market roof")
		A := func(p int64) string { return fmt.Sprintf("%s/proposals/%d", P, p) }

		// A score outside the scale: refused, nothing saved, what was typed kept.
		pg = off.submit(A(p1)+"/assess", A(p1)+"/scores", url.Values{
			fmt.Sprintf("score.%d", cost.ID): {"9"}, fmt.Sprintf("note.%d", cost.ID): {"cheap"},
			fmt.Sprintf("score.%d", impact.ID): {"7"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "between 1 and 5", "score outside the scale")
		if !strings.Contains(pg.Body, `value="9"`) || !strings.Contains(pg.Body, ">cheap</textarea>") || !strings.Contains(pg.Body, `value="7"`) {
			t.Fatal("the refused scores lost what was typed")
		}
		if sc, _ := fx.Store.Scores(fx.ctx, fx.ProcessA); len(sc) != 0 {
			t.Fatalf("a refused form saved scores: %+v", sc)
		}
		wantRedirect(t, off.submit(A(p1)+"/assess", A(p1)+"/scores", url.Values{
			fmt.Sprintf("score.%d", cost.ID): {"5"}, fmt.Sprintf("note.%d", cost.ID): {"cheap"},
			fmt.Sprintf("score.%d", impact.ID): {"10"}}), A(p1)+"/assess", "official scores p1")
		adm := fx.browser(t, "admin")
		wantRedirect(t, adm.submit(A(p1)+"/assess", A(p1)+"/scores", url.Values{
			fmt.Sprintf("score.%d", cost.ID): {"1"}, fmt.Sprintf("score.%d", impact.ID): {"0"}}), A(p1)+"/assess", "admin scores p1")
		wantRedirect(t, off.submit(A(p2)+"/assess", A(p2)+"/scores", url.Values{fmt.Sprintf("score.%d", cost.ID): {"3"}}), A(p2)+"/assess", "official scores p2")

		// The ranking: p1 50 with a spread of 100, p2 50 too (cost 3 of 1–5
		// alone), p3 not scored.
		page := off.open(P + "/assessment")
		body := html.UnescapeString(page.Body)
		for _, want := range []string{fmt.Sprintf(`id="rank-%d"`, p1), fmt.Sprintf(`id="rank-%d"`, p2), "100.0", "50.0", `id="unscored"`, "Market roof"} {
			if !strings.Contains(body, want) {
				t.Errorf("the assessment page lacks %q", want)
			}
		}
		if strings.Contains(body, fmt.Sprintf(`id="rank-%d"`, p3)) {
			t.Error("an unscored proposal is ranked")
		}

		// Decisions.
		wantRedirect(t, off.submit(A(p1)+"/assess", A(p1)+"/decision", url.Values{"from": {"submitted"}, "state": {"under_assessment"}}), A(p1)+"/assess", "to assessment")
		pg = off.submit(A(p1)+"/assess", A(p1)+"/decision", url.Values{"from": {"under_assessment"}, "state": {"not_selected"}, "reason": {"  "}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "Say publicly why", "not selected without a reason")
		if !strings.Contains(pg.Body, `value="not_selected" checked`) {
			t.Error("the refused decision lost the chosen state")
		}
		wantRedirect(t, off.submit(A(p1)+"/assess", A(p1)+"/decision", url.Values{"from": {"under_assessment"}, "state": {"not_selected"}, "reason": {"The county has no land there"}}), A(p1)+"/assess", "not selected")
		d, err := fx.Store.Decision(fx.ctx, p1)
		must(t, err)
		if d.State != participation.AssessNotSelected || d.Reason != "The county has no land there" {
			t.Fatalf("decision %+v", d)
		}
		// An illegal move (not selected is final), and a stale one.
		pg = off.Post(A(p1)+"/decision", off.tok, url.Values{"from": {"not_selected"}, "state": {"selected"}})
		wantRefused(t, pg, http.StatusConflict, "cannot move there", "not selected → selected")
		pg = off.Post(A(p2)+"/decision", off.tok, url.Values{"from": {"under_assessment"}, "state": {"selected"}})
		wantRefused(t, pg, http.StatusConflict, "meanwhile", "a decision from a state it is not in")

		// A moderator may not decide; another process's official does not
		// see the proposal.
		mod := fx.browser(t, "moderator")
		mod.open("/staff")
		if pg := mod.Post(A(p2)+"/decision", mod.tok, url.Values{"from": {"submitted"}, "state": {"under_assessment"}}); pg.Status != http.StatusForbidden {
			t.Fatalf("moderator deciding: %d, want 403", pg.Status)
		}
		ob := fx.browser(t, "official_b")
		ob.open("/staff")
		if pg := ob.Post(A(p2)+"/decision", ob.tok, url.Values{"from": {"submitted"}, "state": {"under_assessment"}}); pg.Status != http.StatusNotFound {
			t.Fatalf("official of another process deciding: %d, want 404", pg.Status)
		}
		// A proposal of another process under this process's address: 404.
		if d, _ := fx.Store.Decision(fx.ctx, p2); d.State != participation.AssessSubmitted {
			t.Fatalf("a refused decision changed p2: %+v", d)
		}

		acts := fx.actions(t, fx.ProcessA)
		if acts["criterion.add"] != 2 || acts["criterion.update"] != 1 || acts["proposal.score"] != 3 || acts["proposal.decide"] != 2 {
			t.Fatalf("audit log %v", acts)
		}
	})
}

// TestResponseForms: "you said / we did" per section of the commented
// version, linked to the new version's section; a takeaway per question
// and per page.
func TestResponseForms(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
		ctx := fx.ctx
		_, err := fx.Store.PublishDocument(ctx, participation.Document{ComponentID: fx.Document, Title: "Plan",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 40 km."}}})
		must(t, err)
		v1, err := fx.Store.GetDocument(ctx, fx.Document)
		must(t, err)
		_, err = fx.Store.PublishDocument(ctx, participation.Document{ComponentID: fx.Document, Title: "Plan v2",
			Sections: []participation.Section{{Heading: "Roads", Body: "Tarmac 60 km."}}})
		must(t, err)
		v2, err := fx.Store.GetDocument(ctx, fx.Document)
		must(t, err)

		off := fx.browser(t, "official")
		R := fmt.Sprintf("%s/components/%d/responses", P, fx.Document)
		page := off.open(R)
		if !strings.Contains(page.Body, "Tarmac 40 km.") || !strings.Contains(page.Body, fmt.Sprintf(`id="response-%d"`, v1.Sections[0].ID)) {
			t.Fatal("the responses page does not show the commented version's sections")
		}
		pg := off.submit(R, R, url.Values{"section_id": {fmt.Sprint(v1.Sections[0].ID)}, "version": {"1"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "say what changed", "an empty response")
		wantRedirect(t, off.submit(R, R, url.Values{"section_id": {fmt.Sprint(v1.Sections[0].ID)}, "version": {"1"},
			"new_section_id": {fmt.Sprint(v2.Sections[0].ID)}, "changed": {"60 km instead of 40"}, "why": {"You asked for the feeder roads"}}), R, "respond")
		rs, err := fx.Store.SectionResponses(ctx, fx.Document)
		must(t, err)
		if len(rs) != 1 || rs[0].NewSectionID != v2.Sections[0].ID || rs[0].Why != "You asked for the feeder roads" {
			t.Fatalf("responses %+v", rs)
		}

		must(t, fx.Store.SetSurvey(ctx, participation.Survey{ComponentID: fx.Survey, Pages: 1, Questions: []participation.Question{
			{Page: 1, Type: participation.QText, Prompt: "What matters?"}}}))
		sv, err := fx.Store.GetSurvey(ctx, fx.Survey)
		must(t, err)
		S := fmt.Sprintf("%s/components/%d", P, fx.Survey)
		qk := fmt.Sprintf("q%d", sv.Questions[0].ID)
		pg = off.submit(S+"/responses", S+"/takeaways", url.Values{"key": {qk}, "text": {strings.Repeat("w", participation.AssessTextMax+1)}})
		if pg.Status != http.StatusUnprocessableEntity || !strings.Contains(pg.Body, strings.Repeat("w", 50)) {
			t.Fatalf("a takeaway too long: %d, or the text was lost", pg.Status)
		}
		wantRedirect(t, off.submit(S+"/responses", S+"/takeaways", url.Values{"key": {qk}, "text": {"Water comes first"}}), S+"/responses", "question takeaway")
		wantRedirect(t, off.submit(S+"/responses", S+"/takeaways", url.Values{"key": {"p1"}, "text": {"Short page, many answers"}}), S+"/responses", "page takeaway")
		tk, err := fx.Store.Takeaways(ctx, fx.Survey)
		must(t, err)
		if len(tk) != 2 {
			t.Fatalf("takeaways %+v", tk)
		}
		if !strings.Contains(off.open(S+"/responses").Body, "Water comes first") {
			t.Fatal("the saved takeaway is not shown")
		}
		acts := fx.actions(t, fx.ProcessA)
		if acts["section.respond"] != 1 || acts["survey.takeaway"] != 2 {
			t.Fatalf("audit log %v", acts)
		}
	})
}
