package dashweb_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// seedReport gives process A what the results page tells: criteria and
// scores, proposals selected, not selected (with its reason) and one that
// was decided and then hidden, a section answered in a new version, a
// survey takeaway and a report with next steps, in both languages.
func seedReport(t *testing.T, fx *staffwebtest.Fixture) (selected, rejected, hidden int64) {
	t.Helper()
	ctx := context.Background()
	s, p := fx.Store, fx.ProcessA
	mustDo := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cost, err := s.SaveCriterion(ctx, participation.Criterion{ProcessID: p, Name: "Cost", Description: "What it costs the county", Weight: 2, ScaleMin: 1, ScaleMax: 5})
	mustDo(err)
	impact, err := s.SaveCriterion(ctx, participation.Criterion{ProcessID: p, Name: "Impact", Weight: 1, ScaleMin: 0, ScaleMax: 10})
	mustDo(err)
	mustDo(s.SetTranslations(ctx, p, []participation.Translation{{Entity: participation.EntityCriterion, EntityID: cost.ID, Field: "name", Lang: "sw", Text: "Gharama"}}))
	pt, err := s.CreateParticipant(ctx, "047")
	mustDo(err)
	prop := func(title string) int64 {
		id, err := s.CreateProposal(ctx, participation.Proposal{ProcessID: p, ComponentID: fx.Proposals, ParticipantID: pt.ID, Title: title, Description: "About " + title})
		mustDo(err)
		return id
	}
	selected, rejected, hidden = prop("Boreholes for Kisumu wards"), prop("A new stadium"), prop("Decided then hidden")
	for _, id := range []int64{selected, rejected, hidden} {
		_, err := s.Decide(ctx, id, participation.AssessSubmitted, participation.AssessUnderAssessment, "", 1)
		mustDo(err)
	}
	mustDo(s.SaveScore(ctx, participation.Score{ProposalID: selected, CriterionID: cost.ID, StaffID: 1, Score: 4}))
	mustDo(s.SaveScore(ctx, participation.Score{ProposalID: selected, CriterionID: cost.ID, StaffID: 2, Score: 5}))
	mustDo(s.SaveScore(ctx, participation.Score{ProposalID: selected, CriterionID: impact.ID, StaffID: 1, Score: 8}))
	_, err = s.Decide(ctx, selected, participation.AssessUnderAssessment, participation.AssessSelected, "Within the water budget", 1)
	mustDo(err)
	_, err = s.Decide(ctx, rejected, participation.AssessUnderAssessment, participation.AssessNotSelected, "Costs twice the sports budget", 1)
	mustDo(err)
	_, err = s.Decide(ctx, hidden, participation.AssessUnderAssessment, participation.AssessSelected, "", 1)
	mustDo(err)
	mustDo(s.SetProposalStatus(ctx, hidden, participation.StatusHidden))

	_, err = s.PublishDocument(ctx, participation.Document{ComponentID: fx.Document, Title: "County Fiscal Strategy Paper 2026 (revised)",
		Sections: []participation.Section{{Heading: "Revenue (revised)", Body: "Parking fees stay as they are."}, {Heading: "Health", Body: "Two hospitals."}}})
	mustDo(err)
	doc, err := s.GetDocument(ctx, fx.Document)
	mustDo(err)
	mustDo(s.SaveSectionResponse(ctx, participation.SectionResponse{ComponentID: fx.Document, SectionID: fx.Sections[0], NewSectionID: doc.Sections[0].ID,
		Changed: "The parking fee rise is dropped", Why: "Most comments opposed it", StaffID: 1}))
	mustDo(s.SaveTakeaway(ctx, participation.SurveyTakeaway{ComponentID: fx.Survey, QuestionID: fx.Questions["single"], Text: "Health comes first for most", StaffID: 1}))

	_, _, err = s.SaveResultsReport(ctx, participation.ResultsReport{ProcessID: p, StaffID: 1,
		Summary:   map[string]string{"en": "We heard you on water.\n\nBoreholes come first.", "sw": "Tulisikia kuhusu maji."},
		NextSteps: []participation.NextStep{{Due: "2026-09-01", Text: map[string]string{"en": "Budget to the county assembly", "sw": "Bajeti kwa bunge la kaunti"}}}})
	mustDo(err)
	return selected, rejected, hidden
}

var smallNumber = regexp.MustCompile(`(?:^|[^0-9<,.])([1-4])(?:[^0-9,.]|$)`)

// TestResultsPageTellsWhatWasDecided: until the report is published the
// public page shows figures and charts only, and officials preview the
// rest; published, it tells every decision with its reason and scores
// (never a hidden proposal), the section answered with a link to its new
// text, the survey takeaway and the next steps, in the reader's language,
// without scripts, and no count under five.
func TestResultsPageTellsWhatWasDecided(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		var st stack
		fx := staffwebtest.New(t, b.URL, fullStack(t, 0, &st))
		_, _, _ = seedReport(t, fx)
		p := fx.ProcessA
		anon := fx.Client(t)
		pub := fmt.Sprintf("/results/%d", p)

		draft := anon.Get(pub)
		if draft.Status != http.StatusOK || draft.Has("We heard you on water") || draft.Has("Costs twice") || !draft.Has("Key figures") {
			t.Fatalf("the draft's texts are public, or the figures missing (%d):\n%s", draft.Status, draft.Body)
		}
		official := fx.Client(t)
		official.SetCookie("cp_staff", fx.SignIn(t, "official").Token)
		preview := fmt.Sprintf("/staff/p/%d/results/preview", p)
		if pv := official.Get(preview); pv.Status != http.StatusOK || !pv.Has("this is a draft") || !pv.Has("We heard you on water") {
			t.Fatalf("the official's preview (%d):\n%s", pv.Status, pv.Body)
		}
		for who, want := range map[string]int{"moderator": http.StatusForbidden, "official_b": http.StatusNotFound, "anonymous": http.StatusSeeOther} {
			c := fx.Client(t)
			if who != "anonymous" {
				c.SetCookie("cp_staff", fx.SignIn(t, who).Token)
			}
			if got := c.Get(preview); got.Status != want && !(who == "anonymous" && got.Status == http.StatusUnauthorized) {
				t.Errorf("%s previews: %d, want %d", who, got.Status, want)
			}
		}

		if _, _, err := fx.Store.PublishResults(context.Background(), p, true, fx.People["official"].ID); err != nil {
			t.Fatal(err)
		}
		page := anon.Get(pub)
		for _, want := range []string{"What we heard, what we did", "We heard you on water.", "<p>Boreholes come first.</p>",
			"Boreholes for Kisumu wards", "Within the water budget", "Not selected", "Costs twice the sports budget",
			"Score 85 of 100", "Cost: 4.5 of 5", "Impact: 8 of 10",
			"The parking fee rise is dropped", "Most comments opposed it", "Read the new text: Revenue (revised)",
			"Health comes first for most", "Which sector matters most to you?",
			`<time datetime="2026-09-01">1 September 2026</time>: Budget to the county assembly`} {
			if !page.Has(want) {
				t.Errorf("the published page lacks %q", want)
			}
		}
		// Four proposals: too few for the feedback figures to say anything.
		if page.Has("What became of your input") {
			t.Error("feedback figures over a total under five")
		}
		if page.Has("Decided then hidden") {
			t.Error("a hidden proposal's decision is on the public page")
		}
		if page.Has("<script>") && strings.Contains(page.Body, "<script>") {
			t.Error("an inline script on the page")
		}
		// No count under five: the key figures and the section's comments.
		for _, m := range regexp.MustCompile(`(?s)<ul class="res-figures">(.*?)</ul>`).FindAllStringSubmatch(page.Body, -1) {
			for _, v := range regexp.MustCompile(`<strong>([^<]*)</strong>`).FindAllStringSubmatch(m[1], -1) {
				if smallNumber.MatchString(v[1]) && !strings.Contains(v[1], " of ") {
					t.Errorf("a key figure under five: %q", v[1])
				}
			}
		}
		if !page.Has("Revenue <small>(&lt;5 comments)</small>") {
			t.Error("the answered section's comment count is not suppressed")
		}

		sw := anon.Get(pub + "?lang=sw")
		for _, want := range []string{"Tulichosikia, tulichofanya", "Tulisikia kuhusu maji.", "Gharama: 4.5 kati ya 5", "1 Septemba 2026", "Bajeti kwa bunge la kaunti"} {
			if !sw.Has(want) {
				t.Errorf("the Kiswahili page lacks %q", want)
			}
		}
	})
}

// TestResultsChartsDrawnOnTheServer: a published panel's chart is an SVG
// image on the page (for readers without scripts), served as a document
// that can run nothing; a map is left to its table; an unpublished panel
// has no image.
func TestResultsChartsDrawnOnTheServer(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		var st stack
		fx := staffwebtest.New(t, b.URL, fullStack(t, 0, &st))
		// Enough proposals on one day that the public chart has values.
		for i := range 12 {
			pt, err := fx.Store.CreateParticipant(context.Background(), "047")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := fx.Store.CreateProposal(context.Background(), participation.Proposal{ProcessID: fx.ProcessA, ComponentID: fx.Proposals,
				ParticipantID: pt.ID, Title: fmt.Sprintf("Idea number %d", i), Description: "An idea for the county budget"}); err != nil {
				t.Fatal(err)
			}
		}
		waitFor(t, st, func(n int64) bool { return n >= 12 }, "SELECT count(*) FROM proposals WHERE process_id = ?", fx.ProcessA)
		publish(t, st.wh, fx.ProcessA, "inputs", "regions", "funnel")
		anon := fx.Client(t)
		page := anon.Get(fmt.Sprintf("/results/%d", fx.ProcessA))
		src := fmt.Sprintf("/results/%d/charts/inputs.svg?lang=en", fx.ProcessA)
		if !page.Has(`<img class="chart-svg" src="` + src + `"`) {
			t.Fatalf("no server-drawn chart for the inputs panel:\n%s", page.Body)
		}
		if page.Has(fmt.Sprintf("/results/%d/charts/regions.svg", fx.ProcessA)) {
			t.Error("a map is offered as a drawn chart")
		}
		res, err := http.Get(fx.URL + src)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(res.Header.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("chart: %d %q %q\n%s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Security-Policy"), body)
		}
		dec := xml.NewDecoder(strings.NewReader(string(body)))
		for {
			if _, err := dec.Token(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("the chart is not XML: %v", err)
			}
		}
		if strings.Contains(strings.ToLower(string(body)), "<script") {
			t.Error("a script in the chart")
		}
		for _, path := range []string{"/charts/regions.svg", "/charts/devices.svg", "/charts/inputs.svg?part=3"} {
			if r, err := http.Get(fmt.Sprintf("%s/results/%d%s", fx.URL, fx.ProcessA, path)); err != nil || r.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %v %v", path, r.StatusCode, err)
			} else {
				r.Body.Close()
			}
		}
	})
}

// waitFor polls the warehouse until the count query satisfies ok.
func waitFor(t *testing.T, st stack, ok func(int64) bool, query string, args ...any) {
	t.Helper()
	var n int64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if err := st.wh.Read().QueryRow(query, args...).Scan(&n); err == nil && ok(n) {
			return
		}
	}
	t.Fatalf("the warehouse did not reach %s (last %d)", query, n)
}
