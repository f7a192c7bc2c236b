package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// assessmentStatements are the statements of sql/assessment.sql; New
// refuses to start without one.
var assessmentStatements = []string{
	"list-criteria", "get-criterion", "insert-criterion", "update-criterion", "delete-criterion",
	"criterion-process", "criterion-scores-outside", "proposal-process",
	"upsert-score", "list-scores",
	"get-proposal-decision", "insert-proposal-decision", "update-proposal-decision", "list-proposal-decisions",
	"section-component", "upsert-section-response", "list-section-responses",
	"question-component", "upsert-takeaway", "delete-takeaway", "list-takeaways",
	"document-version",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "assessment.sql")
	statementNames = append(statementNames, assessmentStatements...)
	ownerStatement[participation.EntityCriterion] = "criterion-process"
}

var _ participation.Assessment = (*Store)(nil)

// decidedPayload is EvProposalDecided's payload, which messages and the
// ingester read.
type decidedPayload struct {
	From   participation.AssessmentState `json:"from"`
	To     participation.AssessmentState `json:"to"`
	Reason string                        `json:"reason"`
}

type criterionPayload struct {
	Name     string  `json:"name"`
	Weight   float64 `json:"weight"`
	ScaleMin int     `json:"scale_min"`
	ScaleMax int     `json:"scale_max"`
	StaffID  int64   `json:"staff_id"`
}

type scoredPayload struct {
	CriterionID int64 `json:"criterion_id"`
	Score       int   `json:"score"`
	StaffID     int64 `json:"staff_id"`
}

// SaveCriterion adds or updates a criterion with its criterion.set event.
// A scale that would leave existing scores outside it is refused: the
// scores were given on the published scale.
func (s *Store) SaveCriterion(ctx context.Context, c participation.Criterion) (participation.Criterion, error) {
	c, err := c.Normalize()
	if err != nil {
		return c, err
	}
	err = s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, c.ProcessID); err != nil {
			return err
		}
		at := w.now(ctx)
		if c.ID == 0 {
			id, err := w.insertID(ctx, "insert-criterion", c.ProcessID, c.Name, c.Description, c.Weight, c.ScaleMin, c.ScaleMax, c.StaffID, at, c.ProcessID)
			if err != nil {
				return fmt.Errorf("store: unable to add criterion: %w", err)
			}
			c.ID = id
		} else {
			var outside int
			if err := w.get(ctx, &outside, "criterion-scores-outside", c.ID, c.ScaleMin, c.ScaleMax); err != nil {
				return fmt.Errorf("store: unable to check criterion %d's scores: %w", c.ID, err)
			}
			if outside > 0 {
				return participation.Errorf(participation.CodeConflict, "scale_max", "err.scale_scored",
					"%d scores lie outside the new scale", outside)
			}
			n, err := w.exec(ctx, "update-criterion", c.Name, c.Description, c.Weight, c.ScaleMin, c.ScaleMax, c.StaffID, at, c.ID, c.ProcessID)
			if err != nil {
				return fmt.Errorf("store: unable to update criterion %d: %w", c.ID, err)
			}
			if n == 0 {
				return notFound("criterion_id", "criterion")
			}
		}
		if err := w.get(ctx, &c, "get-criterion", c.ID); err != nil {
			return fmt.Errorf("store: unable to read criterion %d back: %w", c.ID, err)
		}
		c.UpdatedAt = c.UpdatedAt.UTC()
		_, err := w.decisionEvent(ctx, event{typ: participation.EvCriterionSet, processID: c.ProcessID, entityID: c.ID,
			payload: criterionPayload{c.Name, c.Weight, c.ScaleMin, c.ScaleMax, c.StaffID}})
		return err
	})
	if err != nil {
		return participation.Criterion{}, err
	}
	return c, nil
}

// DeleteCriterion removes a criterion of the process and its scores.
func (s *Store) DeleteCriterion(ctx context.Context, processID, criterionID, staffID int64) error {
	return s.write(ctx, func(w *Store) error {
		n, err := w.exec(ctx, "delete-criterion", criterionID, processID)
		if err != nil {
			return fmt.Errorf("store: unable to delete criterion %d: %w", criterionID, err)
		}
		if n == 0 {
			return notFound("criterion_id", "criterion")
		}
		_, err = w.decisionEvent(ctx, event{typ: participation.EvCriterionDeleted, processID: processID, entityID: criterionID,
			payload: struct {
				StaffID int64 `json:"staff_id"`
			}{staffID}})
		return err
	})
}

// Criteria lists a process's criteria in position order.
func (s *Store) Criteria(ctx context.Context, processID int64) ([]participation.Criterion, error) {
	var out []participation.Criterion
	if err := s.sel(ctx, &out, "list-criteria", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list criteria: %w", err)
	}
	for i := range out {
		out[i].UpdatedAt = out[i].UpdatedAt.UTC()
	}
	return out, nil
}

// proposalProcess returns the process of a proposal (CodeNotFound).
func (s *Store) proposalProcess(ctx context.Context, proposalID int64) (int64, error) {
	var pid int64
	if err := s.get(ctx, &pid, "proposal-process", proposalID); err != nil {
		if noRows(err) {
			return 0, notFound("proposal_id", "proposal")
		}
		return 0, fmt.Errorf("store: unable to find proposal %d: %w", proposalID, err)
	}
	return pid, nil
}

// SaveScore records an assessor's score with its proposal.scored event.
func (s *Store) SaveScore(ctx context.Context, sc participation.Score) error {
	return s.write(ctx, func(w *Store) error {
		pid, err := w.proposalProcess(ctx, sc.ProposalID)
		if err != nil {
			return err
		}
		var c participation.Criterion
		if err := w.get(ctx, &c, "get-criterion", sc.CriterionID); err != nil {
			if noRows(err) {
				return notFound("criterion_id", "criterion")
			}
			return fmt.Errorf("store: unable to read criterion %d: %w", sc.CriterionID, err)
		}
		if c.ProcessID != pid {
			return notFound("criterion_id", "criterion")
		}
		if err := participation.CheckScore(c, sc); err != nil {
			return err
		}
		if _, err := w.exec(ctx, "upsert-score", sc.ProposalID, sc.CriterionID, sc.StaffID, sc.Score, sc.Note, w.now(ctx)); err != nil {
			return fmt.Errorf("store: unable to save score: %w", err)
		}
		_, err = w.decisionEvent(ctx, event{typ: participation.EvProposalScored, processID: pid, entityID: sc.ProposalID,
			payload: scoredPayload{sc.CriterionID, sc.Score, sc.StaffID}})
		return err
	})
}

// Scores lists the scores of a process's proposals.
func (s *Store) Scores(ctx context.Context, processID int64) ([]participation.Score, error) {
	var out []participation.Score
	if err := s.sel(ctx, &out, "list-scores", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list scores: %w", err)
	}
	for i := range out {
		out[i].ScoredAt = out[i].ScoredAt.UTC()
	}
	return out, nil
}

// Decide moves a proposal along the assessment state machine with its
// proposal.decided event.
func (s *Store) Decide(ctx context.Context, proposalID int64, from, to participation.AssessmentState, reason string, staffID int64) (participation.ProposalDecision, error) {
	var out participation.ProposalDecision
	err := s.write(ctx, func(w *Store) error {
		pid, err := w.proposalProcess(ctx, proposalID)
		if err != nil {
			return err
		}
		cur, err := w.Decision(ctx, proposalID)
		if err != nil {
			return err
		}
		if cur.State != from {
			return participation.Errorf(participation.CodeConflict, "state", "err.decided_meanwhile",
				"the proposal is %s now, not %s", cur.State, from)
		}
		if err := participation.CheckDecision(from, to, reason); err != nil {
			return err
		}
		at := w.now(ctx)
		if from == participation.AssessSubmitted {
			_, err = w.exec(ctx, "insert-proposal-decision", proposalID, pid, string(to), reason, staffID, at)
			if isUnique(err) {
				return participation.Errorf(participation.CodeConflict, "state", "err.decided_meanwhile", "the proposal was decided meanwhile")
			}
		} else {
			var n int64
			n, err = w.exec(ctx, "update-proposal-decision", string(to), reason, staffID, at, proposalID, string(from))
			if err == nil && n == 0 {
				return participation.Errorf(participation.CodeConflict, "state", "err.decided_meanwhile", "the proposal was decided meanwhile")
			}
		}
		if err != nil {
			return fmt.Errorf("store: unable to decide proposal %d: %w", proposalID, err)
		}
		out = participation.ProposalDecision{ProposalID: proposalID, ProcessID: pid, State: to, Reason: reason, StaffID: staffID, DecidedAt: at.UTC()}
		return w.emit(ctx, event{typ: participation.EvProposalDecided, processID: pid, entityID: proposalID,
			payload: decidedPayload{from, to, reason}})
	})
	if err != nil {
		return participation.ProposalDecision{}, err
	}
	return out, nil
}

// Decision returns a proposal's current state.
func (s *Store) Decision(ctx context.Context, proposalID int64) (participation.ProposalDecision, error) {
	var d participation.ProposalDecision
	if err := s.get(ctx, &d, "get-proposal-decision", proposalID); err != nil {
		if !noRows(err) {
			return d, fmt.Errorf("store: unable to read proposal %d's decision: %w", proposalID, err)
		}
		pid, err := s.proposalProcess(ctx, proposalID)
		if err != nil {
			return d, err
		}
		return participation.ProposalDecision{ProposalID: proposalID, ProcessID: pid, State: participation.AssessSubmitted}, nil
	}
	d.DecidedAt = d.DecidedAt.UTC()
	return d, nil
}

// ProposalDecisions lists the decided proposals of a process.
func (s *Store) ProposalDecisions(ctx context.Context, processID int64) ([]participation.ProposalDecision, error) {
	var out []participation.ProposalDecision
	if err := s.sel(ctx, &out, "list-proposal-decisions", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list decisions: %w", err)
	}
	for i := range out {
		out[i].DecidedAt = out[i].DecidedAt.UTC()
	}
	return out, nil
}

// componentOf returns the component of a section or question (CodeNotFound).
func (s *Store) componentOf(ctx context.Context, stmt string, id int64, field string) (int64, error) {
	var cid int64
	if err := s.get(ctx, &cid, stmt, id); err != nil {
		if noRows(err) {
			return 0, notFound(field, field)
		}
		return 0, fmt.Errorf("store: unable to find %s %d: %w", field, id, err)
	}
	return cid, nil
}

// SaveSectionResponse records "you said / we did" on a section with its
// section.responded event; the new section must be one of the same
// document's.
func (s *Store) SaveSectionResponse(ctx context.Context, r participation.SectionResponse) error {
	r, err := r.Normalize()
	if err != nil {
		return err
	}
	return s.write(ctx, func(w *Store) error {
		cid, err := w.componentOf(ctx, "section-component", r.SectionID, "section_id")
		if err != nil {
			return err
		}
		if cid != r.ComponentID {
			return notFound("section_id", "section")
		}
		if r.NewSectionID != 0 {
			ncid, err := w.componentOf(ctx, "section-component", r.NewSectionID, "new_section_id")
			if err != nil {
				return err
			}
			if ncid != cid {
				return notFound("new_section_id", "section")
			}
		}
		c, err := w.GetComponent(ctx, cid)
		if err != nil {
			return err
		}
		if _, err := w.exec(ctx, "upsert-section-response", r.SectionID, cid, r.NewSectionID, r.Changed, r.Why, r.StaffID, w.now(ctx)); err != nil {
			return fmt.Errorf("store: unable to save the section response: %w", err)
		}
		_, err = w.decisionEvent(ctx, event{typ: participation.EvSectionResponded, processID: c.ProcessID, componentID: cid, entityID: r.SectionID,
			payload: struct {
				SectionID    int64 `json:"section_id"`
				NewSectionID int64 `json:"new_section_id"`
				StaffID      int64 `json:"staff_id"`
			}{r.SectionID, r.NewSectionID, r.StaffID}})
		return err
	})
}

// SectionResponses lists a document's responses by section id.
func (s *Store) SectionResponses(ctx context.Context, componentID int64) ([]participation.SectionResponse, error) {
	var out []participation.SectionResponse
	if err := s.sel(ctx, &out, "list-section-responses", componentID); err != nil {
		return nil, fmt.Errorf("store: unable to list section responses: %w", err)
	}
	for i := range out {
		out[i].UpdatedAt = out[i].UpdatedAt.UTC()
	}
	return out, nil
}

// SaveTakeaway records a survey takeaway with its survey.takeaway event;
// an empty text removes it.
func (s *Store) SaveTakeaway(ctx context.Context, t participation.SurveyTakeaway) error {
	t, err := t.Normalize()
	if err != nil {
		return err
	}
	return s.write(ctx, func(w *Store) error {
		c, err := w.GetComponent(ctx, t.ComponentID)
		if err != nil {
			return err
		}
		if c.Kind != participation.KindSurvey {
			return notFound("component_id", "survey")
		}
		if t.QuestionID != 0 {
			cid, err := w.componentOf(ctx, "question-component", t.QuestionID, "question_id")
			if err != nil {
				return err
			}
			if cid != c.ID {
				return notFound("question_id", "question")
			}
		}
		if t.Text == "" {
			_, err = w.exec(ctx, "delete-takeaway", c.ID, t.Page, t.QuestionID)
		} else {
			_, err = w.exec(ctx, "upsert-takeaway", c.ID, t.Page, t.QuestionID, t.Text, t.StaffID, w.now(ctx))
		}
		if err != nil {
			return fmt.Errorf("store: unable to save the takeaway: %w", err)
		}
		_, err = w.decisionEvent(ctx, event{typ: participation.EvSurveyTakeawaySet, processID: c.ProcessID, componentID: c.ID, entityID: t.QuestionID,
			payload: struct {
				Page       int   `json:"page"`
				QuestionID int64 `json:"question_id"`
				StaffID    int64 `json:"staff_id"`
			}{t.Page, t.QuestionID, t.StaffID}})
		return err
	})
}

// Takeaways lists a survey's takeaways, pages first.
func (s *Store) Takeaways(ctx context.Context, componentID int64) ([]participation.SurveyTakeaway, error) {
	var out []participation.SurveyTakeaway
	if err := s.sel(ctx, &out, "list-takeaways", componentID); err != nil {
		return nil, fmt.Errorf("store: unable to list takeaways: %w", err)
	}
	for i := range out {
		out[i].UpdatedAt = out[i].UpdatedAt.UTC()
	}
	return out, nil
}

// DocumentVersion returns one version of a document with its sections (the
// one citizens commented on, which the section responses answer).
func (s *Store) DocumentVersion(ctx context.Context, componentID int64, version int) (participation.Document, error) {
	var d participation.Document
	if err := s.get(ctx, &d, "document-version", componentID, version); err != nil {
		if noRows(err) {
			return d, notFound("version", "document version")
		}
		return d, fmt.Errorf("store: unable to get document version %d: %w", version, err)
	}
	d.CreatedAt = d.CreatedAt.UTC()
	if err := s.sel(ctx, &d.Sections, "list-sections", componentID, d.Version); err != nil {
		return d, fmt.Errorf("store: unable to list sections: %w", err)
	}
	return d, nil
}
