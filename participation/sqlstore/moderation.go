package sqlstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// moderationStatements are the statements of sql/moderation.sql.
var moderationStatements = []string{
	"get-moderation", "insert-moderation", "update-moderation",
	"has-reported", "insert-report", "count-reporters", "report-reasons",
	"get-answer-target", "get-auto-hide-after", "set-auto-hide-after",
	"get-premoderated", "set-premoderated", "list-moderation-states",
	"moderation-queue", "moderation-queue-count", "moderation-queue-counts", "hidden-comments-on",
	"insert-official-answer", "process-questions",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "moderation.sql")
	statementNames = append(statementNames, moderationStatements...)
}

var _ participation.Moderation = (*Store)(nil)

// moderationPayload is the payload of contribution.hidden and
// contribution.restored (the ingester reads kind and status).
type moderationPayload struct {
	Kind       participation.ContributionKind `json:"kind"`
	Status     participation.Status           `json:"status"`
	Reason     string                         `json:"reason,omitempty"`
	QuestionID int64                          `json:"question_id,omitempty"`
}

type reportPayload struct {
	Kind       participation.ContributionKind `json:"kind"`
	Reason     participation.ReportReason     `json:"reason"`
	QuestionID int64                          `json:"question_id,omitempty"`
}

// contribution is what moderation needs of the item itself.
type contribution struct {
	ProcessID     int64                `db:"process_id"`
	ComponentID   int64                `db:"component_id"`
	ParticipantID int64                `db:"participant_id"`
	Status        participation.Status `db:"status"`
	Text          string               `db:"text_value"`
	// For a comment, what its count is kept on.
	TargetKind participation.TargetKind
	TargetID   int64
}

func (s *Store) contribution(ctx context.Context, ref participation.ContributionRef) (contribution, error) {
	var c contribution
	switch ref.Kind {
	case participation.ContribProposal:
		var p participation.Proposal
		if err := s.get(ctx, &p, "get-proposal", ref.ID); err != nil {
			if noRows(err) {
				return c, notFound("id", "proposal")
			}
			return c, fmt.Errorf("store: unable to find proposal: %w", err)
		}
		return contribution{ProcessID: p.ProcessID, ComponentID: p.ComponentID, ParticipantID: p.ParticipantID, Status: p.Status}, nil
	case participation.ContribComment:
		var cm participation.Comment
		if err := s.get(ctx, &cm, "get-comment", ref.ID); err != nil {
			if noRows(err) {
				return c, notFound("id", "comment")
			}
			return c, fmt.Errorf("store: unable to find comment: %w", err)
		}
		return contribution{ProcessID: cm.ProcessID, ComponentID: cm.ComponentID, ParticipantID: cm.ParticipantID,
			Status: cm.Status, TargetKind: cm.TargetKind, TargetID: cm.TargetID}, nil
	case participation.ContribAnswer:
		if err := s.get(ctx, &c, "get-answer-target", ref.ID, ref.QuestionID); err != nil {
			if noRows(err) {
				return c, notFound("id", "answer")
			}
			return c, fmt.Errorf("store: unable to find answer: %w", err)
		}
		c.Status = participation.StatusPublished // unless its moderation row says otherwise
		return c, nil
	}
	return c, participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "kind", "err.bad_choice", "unknown contribution kind")}
}

// moderationRow reads the item's row; found is false when it was never
// reported nor decided on (its state is then the contribution's).
func (s *Store) moderationRow(ctx context.Context, ref participation.ContributionRef, c contribution) (m participation.Moderated, found bool, err error) {
	var row moderatedRow
	err = s.get(ctx, &row, "get-moderation", string(ref.Kind), ref.ID, ref.QuestionID)
	if noRows(err) {
		return participation.Moderated{Ref: ref, ProcessID: c.ProcessID, ComponentID: c.ComponentID, Status: c.Status}, false, nil
	}
	if err != nil {
		return m, false, fmt.Errorf("store: unable to read moderation: %w", err)
	}
	m = row.moderated()
	if ref.Kind != participation.ContribAnswer {
		m.Status = c.Status // the contribution's own column is the truth the reads filter on
	}
	return m, true, nil
}

type moderatedRow struct {
	participation.Moderated
	Kind       participation.ContributionKind `db:"kind"`
	EntityID   int64                          `db:"entity_id"`
	QuestionID int64                          `db:"question_id"`
}

func (r moderatedRow) moderated() participation.Moderated {
	m := r.Moderated
	m.Ref = participation.ContributionRef{Kind: r.Kind, ID: r.EntityID, QuestionID: r.QuestionID}
	m.CreatedAt, m.UpdatedAt = m.CreatedAt.UTC(), m.UpdatedAt.UTC()
	return m
}

func (s *Store) saveModeration(ctx context.Context, m participation.Moderated, found bool, staffID int64) error {
	now := s.now(ctx)
	var err error
	if found {
		_, err = s.exec(ctx, "update-moderation", string(m.Status), m.Reason, staffID, m.Reports, m.Open, now,
			string(m.Ref.Kind), m.Ref.ID, m.Ref.QuestionID)
	} else {
		_, err = s.exec(ctx, "insert-moderation", string(m.Ref.Kind), m.Ref.ID, m.Ref.QuestionID, m.ProcessID, m.ComponentID,
			string(m.Status), m.Reason, staffID, m.Reports, m.Open, now, now)
	}
	if err != nil {
		return fmt.Errorf("store: unable to save moderation: %w", err)
	}
	return nil
}

// setStatus moves the contribution itself to status to (proposals and
// comments carry it in their own column; comment counts follow what
// citizens see) and appends its moderation event.
func (s *Store) setStatus(ctx context.Context, ref participation.ContributionRef, c contribution, to participation.Status, reason string) error {
	switch ref.Kind {
	case participation.ContribProposal:
		if _, err := s.exec(ctx, "set-proposal-status", string(to), ref.ID); err != nil {
			return fmt.Errorf("store: unable to set proposal status: %w", err)
		}
	case participation.ContribComment:
		if _, err := s.exec(ctx, "set-comment-status", string(to), ref.ID); err != nil {
			return fmt.Errorf("store: unable to set comment status: %w", err)
		}
		wasVisible, isVisible := c.Status == participation.StatusPublished, to == participation.StatusPublished
		if wasVisible != isVisible {
			delta := 1
			if wasVisible {
				delta = -1
			}
			if err := s.countComment(ctx, c.TargetKind, c.TargetID, delta); err != nil {
				return err
			}
		}
	}
	region, err := s.participantRegion(ctx, c.ParticipantID, c.ProcessID)
	if err != nil {
		return err
	}
	typ := participation.EvContributionHidden
	if to == participation.StatusPublished {
		typ = participation.EvContributionRestored
	}
	return s.emit(ctx, event{typ: typ, processID: c.ProcessID, componentID: c.ComponentID, entityID: ref.ID,
		participantID: c.ParticipantID, region: region,
		payload: moderationPayload{ref.Kind, to, reason, ref.QuestionID}})
}

// Report records a report; at the process's auto-hide number of distinct
// reporters the item is hidden in the same transaction.
func (s *Store) Report(ctx context.Context, r participation.Report) (participation.Moderated, error) {
	r.Text = strings.TrimSpace(r.Text)
	if err := r.Validate(); err != nil {
		return participation.Moderated{}, err
	}
	var out participation.Moderated
	err := s.write(ctx, func(w *Store) error {
		c, err := w.contribution(ctx, r.Ref)
		if err != nil {
			return err
		}
		m, found, err := w.moderationRow(ctx, r.Ref, c)
		if err != nil {
			return err
		}
		if m.Status != participation.StatusPublished {
			return participation.Errorf(participation.CodeConflict, "id", "err.report_not_published", "only a published contribution can be reported")
		}
		var n int
		if err := w.get(ctx, &n, "has-reported", string(r.Ref.Kind), r.Ref.ID, r.Ref.QuestionID, r.ParticipantID); err != nil {
			return fmt.Errorf("store: unable to read reports: %w", err)
		}
		if n > 0 {
			return participation.Errorf(participation.CodeDuplicate, "id", "err.report_twice", "you have already reported it")
		}
		if _, err := w.exec(ctx, "insert-report", string(r.Ref.Kind), r.Ref.ID, r.Ref.QuestionID, r.ParticipantID,
			string(r.Reason), r.Text, w.now(ctx)); err != nil {
			if isUnique(err) {
				return participation.Errorf(participation.CodeDuplicate, "id", "err.report_twice", "you have already reported it")
			}
			return fmt.Errorf("store: unable to store report: %w", err)
		}
		if err := w.get(ctx, &m.Reports, "count-reporters", string(r.Ref.Kind), r.Ref.ID, r.Ref.QuestionID); err != nil {
			return fmt.Errorf("store: unable to count reports: %w", err)
		}
		m.Open = true
		limit, err := w.AutoHideAfter(ctx, c.ProcessID)
		if err != nil {
			return err
		}
		if limit > 0 && m.Reports >= limit {
			m.Status, m.Reason = participation.StatusHidden, participation.AutoHiddenReason
			if err := w.setStatus(ctx, r.Ref, c, m.Status, m.Reason); err != nil {
				return err
			}
		}
		if err := w.saveModeration(ctx, m, found, 0); err != nil {
			return err
		}
		region, err := w.participantRegion(ctx, r.ParticipantID, c.ProcessID)
		if err != nil {
			return err
		}
		out = m
		return w.emit(ctx, event{typ: participation.EvContributionReported, processID: c.ProcessID, componentID: c.ComponentID,
			entityID: r.Ref.ID, participantID: r.ParticipantID, region: region,
			payload: reportPayload{r.Ref.Kind, r.Reason, r.Ref.QuestionID}})
	})
	return out, err
}

// Moderate applies a moderator's decision through the state machine.
func (s *Store) Moderate(ctx context.Context, d participation.ModerationDecision) (participation.Moderated, error) {
	d.Reason = strings.TrimSpace(d.Reason)
	if err := d.Validate(); err != nil {
		return participation.Moderated{}, err
	}
	var out participation.Moderated
	err := s.write(ctx, func(w *Store) error {
		c, err := w.contribution(ctx, d.Ref)
		if err != nil {
			return err
		}
		m, found, err := w.moderationRow(ctx, d.Ref, c)
		if err != nil {
			return err
		}
		to, err := participation.Transition(m.Status, d.Action)
		if err != nil {
			return err
		}
		if err := w.setStatus(ctx, d.Ref, c, to, d.Reason); err != nil {
			return err
		}
		m.Status, m.Reason, m.Open = to, d.Reason, false
		if err := w.saveModeration(ctx, m, found, d.StaffID); err != nil {
			return err
		}
		out = m
		return nil
	})
	return out, err
}

// GetModeration returns an item's moderation state.
func (s *Store) GetModeration(ctx context.Context, ref participation.ContributionRef) (participation.Moderated, error) {
	c, err := s.contribution(ctx, ref)
	if err != nil {
		return participation.Moderated{}, err
	}
	m, _, err := s.moderationRow(ctx, ref, c)
	if err != nil {
		return m, err
	}
	if m.Reports > 0 || m.Open {
		if m.Reasons, err = s.reportReasons(ctx, ref); err != nil {
			return m, err
		}
	}
	return m, nil
}

func (s *Store) reportReasons(ctx context.Context, ref participation.ContributionRef) (map[participation.ReportReason]int, error) {
	var rows []struct {
		Reason participation.ReportReason `db:"reason"`
		N      int                        `db:"n"`
	}
	if err := s.sel(ctx, &rows, "report-reasons", string(ref.Kind), ref.ID, ref.QuestionID); err != nil {
		return nil, fmt.Errorf("store: unable to read report reasons: %w", err)
	}
	out := map[participation.ReportReason]int{}
	for _, r := range rows {
		out[r.Reason] = r.N
	}
	return out, nil
}

// ModerationStates returns the rows of those ids that have one.
func (s *Store) ModerationStates(ctx context.Context, kind participation.ContributionKind, ids []int64) (map[int64]participation.Moderated, error) {
	out := map[int64]participation.Moderated{}
	if len(ids) == 0 {
		return out, nil
	}
	q, args, err := s.in("list-moderation-states", string(kind), ids)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read moderation: %w", err)
	}
	var rows []moderatedRow
	if err := s.q.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: unable to read moderation: %w", err)
	}
	for _, r := range rows {
		out[r.EntityID] = r.moderated()
	}
	return out, nil
}

// ModerationQueue lists a process's open items, oldest first.
func (s *Store) ModerationQueue(ctx context.Context, f participation.QueueFilter) ([]participation.Moderated, int, error) {
	if f.Limit <= 0 {
		f.Limit = 50
	}
	f.Limit = min(f.Limit, 200)
	f.Offset = max(f.Offset, 0)
	among := ""
	if f.Among != nil {
		var b strings.Builder
		b.WriteString(",")
		for _, r := range f.Among {
			fmt.Fprintf(&b, "%s:%d:%d,", r.Kind, r.ID, r.QuestionID)
		}
		among = b.String() // "," alone keeps nothing
	}
	filter := []any{f.ProcessID, true, string(f.Kind), string(f.Kind), f.ComponentID, f.ComponentID, string(f.Reason), string(f.Reason), among, among}
	var rows []moderatedRow
	if err := s.sel(ctx, &rows, "moderation-queue", append(filter, f.Limit, f.Offset)...); err != nil {
		return nil, 0, fmt.Errorf("store: unable to read the moderation queue: %w", err)
	}
	var total int
	if err := s.get(ctx, &total, "moderation-queue-count", filter...); err != nil {
		return nil, 0, fmt.Errorf("store: unable to count the moderation queue: %w", err)
	}
	out := make([]participation.Moderated, 0, len(rows))
	for _, r := range rows {
		m := r.moderated()
		var err error
		if m.Reasons, err = s.reportReasons(ctx, m.Ref); err != nil {
			return nil, 0, err
		}
		out = append(out, m)
	}
	return out, total, nil
}

// QueueCounts returns the open items per process.
func (s *Store) QueueCounts(ctx context.Context) (map[int64]int, error) {
	var rows []struct {
		ProcessID int64 `db:"process_id"`
		N         int   `db:"n"`
	}
	if err := s.sel(ctx, &rows, "moderation-queue-counts", true); err != nil {
		return nil, fmt.Errorf("store: unable to count the moderation queues: %w", err)
	}
	out := map[int64]int{}
	for _, r := range rows {
		out[r.ProcessID] = r.N
	}
	return out, nil
}

// SetAutoHideAfter sets a process's auto-hide number.
func (s *Store) SetAutoHideAfter(ctx context.Context, processID int64, n int) error {
	if n < 0 || n > 1000 {
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "auto_hide_after", "err.out_of_range", "must be between %d and %d", 0, 1000)}
	}
	return s.write(ctx, func(w *Store) error {
		if err := w.processExists(ctx, processID); err != nil {
			return err
		}
		if _, err := w.exec(ctx, "set-auto-hide-after", n, processID); err != nil {
			return fmt.Errorf("store: unable to set auto-hide: %w", err)
		}
		return nil
	})
}

// AutoHideAfter returns a process's auto-hide number.
func (s *Store) AutoHideAfter(ctx context.Context, processID int64) (int, error) {
	var n int
	if err := s.get(ctx, &n, "get-auto-hide-after", processID); err != nil {
		if noRows(err) {
			return 0, notFound("process_id", "process")
		}
		return 0, fmt.Errorf("store: unable to read auto-hide: %w", err)
	}
	return n, nil
}

// SetPremoderated turns a component's pre-moderation on or off.
func (s *Store) SetPremoderated(ctx context.Context, componentID int64, on bool) error {
	return s.write(ctx, func(w *Store) error {
		n, err := w.exec(ctx, "set-premoderated", on, componentID)
		if err != nil {
			return fmt.Errorf("store: unable to set pre-moderation: %w", err)
		}
		if n == 0 {
			return notFound("component_id", "component")
		}
		return nil
	})
}

// IsPremoderated reports whether a component's contributions wait for approval.
func (s *Store) IsPremoderated(ctx context.Context, componentID int64) (bool, error) {
	var on bool
	if err := s.get(ctx, &on, "get-premoderated", componentID); err != nil {
		if noRows(err) {
			return false, notFound("component_id", "component")
		}
		return false, fmt.Errorf("store: unable to read pre-moderation: %w", err)
	}
	return on, nil
}

// holdIfPremoderated puts a just-created proposal or comment of a
// pre-moderated component in the queue as pending, in the creating
// transaction, with its contribution.hidden event: citizens and the
// dashboards do not see it until approved.
func (s *Store) holdIfPremoderated(ctx context.Context, ref participation.ContributionRef, c contribution) error {
	on, err := s.IsPremoderated(ctx, c.ComponentID)
	if err != nil || !on {
		return err
	}
	if err := s.setStatus(ctx, ref, c, participation.StatusPending, ""); err != nil {
		return err
	}
	m := participation.Moderated{Ref: ref, ProcessID: c.ProcessID, ComponentID: c.ComponentID, Status: participation.StatusPending, Open: true}
	return s.saveModeration(ctx, m, false, 0)
}

// HiddenComments lists the comments moderators hid on a target.
func (s *Store) HiddenComments(ctx context.Context, target participation.TargetKind, targetID int64) ([]participation.Moderated, error) {
	var rows []moderatedRow
	if err := s.sel(ctx, &rows, "hidden-comments-on", string(target), targetID); err != nil {
		return nil, fmt.Errorf("store: unable to list hidden comments: %w", err)
	}
	out := make([]participation.Moderated, 0, len(rows))
	for _, r := range rows {
		out = append(out, r.moderated())
	}
	return out, nil
}

type answerPayload struct {
	ParentID int64 `json:"parent_id"`
	StaffID  int64 `json:"staff_id"`
}

// AnswerAsInstitution stores an official answer with its event.
func (s *Store) AnswerAsInstitution(ctx context.Context, commentID, staffID int64, body string) (int64, error) {
	body = strings.TrimSpace(body)
	if v := participation.ValidateComment(participation.Comment{TargetKind: participation.TargetProposal, Kind: participation.CommentPlain, Body: body}); len(v) > 0 {
		return 0, v
	}
	var id int64
	err := s.write(ctx, func(w *Store) error {
		var c participation.Comment
		if err := w.get(ctx, &c, "get-comment", commentID); err != nil {
			if noRows(err) {
				return notFound("id", "comment")
			}
			return fmt.Errorf("store: unable to find comment: %w", err)
		}
		if c.ParentID != nil {
			if err := w.get(ctx, &c, "get-comment", *c.ParentID); err != nil {
				return fmt.Errorf("store: unable to find comment: %w", err)
			}
		}
		if c.Status != participation.StatusPublished {
			return participation.Errorf(participation.CodeConflict, "id", "err.answer_not_published", "only a published comment can be answered")
		}
		now := w.now(ctx)
		inst, err := w.insertID(ctx, "insert-participant", "institution", hashSecret("participant", randomToken()), "", now)
		if err != nil {
			return fmt.Errorf("store: unable to create the institution's participant: %w", err)
		}
		if id, err = w.insertID(ctx, "insert-official-answer", c.ProcessID, c.ComponentID, string(c.TargetKind), c.TargetID,
			c.ID, inst, body, now, staffID); err != nil {
			return fmt.Errorf("store: unable to store the answer: %w", err)
		}
		if err := w.countComment(ctx, c.TargetKind, c.TargetID, 1); err != nil {
			return err
		}
		return w.emit(ctx, event{typ: participation.EvOfficialAnswer, processID: c.ProcessID, componentID: c.ComponentID,
			entityID: id, payload: answerPayload{ParentID: c.ID, StaffID: staffID}})
	})
	return id, err
}

// ProcessQuestions lists a process's document questions.
func (s *Store) ProcessQuestions(ctx context.Context, processID int64) ([]participation.OpenQuestion, error) {
	var out []participation.OpenQuestion
	if err := s.sel(ctx, &out, "process-questions", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list questions: %w", err)
	}
	for i := range out {
		out[i].CreatedAt = out[i].CreatedAt.UTC()
	}
	return out, nil
}
