package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
)

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "inquiries.sql")
	statementNames = append(statementNames, "insert-inquiry", "get-inquiry", "list-inquiries", "count-inquiries",
		"inquiry-counts", "update-inquiry", "list-faq", "my-inquiries", "erase-inquiry-emails", "blank-my-inquiries")
}

var _ participation.Inquiries = (*Store)(nil)

// inquiryPayload is every inquiry event's payload: who decided what, never
// the texts nor the address.
type inquiryPayload struct {
	StaffID    int64                       `json:"staff_id,omitempty"`
	Status     participation.InquiryStatus `json:"status"`
	AssigneeID int64                       `json:"assignee_id,omitempty"`
	FAQ        bool                        `json:"faq,omitempty"`
	Hidden     bool                        `json:"hidden,omitempty"`
}

// Ask stores a citizen's question with its inquiry.asked event.
func (s *Store) Ask(ctx context.Context, q participation.Inquiry) (participation.Inquiry, error) {
	q, err := q.Validate()
	if err != nil {
		return q, err
	}
	var out participation.Inquiry
	err = s.write(ctx, func(w *Store) error {
		if _, err := w.GetProcess(ctx, q.ProcessID, true); err != nil {
			return err
		}
		var p participation.Participant
		if err := w.get(ctx, &p, "get-participant", q.ParticipantID); err != nil {
			if noRows(err) {
				return notFound("participant_id", "participant")
			}
			return fmt.Errorf("store: unable to get participant: %w", err)
		}
		now := w.now(ctx)
		id, err := w.insertID(ctx, "insert-inquiry", q.ProcessID, q.ParticipantID, q.Question, q.Email, q.Lang, now, now)
		if err != nil {
			return fmt.Errorf("store: unable to store the inquiry: %w", err)
		}
		if err := w.emit(ctx, event{typ: participation.EvInquiryAsked, processID: q.ProcessID, entityID: id,
			participantID: q.ParticipantID, payload: inquiryPayload{Status: participation.InquiryNew}}); err != nil {
			return err
		}
		out, err = w.GetInquiry(ctx, q.ProcessID, id)
		return err
	})
	return out, err
}

// GetInquiry returns one inquiry of the process.
func (s *Store) GetInquiry(ctx context.Context, processID, id int64) (participation.Inquiry, error) {
	var q participation.Inquiry
	if err := s.get(ctx, &q, "get-inquiry", id, processID); err != nil {
		if noRows(err) {
			return q, notFound("inquiry_id", "inquiry")
		}
		return q, fmt.Errorf("store: unable to read inquiry %d: %w", id, err)
	}
	return utcInquiry(q), nil
}

func utcInquiry(q participation.Inquiry) participation.Inquiry {
	q.CreatedAt, q.UpdatedAt = q.CreatedAt.UTC(), q.UpdatedAt.UTC()
	if q.AnsweredAt != nil {
		at := q.AnsweredAt.UTC()
		q.AnsweredAt = &at
	}
	return q
}

func (s *Store) inquiries(ctx context.Context, name string, args ...any) ([]participation.Inquiry, error) {
	out := []participation.Inquiry{}
	if err := s.sel(ctx, &out, name, args...); err != nil {
		return nil, fmt.Errorf("store: unable to list inquiries (%s): %w", name, err)
	}
	for i := range out {
		out[i] = utcInquiry(out[i])
	}
	return out, nil
}

// ListInquiries is the process's inbox, newest first.
func (s *Store) ListInquiries(ctx context.Context, f participation.InquiryFilter) ([]participation.Inquiry, int, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	st := string(f.Status)
	list, err := s.inquiries(ctx, "list-inquiries", f.ProcessID, st, st, f.Limit, max(f.Offset, 0))
	if err != nil {
		return nil, 0, err
	}
	var n int
	if err := s.get(ctx, &n, "count-inquiries", f.ProcessID, st, st); err != nil {
		return nil, 0, fmt.Errorf("store: unable to count inquiries: %w", err)
	}
	return list, n, nil
}

// InquiryCounts counts the process's inquiries per status.
func (s *Store) InquiryCounts(ctx context.Context, processID int64) (map[participation.InquiryStatus]int, error) {
	var rows []struct {
		Status participation.InquiryStatus `db:"status"`
		N      int                         `db:"n"`
	}
	if err := s.sel(ctx, &rows, "inquiry-counts", processID); err != nil {
		return nil, fmt.Errorf("store: unable to count inquiries: %w", err)
	}
	out := map[participation.InquiryStatus]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, nil
}

// changeInquiry reads the inquiry, lets change decide (a refusal writes
// nothing), stores the result and appends its event.
func (s *Store) changeInquiry(ctx context.Context, processID, id, staffID int64, typ participation.EventType,
	change func(q *participation.Inquiry) error) (participation.Inquiry, error) {
	var out participation.Inquiry
	err := s.write(ctx, func(w *Store) error {
		q, err := w.GetInquiry(ctx, processID, id)
		if err != nil {
			return err
		}
		if err := change(&q); err != nil {
			return err
		}
		if _, err := w.exec(ctx, "update-inquiry", q.Status, q.AssigneeID, q.Answer, q.AnsweredBy, q.AnsweredAt,
			q.FAQ, q.FAQQuestion, q.FAQAnswer, q.Hidden, q.HiddenReason, w.now(ctx), id, processID); err != nil {
			return fmt.Errorf("store: unable to update inquiry %d: %w", id, err)
		}
		if err := w.emit(ctx, event{typ: typ, processID: processID, entityID: id, payload: inquiryPayload{StaffID: staffID,
			Status: q.Status, AssigneeID: q.AssigneeID, FAQ: q.FAQ, Hidden: q.Hidden}}); err != nil {
			return err
		}
		out, err = w.GetInquiry(ctx, processID, id)
		return err
	})
	return out, err
}

func closedConflict() error {
	return participation.Errorf(participation.CodeConflict, "status", "err.inquiry_closed", "the inquiry is closed")
}

// AssignInquiry sets who on the team handles the inquiry.
func (s *Store) AssignInquiry(ctx context.Context, processID, id, assigneeID, staffID int64) (participation.Inquiry, error) {
	return s.changeInquiry(ctx, processID, id, staffID, participation.EvInquiryAssigned, func(q *participation.Inquiry) error {
		if q.Status == participation.InquiryClosed {
			return closedConflict()
		}
		q.AssigneeID = max(assigneeID, 0)
		return nil
	})
}

// AnswerInquiry stores the team's answer.
func (s *Store) AnswerInquiry(ctx context.Context, processID, id int64, answer string, staffID int64) (participation.Inquiry, error) {
	answer, err := participation.CheckInquiryAnswer(answer)
	if err != nil {
		return participation.Inquiry{}, err
	}
	return s.changeInquiry(ctx, processID, id, staffID, participation.EvInquiryAnswered, func(q *participation.Inquiry) error {
		if q.Status == participation.InquiryClosed {
			return closedConflict()
		}
		at := s.now(ctx)
		q.Status, q.Answer, q.AnsweredBy, q.AnsweredAt = participation.InquiryAnswered, answer, staffID, &at
		return nil
	})
}

// CloseInquiry closes the inquiry.
func (s *Store) CloseInquiry(ctx context.Context, processID, id, staffID int64) (participation.Inquiry, error) {
	return s.changeInquiry(ctx, processID, id, staffID, participation.EvInquiryClosed, func(q *participation.Inquiry) error {
		if q.Status == participation.InquiryClosed {
			return closedConflict()
		}
		q.Status = participation.InquiryClosed
		return nil
	})
}

// PublishFAQ publishes the inquiry as an FAQ entry in the team's words, or
// withdraws it.
func (s *Store) PublishFAQ(ctx context.Context, processID, id int64, publish bool, question, answer string, staffID int64) (participation.Inquiry, error) {
	if publish {
		var err error
		if question, answer, err = participation.CheckFAQ(question, answer); err != nil {
			return participation.Inquiry{}, err
		}
	}
	return s.changeInquiry(ctx, processID, id, staffID, participation.EvInquiryPublished, func(q *participation.Inquiry) error {
		if !publish {
			q.FAQ = false
			return nil
		}
		if q.Answer == "" {
			return participation.Errorf(participation.CodeConflict, "faq_answer", "err.inquiry_unanswered", "answer the inquiry before publishing it")
		}
		q.FAQ, q.FAQQuestion, q.FAQAnswer = true, question, answer
		return nil
	})
}

// HideInquiry hides the inquiry (and its FAQ entry) or shows it again.
func (s *Store) HideInquiry(ctx context.Context, processID, id int64, hide bool, reason string, staffID int64) (participation.Inquiry, error) {
	reason = strings.TrimSpace(reason)
	if hide {
		var v participation.ValidationErrors
		if reason == "" {
			v.Add("reason", "err.required", "is required")
		} else if utf8.RuneCountInString(reason) > participation.MaxModerationReason {
			v.Add("reason", "err.too_long", "must be at most %d characters", participation.MaxModerationReason)
		}
		if err := v.Err(); err != nil {
			return participation.Inquiry{}, err
		}
	}
	return s.changeInquiry(ctx, processID, id, staffID, participation.EvInquiryHidden, func(q *participation.Inquiry) error {
		if q.Hidden == hide {
			return participation.Errorf(participation.CodeConflict, "action", "err.moderation_transition", "the inquiry is already so")
		}
		q.Hidden, q.HiddenReason = hide, ""
		if hide {
			q.HiddenReason = reason
		}
		return nil
	})
}

// FAQ lists the process's published, visible FAQ entries.
func (s *Store) FAQ(ctx context.Context, processID int64) ([]participation.Inquiry, error) {
	return s.inquiries(ctx, "list-faq", processID)
}

// MyInquiries lists a participant's own inquiries.
func (s *Store) MyInquiries(ctx context.Context, participantID int64) ([]participation.Inquiry, error) {
	return s.inquiries(ctx, "my-inquiries", participantID)
}
