package sqlstore_test

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// audienceIDs walks an audience and returns its recipients' ids, in the
// order met, failing on a recipient met twice.
func (x *fx) audienceIDs(a participation.Audience) []int64 {
	x.t.Helper()
	ids := []int64{}
	seen := map[int64]bool{}
	ok(x.t, x.s.ForEachRecipient(x.ctx, a, func(r participation.Recipient) error {
		if seen[r.ParticipantID] {
			return fmt.Errorf("participant %d met twice", r.ParticipantID)
		}
		if r.Email == "" && r.Phone == "" {
			return fmt.Errorf("participant %d has no contact", r.ParticipantID)
		}
		seen[r.ParticipantID] = true
		ids = append(ids, r.ParticipantID)
		return nil
	}))
	return ids
}

// join registers and verifies a participant with the process's fields.
func (x *fx) join(processID, participantID int64, p participation.Profile) {
	x.t.Helper()
	secret := must(x.s.Register(x.ctx, processID, participantID, participation.Consent{NoticeVersion: 1}, p))(x.t)
	if secret != "" {
		ok(x.t, x.s.Verify(x.ctx, processID, participantID, secret))
	}
}

func (x *fx) comment(c participation.Comment) int64 {
	x.t.Helper()
	return must(x.s.CreateComment(x.ctx, c))(x.t)
}

func TestRecipients(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		people := map[string]int64{}
		for _, name := range []string{"author", "follower", "both", "unverified", "withdrawn", "erased", "anonymous", "elsewhere", "nocontact"} {
			people[name] = must(x.s.CreateParticipant(x.ctx, ""))(t).ID
		}
		id := func(name string) int64 { return people[name] }
		ids := func(names ...string) []int64 {
			out := []int64{}
			for _, n := range names {
				out = append(out, people[n])
			}
			return out
		}
		doc := x.document()

		// While the process is open, everyone contributes anonymously.
		prop := x.proposal(id("author"), "Market roof")
		for _, n := range []string{"both", "unverified", "withdrawn", "erased", "anonymous", "elsewhere", "nocontact"} {
			ok(t, x.s.Support(x.ctx, prop, id(n), true))
		}
		for _, n := range []string{"follower", "both", "withdrawn", "anonymous", "author"} {
			ok(t, x.s.Follow(x.ctx, prop, id(n), true))
		}
		onProposal := x.comment(participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParticipantID: id("follower"), Body: "Yes please"})
		reply := x.comment(participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParentID: &onProposal, ParticipantID: id("both"), Body: "Agreed"})
		ownReply := x.comment(participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParentID: &onProposal, ParticipantID: id("follower"), Body: "Thanks all"})
		byAuthor := x.comment(participation.Comment{TargetKind: participation.TargetProposal, TargetID: prop, ParticipantID: id("author"), Body: "My own idea"})
		section := func(i int, who string, body string) int64 {
			return x.comment(participation.Comment{TargetKind: participation.TargetSection, TargetID: doc.Sections[i].ID, ParticipantID: id(who), Kind: participation.CommentPlain, Body: body})
		}
		topSection := section(0, "both", "Roads first")
		section(1, "both", "Water too")
		section(0, "follower", "Agree on roads")
		section(1, "unverified", "Not sure")
		hidden := section(0, "author", "Spam spam")
		ok(t, x.s.SetCommentStatus(x.ctx, hidden, participation.StatusHidden))

		// Then it becomes registered-only, asking for an email or a phone.
		x.registered()
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		p.PersonalFields = []participation.PersonalField{participation.FieldEmail, participation.FieldPhone, participation.FieldGender}
		ok(t, x.s.UpdateProcess(x.ctx, p))
		x.join(x.proc, id("author"), participation.Profile{Email: "author@example.org"})
		x.join(x.proc, id("follower"), participation.Profile{Phone: "0712 000 001", Lang: "sw"})
		x.join(x.proc, id("both"), participation.Profile{Email: "both@example.org", Phone: "+254712000002", Lang: "en"})
		must(x.s.Register(x.ctx, x.proc, id("unverified"), participation.Consent{NoticeVersion: 1}, participation.Profile{Email: "unverified@example.org"}))(t)
		x.join(x.proc, id("withdrawn"), participation.Profile{Email: "withdrawn@example.org"})
		ok(t, x.s.WithdrawConsent(x.ctx, x.proc, id("withdrawn")))
		x.join(x.proc, id("erased"), participation.Profile{Email: "erased@example.org"})
		ok(t, x.s.EraseParticipant(x.ctx, id("erased")))
		// Registered with another process only.
		other := must(x.s.CreateProcess(x.ctx, process("other-reg", x.rs, participation.ModeRegistered)))(t)
		must(x.s.PublishPrivacyNotice(x.ctx, other, "Other notice"))(t)
		ok(t, x.s.SetPublished(x.ctx, other, true))
		x.join(other, id("elsewhere"), participation.Profile{Email: "elsewhere@example.org"})
		// Verified, but gave no contact: the process asked for gender only.
		p.PersonalFields = []participation.PersonalField{participation.FieldGender}
		ok(t, x.s.UpdateProcess(x.ctx, p))
		x.join(x.proc, id("nocontact"), participation.Profile{Gender: "female"})

		cases := []struct {
			a    participation.Audience
			want []int64
		}{
			{participation.Audience{Kind: participation.AudienceProcess, ProcessID: x.proc}, ids("author", "follower", "both")},
			{participation.Audience{Kind: participation.AudienceProposalAuthor, ProposalID: prop}, ids("author")},
			{participation.Audience{Kind: participation.AudienceProposalFollowers, ProposalID: prop}, ids("author", "follower", "both")},
			{participation.Audience{Kind: participation.AudienceCommentAuthor, CommentID: reply}, ids("both")},
			{participation.Audience{Kind: participation.AudienceRepliedTo, CommentID: reply}, ids("follower")},                    // the parent's author
			{participation.Audience{Kind: participation.AudienceRepliedTo, CommentID: onProposal}, ids("author")},                 // the proposal's
			{participation.Audience{Kind: participation.AudienceRepliedTo, CommentID: ownReply}, ids()},                           // not oneself
			{participation.Audience{Kind: participation.AudienceRepliedTo, CommentID: byAuthor}, ids()},                           // nor on one's own proposal
			{participation.Audience{Kind: participation.AudienceRepliedTo, CommentID: topSection}, ids()},                         // a section answers nobody
			{participation.Audience{Kind: participation.AudienceDocumentCommenters, ComponentID: x.doc}, ids("follower", "both")}, // once each, not hidden ones
			{participation.Audience{Kind: participation.AudienceProposalFollowers, ProposalID: 9999}, ids()},
			{participation.Audience{Kind: participation.AudienceProcess, ProcessID: other}, ids("elsewhere")},
		}
		for _, page := range []int{1, 2, 1000} {
			x.s.SetRecipientPage(page)
			for _, c := range cases {
				if got := x.audienceIDs(c.a); !reflect.DeepEqual(sorted(got), c.want) || !reflect.DeepEqual(got, c.want) {
					t.Errorf("page %d, %+v: got %v, want %v", page, c.a, got, c.want)
				}
			}
		}

		// A walk resumes after the last one handled, and fn's error stops it.
		after := participation.Audience{Kind: participation.AudienceProposalFollowers, ProposalID: prop, AfterParticipantID: id("author")}
		if got := x.audienceIDs(after); !reflect.DeepEqual(got, ids("follower", "both")) {
			t.Fatalf("resumed after the author: %v", got)
		}
		stop := errors.New("stop")
		calls := 0
		err := x.s.ForEachRecipient(x.ctx, participation.Audience{Kind: participation.AudienceProcess, ProcessID: x.proc}, func(participation.Recipient) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("fn's error: got %v after %d calls", err, calls)
		}
		wantCode(t, x.s.ForEachRecipient(x.ctx, participation.Audience{Kind: "everyone"}, nil), participation.CodeInvalid)
		wantCode(t, x.s.ForEachRecipient(x.ctx, participation.Audience{Kind: participation.AudienceProposalAuthor}, nil), participation.CodeInvalid)

		// One participant's contact, in the language they registered in
		// (else the process's first).
		r := must(x.s.ParticipantContact(x.ctx, x.proc, id("follower")))(t)
		if r != (participation.Recipient{ParticipantID: id("follower"), ProcessID: x.proc, Phone: "+254712000001", Lang: "sw"}) {
			t.Fatalf("follower %+v", r)
		}
		ok(t, exec(x, "UPDATE profiles SET lang = '' WHERE participant_id = ?", id("author")))
		r = must(x.s.ParticipantContact(x.ctx, x.proc, id("author")))(t)
		if r.Email != "author@example.org" || r.Lang != "en" {
			t.Fatalf("author %+v", r)
		}
		for _, n := range []string{"unverified", "withdrawn", "erased", "anonymous", "elsewhere", "nocontact"} {
			_, err := x.s.ParticipantContact(x.ctx, x.proc, id(n))
			wantCode(t, err, participation.CodeNotFound)
		}
	})
}

// TestRecipientsManyPages: a proposal with many followers and supporters,
// overlapping, read a few at a time: every one once, in order.
func TestRecipientsManyPages(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		const n = 120
		var members []int64
		prop := x.proposal(x.citizen.ID, "Street lights")
		for i := 0; i < n; i++ {
			members = append(members, must(x.s.CreateParticipant(x.ctx, ""))(t).ID)
		}
		ok(t, x.s.Batch(x.ctx, func(tx participation.Store) error {
			for i, m := range members {
				if i%2 == 0 {
					if err := tx.Follow(x.ctx, prop, m, true); err != nil {
						return err
					}
				}
				if i%3 == 0 {
					if err := tx.Support(x.ctx, prop, m, true); err != nil {
						return err
					}
				}
			}
			return nil
		}))
		x.registered()
		want := []int64{}
		ok(t, x.s.Batch(x.ctx, func(tx participation.Store) error {
			for i, m := range members {
				if i%5 == 4 {
					continue // never registers
				}
				secret, err := tx.Register(x.ctx, x.proc, m, participation.Consent{NoticeVersion: 1}, participation.Profile{Email: fmt.Sprintf("m%d@example.org", i)})
				if err != nil {
					return err
				}
				if err := tx.Verify(x.ctx, x.proc, m, secret); err != nil {
					return err
				}
				if i%2 == 0 || i%3 == 0 {
					want = append(want, m)
				}
			}
			return nil
		}))
		for _, page := range []int{7, 1000} {
			x.s.SetRecipientPage(page)
			got := x.audienceIDs(participation.Audience{Kind: participation.AudienceProposalFollowers, ProposalID: prop})
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("page %d: %d recipients %v, want %d %v", page, len(got), got, len(want), want)
			}
			if all := x.audienceIDs(participation.Audience{Kind: participation.AudienceProcess, ProcessID: x.proc}); len(all) != n-n/5 {
				t.Fatalf("page %d: %d in the process, want %d", page, len(all), n-n/5)
			}
		}
	})
}

func sorted(ids []int64) []int64 {
	out := append([]int64{}, ids...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func exec(x *fx, query string, args ...any) error {
	_, err := x.s.DB().ExecContext(x.ctx, x.s.DB().Rebind(query), args...)
	return err
}
