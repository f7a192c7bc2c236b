package workspace_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestResultsReportForms: an official writes the summary and next steps,
// a bad date is refused with every typed text kept, publishing is refused
// until each language is written, then published and withdrawn, each
// audited; a moderator cannot, another process's official gets 404.
func TestResultsReportForms(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		P := fmt.Sprintf("/staff/processes/%d", fx.ProcessA)
		langs := fx.process(t, fx.ProcessA).Languages
		if len(langs) < 2 {
			t.Fatalf("process A speaks %v: the test needs two languages", langs)
		}
		first, second := langs[0], langs[1]
		off := fx.browser(t, "official")
		pg := off.open(P + "/results")
		if !strings.Contains(pg.Body, `name="summary.`+second+`"`) || !strings.Contains(pg.Body, `name="next_steps.2.due"`) {
			t.Fatal("the editor lacks a summary per language or the blank step rows")
		}

		v := url.Values{"rows": {"3"}, "summary." + first: {"We heard 40 ideas; 12 were selected."},
			"next_steps.0.due": {"next spring"}, "next_steps.0." + first: {"Budget to the assembly"}}
		pg = off.submit(P+"/results", P+"/results", v)
		wantRefused(t, pg, http.StatusUnprocessableEntity, "year-month-day", "a date that is not one")
		if !strings.Contains(pg.Body, "We heard 40 ideas; 12 were selected.") || !strings.Contains(pg.Body, `value="Budget to the assembly"`) {
			t.Fatal("the refused form lost what was typed")
		}

		v.Set("next_steps.0.due", "2026-09-01")
		wantRedirect(t, off.submit(P+"/results", P+"/results", v), P+"/results?done=saved", "save the draft")
		pg = off.submit(P+"/results", P+"/results/publish", url.Values{"publish": {"1"}})
		wantRefused(t, pg, http.StatusUnprocessableEntity, "cannot be published yet", "publish without the second language")
		if !strings.Contains(pg.Body, "We heard 40 ideas") {
			t.Fatal("the refused publication does not show the stored summary")
		}

		v.Set("summary."+second, "Tulisikia mawazo 40; 12 yalichaguliwa.")
		v.Set("next_steps.0."+second, "Bajeti kwa bunge la kaunti")
		wantRedirect(t, off.submit(P+"/results", P+"/results", v), P+"/results", "save both languages")
		wantRedirect(t, off.submit(P+"/results", P+"/results/publish", url.Values{"publish": {"1"}}), P+"/results?done=results_published", "publish")
		rep, err := fx.Store.ResultsReport(fx.ctx, fx.ProcessA)
		must(t, err)
		if !rep.Published() || rep.Summary[second] == "" || len(rep.NextSteps) != 1 || rep.NextSteps[0].Due != "2026-09-01" {
			t.Fatalf("stored report %+v", rep)
		}
		if pg := off.open(P + "/results"); !strings.Contains(pg.Body, "/results/"+fmt.Sprint(fx.ProcessA)) {
			t.Fatal("the editor of a published report does not link the public page")
		}
		wantRedirect(t, off.submit(P+"/results", P+"/results/publish", url.Values{"publish": {"0"}}), P+"/results?done=results_withdrawn", "withdraw")
		acts := fx.actions(t, fx.ProcessA)
		if acts["results.save"] != 2 || acts["results.publish"] != 1 || acts["results.withdraw"] != 1 {
			t.Fatalf("audited %v", acts)
		}

		// Roles: a moderator may not write the report; another process's
		// official does not see it exists.
		if pg := fx.browser(t, "moderator").Get(P + "/results"); pg.Status != http.StatusForbidden {
			t.Fatalf("moderator: %d", pg.Status)
		}
		if pg := fx.browser(t, "official_b").Get(P + "/results"); pg.Status != http.StatusNotFound {
			t.Fatalf("official of another process: %d", pg.Status)
		}
	})
}
