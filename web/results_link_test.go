package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestResultsLinkedOncePublished: the home page and the process page link
// "what we heard, what we did" once the report is published, not before
// and not after it is withdrawn, in English and Kiswahili.
func TestResultsLinkedOncePublished(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		ctx := context.Background()
		b := newBrowser(t, fx)
		link := fmt.Sprintf(`href="/results/%d"`, fx.Open.ID)
		linked := func(path string) bool {
			t.Helper()
			p := b.get(path)
			want(t, p.Status, http.StatusOK, p.Body)
			return strings.Contains(p.Body, link)
		}
		if linked("/?lang=en") || linked("/p/budget-2026") {
			t.Fatal("an unpublished report is linked")
		}
		if _, _, err := fx.Store.SaveResultsReport(ctx, participation.ResultsReport{ProcessID: fx.Open.ID,
			Summary: map[string]string{"en": "We heard you.", "sw": "Tulikusikia."}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := fx.Store.PublishResults(ctx, fx.Open.ID, true, 1); err != nil {
			t.Fatal(err)
		}
		if !linked("/?lang=en") || !linked("/p/budget-2026") {
			t.Fatal("the published report is not linked from the home and process pages")
		}
		if got, err := fx.Store.PublishedResults(ctx); err != nil || len(got) != 1 || !got[fx.Open.ID] {
			t.Fatalf("published results %v, %v; want only process %d", got, err, fx.Open.ID)
		}
		if p := b.get("/p/budget-2026?lang=sw"); !strings.Contains(p.Body, "Tulichosikia, tulichofanya") {
			t.Error("the process page's link in Kiswahili")
		}
		if _, _, err := fx.Store.PublishResults(ctx, fx.Open.ID, false, 1); err != nil {
			t.Fatal(err)
		}
		if linked("/?lang=en") || linked("/p/budget-2026?lang=en") {
			t.Fatal("a withdrawn report is still linked")
		}
		if got, err := fx.Store.PublishedResults(ctx); err != nil || len(got) != 0 {
			t.Fatalf("published results after withdrawal %v, %v", got, err)
		}
	})
}
