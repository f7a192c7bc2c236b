package sqlstore_test

import (
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// TestSectionCommentPages pages a section's comments across document
// versions: comments on the earlier version come with the new one (marked),
// replies come with their comment, both orders are total, and the offset of
// a comment finds its page.
func TestSectionCommentPages(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		v1 := x.document()
		roads := v1.Sections[0]
		c1 := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: roads.ID, ParticipantID: x.citizen.ID, Body: "More roads please"}))(t)
		d := participation.SplitMarkdown("Draft plan v2", "Intro text.\n\n## Water\nTen boreholes.\n\n## Roads\nTarmac 60 km.\n")
		d.ComponentID = x.doc
		must(x.s.PublishDocument(x.ctx, d))(t)
		r2 := must(x.s.GetDocument(x.ctx, x.doc))(t).Sections[2]
		c2 := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: r2.ID, ParticipantID: x.citizen2.ID, Body: "60 km is better"}))(t)
		c3 := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: r2.ID, ParticipantID: x.citizen.ID, Body: "Tarmac the market road"}))(t)
		reply := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: r2.ID, ParentID: &c1, ParticipantID: x.citizen2.ID, Body: "Agreed"}))(t)

		page := func(o participation.CommentOrder, limit, offset int) ([]int64, int, []participation.Comment) {
			t.Helper()
			cs, total, err := x.s.ListSectionComments(x.ctx, r2.ID, participation.CommentQuery{Order: o, Limit: limit, Offset: offset})
			ok(t, err)
			var ids []int64
			for _, c := range cs {
				ids = append(ids, c.ID)
			}
			return ids, total, cs
		}
		// Newest first (the clock is fixed, so the id breaks the tie).
		if ids, total, _ := page(participation.CommentsNewest, 2, 0); total != 3 || len(ids) != 2 || ids[0] != c3 || ids[1] != c2 {
			t.Fatalf("newest page 1 = %v of %d", ids, total)
		}
		ids, _, cs := page(participation.CommentsNewest, 2, 2)
		if len(ids) != 1 || ids[0] != c1 || !cs[0].OnEarlierVersion || len(cs[0].Replies) != 1 || cs[0].Replies[0].ID != reply {
			t.Fatalf("newest page 2 = %+v", cs)
		}
		// Most votes first: the votes lift c1, the rest stay newest first.
		ok(t, x.s.VoteComment(x.ctx, c1, x.citizen2.ID, participation.VoteDisagree))
		if ids, _, _ := page(participation.CommentsMostVoted, 0, 0); len(ids) != 3 || ids[0] != c1 || ids[1] != c3 || ids[2] != c2 {
			t.Fatalf("most voted = %v", ids)
		}
		for c, want := range map[int64]int{c3: 0, c2: 1, c1: 2} {
			if got := must(x.s.SectionCommentOffset(x.ctx, r2.ID, c))(t); got != want {
				t.Errorf("offset of %d = %d, want %d", c, got, want)
			}
		}
		// Hidden comments are neither listed nor counted.
		ok(t, x.s.SetCommentStatus(x.ctx, c3, participation.StatusHidden))
		if ids, total, _ := page(participation.CommentsNewest, 10, 0); total != 2 || len(ids) != 2 || ids[0] != c2 {
			t.Fatalf("after hiding: %v of %d", ids, total)
		}
		// The first version's section lists only what was written on it.
		if cs, total, err := x.s.ListSectionComments(x.ctx, roads.ID, participation.CommentQuery{}); err != nil || total != 1 || len(cs) != 1 || cs[0].ID != c1 {
			t.Fatalf("v1 roads = %+v of %d (%v)", cs, total, err)
		}
		_, _, err := x.s.ListSectionComments(x.ctx, 999999, participation.CommentQuery{})
		wantCode(t, err, participation.CodeNotFound)
	})
}
