package participation

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// "What we heard, what we did" (GovStack INST-3 step 6): the officials'
// account of a process, which the public results page shows beside the
// figures, the decisions on proposals and the answers to the document and
// the survey. The report is written in every language of the process and
// published as a whole; until then staff preview it.

// Results events. The warehouse keeps neither: the page reads the report
// from the store; messages follow EvResultsPublished.
const (
	EvResultsSaved     EventType = "results.saved"     // {"staff_id"}
	EvResultsPublished EventType = "results.published" // {"staff_id","published"}
)

// Limits of the report, in runes and steps.
const (
	ResultsSummaryMax = 10000
	NextStepTextMax   = 500
	NextStepsMax      = 20
)

// NextStep is one thing that happens after the process, with its date and
// its text in each language.
type NextStep struct {
	Due  string            `json:"due"` // YYYY-MM-DD, the process's local date
	Text map[string]string `json:"text"`
}

// ResultsReport is the officials' account of a process: a summary and the
// next steps in each of its languages. PublishedAt is set while the report
// is public.
type ResultsReport struct {
	ProcessID   int64             `json:"process_id"`
	Summary     map[string]string `json:"summary"`
	NextSteps   []NextStep        `json:"next_steps"`
	PublishedAt *time.Time        `json:"published_at,omitempty"`
	StaffID     int64             `json:"-"`
	UpdatedAt   time.Time         `json:"updated_at"`
}

// Published reports whether the report is public.
func (r ResultsReport) Published() bool { return r.PublishedAt != nil }

// SummaryIn is the summary in lang, else in the first language (fallback
// true, so a page can mark the text as shown in another language).
func (r ResultsReport) SummaryIn(lang string, langs []string) (string, bool) {
	return textIn(r.Summary, lang, langs)
}

// TextIn is the step's text in lang, else in the first language.
func (s NextStep) TextIn(lang string, langs []string) (string, bool) {
	return textIn(s.Text, lang, langs)
}

func textIn(m map[string]string, lang string, langs []string) (string, bool) {
	if t := m[lang]; t != "" {
		return t, false
	}
	if len(langs) > 0 && m[langs[0]] != "" {
		return m[langs[0]], lang != langs[0]
	}
	for _, l := range langs {
		if t := m[l]; t != "" {
			return t, true
		}
	}
	return "", false
}

// Normalize trims the texts, drops empty steps and texts in languages the
// process does not have, orders the steps by date and checks the limits.
// A draft may lack texts; Publishable says what a public report needs.
func (r ResultsReport) Normalize(langs []string) (ResultsReport, error) {
	var v ValidationErrors
	summary := map[string]string{}
	for _, l := range langs {
		s := strings.TrimSpace(r.Summary[l])
		if s == "" {
			continue
		}
		if utf8.RuneCountInString(s) > ResultsSummaryMax {
			v.Add("summary."+l, "err.too_long", "must be at most %d characters", ResultsSummaryMax)
		}
		summary[l] = s
	}
	r.Summary = summary
	var steps []NextStep
	for i, s := range r.NextSteps {
		text := map[string]string{}
		for _, l := range langs {
			if t := strings.TrimSpace(s.Text[l]); t != "" {
				text[l] = t
				if utf8.RuneCountInString(t) > NextStepTextMax {
					v.Add(stepField(i, l), "err.too_long", "must be at most %d characters", NextStepTextMax)
				}
			}
		}
		due := strings.TrimSpace(s.Due)
		if due == "" && len(text) == 0 {
			continue
		}
		if _, err := time.Parse(time.DateOnly, due); err != nil {
			v.Add(stepField(i, "due"), "err.date", "must be a date (YYYY-MM-DD)")
		}
		if len(langs) > 0 && text[langs[0]] == "" {
			v.Add(stepField(i, langs[0]), "err.required", "say what happens")
		}
		steps = append(steps, NextStep{Due: due, Text: text})
	}
	if len(steps) > NextStepsMax {
		v.Add("next_steps", "err.too_many", "at most %d next steps", NextStepsMax)
	}
	slices.SortStableFunc(steps, func(a, b NextStep) int { return strings.Compare(a.Due, b.Due) })
	r.NextSteps = steps
	return r, v.Err()
}

func stepField(i int, f string) string { return "next_steps." + strconv.Itoa(i) + "." + f }

// Publishable refuses a report without a summary in each of the process's
// languages, or a next step without its text in each: citizens read the
// page in their own.
func (r ResultsReport) Publishable(langs []string) error {
	var v ValidationErrors
	for _, l := range langs {
		if r.Summary[l] == "" {
			v.Add("summary."+l, "err.results_summary", "write the summary in %s before publishing", l)
		}
	}
	for i, s := range r.NextSteps {
		for _, l := range langs {
			if s.Text[l] == "" {
				v.Add(stepField(i, l), "err.results_step_lang", "write this step in %s before publishing", l)
			}
		}
	}
	return v.Err()
}

// Results is the store's part for the report. Writes check that the
// process exists (CodeNotFound) and append their outbox event in the same
// transaction.
type Results interface {
	// ResultsReport returns the report (an empty draft when none was
	// written).
	ResultsReport(ctx context.Context, processID int64) (ResultsReport, error)
	// PublishedResults lists the processes whose report is public, so a
	// page listing many processes reads once, not once per process.
	PublishedResults(ctx context.Context) (map[int64]bool, error)
	// SaveResultsReport stores the texts, keeping the report published or
	// not as it was; a published report must stay publishable.
	SaveResultsReport(ctx context.Context, r ResultsReport) (ResultsReport, Written, error)
	// PublishResults makes the report public (Publishable first) or
	// withdraws it; a change of nothing writes no event (Seq 0).
	PublishResults(ctx context.Context, processID int64, publish bool, staffID int64) (ResultsReport, Written, error)
}
