package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestCriteriaAndDecisionsOnCitizenPages: the process page publishes the
// assessment criteria (translated), and a proposal's page says where it
// stands and why, in English and Kiswahili, without JavaScript.
func TestCriteriaAndDecisionsOnCitizenPages(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		cr, err := fx.Store.SaveCriterion(ctx, participation.Criterion{ProcessID: fx.Open.ID, Name: "Cost", Description: "What it costs the county", Weight: 2, ScaleMin: 1, ScaleMax: 5})
		if err != nil {
			t.Fatal(err)
		}
		b := newBrowser(t, fx)
		p := b.get("/p/budget-2026")
		want(t, p.Status, http.StatusOK, p.Body)
		crit := between(t, p.Body, `id="h-criteria"`, "</section>")
		for _, s := range []string{"Cost", "What it costs the county", "scored 1 to 5", "weight 2"} {
			if !strings.Contains(crit, s) {
				t.Errorf("the process page's criteria lack %q:\n%s", s, crit)
			}
		}
		{ // the fixture's process speaks English and Kiswahili
			if err := fx.Store.SetTranslations(ctx, fx.Open.ID, []participation.Translation{{Entity: participation.EntityCriterion, EntityID: cr.ID, Field: "name", Lang: "sw", Text: "Gharama"}}); err != nil {
				t.Fatal(err)
			}
			p = b.get("/p/budget-2026?lang=sw")
			if crit := between(t, p.Body, `id="h-criteria"`, "</section>"); !strings.Contains(crit, "Gharama") || !strings.Contains(crit, "alama 1 hadi 5") {
				t.Errorf("the criteria in Kiswahili:\n%s", crit)
			}
		}

		proposal := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		p = b.get(proposal + "?lang=en")
		if !strings.Contains(p.Body, "Where it stands: <strong>Submitted</strong>") || strings.Contains(p.Body, `id="decision-reason"`) {
			t.Fatalf("a proposal never decided:\n%s", between(t, p.Body, "<h1>", "</article>"))
		}
		if _, err := fx.Store.Decide(ctx, fx.Proposal, participation.AssessSubmitted, participation.AssessUnderAssessment, "", 1); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.Store.Decide(ctx, fx.Proposal, participation.AssessUnderAssessment, participation.AssessNeedsMoreStudy, "We need the water table survey first", 1); err != nil {
			t.Fatal(err)
		}
		p = b.get(proposal + "?lang=en")
		body := html.UnescapeString(p.Body)
		if !strings.Contains(body, "<strong>Needs more study</strong>") || !strings.Contains(body, "We need the water table survey first") {
			t.Fatalf("the decision is not on the proposal page:\n%s", between(t, body, "<h1>", "</article>"))
		}
		p = b.get(proposal + "?lang=sw")
		if !strings.Contains(p.Body, "Linahitaji uchunguzi zaidi") || !strings.Contains(p.Body, "Sababu ya maafisa:") {
			t.Fatal("the decision is not in Kiswahili")
		}
	})
}
