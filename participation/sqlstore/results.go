package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "results.sql")
	statementNames = append(statementNames, "get-results-report", "upsert-results-report")
}

var _ participation.Results = (*Store)(nil)

// resultsRow is a results_reports row; the texts are JSON, edited and
// read as a whole.
type resultsRow struct {
	ProcessID   int64      `db:"process_id"`
	Summary     string     `db:"summary"`
	NextSteps   string     `db:"next_steps"`
	PublishedAt *time.Time `db:"published_at"`
	StaffID     int64      `db:"staff_id"`
	UpdatedAt   time.Time  `db:"updated_at"`
}

type resultsPayload struct {
	StaffID   int64 `json:"staff_id"`
	Published bool  `json:"published"`
}

// ResultsReport returns a process's report, an empty draft when none was
// written.
func (s *Store) ResultsReport(ctx context.Context, processID int64) (participation.ResultsReport, error) {
	if err := s.processExists(ctx, processID); err != nil {
		return participation.ResultsReport{}, err
	}
	return s.resultsReport(ctx, processID)
}

// PublishedResults lists the processes whose report is public.
func (s *Store) PublishedResults(ctx context.Context) (map[int64]bool, error) {
	var ids []int64
	if err := s.sel(ctx, &ids, "list-published-results"); err != nil {
		return nil, fmt.Errorf("store: unable to list published results: %w", err)
	}
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

func (s *Store) resultsReport(ctx context.Context, processID int64) (participation.ResultsReport, error) {
	out := participation.ResultsReport{ProcessID: processID, Summary: map[string]string{}}
	var row resultsRow
	if err := s.get(ctx, &row, "get-results-report", processID); err != nil {
		if noRows(err) {
			return out, nil
		}
		return out, fmt.Errorf("store: unable to read the results report: %w", err)
	}
	if err := json.Unmarshal([]byte(row.Summary), &out.Summary); err != nil {
		return out, fmt.Errorf("store: results report %d: summary: %w", processID, err)
	}
	if err := json.Unmarshal([]byte(row.NextSteps), &out.NextSteps); err != nil {
		return out, fmt.Errorf("store: results report %d: next steps: %w", processID, err)
	}
	if row.PublishedAt != nil {
		at := row.PublishedAt.UTC()
		out.PublishedAt = &at
	}
	out.StaffID, out.UpdatedAt = row.StaffID, row.UpdatedAt.UTC()
	return out, nil
}

// SaveResultsReport stores the texts with a results.saved event; a
// published report stays published, so it must stay publishable.
func (s *Store) SaveResultsReport(ctx context.Context, r participation.ResultsReport) (participation.ResultsReport, participation.Written, error) {
	var out participation.ResultsReport
	var wr participation.Written
	err := s.write(ctx, func(w *Store) error {
		p, err := w.GetProcess(ctx, r.ProcessID, false)
		if err != nil {
			return err
		}
		n, err := r.Normalize(p.Languages)
		if err != nil {
			return err
		}
		old, err := w.resultsReport(ctx, r.ProcessID)
		if err != nil {
			return err
		}
		if old.Published() {
			if err := n.Publishable(p.Languages); err != nil {
				return err
			}
		}
		n.PublishedAt, n.StaffID = old.PublishedAt, r.StaffID
		if err := w.putResults(ctx, n); err != nil {
			return err
		}
		wr.Seq, err = w.decisionEvent(ctx, event{typ: participation.EvResultsSaved, processID: r.ProcessID, entityID: r.ProcessID,
			payload: resultsPayload{StaffID: r.StaffID, Published: old.Published()}})
		if err != nil {
			return err
		}
		out, err = w.resultsReport(ctx, r.ProcessID)
		return err
	})
	return out, wr, err
}

// PublishResults makes the report public or withdraws it, with a
// results.published event; no change, no event.
func (s *Store) PublishResults(ctx context.Context, processID int64, publish bool, staffID int64) (participation.ResultsReport, participation.Written, error) {
	var out participation.ResultsReport
	var wr participation.Written
	err := s.write(ctx, func(w *Store) error {
		p, err := w.GetProcess(ctx, processID, false)
		if err != nil {
			return err
		}
		r, err := w.resultsReport(ctx, processID)
		if err != nil {
			return err
		}
		out = r
		if r.Published() == publish {
			return nil
		}
		if publish {
			if err := r.Publishable(p.Languages); err != nil {
				return err
			}
			at := w.now(ctx)
			r.PublishedAt = &at
		} else {
			r.PublishedAt = nil
		}
		r.StaffID = staffID
		if err := w.putResults(ctx, r); err != nil {
			return err
		}
		wr.Seq, err = w.decisionEvent(ctx, event{typ: participation.EvResultsPublished, processID: processID, entityID: processID,
			payload: resultsPayload{StaffID: staffID, Published: publish}})
		if err != nil {
			return err
		}
		out, err = w.resultsReport(ctx, processID)
		return err
	})
	return out, wr, err
}

func (s *Store) putResults(ctx context.Context, r participation.ResultsReport) error {
	summary, err := json.Marshal(r.Summary)
	if err != nil {
		return err
	}
	if r.NextSteps == nil {
		r.NextSteps = []participation.NextStep{}
	}
	steps, err := json.Marshal(r.NextSteps)
	if err != nil {
		return err
	}
	if _, err := s.exec(ctx, "upsert-results-report", r.ProcessID, string(summary), string(steps), r.PublishedAt, r.StaffID, s.now(ctx)); err != nil {
		return fmt.Errorf("store: unable to store the results report: %w", err)
	}
	return nil
}
