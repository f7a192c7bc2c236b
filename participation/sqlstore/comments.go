package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

type commentCreated struct {
	TargetKind   participation.TargetKind  `json:"target_kind"`
	TargetID     int64                     `json:"target_id"`
	ParentID     *int64                    `json:"parent_id"`
	Kind         participation.CommentKind `json:"kind"`
	Body         string                    `json:"body"`
	ProposedText string                    `json:"proposed_text"`
}

type commentVoted struct {
	Vote     participation.Vote `json:"vote"`
	Previous participation.Vote `json:"previous"`
}

type contributionHidden struct {
	Kind   string               `json:"kind"`
	Status participation.Status `json:"status"`
}

// CreateComment stores a comment on a published proposal or a document
// section, or a reply to a top-level comment on the same target.
func (s *Store) CreateComment(ctx context.Context, c participation.Comment) (int64, error) {
	c.Body, c.ProposedText = strings.TrimSpace(c.Body), strings.TrimSpace(c.ProposedText)
	if c.Kind == "" {
		c.Kind = participation.CommentPlain
	}
	if v := participation.ValidateComment(c); len(v) > 0 {
		return 0, v
	}
	if s.oneStatement() && c.ParentID == nil {
		if id, err := s.createCommentOne(ctx, c); id != 0 || err != nil {
			return id, err
		}
	}
	var id int64
	err := s.writeOne(ctx, func(w *Store) error {
		kind, stmt := participation.KindProposals, "proposal-write-rules"
		if c.TargetKind != participation.TargetProposal {
			kind, stmt = participation.KindDocument, "section-write-rules"
		}
		var t target
		if err := w.rules(ctx, &t, stmt, c.ParticipantID, c.TargetID); err != nil {
			if noRows(err) {
				return notFound("target_id", string(c.TargetKind))
			}
			return fmt.Errorf("store: unable to check the rules: %w", err)
		}
		if err := t.check(kind); err != nil {
			return err
		}
		if c.ParentID != nil {
			var parent participation.Comment
			err := w.get(ctx, &parent, "get-comment", *c.ParentID)
			if err != nil && !noRows(err) {
				return fmt.Errorf("store: unable to find parent comment: %w", err)
			}
			sameTarget := err == nil && parent.TargetKind == c.TargetKind && parent.TargetID == c.TargetID
			if err == nil && !sameTarget && c.TargetKind == participation.TargetSection && parent.TargetKind == participation.TargetSection {
				// A reply on a later version of the section answers a
				// comment of the same lineage.
				if sameTarget, err = w.sameLineage(ctx, parent.TargetID, c.TargetID); err != nil {
					return err
				}
			}
			if !sameTarget || parent.ParentID != nil || parent.Status != participation.StatusPublished {
				return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "parent_id", "err.bad_parent",
					"a reply must answer a top-level comment on the same %s", string(c.TargetKind))}
			}
		}
		row := []any{t.ProcessID, t.ComponentID, string(c.TargetKind), c.TargetID,
			c.ParentID, c.ParticipantID, string(c.Kind), c.Body, c.ProposedText, w.now(ctx)}
		ev := event{typ: participation.EvCommentCreated, processID: t.ProcessID, componentID: t.ComponentID,
			participantID: c.ParticipantID, region: t.region(),
			payload: commentCreated{c.TargetKind, c.TargetID, c.ParentID, c.Kind, c.Body, c.ProposedText}}
		// A pre-moderated component's comment takes the step-by-step path,
		// which can hold it as pending in the same transaction.
		held, err := w.IsPremoderated(ctx, t.ComponentID)
		if err != nil {
			return err
		}
		if w.fused() && !held {
			evArgs, err := w.fusedEventArgs(ctx, ev)
			if err != nil {
				return err
			}
			if id, err = w.insertID(ctx, "create-comment-fused", append(row, evArgs...)...); err != nil {
				return fmt.Errorf("store: unable to create comment: %w", err)
			}
			w.emitted()
			return nil
		}
		if id, err = w.insertID(ctx, "insert-comment", row...); err != nil {
			return fmt.Errorf("store: unable to create comment: %w", err)
		}
		if err := w.countComment(ctx, c.TargetKind, c.TargetID, 1); err != nil {
			return err
		}
		ev.entityID = id
		if err := w.emit(ctx, ev); err != nil || !held {
			return err
		}
		return w.holdIfPremoderated(ctx, participation.ContributionRef{Kind: participation.ContribComment, ID: id},
			contribution{ProcessID: t.ProcessID, ComponentID: t.ComponentID, ParticipantID: c.ParticipantID,
				Status: participation.StatusPublished, TargetKind: c.TargetKind, TargetID: c.TargetID})
	})
	return id, err
}

// createCommentOne tries a top-level comment as one statement; 0 and no
// error when it was refused or raced, having written nothing.
func (s *Store) createCommentOne(ctx context.Context, c participation.Comment) (int64, error) {
	stmt := "create-section-comment-one"
	if c.TargetKind == participation.TargetProposal {
		stmt = "create-proposal-comment-one"
	}
	payload, err := json.Marshal(commentCreated{c.TargetKind, c.TargetID, c.ParentID, c.Kind, c.Body, c.ProposedText})
	if err != nil {
		return 0, fmt.Errorf("store: unable to encode %s event: %w", participation.EvCommentCreated, err)
	}
	var ids []int64
	if err := s.sel(ctx, &ids, stmt, c.TargetID, c.ParticipantID, s.now(ctx), string(c.Kind), c.Body, c.ProposedText,
		string(participation.EvCommentCreated), string(payload)); err != nil {
		return 0, fmt.Errorf("store: unable to create comment: %w", err)
	}
	if len(ids) == 0 {
		return 0, nil
	}
	s.emitted()
	return ids[0], nil
}

func (s *Store) countComment(ctx context.Context, kind participation.TargetKind, targetID int64, delta int) error {
	stmt := "add-proposal-comment-count"
	if kind == participation.TargetSection {
		stmt = "add-section-comment-count"
	}
	if _, err := s.exec(ctx, stmt, delta, targetID); err != nil {
		return fmt.Errorf("store: unable to count comment: %w", err)
	}
	return nil
}

// GetComment returns a comment whatever its status (moderators need hidden
// ones); citizen pages show only StatusPublished.
func (s *Store) GetComment(ctx context.Context, id int64) (participation.Comment, error) {
	var c participation.Comment
	if err := s.get(ctx, &c, "get-comment", id); err != nil {
		if noRows(err) {
			return c, notFound("id", "comment")
		}
		return c, fmt.Errorf("store: unable to get comment: %w", err)
	}
	c.CreatedAt = c.CreatedAt.UTC()
	return c, nil
}

// ListComments returns a target's published top-level comments, oldest
// first, each with its published replies.
//
// For a section they are the comments of its whole lineage up to its
// version; those written on an earlier version whose text has changed since
// are marked OnEarlierVersion.
func (s *Store) ListComments(ctx context.Context, kind participation.TargetKind, targetID int64) ([]participation.Comment, error) {
	var all []participation.Comment
	if kind == participation.TargetSection {
		var err error
		if all, err = s.lineageComments(ctx, targetID); err != nil {
			return nil, err
		}
	} else if err := s.sel(ctx, &all, "list-comments", string(kind), targetID); err != nil {
		return nil, fmt.Errorf("store: unable to list comments: %w", err)
	}
	top := []participation.Comment{}
	at := map[int64]int{}
	for _, c := range all {
		c.CreatedAt = c.CreatedAt.UTC()
		if c.ParentID == nil {
			at[c.ID] = len(top)
			top = append(top, c)
		}
	}
	for _, c := range all {
		if c.ParentID == nil {
			continue
		}
		if i, ok := at[*c.ParentID]; ok {
			c.CreatedAt = c.CreatedAt.UTC()
			top[i].Replies = append(top[i].Replies, c)
		}
	}
	return top, nil
}

// sameLineage reports whether two sections descend from the same one.
func (s *Store) sameLineage(ctx context.Context, a, b int64) (bool, error) {
	sa, err := s.GetSection(ctx, a)
	if err != nil {
		return false, err
	}
	sb, err := s.GetSection(ctx, b)
	if participation.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return sa.ComponentID == sb.ComponentID && sa.LineageID == sb.LineageID, nil
}

func (s *Store) lineageComments(ctx context.Context, sectionID int64) ([]participation.Comment, error) {
	sec, err := s.GetSection(ctx, sectionID)
	if participation.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var rows []struct {
		participation.Comment
		Version int `db:"section_version"`
	}
	if err := s.sel(ctx, &rows, "list-lineage-comments", sec.ComponentID, sec.LineageID, sec.Version); err != nil {
		return nil, fmt.Errorf("store: unable to list comments: %w", err)
	}
	var changes []int
	if err := s.sel(ctx, &changes, "lineage-changes", sec.ComponentID, sec.LineageID, sec.Version); err != nil {
		return nil, fmt.Errorf("store: unable to read section changes: %w", err)
	}
	out := make([]participation.Comment, 0, len(rows))
	for _, r := range rows {
		c := r.Comment
		for _, v := range changes {
			if v > r.Version {
				c.OnEarlierVersion = true
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// VoteComment records or changes a participant's vote on a section comment.
func (s *Store) VoteComment(ctx context.Context, commentID, participantID int64, v participation.Vote) error {
	switch v {
	case participation.VoteAgree, participation.VoteDisagree, participation.VotePass:
	default:
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "vote", "err.bad_choice", "must be agree, disagree or pass")}
	}
	if s.oneStatement() {
		var n int
		if err := s.get(ctx, &n, "vote-one", commentID, participantID, s.now(ctx), string(v), string(participation.EvCommentVoted)); err != nil {
			return fmt.Errorf("store: unable to vote: %w", err)
		}
		if n > 0 {
			s.emitted()
			return nil
		}
	}
	return s.writeOne(ctx, func(w *Store) error {
		var t struct {
			target
			Status     participation.Status     `db:"comment_status"`
			TargetKind participation.TargetKind `db:"target_kind"`
			Previous   participation.Vote       `db:"previous"`
		}
		if err := w.rules(ctx, &t, "vote-write-rules", participantID, participantID, commentID); err != nil {
			if noRows(err) {
				return notFound("comment_id", "comment")
			}
			return fmt.Errorf("store: unable to find comment: %w", err)
		}
		if t.Status != participation.StatusPublished {
			return notFound("comment_id", "comment")
		}
		if t.TargetKind != participation.TargetSection {
			return participation.Errorf(participation.CodeInvalid, "comment_id", "err.no_votes", "only comments on a document take votes")
		}
		if err := t.check(participation.KindDocument); err != nil {
			return err
		}
		prev := t.Previous
		if prev == v {
			return participation.Errorf(participation.CodeDuplicate, "vote", "err.already_voted", "you already voted %s", string(v))
		}
		now := w.now(ctx)
		d := map[participation.Vote]int{v: 1}
		if prev != "" {
			d[prev] = -1
		}
		counts := []any{d[participation.VoteAgree], d[participation.VoteDisagree], d[participation.VotePass]}
		ev := event{typ: participation.EvCommentVoted, processID: t.ProcessID, componentID: t.ComponentID,
			entityID: commentID, participantID: participantID, region: t.region(), payload: commentVoted{v, prev}}
		// A pre-moderated component's comment takes the step-by-step path,
		// which can hold it as pending in the same transaction.
		held, err := w.IsPremoderated(ctx, t.ComponentID)
		if err != nil {
			return err
		}
		if w.fused() && !held {
			evArgs, err := w.fusedEventArgs(ctx, ev)
			if err != nil {
				return err
			}
			args := append([]any{commentID, participantID, string(v), now, now, string(prev)}, counts...)
			var n int
			if err := w.get(ctx, &n, "vote-fused", append(args, evArgs...)...); err != nil {
				return fmt.Errorf("store: unable to vote: %w", err)
			}
			if n == 0 { // a concurrent vote of the same participant won
				return participation.Errorf(participation.CodeDuplicate, "vote", "err.already_voted", "you already voted")
			}
			w.emitted()
			return nil
		}
		if prev == "" {
			n, err := w.exec(ctx, "insert-vote", commentID, participantID, string(v), now, now)
			if err != nil {
				return fmt.Errorf("store: unable to vote: %w", err)
			}
			if n == 0 { // a concurrent first vote won
				return participation.Errorf(participation.CodeDuplicate, "vote", "err.already_voted", "you already voted")
			}
		} else if _, err := w.exec(ctx, "update-vote", string(v), now, commentID, participantID); err != nil {
			return fmt.Errorf("store: unable to change vote: %w", err)
		}
		if _, err := w.exec(ctx, "add-vote-counts", append(counts, commentID)...); err != nil {
			return fmt.Errorf("store: unable to count vote: %w", err)
		}
		return w.emit(ctx, ev)
	})
}

// MyVotes returns the participant's votes on the given comments.
func (s *Store) MyVotes(ctx context.Context, participantID int64, commentIDs []int64) (map[int64]participation.Vote, error) {
	out := map[int64]participation.Vote{}
	if len(commentIDs) == 0 {
		return out, nil
	}
	q, args, err := s.in("my-votes", participantID, commentIDs)
	if err != nil {
		return nil, fmt.Errorf("store: unable to read votes: %w", err)
	}
	var rows []struct {
		CommentID int64              `db:"comment_id"`
		Vote      participation.Vote `db:"vote"`
	}
	if err := s.q.SelectContext(ctx, &rows, q, args...); err != nil {
		return nil, fmt.Errorf("store: unable to read votes: %w", err)
	}
	for _, r := range rows {
		out[r.CommentID] = r.Vote
	}
	return out, nil
}

// SetCommentStatus hides, withdraws or republishes a comment. Comment counts
// follow what citizens can see.
func (s *Store) SetCommentStatus(ctx context.Context, commentID int64, st participation.Status) error {
	switch st {
	case participation.StatusPublished, participation.StatusHidden, participation.StatusWithdrawn:
	default:
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "status", "err.bad_choice", "must be published, hidden or withdrawn")}
	}
	return s.write(ctx, func(w *Store) error {
		var c participation.Comment
		if err := w.get(ctx, &c, "get-comment", commentID); err != nil {
			if noRows(err) {
				return notFound("id", "comment")
			}
			return fmt.Errorf("store: unable to find comment: %w", err)
		}
		if c.Status == st {
			return nil
		}
		if _, err := w.exec(ctx, "set-comment-status", string(st), commentID); err != nil {
			return fmt.Errorf("store: unable to set comment status: %w", err)
		}
		wasVisible, isVisible := c.Status == participation.StatusPublished, st == participation.StatusPublished
		if wasVisible != isVisible {
			delta := 1
			if wasVisible {
				delta = -1
			}
			if err := w.countComment(ctx, c.TargetKind, c.TargetID, delta); err != nil {
				return err
			}
		}
		region, err := w.participantRegion(ctx, c.ParticipantID, c.ProcessID)
		if err != nil {
			return err
		}
		return w.emit(ctx, event{typ: participation.EvContributionHidden, processID: c.ProcessID, componentID: c.ComponentID,
			entityID: commentID, participantID: c.ParticipantID, region: region, payload: contributionHidden{"comment", st}})
	})
}
