package notify_test

import (
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
)

// TestResultsReportTellsFollowers: publishing "what we heard, what we did"
// tells the process's registered participants once, in their language,
// with a link to the results page (not those who withdrew or asked
// never to hear of results); withdrawing it and publishing it again
// the same day tell nobody more.
func TestResultsReportTellsFollowers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		w := newWorld(t, b)
		ctx, s := w.ctx, w.s
		w.register()
		w.ok(w.svc.SetPreference(ctx, w.people["never"], notify.KindResults, notify.Never))
		w.dispatcher()
		w.catchUp()
		must3(t)(s.SaveResultsReport(ctx, participation.ResultsReport{ProcessID: w.proc,
			Summary: map[string]string{"en": "We heard you.", "sw": "Tulikusikia."}}))
		w.catchUp()
		w.drain()
		if n := len(w.deliveries()); n != 0 {
			t.Fatalf("%d messages about a draft", n)
		}
		must3(t)(s.PublishResults(ctx, w.proc, true, 1))
		must3(t)(s.PublishResults(ctx, w.proc, false, 1))
		must3(t)(s.PublishResults(ctx, w.proc, true, 1))
		w.catchUp()
		w.drain()
		got := w.deliveries()
		for _, n := range []string{"amina", "baraka", "chege"} {
			lang := "en"
			if n == "baraka" {
				lang = "sw"
			}
			if st := got[sentMessage{w.people[n], string(notify.KindResults), lang}]; st != "sent" {
				t.Errorf("%s: results message %q", n, st)
			}
		}
		if len(got) != 3 {
			t.Errorf("%d deliveries, want 3 (one each, whatever the publications): %v", len(got), got)
		}
		for _, m := range w.smtp.Mails() {
			if !strings.Contains(string(m.Data), "/results/") {
				t.Errorf("a results mail without the results page's link:\n%s", m.Data)
			}
		}
	})
}

func must3(t *testing.T) func(participation.ResultsReport, participation.Written, error) {
	return func(_ participation.ResultsReport, _ participation.Written, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
}
