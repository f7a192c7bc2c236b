package sqlstore_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

func TestProposalComments(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Bus shelters")
		other := x.proposal(x.citizen.ID, "Bike lanes")
		c := participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParticipantID: x.citizen2.ID, Body: " Good idea "}
		top := must(x.s.CreateComment(x.ctx, c))(t)
		e := x.last(participation.EvCommentCreated)
		if e.EntityID != top || e.ComponentID != x.props || e.ProcessID != x.proc || e.ParticipantID != x.citizen2.ID || e.RegionCode != "" {
			t.Fatalf("comment.created %+v", e)
		}
		sameJSON(t, e.Payload, `{"target_kind":"proposal","target_id":`+itoa(prop)+`,"parent_id":null,"kind":"comment","body":"Good idea","proposed_text":""}`)

		reply := c
		reply.ParentID, reply.ParticipantID, reply.Body = &top, x.citizen.ID, "Thanks!"
		rid := must(x.s.CreateComment(x.ctx, reply))(t)
		sameJSON(t, x.last(participation.EvCommentCreated).Payload, `{"target_kind":"proposal","target_id":`+itoa(prop)+`,"parent_id":`+itoa(top)+`,"kind":"comment","body":"Thanks!","proposed_text":""}`)

		// One level of replies, on the same target only.
		deep := reply
		deep.ParentID = &rid
		_, err := x.s.CreateComment(x.ctx, deep)
		wantField(t, err, "parent_id", "err.bad_parent")
		elsewhere := reply
		elsewhere.TargetID = other
		_, err = x.s.CreateComment(x.ctx, elsewhere)
		wantField(t, err, "parent_id", "err.bad_parent")
		missing := int64(9999)
		ghost := reply
		ghost.ParentID = &missing
		_, err = x.s.CreateComment(x.ctx, ghost)
		wantField(t, err, "parent_id", "err.bad_parent")

		for _, bad := range []struct {
			edit       func(c *participation.Comment)
			field, key string
		}{
			{func(c *participation.Comment) { c.Body = "x" }, "body", "err.too_short"},
			{func(c *participation.Comment) { c.Body = strings.Repeat("x", 3001) }, "body", "err.too_long"},
			{func(c *participation.Comment) { c.Kind = participation.CommentAmendment; c.ProposedText = "new" }, "kind", "err.bad_choice"},
			{func(c *participation.Comment) { c.TargetKind = "image" }, "target_kind", "err.bad_choice"},
		} {
			b := c
			bad.edit(&b)
			_, err := x.s.CreateComment(x.ctx, b)
			wantField(t, err, bad.field, bad.key)
		}
		unknown := c
		unknown.TargetID = 9999
		_, err = x.s.CreateComment(x.ctx, unknown)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.CreateComment(participation.AsOf(x.ctx, date(5, 1)), c)
		wantCode(t, err, participation.CodeClosed)

		list := must(x.s.ListComments(x.ctx, participation.TargetProposal, prop))(t)
		if len(list) != 1 || list[0].ID != top || list[0].Body != "Good idea" || len(list[0].Replies) != 1 || list[0].Replies[0].ID != rid {
			t.Fatalf("ListComments = %+v", list)
		}
		if p := must(x.s.GetProposal(x.ctx, prop))(t); p.CommentCount != 2 {
			t.Fatalf("comment_count = %d", p.CommentCount)
		}
		got := must(x.s.GetComment(x.ctx, rid))(t)
		if got.ParentID == nil || *got.ParentID != top || got.Kind != participation.CommentPlain || !got.CreatedAt.Equal(now) {
			t.Fatalf("GetComment = %+v", got)
		}
		_, err = x.s.GetComment(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)

		// Proposal comments take no votes.
		wantCode(t, x.s.VoteComment(x.ctx, top, x.citizen.ID, participation.VoteAgree), participation.CodeInvalid)

		// Moderation hides without deleting; counts follow what citizens see.
		ok(t, x.s.SetCommentStatus(x.ctx, top, participation.StatusHidden))
		e = x.last(participation.EvContributionHidden)
		if e.EntityID != top || e.ParticipantID != x.citizen2.ID || e.ComponentID != x.props {
			t.Fatalf("contribution.hidden %+v", e)
		}
		sameJSON(t, e.Payload, `{"kind":"comment","status":"hidden"}`)
		if list := must(x.s.ListComments(x.ctx, participation.TargetProposal, prop))(t); len(list) != 0 {
			t.Fatalf("hidden comment listed: %+v", list)
		}
		if p := must(x.s.GetProposal(x.ctx, prop))(t); p.CommentCount != 1 {
			t.Fatalf("comment_count after hiding = %d", p.CommentCount)
		}
		if c := must(x.s.GetComment(x.ctx, top))(t); c.Status != participation.StatusHidden {
			t.Fatalf("status = %s", c.Status)
		}
		_, err = x.s.CreateComment(x.ctx, reply)
		wantField(t, err, "parent_id", "err.bad_parent")
		ok(t, x.s.SetCommentStatus(x.ctx, top, participation.StatusPublished))
		sameJSON(t, x.last(participation.EvContributionHidden).Payload, `{"kind":"comment","status":"published"}`)
		if p := must(x.s.GetProposal(x.ctx, prop))(t); p.CommentCount != 2 {
			t.Fatalf("comment_count after republishing = %d", p.CommentCount)
		}
		wantCode(t, x.s.SetCommentStatus(x.ctx, 9999, participation.StatusHidden), participation.CodeNotFound)
		wantCode(t, x.s.SetCommentStatus(x.ctx, top, "deleted"), participation.CodeInvalid)
	})
}

func TestDocumentsAndVotes(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		_, err := x.s.GetDocument(x.ctx, x.doc)
		wantCode(t, err, participation.CodeNotFound)
		d := x.document()
		e := x.last(participation.EvDocumentPublished)
		if e.ComponentID != x.doc || e.ProcessID != x.proc || e.ParticipantID != 0 {
			t.Fatalf("document.published %+v", e)
		}
		sameJSON(t, e.Payload, `{"version":1}`)
		if d.Version != 1 || len(d.Sections) != 2 || d.Sections[0].Heading != "Roads" || d.Sections[1].Position != 2 {
			t.Fatalf("document %+v", d)
		}
		v2 := must(x.s.PublishDocument(x.ctx, participation.Document{ComponentID: x.doc, Title: "Plan v2",
			Sections: []participation.Section{{Heading: "All", Body: "Everything."}}}))(t)
		if v2 != 2 {
			t.Fatalf("second version = %d", v2)
		}
		if got := must(x.s.GetDocument(x.ctx, x.doc))(t); got.Version != 2 || got.Title != "Plan v2" || len(got.Sections) != 1 {
			t.Fatalf("latest document %+v", got)
		}
		_, err = x.s.PublishDocument(x.ctx, participation.Document{ComponentID: x.props, Title: "x", Sections: []participation.Section{{Body: "b"}}})
		wantCode(t, err, participation.CodeInvalid)
		_, err = x.s.PublishDocument(x.ctx, participation.Document{ComponentID: x.doc, Title: "Empty"})
		wantField(t, err, "sections", "err.required")

		sec := d.Sections[0]
		amend := participation.Comment{TargetKind: participation.TargetSection, TargetID: sec.ID, ParticipantID: x.citizen.ID,
			Kind: participation.CommentAmendment, Body: "Say 50 km", ProposedText: "Tarmac 50 km."}
		cid := must(x.s.CreateComment(x.ctx, amend))(t)
		e = x.last(participation.EvCommentCreated)
		if e.ComponentID != x.doc {
			t.Fatalf("section comment event %+v", e)
		}
		sameJSON(t, e.Payload, `{"target_kind":"section","target_id":`+itoa(sec.ID)+`,"parent_id":null,"kind":"amendment","body":"Say 50 km","proposed_text":"Tarmac 50 km."}`)
		noText := amend
		noText.ProposedText = ""
		_, err = x.s.CreateComment(x.ctx, noText)
		wantField(t, err, "proposed_text", "err.required")
		question := amend
		question.Kind, question.ProposedText, question.Body = participation.CommentQuestion, "", "Which roads?"
		qid := must(x.s.CreateComment(x.ctx, question))(t)
		if s := must(x.s.GetSection(x.ctx, sec.ID))(t); s.CommentCount != 2 || s.Heading != "Roads" {
			t.Fatalf("section %+v", s)
		}
		_, err = x.s.GetSection(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)

		// Votes: one per participant, changeable, counted.
		ok(t, x.s.VoteComment(x.ctx, cid, x.citizen2.ID, participation.VoteAgree))
		e = x.last(participation.EvCommentVoted)
		if e.EntityID != cid || e.ParticipantID != x.citizen2.ID || e.ComponentID != x.doc {
			t.Fatalf("comment.voted %+v", e)
		}
		sameJSON(t, e.Payload, `{"vote":"agree","previous":""}`)
		wantCode(t, x.s.VoteComment(x.ctx, cid, x.citizen2.ID, participation.VoteAgree), participation.CodeDuplicate)
		ok(t, x.s.VoteComment(x.ctx, cid, x.citizen2.ID, participation.VoteDisagree))
		sameJSON(t, x.last(participation.EvCommentVoted).Payload, `{"vote":"disagree","previous":"agree"}`)
		ok(t, x.s.VoteComment(x.ctx, cid, x.citizen.ID, participation.VotePass))
		ok(t, x.s.VoteComment(x.ctx, qid, x.citizen.ID, participation.VoteAgree))
		c := must(x.s.GetComment(x.ctx, cid))(t)
		if c.Agree != 0 || c.Disagree != 1 || c.Pass != 1 {
			t.Fatalf("counts agree %d disagree %d pass %d", c.Agree, c.Disagree, c.Pass)
		}
		votes := must(x.s.MyVotes(x.ctx, x.citizen.ID, []int64{cid, qid, 9999}))(t)
		if !reflect.DeepEqual(votes, map[int64]participation.Vote{cid: participation.VotePass, qid: participation.VoteAgree}) {
			t.Fatalf("MyVotes = %v", votes)
		}
		if v := must(x.s.MyVotes(x.ctx, x.citizen.ID, nil))(t); len(v) != 0 {
			t.Fatalf("MyVotes(nil) = %v", v)
		}
		wantCode(t, x.s.VoteComment(x.ctx, cid, x.citizen.ID, "maybe"), participation.CodeInvalid)
		wantCode(t, x.s.VoteComment(x.ctx, 9999, x.citizen.ID, participation.VoteAgree), participation.CodeNotFound)
		wantCode(t, x.s.VoteComment(x.ctx, cid, 9999, participation.VoteAgree), participation.CodeNotFound)
		wantCode(t, x.s.VoteComment(participation.AsOf(x.ctx, date(4, 2)), cid, x.citizen.ID, participation.VoteAgree), participation.CodeClosed)
	})
}
