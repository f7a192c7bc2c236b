package sqlstore_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

func proposalRef(id int64) participation.ContributionRef {
	return participation.ContributionRef{Kind: participation.ContribProposal, ID: id}
}

func commentRef(id int64) participation.ContributionRef {
	return participation.ContributionRef{Kind: participation.ContribComment, ID: id}
}

func (x *fx) report(ref participation.ContributionRef, by int64) (participation.Moderated, error) {
	return x.s.Report(x.ctx, participation.Report{Ref: ref, ParticipantID: by, Reason: participation.ReasonSpam})
}

func (x *fx) moderate(ref participation.ContributionRef, a participation.ModerationAction) (participation.Moderated, error) {
	return x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: ref, Action: a, Reason: "off-topic", StaffID: 7})
}

// Every (state, action) pair: the four legal moves succeed with their
// event, every other one is refused and writes nothing.
func TestModerationStateMachine(t *testing.T) {
	actions := []participation.ModerationAction{participation.ActHide, participation.ActRestore, participation.ActApprove, participation.ActReject}
	each(t, func(t *testing.T, x *fx) {
		// reach puts a fresh proposal into state st.
		reach := func(st participation.Status) int64 {
			id := x.proposal(x.citizen.ID, "Idea "+string(st))
			switch st {
			case participation.StatusHidden:
				must(x.moderate(proposalRef(id), participation.ActHide))(t)
			case participation.StatusRejected:
				ok(t, x.s.SetPremoderated(x.ctx, x.props, true))
				id = x.proposal(x.citizen.ID, "Idea rejected")
				ok(t, x.s.SetPremoderated(x.ctx, x.props, false))
				must(x.moderate(proposalRef(id), participation.ActReject))(t)
			case participation.StatusPending:
				ok(t, x.s.SetPremoderated(x.ctx, x.props, true))
				id = x.proposal(x.citizen.ID, "Idea pending")
				ok(t, x.s.SetPremoderated(x.ctx, x.props, false))
			case participation.StatusWithdrawn:
				ok(t, x.s.SetProposalStatus(x.ctx, id, participation.StatusWithdrawn))
			}
			if got := must(x.s.GetModeration(x.ctx, proposalRef(id)))(t).Status; got != st {
				t.Fatalf("reach %s: got %s", st, got)
			}
			return id
		}
		legal := 0
		for _, from := range []participation.Status{participation.StatusPublished, participation.StatusHidden, participation.StatusPending,
			participation.StatusRejected, participation.StatusWithdrawn} {
			for _, a := range actions {
				id := reach(from)
				before := x.count()
				want, werr := participation.Transition(from, a)
				m, err := x.moderate(proposalRef(id), a)
				if werr != nil {
					wantCode(t, err, participation.CodeConflict)
					if x.count() != before {
						t.Fatalf("%s on %s: refused but wrote an event", a, from)
					}
					if got := must(x.s.GetModeration(x.ctx, proposalRef(id)))(t).Status; got != from {
						t.Fatalf("%s on %s: refused but moved to %s", a, from, got)
					}
					continue
				}
				legal++
				ok(t, err)
				if m.Status != want || m.Reason != "off-topic" || m.Open {
					t.Fatalf("%s on %s: %+v", a, from, m)
				}
				typ := participation.EvContributionHidden
				if want == participation.StatusPublished {
					typ = participation.EvContributionRestored
				}
				e := x.last(typ)
				if e.EntityID != id || x.count() != before+1 {
					t.Fatalf("%s on %s: event %+v", a, from, e)
				}
				sameJSON(t, e.Payload, `{"kind":"proposal","status":"`+string(want)+`","reason":"off-topic"}`)
				_, gerr := x.s.GetProposal(x.ctx, id)
				if (want == participation.StatusPublished) != (gerr == nil) {
					t.Fatalf("%s on %s: GetProposal %v", a, from, gerr)
				}
			}
		}
		if legal != 4 {
			t.Fatalf("%d legal moves, want 4", legal)
		}
		// Hiding needs a reason; approving does not.
		id := x.proposal(x.citizen.ID, "No reason")
		_, err := x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: proposalRef(id), Action: participation.ActHide, Reason: "  "})
		wantField(t, err, "reason", "err.required")
		_, err = x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: proposalRef(id), Action: participation.ActHide, Reason: strings.Repeat("r", 501)})
		wantField(t, err, "reason", "err.too_long")
		_, err = x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: proposalRef(9999), Action: participation.ActHide, Reason: "x"})
		wantCode(t, err, participation.CodeNotFound)
	})
}

func TestReportsAndAutoHide(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Bus shelters")
		cid := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop,
			ParticipantID: x.citizen2.ID, Body: "Buy my watches at example.com"}))(t)
		ok(t, x.s.SetAutoHideAfter(x.ctx, x.proc, 3))
		if n := must(x.s.AutoHideAfter(x.ctx, x.proc))(t); n != 3 {
			t.Fatalf("auto-hide %d", n)
		}
		reporters := make([]int64, 3)
		for i := range reporters {
			reporters[i] = must(x.s.CreateParticipant(x.ctx, ""))(t).ID
		}
		// Two reporters, one of them twice: counted twice, still published.
		m := must(x.report(commentRef(cid), reporters[0]))(t)
		if m.Reports != 1 || !m.Open || m.Status != participation.StatusPublished {
			t.Fatalf("first report %+v", m)
		}
		_, err := x.report(commentRef(cid), reporters[0])
		wantCode(t, err, participation.CodeDuplicate)
		m = must(x.s.Report(x.ctx, participation.Report{Ref: commentRef(cid), ParticipantID: reporters[1], Reason: participation.ReasonOffensive, Text: " rude "}))(t)
		if m.Reports != 2 || m.Status != participation.StatusPublished {
			t.Fatalf("second reporter %+v", m)
		}
		if got := must(x.s.GetProposal(x.ctx, prop))(t).CommentCount; got != 1 {
			t.Fatalf("comment count %d before auto-hide", got)
		}
		// The third distinct reporter hides it, with its event, and it stays queued.
		m = must(x.report(commentRef(cid), reporters[2]))(t)
		if m.Reports != 3 || m.Status != participation.StatusHidden || m.Reason != participation.AutoHiddenReason || !m.Open {
			t.Fatalf("third reporter %+v", m)
		}
		// The hide comes before the report's own event, in the same transaction.
		evs := x.events()
		if e := evs[len(evs)-2]; e.Type != participation.EvContributionHidden || e.EntityID != cid {
			t.Fatalf("hidden event %+v", e)
		}
		sameJSON(t, evs[len(evs)-2].Payload, `{"kind":"comment","status":"hidden","reason":"reported"}`)
		sameJSON(t, evs[len(evs)-1].Payload, `{"kind":"comment","reason":"spam"}`)
		if got := must(x.s.GetProposal(x.ctx, prop))(t).CommentCount; got != 0 {
			t.Fatalf("comment count %d after auto-hide", got)
		}
		// A hidden item cannot be reported.
		_, err = x.report(commentRef(cid), x.citizen.ID)
		wantCode(t, err, participation.CodeConflict)

		got := must(x.s.GetModeration(x.ctx, commentRef(cid)))(t)
		if got.Reasons[participation.ReasonSpam] != 2 || got.Reasons[participation.ReasonOffensive] != 1 {
			t.Fatalf("reasons %+v", got.Reasons)
		}
		q, total := must2(x.s.ModerationQueue(x.ctx, participation.QueueFilter{ProcessID: x.proc}))(t)
		if total != 1 || len(q) != 1 || q[0].Ref != commentRef(cid) || !strings.HasPrefix(q[0].Excerpt, "Buy my watches") {
			t.Fatalf("queue %d %+v", total, q)
		}
		if _, n := must2(x.s.ModerationQueue(x.ctx, participation.QueueFilter{ProcessID: x.proc, Reason: participation.ReasonPersonalData}))(t); n != 0 {
			t.Fatalf("filter by reason: %d", n)
		}
		if _, n := must2(x.s.ModerationQueue(x.ctx, participation.QueueFilter{ProcessID: x.proc, Kind: participation.ContribProposal}))(t); n != 0 {
			t.Fatalf("filter by kind: %d", n)
		}
		if counts := must(x.s.QueueCounts(x.ctx))(t); counts[x.proc] != 1 {
			t.Fatalf("queue counts %v", counts)
		}
		// The moderator restores it: out of the queue, counted again.
		m = must(x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: commentRef(cid), Action: participation.ActRestore, Reason: "not spam", StaffID: 3}))(t)
		if m.Status != participation.StatusPublished || m.Open {
			t.Fatalf("restored %+v", m)
		}
		if got := must(x.s.GetProposal(x.ctx, prop))(t).CommentCount; got != 1 {
			t.Fatalf("comment count %d after restore", got)
		}
		if counts := must(x.s.QueueCounts(x.ctx))(t); counts[x.proc] != 0 {
			t.Fatalf("queue counts after decision %v", counts)
		}
		states := must(x.s.ModerationStates(x.ctx, participation.ContribComment, []int64{cid, 9999}))(t)
		if len(states) != 1 || states[cid].Reason != "not spam" {
			t.Fatalf("states %+v", states)
		}

		// Bad reports.
		for _, bad := range []participation.Report{
			{Ref: commentRef(cid), ParticipantID: x.citizen.ID, Reason: "boring"},
			{Ref: commentRef(cid), ParticipantID: x.citizen.ID, Reason: participation.ReasonOther, Text: strings.Repeat("é", 501)},
			{Ref: participation.ContributionRef{Kind: "image", ID: 1}, ParticipantID: x.citizen.ID, Reason: participation.ReasonSpam},
		} {
			wantCode(t, func() error { _, err := x.s.Report(x.ctx, bad); return err }(), participation.CodeInvalid)
		}
		_, err = x.report(proposalRef(9999), x.citizen.ID)
		wantCode(t, err, participation.CodeNotFound)
	})
}

// Exactly N: with the default of five, four reporters leave it published.
func TestAutoHideDefault(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Market roof")
		if n := must(x.s.AutoHideAfter(x.ctx, x.proc))(t); n != participation.DefaultAutoHideAfter {
			t.Fatalf("default %d", n)
		}
		for i := 1; i <= participation.DefaultAutoHideAfter; i++ {
			p := must(x.s.CreateParticipant(x.ctx, ""))(t)
			m := must(x.report(proposalRef(prop), p.ID))(t)
			if hidden := m.Status == participation.StatusHidden; hidden != (i == participation.DefaultAutoHideAfter) {
				t.Fatalf("after %d reporters: %s", i, m.Status)
			}
		}
		_, err := x.s.GetProposal(x.ctx, prop)
		wantCode(t, err, participation.CodeNotFound)
	})
}

func TestPremoderation(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Before")
		ok(t, x.s.SetPremoderated(x.ctx, x.props, true))
		if !must(x.s.IsPremoderated(x.ctx, x.props))(t) {
			t.Fatal("not pre-moderated")
		}
		// Oldest first: the proposal waits from an hour before the comment.
		held := must(x.s.CreateProposal(participation.AsOf(x.ctx, now.Add(-time.Hour)), participation.Proposal{ComponentID: x.props,
			ParticipantID: x.citizen.ID, Title: "Waits", Description: "A longer description of waiting"}))(t)
		if _, err := x.s.GetProposal(x.ctx, held); participation.ErrorCode(err) != participation.CodeNotFound {
			t.Fatalf("pending proposal readable: %v", err)
		}
		sameJSON(t, x.last(participation.EvContributionHidden).Payload, `{"kind":"proposal","status":"pending"}`)
		cid := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop,
			ParticipantID: x.citizen2.ID, Body: "Waiting comment"}))(t)
		if c := must(x.s.GetComment(x.ctx, cid))(t); c.Status != participation.StatusPending {
			t.Fatalf("comment status %s", c.Status)
		}
		if got := must(x.s.GetProposal(x.ctx, prop))(t).CommentCount; got != 0 {
			t.Fatalf("pending comment counted: %d", got)
		}
		list := must(x.s.ListComments(x.ctx, participation.TargetProposal, prop))(t)
		if len(list) != 0 {
			t.Fatalf("pending comment listed: %+v", list)
		}
		// The author finds it among their submissions, pending.
		subs := must(x.s.MySubmissions(x.ctx, x.citizen2.ID))(t)
		if len(subs.Comments) != 1 || subs.Comments[0].Status != participation.StatusPending {
			t.Fatalf("my submissions %+v", subs.Comments)
		}
		q, _ := must2(x.s.ModerationQueue(x.ctx, participation.QueueFilter{ProcessID: x.proc}))(t)
		if len(q) != 2 || q[0].Ref != proposalRef(held) || q[1].Ref != commentRef(cid) || q[0].Status != participation.StatusPending {
			t.Fatalf("queue %+v", q)
		}
		must(x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: commentRef(cid), Action: participation.ActApprove}))(t)
		if got := must(x.s.GetProposal(x.ctx, prop))(t).CommentCount; got != 1 {
			t.Fatalf("approved comment not counted: %d", got)
		}
		sameJSON(t, x.last(participation.EvContributionRestored).Payload, `{"kind":"comment","status":"published"}`)
		_, err := x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: proposalRef(held), Action: participation.ActReject})
		wantField(t, err, "reason", "err.required")
		must(x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: proposalRef(held), Action: participation.ActReject, Reason: "duplicate of another idea"}))(t)
		wantCode(t, x.s.SetPremoderated(x.ctx, 9999, true), participation.CodeNotFound)
	})
}

func TestReportOpenAnswer(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		ok(t, x.s.SetSurvey(x.ctx, participation.Survey{ComponentID: x.survey, Questions: []participation.Question{
			{Page: 1, Type: participation.QText, Prompt: "Anything else?"}}}))
		sv := must(x.s.GetSurvey(x.ctx, x.survey))(t)
		q := sv.Questions[0].ID
		r := must(x.s.SaveSurveyPage(x.ctx, x.survey, x.citizen.ID, 1, []participation.Answer{{QuestionID: q, Text: "Call me on 0712 345 678"}}))(t)
		ref := participation.ContributionRef{Kind: participation.ContribAnswer, ID: r.ID, QuestionID: q}
		m := must(x.s.Report(x.ctx, participation.Report{Ref: ref, ParticipantID: x.citizen2.ID, Reason: participation.ReasonPersonalData}))(t)
		if m.Reports != 1 || m.Status != participation.StatusPublished {
			t.Fatalf("answer report %+v", m)
		}
		must(x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: ref, Action: participation.ActHide, Reason: "personal data"}))(t)
		if got := must(x.s.GetModeration(x.ctx, ref))(t); got.Status != participation.StatusHidden {
			t.Fatalf("answer state %+v", got)
		}
		_, err := x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: ref, Action: participation.ActHide, Reason: "again"})
		wantCode(t, err, participation.CodeConflict)
		_, err = x.s.Report(x.ctx, participation.Report{Ref: ref, ParticipantID: x.citizen.ID, Reason: participation.ReasonSpam})
		wantCode(t, err, participation.CodeConflict)
	})
}

func TestOfficialAnswers(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		doc := x.document()
		sec := doc.Sections[0].ID
		q := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: sec,
			ParticipantID: x.citizen.ID, Kind: participation.CommentQuestion, Body: "Which roads come first?"}))(t)
		reply := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetSection, TargetID: sec,
			ParticipantID: x.citizen2.ID, ParentID: &q, Body: "I want to know too."}))(t)
		if qs := must(x.s.ProcessQuestions(x.ctx, x.proc))(t); len(qs) != 1 || qs[0].ID != q || qs[0].Answered {
			t.Fatalf("questions before the answer %+v", qs)
		}
		// Answering the reply answers its question.
		a := must(x.s.AnswerAsInstitution(x.ctx, reply, 42, " The feeder roads to the markets, from May. "))(t)
		e := x.last(participation.EvOfficialAnswer)
		if e.EntityID != a || e.ParticipantID != 0 {
			t.Fatalf("answer event %+v", e)
		}
		sameJSON(t, e.Payload, `{"parent_id":`+itoa(q)+`,"staff_id":42}`)
		list := must(x.s.ListComments(x.ctx, participation.TargetSection, sec))(t)
		if len(list) != 1 || len(list[0].Replies) != 2 {
			t.Fatalf("comments %+v", list)
		}
		got := list[0].Replies[1]
		if !got.Official || got.ID != a || got.Body != "The feeder roads to the markets, from May." || list[0].Replies[0].Official || list[0].Official {
			t.Fatalf("official answer %+v", got)
		}
		if qs := must(x.s.ProcessQuestions(x.ctx, x.proc))(t); len(qs) != 1 || !qs[0].Answered {
			t.Fatalf("questions after the answer %+v", qs)
		}
		_, err := x.s.AnswerAsInstitution(x.ctx, q, 42, "x")
		wantField(t, err, "body", "err.too_short")
		must(x.s.Moderate(x.ctx, participation.ModerationDecision{Ref: commentRef(q), Action: participation.ActHide, Reason: "duplicate"}))(t)
		_, err = x.s.AnswerAsInstitution(x.ctx, q, 42, "Too late now.")
		wantCode(t, err, participation.CodeConflict)
		_, err = x.s.AnswerAsInstitution(x.ctx, 9999, 42, "Nobody asked.")
		wantCode(t, err, participation.CodeNotFound)
	})
}

// The queue keeps only the items it is given (a campaign's copies, from
// the warehouse): none when given none, and the count follows.
func TestModerationQueueAmong(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Bus shelters")
		var refs []participation.ContributionRef
		for i := range 3 {
			cid := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop,
				ParticipantID: x.citizen2.ID, Body: fmt.Sprintf("Stop the levy now, copy %d", i)}))(t)
			refs = append(refs, commentRef(cid))
			must(x.report(commentRef(cid), x.citizen.ID))(t)
		}
		must(x.report(proposalRef(prop), x.citizen2.ID))(t)
		all := participation.QueueFilter{ProcessID: x.proc}
		if _, n := must2(x.s.ModerationQueue(x.ctx, all))(t); n != 4 {
			t.Fatalf("%d open items, want 4", n)
		}
		among := all
		among.Among = []participation.ContributionRef{refs[0], refs[2], commentRef(99999)}
		items, n := must2(x.s.ModerationQueue(x.ctx, among))(t)
		if n != 2 || len(items) != 2 || items[0].Ref != refs[0] || items[1].Ref != refs[2] {
			t.Fatalf("among two copies: %d %+v", n, items)
		}
		among.Among = []participation.ContributionRef{}
		if items, n := must2(x.s.ModerationQueue(x.ctx, among))(t); n != 0 || len(items) != 0 {
			t.Fatalf("among none: %d %+v", n, items)
		}
	})
}
