package participation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Moderation: citizens report contributions, moderators decide on them.
// Every decision is a store write with its outbox event (invariant 4):
// contribution.hidden when an item leaves what citizens see (hidden,
// pending, rejected), contribution.restored when it comes back (restored,
// approved). The ingester folds both into the warehouse's moderation table,
// so a hidden item leaves the dashboards' counts and themes and a restored
// one returns.

// EvContributionRestored is a hidden or pending contribution published
// again (restored or approved); payload: kind, status, reason.
const EvContributionRestored EventType = "contribution.restored"

// EvContributionReported is a citizen's report on a contribution; payload:
// kind, reason (never the reporter's text). It only reaches the events
// ledger, where a report rate can be read.
const EvContributionReported EventType = "contribution.reported"

// StatusPending and StatusRejected are the pre-moderation states: the item
// waits for a moderator, then is published (approved) or rejected.
const (
	StatusPending  Status = "pending"
	StatusRejected Status = "rejected"
)

// ContributionKind names what can be reported and moderated.
type ContributionKind string

const (
	ContribProposal ContributionKind = "proposal"
	ContribComment  ContributionKind = "comment"
	ContribAnswer   ContributionKind = "answer" // an open survey answer: ID is the response, QuestionID the question
)

// ContributionRef names one contribution.
type ContributionRef struct {
	Kind       ContributionKind `db:"kind" json:"kind"`
	ID         int64            `db:"entity_id" json:"id"`
	QuestionID int64            `db:"question_id" json:"question_id,omitempty"`
}

// ReportReason is why a citizen reports a contribution (a short, fixed list).
type ReportReason string

const (
	ReasonSpam         ReportReason = "spam"
	ReasonOffensive    ReportReason = "offensive"
	ReasonOffTopic     ReportReason = "off_topic"
	ReasonPersonalData ReportReason = "personal_data"
	ReasonOther        ReportReason = "other"
)

// ReportReasons lists the reasons in form order.
var ReportReasons = []ReportReason{ReasonSpam, ReasonOffensive, ReasonOffTopic, ReasonPersonalData, ReasonOther}

// MaxReportText bounds a report's optional text; MaxModerationReason a
// moderator's reason.
const (
	MaxReportText       = 500
	MaxModerationReason = 500
)

// DefaultAutoHideAfter is how many distinct reporters hide a contribution
// until a moderator looks at it, unless the process sets another number.
const DefaultAutoHideAfter = 5

// Report is one participant's report on a contribution.
type Report struct {
	Ref           ContributionRef `json:"ref"`
	ParticipantID int64           `json:"-"`
	Reason        ReportReason    `json:"reason"`
	Text          string          `json:"text,omitempty"`
}

// Validate checks the reason and the text's length.
func (r Report) Validate() error {
	var v ValidationErrors
	if !r.Ref.Kind.valid() || r.Ref.ID <= 0 || (r.Ref.Kind == ContribAnswer) != (r.Ref.QuestionID > 0) {
		v.Add("kind", "err.bad_choice", "must be a proposal, a comment or an open answer")
	}
	if !validReason(r.Reason) {
		v.Add("reason", "err.bad_choice", "must be one of spam, offensive, off_topic, personal_data, other")
	}
	if utf8.RuneCountInString(r.Text) > MaxReportText {
		v.Add("text", "err.too_long", "must be at most %d characters", MaxReportText)
	}
	return v.Err()
}

func (k ContributionKind) valid() bool {
	return k == ContribProposal || k == ContribComment || k == ContribAnswer
}

func validReason(r ReportReason) bool {
	for _, x := range ReportReasons {
		if r == x {
			return true
		}
	}
	return false
}

// ModerationAction is what a moderator does to a contribution.
type ModerationAction string

const (
	ActHide    ModerationAction = "hide"    // published → hidden
	ActRestore ModerationAction = "restore" // hidden → published
	ActApprove ModerationAction = "approve" // pending → published
	ActReject  ModerationAction = "reject"  // pending → rejected
)

// Transition is the moderation state machine: the status an action leads
// to from status from, or CodeConflict for any other pair (hiding a hidden
// item, approving a published one, anything on a rejected or withdrawn
// one).
func Transition(from Status, a ModerationAction) (Status, error) {
	switch {
	case a == ActHide && from == StatusPublished:
		return StatusHidden, nil
	case a == ActRestore && from == StatusHidden:
		return StatusPublished, nil
	case a == ActApprove && from == StatusPending:
		return StatusPublished, nil
	case a == ActReject && from == StatusPending:
		return StatusRejected, nil
	}
	return "", Errorf(CodeConflict, "action", "err.moderation_transition", "cannot %s a contribution that is %s", a, from)
}

// ModerationDecision is a moderator's decision on one contribution. Reason
// is required: it is shown to the author, and to everyone in place of the
// text of a hidden item.
type ModerationDecision struct {
	Ref     ContributionRef  `json:"ref"`
	Action  ModerationAction `json:"action"`
	Reason  string           `json:"reason"`
	StaffID int64            `json:"-"`
}

// Validate checks the action and the reason.
func (d ModerationDecision) Validate() error {
	var v ValidationErrors
	switch d.Action {
	case ActHide, ActRestore, ActApprove, ActReject:
	default:
		v.Add("action", "err.bad_choice", "must be hide, restore, approve or reject")
	}
	r := strings.TrimSpace(d.Reason)
	if r == "" && d.Action != ActApprove {
		v.Add("reason", "err.required", "is required")
	}
	if utf8.RuneCountInString(r) > MaxModerationReason {
		v.Add("reason", "err.too_long", "must be at most %d characters", MaxModerationReason)
	}
	return v.Err()
}

// Moderated is a contribution's moderation state, as the queue and the
// citizen pages read it.
type Moderated struct {
	Ref         ContributionRef `db:"-" json:"ref"`
	ProcessID   int64           `db:"process_id" json:"process_id"`
	ComponentID int64           `db:"component_id" json:"component_id"`
	Status      Status          `db:"status" json:"status"`
	Reason      string          `db:"reason" json:"reason,omitempty"` // the last decision's reason
	Reports     int             `db:"reports" json:"reports"`         // distinct reporters
	// Open says a moderator has something to decide: it is pending, or was
	// reported since the last decision.
	Open      bool      `db:"open" json:"open"`
	Excerpt   string    `db:"excerpt" json:"excerpt"` // the text, cut, for the queue
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
	// Reasons counts the reports by reason (queue only).
	Reasons map[ReportReason]int `db:"-" json:"reasons,omitempty"`
}

// QueueFilter narrows a process's moderation queue. The queue lists open
// items, oldest first.
type QueueFilter struct {
	ProcessID   int64
	Kind        ContributionKind // "" for every kind
	ComponentID int64
	Reason      ReportReason // items with at least one report of this reason
	// Among, when not nil, keeps only these items (a campaign's copies,
	// which the warehouse knows); an empty non-nil list keeps none.
	Among  []ContributionRef
	Limit  int // default 50, at most 200
	Offset int
}

// Moderation is what reports and moderators need from the store.
type Moderation interface {
	// Report records a participant's report (counted once per reporter:
	// a second one is CodeDuplicate). Reporting a hidden, pending or
	// rejected item is CodeConflict. At the process's auto-hide number of
	// distinct reporters the item is hidden (reason "reported") with its
	// event, and stays in the queue.
	Report(ctx context.Context, r Report) (Moderated, error)
	// Moderate applies a decision through Transition, stores its reason and
	// appends its event, all in one transaction.
	Moderate(ctx context.Context, d ModerationDecision) (Moderated, error)
	// GetModeration returns an item's state; one never reported nor
	// decided on reads as its contribution's status with no reason.
	GetModeration(ctx context.Context, ref ContributionRef) (Moderated, error)
	// ModerationStates returns the states of those of the proposals or
	// comments ids that were reported or decided on, by id, for pages that
	// show "hidden by the moderators: …" or "awaiting moderation".
	ModerationStates(ctx context.Context, kind ContributionKind, ids []int64) (map[int64]Moderated, error)
	// HiddenComments lists the comments moderators hid on a target, oldest
	// first, with their reasons: pages show "hidden by the moderators: …"
	// where they were.
	HiddenComments(ctx context.Context, target TargetKind, targetID int64) ([]Moderated, error)
	ModerationQueue(ctx context.Context, f QueueFilter) ([]Moderated, int, error)
	// QueueCounts returns the open items per process (for the staff home).
	QueueCounts(ctx context.Context) (map[int64]int, error)
	// SetAutoHideAfter sets a process's auto-hide number (0 turns it off).
	SetAutoHideAfter(ctx context.Context, processID int64, n int) error
	AutoHideAfter(ctx context.Context, processID int64) (int, error)
	// SetPremoderated turns pre-moderation on or off for a component: its
	// new proposals and comments wait as pending until approved.
	SetPremoderated(ctx context.Context, componentID int64, on bool) error
	IsPremoderated(ctx context.Context, componentID int64) (bool, error)

	// AnswerAsInstitution stores staffID's answer to a published comment
	// as the institution's: a reply marked Official (to a reply, it answers
	// its top-level comment), at any time, even after the process closed.
	AnswerAsInstitution(ctx context.Context, commentID, staffID int64, body string) (int64, error)
	// ProcessQuestions lists the published questions on a process's documents.
	ProcessQuestions(ctx context.Context, processID int64) ([]OpenQuestion, error)
}

// EvOfficialAnswer is the institution answering a comment (a document
// question or any comment); payload: parent_id, staff_id. It is not a
// citizen's input: the warehouse's counts and themes leave it out, the
// events ledger keeps it (the feedback-loop figures read it).
const EvOfficialAnswer EventType = "comment.answered"

// OpenQuestion is a citizen's question on a document, for the officials'
// list of questions to answer.
type OpenQuestion struct {
	Comment
	Answered bool `db:"answered" json:"answered"`
}

// AutoHiddenReason is the reason stored when reports hid an item before any
// moderator looked; pages translate it.
const AutoHiddenReason = "reported"
