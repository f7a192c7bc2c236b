package sqlstore_test

import (
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// The report is saved as a draft, refused for publication until it speaks
// every language of the process, and each change is one outbox event.
func TestResultsReportDraftPublishWithdraw(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		empty := must(x.s.ResultsReport(x.ctx, x.proc))(t)
		if empty.Published() || len(empty.Summary) != 0 || len(empty.NextSteps) != 0 {
			t.Fatalf("a process without a report: %+v", empty)
		}
		_, err := x.s.ResultsReport(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)

		// Publishing with no summary is refused, and writes nothing.
		n := x.count()
		_, _, err = x.s.PublishResults(x.ctx, x.proc, true, 7)
		wantField(t, err, "summary.en", "err.results_summary")
		if x.count() != n {
			t.Fatal("a refused publication wrote an event")
		}

		draft := participation.ResultsReport{ProcessID: x.proc, StaffID: 7,
			Summary: map[string]string{"en": "  We heard 40 ideas.  ", "fr": "ignored: not a language of the process"},
			NextSteps: []participation.NextStep{
				{Due: "2026-09-01", Text: map[string]string{"en": "Budget to the assembly"}},
				{Due: "2026-06-15", Text: map[string]string{"en": "Tenders open", "sw": "Zabuni zinafunguliwa"}},
				{}, // an empty row of the form
			}}
		saved, w, err := x.s.SaveResultsReport(x.ctx, draft)
		ok(t, err)
		if w.Seq == 0 || saved.Published() || saved.Summary["en"] != "We heard 40 ideas." || saved.Summary["fr"] != "" {
			t.Fatalf("saved %+v (%+v)", saved, w)
		}
		if len(saved.NextSteps) != 2 || saved.NextSteps[0].Due != "2026-06-15" {
			t.Fatalf("next steps not ordered by date, or the empty row kept: %+v", saved.NextSteps)
		}
		if e := x.last(participation.EvResultsSaved); e.ProcessID != x.proc || e.Seq != w.Seq {
			t.Fatalf("saved event %+v", e)
		}
		if got := must(x.s.ResultsReport(x.ctx, x.proc))(t); got.Summary["en"] != saved.Summary["en"] || len(got.NextSteps) != 2 {
			t.Fatalf("read back %+v", got)
		}

		// The Kiswahili summary and one step's text are missing.
		_, _, err = x.s.PublishResults(x.ctx, x.proc, true, 7)
		wantField(t, err, "summary.sw", "err.results_summary")
		wantField(t, err, "next_steps.1.sw", "err.results_step_lang")

		draft.Summary["sw"] = "Tulisikia mawazo 40."
		draft.NextSteps[0].Text["sw"] = "Bajeti kwa bunge la kaunti"
		_, _, err = x.s.SaveResultsReport(x.ctx, draft)
		ok(t, err)
		pub, w, err := x.s.PublishResults(x.ctx, x.proc, true, 7)
		ok(t, err)
		if !pub.Published() || w.Seq == 0 {
			t.Fatalf("published %+v (%+v)", pub, w)
		}
		if pl := payload(t, x.last(participation.EvResultsPublished)); pl["published"] != true {
			t.Fatalf("published event payload %v", pl)
		}
		// Publishing again changes nothing and writes nothing.
		n = x.count()
		_, w, err = x.s.PublishResults(x.ctx, x.proc, true, 7)
		ok(t, err)
		if w.Seq != 0 || x.count() != n {
			t.Fatal("publishing a published report wrote an event")
		}
		// A published report cannot lose a language.
		draft.Summary["sw"] = ""
		_, _, err = x.s.SaveResultsReport(x.ctx, draft)
		wantField(t, err, "summary.sw", "err.results_summary")
		if got := must(x.s.ResultsReport(x.ctx, x.proc))(t); got.Summary["sw"] == "" || !got.Published() {
			t.Fatalf("a refused save changed the report: %+v", got)
		}

		// Bad input.
		_, _, err = x.s.SaveResultsReport(x.ctx, participation.ResultsReport{ProcessID: x.proc,
			NextSteps: []participation.NextStep{{Due: "next spring", Text: map[string]string{"en": "Works"}}, {Due: "2026-07-01"}}})
		wantField(t, err, "next_steps.0.due", "err.date")
		wantField(t, err, "next_steps.1.en", "err.required")
		_, _, err = x.s.SaveResultsReport(x.ctx, participation.ResultsReport{ProcessID: 9999})
		wantCode(t, err, participation.CodeNotFound)

		wd, w, err := x.s.PublishResults(x.ctx, x.proc, false, 7)
		ok(t, err)
		if wd.Published() || w.Seq == 0 {
			t.Fatalf("withdrawn %+v", wd)
		}
	})
}
