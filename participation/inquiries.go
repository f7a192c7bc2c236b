package participation

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Inquiries ("Ask the team", GovStack INST-3 step 3): a citizen, anonymous
// or registered, asks the process's team a question, with an optional email
// address for the answer. Staff assign it, answer it, close it, and may
// publish a frequent one, in words they edit, as an FAQ entry on the
// process page. The contact address is personal data: it stays in the
// store, is in the participant's download and goes with their erasure;
// no event carries it, nor the question's text (the warehouse has no use
// for either).

// Inquiry events: every staff decision on an inquiry is one (invariant 4).
// Payloads: {"staff_id","status"} and, for assignment, "assignee_id".
const (
	EvInquiryAsked     EventType = "inquiry.asked"
	EvInquiryAssigned  EventType = "inquiry.assigned"
	EvInquiryAnswered  EventType = "inquiry.answered"
	EvInquiryClosed    EventType = "inquiry.closed"
	EvInquiryPublished EventType = "inquiry.published" // FAQ entry published or withdrawn
	EvInquiryHidden    EventType = "inquiry.hidden"    // hidden or shown again by moderation
)

// InquiryStatus is where an inquiry stands in the team's inbox.
type InquiryStatus string

const (
	InquiryNew      InquiryStatus = "new"
	InquiryAnswered InquiryStatus = "answered"
	InquiryClosed   InquiryStatus = "closed"
)

// InquiryStatuses lists the statuses in the inbox's filter order.
var InquiryStatuses = []InquiryStatus{InquiryNew, InquiryAnswered, InquiryClosed}

// Limits of an inquiry's texts, in runes.
const (
	InquiryQuestionMax = 2000
	InquiryAnswerMax   = 5000
)

// Inquiry is one question to a process's team.
type Inquiry struct {
	ID            int64  `db:"id" json:"id"`
	ProcessID     int64  `db:"process_id" json:"process_id"`
	ParticipantID int64  `db:"participant_id" json:"-"`
	Question      string `db:"question" json:"question"`
	// Email is where the answer goes; empty when none was given (the
	// answer is then on "my submissions") or after erasure.
	Email      string        `db:"email" json:"email,omitempty"`
	Lang       string        `db:"lang" json:"lang"` // the page's language when asked: the answer's
	Status     InquiryStatus `db:"status" json:"status"`
	AssigneeID int64         `db:"assignee_id" json:"-"`
	Answer     string        `db:"answer" json:"answer,omitempty"`
	AnsweredBy int64         `db:"answered_by" json:"-"`
	AnsweredAt *time.Time    `db:"answered_at" json:"answered_at,omitempty"`
	// FAQ says the team published it on the process page, as FAQQuestion
	// and FAQAnswer (their edited words, not the citizen's).
	FAQ          bool      `db:"faq" json:"faq"`
	FAQQuestion  string    `db:"faq_question" json:"-"`
	FAQAnswer    string    `db:"faq_answer" json:"-"`
	Hidden       bool      `db:"hidden" json:"hidden"`
	HiddenReason string    `db:"hidden_reason" json:"hidden_reason,omitempty"`
	CreatedAt    time.Time `db:"created_at" json:"created_at"`
	UpdatedAt    time.Time `db:"updated_at" json:"updated_at"`
}

// Validate checks a new inquiry's question and address, and normalises the
// address as registration does.
func (q Inquiry) Validate() (Inquiry, error) {
	var v ValidationErrors
	q.Question = strings.TrimSpace(q.Question)
	switch n := utf8.RuneCountInString(q.Question); {
	case n == 0:
		v.Add("question", "err.required", "is required")
	case n > InquiryQuestionMax:
		v.Add("question", "err.too_long", "must be at most %d characters", InquiryQuestionMax)
	}
	if e := strings.TrimSpace(q.Email); e != "" {
		norm, ok := NormalizeEmail(e)
		if !ok {
			v.Add("email", "err.email", "is not an email address")
		}
		q.Email = norm
	} else {
		q.Email = ""
	}
	return q, v.Err()
}

// InquiryFilter narrows a process's inbox; Status "" lists every status.
type InquiryFilter struct {
	ProcessID int64
	Status    InquiryStatus
	Limit     int // default 50, at most 200
	Offset    int
}

// checkText checks a staff text (an answer, an FAQ entry's words).
func checkText(v *ValidationErrors, field, text string, max int) string {
	text = strings.TrimSpace(text)
	switch n := utf8.RuneCountInString(text); {
	case n == 0:
		v.Add(field, "err.required", "is required")
	case n > max:
		v.Add(field, "err.too_long", "must be at most %d characters", max)
	}
	return text
}

// CheckInquiryAnswer trims and checks an answer.
func CheckInquiryAnswer(answer string) (string, error) {
	var v ValidationErrors
	a := checkText(&v, "answer", answer, InquiryAnswerMax)
	return a, v.Err()
}

// CheckFAQ trims and checks an FAQ entry's question and answer.
func CheckFAQ(question, answer string) (string, string, error) {
	var v ValidationErrors
	q := checkText(&v, "faq_question", question, InquiryQuestionMax)
	a := checkText(&v, "faq_answer", answer, InquiryAnswerMax)
	return q, a, v.Err()
}

// Inquiries is the store's part for questions to the team. Every write
// appends its event in the same transaction; staff writes refuse an
// inquiry of another process (CodeNotFound), so a handler that names the
// process in its path cannot act on another's.
type Inquiries interface {
	// Ask stores a citizen's question on a published process (drafts are
	// CodeNotFound), whatever its participation mode: a question about
	// registering must reach the team before one registers.
	Ask(ctx context.Context, q Inquiry) (Inquiry, error)
	GetInquiry(ctx context.Context, processID, id int64) (Inquiry, error)
	// ListInquiries is the inbox, newest first, and how many match.
	ListInquiries(ctx context.Context, f InquiryFilter) ([]Inquiry, int, error)
	// InquiryCounts counts a process's inquiries per status (the filters).
	InquiryCounts(ctx context.Context, processID int64) (map[InquiryStatus]int, error)
	// AssignInquiry sets the assignee (0: nobody); the caller checks that
	// they hold a role on the process. A closed inquiry is CodeConflict.
	AssignInquiry(ctx context.Context, processID, id, assigneeID, staffID int64) (Inquiry, error)
	// AnswerInquiry stores (or corrects) the answer: new or answered
	// becomes answered; a closed one is CodeConflict.
	AnswerInquiry(ctx context.Context, processID, id int64, answer string, staffID int64) (Inquiry, error)
	// CloseInquiry closes it, answered or not; closing a closed one is
	// CodeConflict.
	CloseInquiry(ctx context.Context, processID, id, staffID int64) (Inquiry, error)
	// PublishFAQ publishes the inquiry as an FAQ entry in the words given
	// (it must have been answered: CodeConflict), or withdraws it.
	PublishFAQ(ctx context.Context, processID, id int64, publish bool, question, answer string, staffID int64) (Inquiry, error)
	// HideInquiry hides an inquiry (reason required) or shows it again:
	// a hidden one is left out of the FAQ and of "my submissions".
	HideInquiry(ctx context.Context, processID, id int64, hide bool, reason string, staffID int64) (Inquiry, error)
	// FAQ lists a process's published, visible entries, oldest first.
	FAQ(ctx context.Context, processID int64) ([]Inquiry, error)
	// MyInquiries lists a participant's inquiries, newest first (email
	// included: it is theirs).
	MyInquiries(ctx context.Context, participantID int64) ([]Inquiry, error)
}
