package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// commentPageStatements are the statements of sql/comment_pages.sql.
var commentPageStatements = []string{
	"count-lineage-top-comments",
	"list-section-replies",
	"newer-lineage-comments",
	"page-lineage-comments-newest",
	"page-lineage-comments-votes",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "comment_pages.sql")
	statementNames = append(statementNames, commentPageStatements...)
}

// lineageRow is a section comment with the version of the section it was
// written on, to tell whether the text has changed since.
type lineageRow struct {
	participation.Comment
	Version int `db:"section_version"`
}

// ListSectionComments returns one page of a section's top-level comments
// with their replies, and the number of top-level comments. The database
// sorts and cuts the page, so a section with thousands of comments costs a
// page's worth of rows.
func (s *Store) ListSectionComments(ctx context.Context, sectionID int64, q participation.CommentQuery) ([]participation.Comment, int, error) {
	if q.Limit <= 0 {
		q.Limit = 20
	}
	q.Limit, q.Offset = min(q.Limit, 100), max(q.Offset, 0)
	stmt := "page-lineage-comments-newest"
	if q.Order == participation.CommentsMostVoted {
		stmt = "page-lineage-comments-votes"
	}
	sec, err := s.GetSection(ctx, sectionID)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := s.get(ctx, &total, "count-lineage-top-comments", sec.ComponentID, sec.LineageID, sec.Version); err != nil {
		return nil, 0, fmt.Errorf("store: unable to count comments: %w", err)
	}
	var rows []lineageRow
	if err := s.sel(ctx, &rows, stmt, sec.ComponentID, sec.LineageID, sec.Version, q.Limit, q.Offset); err != nil {
		return nil, 0, fmt.Errorf("store: unable to list comments: %w", err)
	}
	var changes []int
	if err := s.sel(ctx, &changes, "lineage-changes", sec.ComponentID, sec.LineageID, sec.Version); err != nil {
		return nil, 0, fmt.Errorf("store: unable to read section changes: %w", err)
	}
	mark := func(r lineageRow) participation.Comment {
		c := r.Comment
		c.CreatedAt = c.CreatedAt.UTC()
		for _, v := range changes {
			if v > r.Version {
				c.OnEarlierVersion = true
			}
		}
		return c
	}
	out := make([]participation.Comment, 0, len(rows))
	at := map[int64]int{}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		at[r.ID] = len(out)
		ids = append(ids, r.ID)
		out = append(out, mark(r))
	}
	if len(ids) == 0 {
		return out, total, nil
	}
	query, args, err := s.in("list-section-replies", ids)
	if err != nil {
		return nil, 0, fmt.Errorf("store: unable to list replies: %w", err)
	}
	var replies []lineageRow
	if err := s.q.SelectContext(ctx, &replies, query, args...); err != nil {
		return nil, 0, fmt.Errorf("store: unable to list replies: %w", err)
	}
	for _, r := range replies {
		if i, ok := at[*r.ParentID]; ok {
			out[i].Replies = append(out[i].Replies, mark(r))
		}
	}
	return out, total, nil
}

// SectionCommentOffset returns how many top-level comments come before a
// top-level comment of the section's lineage, newest first.
func (s *Store) SectionCommentOffset(ctx context.Context, sectionID, commentID int64) (int, error) {
	sec, err := s.GetSection(ctx, sectionID)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.get(ctx, &n, "newer-lineage-comments", commentID, sec.ComponentID, sec.LineageID, sec.Version); err != nil {
		return 0, fmt.Errorf("store: unable to place comment: %w", err)
	}
	return n, nil
}
