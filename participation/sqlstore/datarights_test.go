package sqlstore_test

import (
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// rich gives me (registered as Otieno) one of each kind of item, and
// citizen2 their own, so a download can be checked for both.
func (x *fx) rich() (me, pid, theirs, cid, vid int64) {
	x.t.Helper()
	t := x.t
	x.registered()
	me = x.citizen.ID
	secret := must(x.s.Register(x.ctx, x.proc, me, participation.Consent{NoticeVersion: 1}, participation.Profile{Name: "Otieno", Email: "otieno@example.org"}))(t)
	ok(t, x.s.Verify(x.ctx, x.proc, me, secret))
	for _, who := range []int64{x.citizen2.ID} {
		s2 := must(x.s.Register(x.ctx, x.proc, who, participation.Consent{NoticeVersion: 1}, participation.Profile{Name: "Wanjiru", Email: "wanjiru@example.org"}))(t)
		ok(t, x.s.Verify(x.ctx, x.proc, who, s2))
	}
	pid = x.proposal(me, "Fish market")
	theirs = x.proposal(x.citizen2.ID, "Their idea")
	ok(t, x.s.Support(x.ctx, theirs, me, true))
	ok(t, x.s.Follow(x.ctx, theirs, me, true))
	cid = must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: theirs, ParticipantID: me, Body: "Agreed, my phone is 0712"}))(t)
	must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: pid, ParticipantID: x.citizen2.ID, Body: "Their comment"}))(t)
	doc := x.document()
	vid = must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: doc.Sections[0].ID, ParticipantID: x.citizen2.ID, Body: "More roads"}))(t)
	ok(t, x.s.VoteComment(x.ctx, vid, me, participation.VoteAgree))
	qs := x.surveyQuestions()
	must(x.s.SaveSurveyPage(x.ctx, x.survey, me, 1, []participation.Answer{{QuestionID: qs[participation.QSingle].ID, Choices: []int{1}}}))(t)
	return
}

func TestMyData(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		me, pid, theirs, cid, vid := x.rich()
		d := must(x.s.MyData(x.ctx, me))(t)
		if d.Participant.ID != me || len(d.Profiles) != 1 || d.Profiles[0].Email != "otieno@example.org" || d.Profiles[0].Name != "Otieno" {
			t.Fatalf("participant/profiles %+v %+v", d.Participant, d.Profiles)
		}
		if len(d.Consents) != 1 || d.Consents[0].NoticeVersion != 1 {
			t.Fatalf("consents %+v", d.Consents)
		}
		if len(d.Proposals) != 1 || d.Proposals[0].ID != pid || len(d.Comments) != 1 || d.Comments[0].ID != cid {
			t.Fatalf("proposals/comments %+v %+v", d.Proposals, d.Comments)
		}
		if len(d.Supports) != 1 || d.Supports[0] != theirs || len(d.Follows) != 1 || d.Follows[0] != theirs {
			t.Fatalf("supports/follows %v %v", d.Supports, d.Follows)
		}
		if len(d.Votes) != 1 || d.Votes[0].CommentID != vid || d.Votes[0].Vote != participation.VoteAgree {
			t.Fatalf("votes %+v", d.Votes)
		}
		if len(d.Responses) != 1 || len(d.Responses[0].Answers) != 1 {
			t.Fatalf("responses %+v", d.Responses)
		}
		_, err := x.s.MyData(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)
	})
}

func TestEraseKeep(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		me, pid, theirs, cid, _ := x.rich()
		ids := must(x.s.ParticipantsByEmail(x.ctx, " otieno@EXAMPLE.org"))(t)
		if len(ids) != 1 || ids[0] != me {
			t.Fatalf("by email %v", ids)
		}
		e := must(x.s.Erase(x.ctx, me, false))(t)
		if e.Removed || e.Profiles != 1 || e.Proposals+e.Comments+e.Supports != 0 {
			t.Fatalf("erasure %+v", e)
		}
		sameJSON(t, x.last(participation.EvParticipantErased).Payload, `{"contributions":"kept","proposals":0,"comments":0,"supports":0}`)
		if ids := must(x.s.ParticipantsByEmail(x.ctx, "otieno@example.org"))(t); len(ids) != 0 {
			t.Fatalf("still found by email: %v", ids)
		}
		_, err := x.s.ParticipantByToken(x.ctx, me, x.citizen.Token)
		wantCode(t, err, participation.CodeNotFound)
		if p := must(x.s.GetProposal(x.ctx, pid))(t); p.Title != "Fish market" {
			t.Fatalf("kept proposal %+v", p)
		}
		if c := must(x.s.GetComment(x.ctx, cid))(t); c.Status != participation.StatusPublished || c.Body == "" {
			t.Fatalf("kept comment %+v", c)
		}
		if p := must(x.s.GetProposal(x.ctx, theirs))(t); p.SupportCount != 1 {
			t.Fatalf("kept support %d", p.SupportCount)
		}
		d := must(x.s.MyData(x.ctx, me))(t)
		if len(d.Profiles) != 0 || len(d.Follows) != 0 || len(d.Proposals) != 1 {
			t.Fatalf("after erasure %+v", d)
		}
		// Again: nothing more to remove, no refusal.
		e = must(x.s.Erase(x.ctx, me, false))(t)
		if e.Profiles != 0 {
			t.Fatalf("second erasure %+v", e)
		}
		// The other participant is untouched.
		if d := must(x.s.MyData(x.ctx, x.citizen2.ID))(t); len(d.Profiles) != 1 || len(d.Proposals) != 1 {
			t.Fatalf("other participant %+v", d)
		}
	})
}

func TestEraseRemove(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		me, pid, theirs, cid, _ := x.rich()
		e := must(x.s.Erase(x.ctx, me, true))(t)
		if !e.Removed || e.Proposals != 1 || e.Comments != 1 || e.Supports != 1 {
			t.Fatalf("erasure %+v", e)
		}
		_, err := x.s.GetProposal(x.ctx, pid)
		wantCode(t, err, participation.CodeNotFound)
		if c := must(x.s.GetComment(x.ctx, cid))(t); c.Status != participation.StatusHidden || c.Body != "" {
			t.Fatalf("removed comment %+v", c)
		}
		if p := must(x.s.GetProposal(x.ctx, theirs))(t); p.SupportCount != 0 || p.CommentCount != 0 {
			t.Fatalf("their proposal still counts me: %+v", p)
		}
		var n int
		ok(t, x.s.DB().GetContext(x.ctx, &n, "SELECT COUNT(*) FROM proposals WHERE title = 'Fish market' OR description LIKE '%Fish market%'"))
		if n != 0 {
			t.Fatal("removed proposal's text survived")
		}
		hidden, unsupported := 0, 0
		for _, ev := range x.events() {
			if ev.Type == participation.EvContributionHidden && (ev.EntityID == pid || ev.EntityID == cid) {
				hidden++
			}
			if ev.Type == participation.EvSupportRemoved && ev.EntityID == theirs && ev.ParticipantID == me {
				unsupported++
			}
		}
		if hidden != 2 || unsupported != 1 {
			t.Fatalf("events: %d hidden, %d supports removed", hidden, unsupported)
		}
		sameJSON(t, x.last(participation.EvParticipantErased).Payload, `{"contributions":"removed","proposals":1,"comments":1,"supports":1}`)
		before := x.count()
		e = must(x.s.Erase(x.ctx, me, true))(t)
		if e.Proposals+e.Comments+e.Supports != 0 || x.count() != before+1 {
			t.Fatalf("second erasure %+v, %d events", e, x.count()-before)
		}
		_, err = x.s.Erase(x.ctx, 9999, true)
		wantCode(t, err, participation.CodeNotFound)
	})
}
