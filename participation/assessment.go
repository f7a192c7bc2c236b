package participation

import (
	"context"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Assessment (GovStack INST-3 steps 5 and 6): officials score proposals
// against criteria published beforehand, move each proposal through an
// explicit state machine and say why; for a document they answer section by
// section ("you said / we did"), for a survey they write what they take
// from each question or page. Every write is a store write with its outbox
// event (invariant 4); the decisions reach the warehouse through
// EvProposalDecided.

// Assessment events other than EvProposalDecided (model.go). The warehouse
// keeps none of them yet; they are in the outbox so that a reader (the
// results page rebuild, messages) can follow what officials did.
const (
	EvCriterionSet      EventType = "criterion.set"     // {"name","weight","scale_min","scale_max"}
	EvCriterionDeleted  EventType = "criterion.deleted" // {}
	EvProposalScored    EventType = "proposal.scored"   // {"criterion_id","score"}
	EvSectionResponded  EventType = "section.responded" // {"section_id","new_section_id"}
	EvSurveyTakeawaySet EventType = "survey.takeaway"   // {"page","question_id"}
)

// EntityCriterion names a criterion's texts among the translations.
const EntityCriterion EntityKind = "criterion"

// AssessmentState is where a proposal stands in its assessment.
type AssessmentState string

const (
	AssessSubmitted        AssessmentState = "submitted"
	AssessUnderAssessment  AssessmentState = "under_assessment"
	AssessSelected         AssessmentState = "selected"
	AssessNotSelected      AssessmentState = "not_selected"
	AssessNeedsMoreStudy   AssessmentState = "needs_more_study"
	AssessInImplementation AssessmentState = "in_implementation"
	AssessImplemented      AssessmentState = "implemented"
)

// AssessmentStates lists every state in the order of the machine.
var AssessmentStates = []AssessmentState{AssessSubmitted, AssessUnderAssessment, AssessSelected, AssessNotSelected,
	AssessNeedsMoreStudy, AssessInImplementation, AssessImplemented}

// assessmentMoves is the whole state machine. A proposal that needs more
// study goes back under assessment or is decided from there; "not
// selected" and "implemented" are final.
var assessmentMoves = map[AssessmentState][]AssessmentState{
	AssessSubmitted:        {AssessUnderAssessment},
	AssessUnderAssessment:  {AssessSelected, AssessNotSelected, AssessNeedsMoreStudy},
	AssessNeedsMoreStudy:   {AssessUnderAssessment, AssessSelected, AssessNotSelected},
	AssessSelected:         {AssessInImplementation},
	AssessInImplementation: {AssessImplemented},
}

// NextAssessmentStates lists the states a proposal in s may move to.
func NextAssessmentStates(s AssessmentState) []AssessmentState {
	return slices.Clone(assessmentMoves[s])
}

// CanMove reports whether the machine allows from → to.
func CanMove(from, to AssessmentState) bool { return slices.Contains(assessmentMoves[from], to) }

// NeedsReason reports whether moving to s needs a public reason.
func NeedsReason(s AssessmentState) bool { return s == AssessNotSelected || s == AssessNeedsMoreStudy }

// IsDecided reports whether s is a decision (the feedback-loop figures
// count proposals past assessment).
func IsDecided(s AssessmentState) bool {
	switch s {
	case AssessSelected, AssessNotSelected, AssessNeedsMoreStudy, AssessInImplementation, AssessImplemented:
		return true
	}
	return false
}

// Limits of the assessment texts, in runes.
const (
	CriterionNameMax = 120
	AssessTextMax    = 2000
	ScaleBound       = 1000
	WeightMax        = 100
)

// Criterion is one criterion a process's proposals are assessed against,
// published on the process page before assessment starts. Name and
// Description take translations (EntityCriterion).
type Criterion struct {
	ID          int64     `db:"id" json:"id"`
	ProcessID   int64     `db:"process_id" json:"process_id"`
	Position    int       `db:"position" json:"position"`
	Name        string    `db:"name" json:"name"`
	Description string    `db:"description" json:"description"`
	Weight      float64   `db:"weight" json:"weight"`
	ScaleMin    int       `db:"scale_min" json:"scale_min"`
	ScaleMax    int       `db:"scale_max" json:"scale_max"`
	StaffID     int64     `db:"staff_id" json:"-"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
}

// Normalize trims the texts, fills the defaults (weight 1, scale 1–5) and
// checks the criterion.
func (c Criterion) Normalize() (Criterion, error) {
	var v ValidationErrors
	c.Name, c.Description = strings.TrimSpace(c.Name), strings.TrimSpace(c.Description)
	if c.Weight == 0 {
		c.Weight = 1
	}
	if c.ScaleMin == 0 && c.ScaleMax == 0 {
		c.ScaleMin, c.ScaleMax = 1, 5
	}
	switch {
	case c.Name == "":
		v.Add("name", "err.required", "a criterion needs a name")
	case utf8.RuneCountInString(c.Name) > CriterionNameMax:
		v.Add("name", "err.too_long", "must be at most %d characters", CriterionNameMax)
	}
	if utf8.RuneCountInString(c.Description) > AssessTextMax {
		v.Add("description", "err.too_long", "must be at most %d characters", AssessTextMax)
	}
	if c.Weight <= 0 || c.Weight > WeightMax || math.IsNaN(c.Weight) {
		v.Add("weight", "err.out_of_range", "must be between %d and %d", 0, WeightMax)
	}
	if c.ScaleMin >= c.ScaleMax || c.ScaleMin < -ScaleBound || c.ScaleMax > ScaleBound {
		v.Add("scale_max", "err.scale", "the scale must run from a lower to a higher whole number")
	}
	return c, v.Err()
}

// Score is one assessor's score of one proposal on one criterion.
type Score struct {
	ProposalID  int64     `db:"proposal_id" json:"proposal_id"`
	CriterionID int64     `db:"criterion_id" json:"criterion_id"`
	StaffID     int64     `db:"staff_id" json:"staff_id"`
	Score       int       `db:"score" json:"score"`
	Note        string    `db:"note" json:"note"`
	ScoredAt    time.Time `db:"scored_at" json:"scored_at"`
}

// CheckScore refuses a score outside the criterion's scale or a note too
// long.
func CheckScore(c Criterion, s Score) error {
	var v ValidationErrors
	if s.Score < c.ScaleMin || s.Score > c.ScaleMax {
		v.Add("score", "err.out_of_range", "must be between %d and %d", c.ScaleMin, c.ScaleMax)
	}
	if utf8.RuneCountInString(s.Note) > AssessTextMax {
		v.Add("note", "err.too_long", "must be at most %d characters", AssessTextMax)
	}
	return v.Err()
}

// ProposalDecision is where a proposal stands: its state and the public
// reason of the last change. A proposal never decided is AssessSubmitted
// with a zero DecidedAt.
type ProposalDecision struct {
	ProposalID int64           `db:"proposal_id" json:"proposal_id"`
	ProcessID  int64           `db:"process_id" json:"process_id"`
	State      AssessmentState `db:"state" json:"state"`
	Reason     string          `db:"reason" json:"reason,omitempty"`
	StaffID    int64           `db:"staff_id" json:"-"`
	DecidedAt  time.Time       `db:"decided_at" json:"decided_at"`
}

// CheckDecision refuses a move the machine does not allow, a missing
// required reason and a reason too long.
func CheckDecision(from, to AssessmentState, reason string) error {
	var v ValidationErrors
	if !slices.Contains(AssessmentStates, to) {
		v.Add("state", "err.bad_choice", "is not an assessment state")
		return v.Err()
	}
	if !CanMove(from, to) {
		return Errorf(CodeConflict, "state", "err.transition", "a proposal %s cannot become %s", from, to)
	}
	switch {
	case NeedsReason(to) && strings.TrimSpace(reason) == "":
		v.Add("reason", "err.decision_reason", "say publicly why")
	case utf8.RuneCountInString(reason) > AssessTextMax:
		v.Add("reason", "err.too_long", "must be at most %d characters", AssessTextMax)
	}
	return v.Err()
}

// SectionResponse is the officials' "you said / we did" on one section of
// a document: what changed in the text and why, linked to the section of
// the new version (NewSectionID 0: the section was dropped or is unchanged).
type SectionResponse struct {
	ComponentID  int64     `db:"component_id" json:"component_id"`
	SectionID    int64     `db:"section_id" json:"section_id"`
	NewSectionID int64     `db:"new_section_id" json:"new_section_id,omitempty"`
	Changed      string    `db:"changed" json:"changed"`
	Why          string    `db:"why" json:"why"`
	StaffID      int64     `db:"staff_id" json:"-"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// Normalize trims and checks the response.
func (r SectionResponse) Normalize() (SectionResponse, error) {
	var v ValidationErrors
	r.Changed, r.Why = strings.TrimSpace(r.Changed), strings.TrimSpace(r.Why)
	if r.Changed == "" && r.Why == "" {
		v.Add("changed", "err.required", "say what changed, or why nothing did")
	}
	if utf8.RuneCountInString(r.Changed) > AssessTextMax {
		v.Add("changed", "err.too_long", "must be at most %d characters", AssessTextMax)
	}
	if utf8.RuneCountInString(r.Why) > AssessTextMax {
		v.Add("why", "err.too_long", "must be at most %d characters", AssessTextMax)
	}
	return r, v.Err()
}

// SurveyTakeaway is "what we take from this" for one question (QuestionID
// set, Page 0) or one page (Page set, QuestionID 0) of a survey.
type SurveyTakeaway struct {
	ComponentID int64     `db:"component_id" json:"component_id"`
	Page        int       `db:"page" json:"page,omitempty"`
	QuestionID  int64     `db:"question_id" json:"question_id,omitempty"`
	Text        string    `db:"text" json:"text"`
	StaffID     int64     `db:"staff_id" json:"-"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
}

// Normalize trims and checks the takeaway; an empty text removes it.
func (t SurveyTakeaway) Normalize() (SurveyTakeaway, error) {
	var v ValidationErrors
	t.Text = strings.TrimSpace(t.Text)
	if (t.Page > 0) == (t.QuestionID > 0) {
		v.Add("question_id", "err.bad_choice", "a takeaway is about one question or one page")
	}
	if utf8.RuneCountInString(t.Text) > AssessTextMax {
		v.Add("text", "err.too_long", "must be at most %d characters", AssessTextMax)
	}
	return t, v.Err()
}

// Assessment is the store's part for assessing and deciding. Every write
// checks that its process (or proposal, component) exists (CodeNotFound)
// and appends its outbox event in the same transaction.
type Assessment interface {
	// SaveCriterion adds (ID 0) or updates a criterion of the process.
	SaveCriterion(ctx context.Context, c Criterion) (Criterion, error)
	DeleteCriterion(ctx context.Context, processID, criterionID, staffID int64) error
	// Criteria lists a process's criteria in position order.
	Criteria(ctx context.Context, processID int64) ([]Criterion, error)

	// SaveScore records (or replaces) an assessor's score; a score outside
	// the criterion's scale is ValidationErrors, a criterion of another
	// process CodeNotFound.
	SaveScore(ctx context.Context, s Score) error
	// Scores lists every score of a process's proposals.
	Scores(ctx context.Context, processID int64) ([]Score, error)

	// Decide moves a proposal from the state the official saw (from) to
	// the next: a move the machine refuses is CodeConflict, as is a from
	// that is no longer current (someone decided meanwhile); a missing
	// required reason is ValidationErrors. It writes EvProposalDecided
	// ({"from","to","reason"}).
	Decide(ctx context.Context, proposalID int64, from, to AssessmentState, reason string, staffID int64) (ProposalDecision, error)
	// Decision returns a proposal's current state (AssessSubmitted when
	// never decided).
	Decision(ctx context.Context, proposalID int64) (ProposalDecision, error)
	// Decisions lists the decided proposals of a process (those never
	// decided have no row).
	ProposalDecisions(ctx context.Context, processID int64) ([]ProposalDecision, error)

	// SaveSectionResponse records the response to a section of the
	// component's document; SectionResponses lists them by section.
	SaveSectionResponse(ctx context.Context, r SectionResponse) error
	SectionResponses(ctx context.Context, componentID int64) ([]SectionResponse, error)
	// DocumentVersion returns one version of a document with its sections.
	DocumentVersion(ctx context.Context, componentID int64, version int) (Document, error)

	// SaveTakeaway records a takeaway (an empty text removes it).
	SaveTakeaway(ctx context.Context, t SurveyTakeaway) error
	Takeaways(ctx context.Context, componentID int64) ([]SurveyTakeaway, error)
}
