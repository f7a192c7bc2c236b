package sqlstore_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

func TestParticipants(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		p := x.citizen
		if p.ID == 0 || len(p.Token) < 40 || p.Kind != participation.ParticipantAnonymous || p.RegionCode != "047" || !p.CreatedAt.Equal(now) {
			t.Fatalf("participant %+v", p)
		}
		joined := x.events()
		var e participation.Event
		for _, ev := range joined {
			if ev.Type == participation.EvParticipantJoined && ev.EntityID == p.ID {
				e = ev
			}
		}
		if e.ParticipantID != p.ID || e.RegionCode != "047" || string(e.Payload) != "{}" {
			t.Fatalf("participant.joined %+v", e)
		}
		got := must(x.s.ParticipantByToken(x.ctx, p.ID, p.Token))(t)
		if got.ID != p.ID || got.Token != "" || got.RegionCode != "047" {
			t.Fatalf("by token %+v", got)
		}
		_, err := x.s.ParticipantByToken(x.ctx, p.ID, x.citizen2.Token)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.ParticipantByToken(x.ctx, 9999, p.Token)
		wantCode(t, err, participation.CodeNotFound)

		// The event's region is the participant's at the time of the write.
		ok(t, x.s.SetParticipantRegion(x.ctx, x.citizen2.ID, "030"))
		x.proposal(x.citizen2.ID, "Baringo honey")
		if e := x.last(participation.EvProposalCreated); e.RegionCode != "030" {
			t.Fatalf("region %q, want 030", e.RegionCode)
		}
		wantCode(t, x.s.SetParticipantRegion(x.ctx, 9999, "030"), participation.CodeNotFound)
		wantCode(t, x.s.SetParticipantRegion(x.ctx, x.citizen2.ID, strings.Repeat("x", 40)), participation.CodeInvalid)
	})
}

// registered turns the fixture's process into a registered-only one asking
// for name, email and region, with a privacy notice.
func (x *fx) registered() participation.PrivacyNotice {
	x.t.Helper()
	p := must(x.s.GetProcess(x.ctx, x.proc, false))(x.t)
	p.Mode = participation.ModeRegistered
	p.PersonalFields = []participation.PersonalField{participation.FieldName, participation.FieldEmail, participation.FieldRegion}
	ok(x.t, x.s.UpdateProcess(x.ctx, p))
	return must(x.s.PublishPrivacyNotice(x.ctx, x.proc, "We keep your email until the results are out."))(x.t)
}

func TestRegistration(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		notice := x.registered()
		me := x.citizen2.ID
		newProposal := participation.Proposal{ComponentID: x.props, ParticipantID: me, Title: "Clinic hours", Description: "Open clinics on Saturday."}
		_, err := x.s.CreateProposal(x.ctx, newProposal)
		wantCode(t, err, participation.CodeRegistered)

		consent := participation.Consent{NoticeVersion: notice.Version, Purpose: "take part in the budget consultation"}
		profile := participation.Profile{Name: "Wanjiku Kamau", Email: "wanjiku@example.org", RegionCode: "047"}
		reg := func(c participation.Consent, p participation.Profile) error {
			_, err := x.s.Register(x.ctx, x.proc, me, c, p)
			return err
		}
		before := x.count()
		withPhone := profile
		withPhone.Phone = "+254700000000"
		wantField(t, reg(consent, withPhone), "phone", "err.not_asked")
		badEmail := profile
		badEmail.Email = "wanjiku@"
		wantField(t, reg(consent, badEmail), "email", "err.email")
		noEmail := profile
		noEmail.Email = ""
		wantField(t, reg(consent, noEmail), "email", "err.required")
		badRegion := profile
		badRegion.RegionCode = "999"
		wantField(t, reg(consent, badRegion), "region", "err.unknown_region")
		old := consent
		old.NoticeVersion = 0
		wantCode(t, reg(old, profile), participation.CodeConsent)
		_, err = x.s.Register(x.ctx, 9999, me, consent, profile)
		wantCode(t, err, participation.CodeNotFound)
		_, err = x.s.Register(x.ctx, x.proc, 9999, consent, profile)
		wantCode(t, err, participation.CodeNotFound)
		if x.count() != before {
			t.Fatal("a refused registration wrote events")
		}

		secret := must(x.s.Register(x.ctx, x.proc, me, consent, profile))(t)
		if len(secret) < 40 {
			t.Fatalf("email secret %q is not a link token", secret)
		}
		e := x.last(participation.EvConsentGiven)
		if e.ProcessID != x.proc || e.ParticipantID != me {
			t.Fatalf("consent.given %+v", e)
		}
		sameJSON(t, e.Payload, `{"notice_version":1,"purpose":"take part in the budget consultation"}`)
		if yes := must(x.s.IsRegistered(x.ctx, x.proc, me))(t); yes {
			t.Fatal("registered before verification")
		}
		_, err = x.s.CreateProposal(x.ctx, newProposal)
		wantCode(t, err, participation.CodeRegistered)

		wantField(t, x.s.Verify(x.ctx, x.proc, me, "wrong"), "code", "err.bad_code")
		wantCode(t, x.s.Verify(x.ctx, x.proc, x.citizen.ID, secret), participation.CodeNotFound)
		ok(t, x.s.Verify(x.ctx, x.proc, me, secret))
		e = x.last(participation.EvRegistration)
		if e.ParticipantID != me || e.RegionCode != "047" {
			t.Fatalf("registration %+v", e)
		}
		sameJSON(t, e.Payload, `{"fields":["name","email","region"]}`)
		wantCode(t, x.s.Verify(x.ctx, x.proc, me, secret), participation.CodeNotFound) // once only
		if yes := must(x.s.IsRegistered(x.ctx, x.proc, me))(t); !yes {
			t.Fatal("not registered after verification")
		}
		pid := must(x.s.CreateProposal(x.ctx, newProposal))(t)
		// The participant declared no region of their own: the profile's counts.
		if e := x.last(participation.EvProposalCreated); e.RegionCode != "047" || e.EntityID != pid {
			t.Fatalf("proposal event of a registered participant %+v", e)
		}
		wantCode(t, reg(consent, profile), participation.CodeDuplicate)

		ok(t, x.s.WithdrawConsent(x.ctx, x.proc, me))
		sameJSON(t, x.last(participation.EvConsentWithdrawn).Payload, `{"notice_version":1,"purpose":"take part in the budget consultation"}`)
		if yes := must(x.s.IsRegistered(x.ctx, x.proc, me))(t); yes {
			t.Fatal("still registered after withdrawing consent")
		}
		_, err = x.s.CreateProposal(x.ctx, newProposal)
		wantCode(t, err, participation.CodeRegistered)
		wantCode(t, x.s.WithdrawConsent(x.ctx, x.proc, me), participation.CodeNotFound)

		// No event carries a personal field.
		for _, ev := range x.events() {
			for _, secretText := range []string{"Wanjiku", "wanjiku@example.org", secret, x.citizen.Token} {
				if strings.Contains(string(ev.Payload), secretText) {
					t.Fatalf("%s event carries personal data: %s", ev.Type, ev.Payload)
				}
			}
		}

		// Open processes take no registrations; drafts say unpublished.
		open := must(x.s.CreateProcess(x.ctx, process("open-one", x.rs, participation.ModeOpen)))(t)
		ok(t, x.s.SetPublished(x.ctx, open, true))
		_, err = x.s.Register(x.ctx, open, me, consent, participation.Profile{})
		wantCode(t, err, participation.CodeConflict)
		draft := must(x.s.CreateProcess(x.ctx, process("draft-reg", x.rs, participation.ModeRegistered)))(t)
		_, err = x.s.Register(x.ctx, draft, me, consent, profile)
		wantCode(t, err, participation.CodeUnpublished)
	})
}

func TestPhoneCodes(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.registered()
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		p.PersonalFields = []participation.PersonalField{participation.FieldPhone, participation.FieldAgeBand}
		ok(t, x.s.UpdateProcess(x.ctx, p))
		consent := participation.Consent{NoticeVersion: 1}
		profile := participation.Profile{Phone: "+254 712 345678", AgeBand: "25-34"}
		me := x.citizen.ID

		code := must(x.s.Register(x.ctx, x.proc, me, consent, profile))(t)
		if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(code) {
			t.Fatalf("phone code %q", code)
		}
		// Expired after 24 hours.
		late := participation.AsOf(x.ctx, now.Add(24*time.Hour))
		wantField(t, x.s.Verify(late, x.proc, me, code), "code", "err.code_expired")
		wantCode(t, x.s.Verify(x.ctx, x.proc, me, code), participation.CodeNotFound)

		code = must(x.s.Register(x.ctx, x.proc, me, consent, profile))(t)
		ok(t, x.s.Verify(participation.AsOf(x.ctx, now.Add(23*time.Hour)), x.proc, me, code))
		sameJSON(t, x.last(participation.EvRegistration).Payload, `{"fields":["phone","age_band"]}`)

		// A process that asks for no contact channel registers at once.
		p.PersonalFields = []participation.PersonalField{participation.FieldGender}
		ok(t, x.s.UpdateProcess(x.ctx, p))
		secret := must(x.s.Register(x.ctx, x.proc, x.citizen2.ID, consent, participation.Profile{Gender: "female"}))(t)
		if secret != "" {
			t.Fatalf("secret %q without a channel", secret)
		}
		if yes := must(x.s.IsRegistered(x.ctx, x.proc, x.citizen2.ID))(t); !yes {
			t.Fatal("not registered")
		}
	})
}

func TestEraseParticipant(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		x.registered()
		me := x.citizen.ID
		secret := must(x.s.Register(x.ctx, x.proc, me, participation.Consent{NoticeVersion: 1}, participation.Profile{Name: "Otieno", Email: "otieno@example.org"}))(t)
		ok(t, x.s.Verify(x.ctx, x.proc, me, secret))
		pid := x.proposal(me, "Fish market")
		ok(t, x.s.Support(x.ctx, pid, me, true))
		x.surveyQuestions()
		must(x.s.SaveSurveyPage(x.ctx, x.survey, me, 1, []participation.Answer{{QuestionID: must(x.s.GetSurvey(x.ctx, x.survey))(t).Questions[0].ID, Choices: []int{2}}}))(t)
		events := x.count()

		ok(t, x.s.EraseParticipant(x.ctx, me))
		var n int
		ok(t, x.s.DB().GetContext(x.ctx, &n, "SELECT COUNT(*) FROM profiles WHERE email = 'otieno@example.org' OR name = 'Otieno'"))
		if n != 0 {
			t.Fatal("profile survived erasure")
		}
		if yes := must(x.s.IsRegistered(x.ctx, x.proc, me))(t); yes {
			t.Fatal("erased participant still registered")
		}
		_, err := x.s.ParticipantByToken(x.ctx, me, x.citizen.Token)
		wantCode(t, err, participation.CodeNotFound)
		p := must(x.s.GetProposal(x.ctx, pid))(t)
		if p.SupportCount != 1 || x.count() != events+1 { // participant.erased only
			t.Fatalf("erasure changed contributions: support %d, events %d→%d", p.SupportCount, events, x.count())
		}
		sub := must(x.s.MySubmissions(x.ctx, me))(t)
		if len(sub.Proposals) != 1 || len(sub.Supports) != 1 || len(sub.Responses) != 1 {
			t.Fatalf("contributions after erasure %+v", sub)
		}
		wantCode(t, x.s.EraseParticipant(x.ctx, 9999), participation.CodeNotFound)
	})
}

func TestMySubmissions(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		me := x.citizen.ID
		empty := must(x.s.MySubmissions(x.ctx, me))(t)
		if empty.Proposals == nil || len(empty.Proposals)+len(empty.Comments)+len(empty.Responses)+len(empty.Supports) != 0 {
			t.Fatalf("empty submissions %+v", empty)
		}
		mine := x.proposal(me, "Mine")
		theirs := x.proposal(x.citizen2.ID, "Theirs")
		ok(t, x.s.Support(x.ctx, theirs, me, true))
		cid := must(x.s.CreateComment(x.ctx, participation.Comment{TargetKind: participation.TargetProposal, TargetID: theirs, ParticipantID: me, Body: "Agreed"}))(t)
		ok(t, x.s.SetCommentStatus(x.ctx, cid, participation.StatusHidden))
		qs := x.surveyQuestions()
		must(x.s.SaveSurveyPage(x.ctx, x.survey, me, 1, []participation.Answer{{QuestionID: qs[participation.QSingle].ID, Choices: []int{0}}}))(t)

		sub := must(x.s.MySubmissions(x.ctx, me))(t)
		if len(sub.Proposals) != 1 || sub.Proposals[0].ID != mine || len(sub.Comments) != 1 || sub.Comments[0].Status != participation.StatusHidden ||
			len(sub.Responses) != 1 || len(sub.Responses[0].Answers) != 1 || len(sub.Supports) != 1 || sub.Supports[0] != theirs {
			t.Fatalf("submissions %+v", sub)
		}
	})
}

func TestRecordVisit(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		v := participation.Visit{ProcessID: x.proc, ComponentID: x.props, VisitorHash: "3f9a", Path: "/p/budget-2026/proposals?email=a@b.org#top",
			Referrer: "twitter.com", UTMSource: "sms", UTMMedium: "text", UTMCampaign: "week2", Device: "mobile"}
		ok(t, x.s.RecordVisit(x.ctx, v))
		e := x.last(participation.EvVisit)
		if e.ProcessID != x.proc || e.ComponentID != x.props || e.ParticipantID != 0 || e.EntityID != 0 || !e.OccurredAt.Equal(now) {
			t.Fatalf("visit %+v", e)
		}
		sameJSON(t, e.Payload, `{"visitor_hash":"3f9a","path":"/p/budget-2026/proposals","referrer":"twitter.com","utm_source":"sms","utm_medium":"text","utm_campaign":"week2","device":"mobile"}`)
		v.OccurredAt = date(3, 2)
		ok(t, x.s.RecordVisit(x.ctx, v))
		if e := x.last(participation.EvVisit); !e.OccurredAt.Equal(date(3, 2)) {
			t.Fatalf("visit at %v", e.OccurredAt)
		}
		v.Device, v.Path = "toaster", ""
		err := x.s.RecordVisit(x.ctx, v)
		wantField(t, err, "device", "err.bad_choice")
		wantField(t, err, "path", "err.required")
	})
}
