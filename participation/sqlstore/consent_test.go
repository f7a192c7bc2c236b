package sqlstore_test

import (
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

var agreementTerms = participation.AgreementTerms{
	Purpose: "To hear from residents about the 2026 budget and tell them what became of it.", LawfulBasis: participation.BasisPublicTask,
	PolicyURL: "https://county.example/privacy/v3", RetentionDays: 90, Access: "The county's budget office only; never published.",
}

// agreement makes the fixture's process registered (name, email, region,
// each with why) and publishes a full data agreement.
func (x *fx) agreement() participation.PrivacyNotice {
	x.t.Helper()
	p := must(x.s.GetProcess(x.ctx, x.proc, false))(x.t)
	p.Mode = participation.ModeRegistered
	p.PersonalFields = []participation.PersonalField{participation.FieldName, participation.FieldEmail, participation.FieldRegion}
	p.FieldReasons = map[participation.PersonalField]string{participation.FieldName: "to address you",
		participation.FieldEmail: "to send the results", participation.FieldRegion: "to weigh answers by county"}
	ok(x.t, x.s.UpdateProcess(x.ctx, p))
	return must(x.s.PublishDataAgreement(x.ctx, x.proc, participation.PrivacyNotice{Text: "We keep your email until the results are out.", AgreementTerms: agreementTerms}))(x.t)
}

func TestDataAgreementVersions(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		_, err := x.s.PublishDataAgreement(x.ctx, x.proc, participation.PrivacyNotice{Text: "text", AgreementTerms: participation.AgreementTerms{
			LawfulBasis: "because", PolicyURL: "javascript:alert(1)", RetentionDays: -1}})
		for _, f := range []string{"purpose", "lawful_basis", "policy_url", "retention_days", "access"} {
			wantField(t, err, f, map[string]string{"purpose": "err.required", "lawful_basis": "err.choose", "policy_url": "err.url",
				"retention_days": "err.retention_days", "access": "err.required"}[f])
		}
		if got := must(x.s.DataAgreements(x.ctx, x.proc))(t); len(got) != 0 {
			t.Fatalf("a refused agreement was stored: %+v", got)
		}
		v1 := x.agreement()
		if v1.Version != 1 || len(v1.Hash) != 64 || v1.Purpose != agreementTerms.Purpose || len(v1.Fields) != 3 ||
			v1.Fields[1] != (participation.AgreementField{Field: participation.FieldEmail, Reason: "to send the results"}) {
			t.Fatalf("v1 %+v", v1)
		}
		// A new text alone keeps the terms; the hash changes with the text.
		v2 := must(x.s.PublishPrivacyNotice(x.ctx, x.proc, "We keep your email and county until the results are out."))(t)
		if v2.Version != 2 || v2.AgreementTerms != agreementTerms || v2.Hash == v1.Hash {
			t.Fatalf("v2 %+v", v2)
		}
		all := must(x.s.DataAgreements(x.ctx, x.proc))(t)
		if len(all) != 2 || all[0].Hash != v1.Hash || all[1].Version != 2 || len(all[1].Fields) != 3 || all[1].Fields[2].Reason != "to weigh answers by county" {
			t.Fatalf("versions %+v", all)
		}
		p := must(x.s.GetProcess(x.ctx, x.proc, false))(t)
		if p.PrivacyNotice == nil || p.PrivacyNotice.Version != 2 || p.PrivacyNotice.RetentionDays != 90 || p.PrivacyNotice.Hash != v2.Hash {
			t.Fatalf("current %+v", p.PrivacyNotice)
		}
		_, err = x.s.DataAgreements(x.ctx, 9999)
		wantCode(t, err, participation.CodeNotFound)
	})
}

// Consent is given on its own, before any field, and registering after it
// does not record it twice; consent to an old version is refused.
func TestGiveConsentBeforeFields(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		n := x.agreement()
		me := x.citizen.ID
		if has := must(x.s.HasConsent(x.ctx, x.proc, me))(t); has {
			t.Fatal("consent before any was given")
		}
		_, err := x.s.GiveConsent(x.ctx, x.proc, me, n.Version+1)
		wantCode(t, err, participation.CodeConsent)
		c := must(x.s.GiveConsent(x.ctx, x.proc, me, n.Version))(t)
		if c.NoticeVersion != n.Version || !c.GivenAt.Equal(now) || c.WithdrawnAt != nil {
			t.Fatalf("consent %+v", c)
		}
		again := must(x.s.GiveConsent(x.ctx, x.proc, me, n.Version))(t)
		if again.ID != c.ID {
			t.Fatalf("consent recorded twice: %+v then %+v", c, again)
		}
		if has := must(x.s.HasConsent(x.ctx, x.proc, me))(t); !has {
			t.Fatal("no active consent after giving it")
		}
		if d := must(x.s.MyData(x.ctx, me))(t); len(d.Profiles) != 0 || len(d.Consents) != 1 {
			t.Fatalf("after consent alone: %+v", d)
		}
		secret := must(x.s.Register(x.ctx, x.proc, me, participation.Consent{NoticeVersion: n.Version}, participation.Profile{Name: "Otieno", Email: "otieno@example.org"}))(t)
		ok(t, x.s.Verify(x.ctx, x.proc, me, secret))
		if d := must(x.s.MyData(x.ctx, me))(t); len(d.Profiles) != 1 || len(d.Consents) != 1 || len(d.Agreements) != 1 ||
			d.Agreements[0].Version != n.Version || d.Agreements[0].Hash != n.Hash || d.Agreements[0].Purpose != agreementTerms.Purpose {
			t.Fatalf("after registering: %d profiles, consents %+v, agreements %+v", len(d.Profiles), d.Consents, d.Agreements)
		}
		// A new version asks again: the old consent no longer counts.
		must(x.s.PublishPrivacyNotice(x.ctx, x.proc, "Version two."))(t)
		if has := must(x.s.HasConsent(x.ctx, x.proc, me))(t); has {
			t.Fatal("consent to version 1 counts for version 2")
		}
	})
}

// Withdrawing deletes the personal fields given to the process and keeps the
// contributions; another participant's consent is untouched, and a second
// withdrawal is refused with nothing changed.
func TestWithdrawConsentDeletesFieldsKeepsContributions(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		n := x.agreement()
		me, other := x.citizen.ID, x.citizen2.ID
		for who, email := range map[int64]string{me: "otieno@example.org", other: "wanjiru@example.org"} {
			secret := must(x.s.Register(x.ctx, x.proc, who, participation.Consent{NoticeVersion: n.Version}, participation.Profile{Name: "Someone", Email: email}))(t)
			ok(t, x.s.Verify(x.ctx, x.proc, who, secret))
		}
		pid := x.proposal(me, "Fish market")
		later := now.Add(time.Hour)
		ok(t, x.s.WithdrawConsent(participation.AsOf(x.ctx, later), x.proc, me))
		d := must(x.s.MyData(x.ctx, me))(t)
		if len(d.Profiles) != 0 || len(d.Consents) != 1 || d.Consents[0].WithdrawnAt == nil || !d.Consents[0].WithdrawnAt.Equal(later) {
			t.Fatalf("after withdrawal: profiles %+v consents %+v", d.Profiles, d.Consents)
		}
		if p := must(x.s.GetProposal(x.ctx, pid))(t); p.Title != "Fish market" || p.Status != participation.StatusPublished {
			t.Fatalf("proposal after withdrawal %+v", p)
		}
		if ids := must(x.s.ParticipantsByEmail(x.ctx, "otieno@example.org"))(t); len(ids) != 0 {
			t.Fatalf("email still stored: %v", ids)
		}
		if reg := must(x.s.IsRegistered(x.ctx, x.proc, me))(t); reg {
			t.Fatal("still registered after withdrawal")
		}
		theirs := must(x.s.MyData(x.ctx, other))(t)
		if len(theirs.Profiles) != 1 || theirs.Consents[0].WithdrawnAt != nil {
			t.Fatalf("the other participant changed: %+v", theirs)
		}
		before := len(allEvents(t, x.s))
		wantCode(t, x.s.WithdrawConsent(x.ctx, x.proc, me), participation.CodeNotFound)
		if after := len(allEvents(t, x.s)); after != before {
			t.Fatalf("a refused withdrawal wrote %d events", after-before)
		}
	})
}

// Retention: nothing is due while the process is open or before the period
// ends; at its end the personal data of every participant goes, once, and
// the contributions and consent records stay.
func TestRetentionPurge(t *testing.T) {
	each(t, func(t *testing.T, x *fx) {
		n := x.agreement()
		me := x.citizen.ID
		secret := must(x.s.Register(x.ctx, x.proc, me, participation.Consent{NoticeVersion: n.Version}, participation.Profile{Name: "Otieno", Email: "otieno@example.org"}))(t)
		ok(t, x.s.Verify(x.ctx, x.proc, me, secret))
		pid := x.proposal(me, "Fish market")
		if due := must(x.s.RetentionDue(x.ctx, now.AddDate(1, 0, 0)))(t); len(due) != 0 {
			t.Fatalf("an open process is due: %+v", due)
		}
		closedAt := date(4, 2)
		ok(t, x.s.Transition(participation.AsOf(x.ctx, closedAt), x.proc, participation.StateClosed, ""))
		if due := must(x.s.RetentionDue(x.ctx, closedAt.AddDate(0, 0, 89)))(t); len(due) != 0 {
			t.Fatalf("due a day early: %+v", due)
		}
		_, done, err := x.s.PurgeRetention(x.ctx, x.proc, closedAt.AddDate(0, 0, 89))
		if ok(t, err); done {
			t.Fatal("purged a day early")
		}
		at := closedAt.AddDate(0, 0, 90)
		due := must(x.s.RetentionDue(x.ctx, at))(t)
		if len(due) != 1 || due[0].ProcessID != x.proc || due[0].AgreementVersion != n.Version || due[0].RetentionDays != 90 {
			t.Fatalf("due %+v", due)
		}
		p, done, err := x.s.PurgeRetention(x.ctx, x.proc, at)
		if ok(t, err); !done || p.Profiles != 1 || !p.PurgedAt.Equal(at) {
			t.Fatalf("purge %+v done=%v", p, done)
		}
		d := must(x.s.MyData(x.ctx, me))(t)
		if len(d.Profiles) != 0 || len(d.Consents) != 1 || len(d.Proposals) != 1 {
			t.Fatalf("after purge: %+v", d)
		}
		if pr := must(x.s.GetProposal(x.ctx, pid))(t); pr.Title != "Fish market" {
			t.Fatalf("proposal after purge %+v", pr)
		}
		if _, done, err := x.s.PurgeRetention(x.ctx, x.proc, at.AddDate(0, 1, 0)); err != nil || done {
			t.Fatalf("second purge done=%v err=%v", done, err)
		}
		if due := must(x.s.RetentionDue(x.ctx, at.AddDate(1, 0, 0)))(t); len(due) != 0 {
			t.Fatalf("due again after the purge: %+v", due)
		}
		un := must(x.s.UnauditedPurges(x.ctx))(t)
		if len(un) != 1 || un[0].ProcessID != x.proc || un[0].Profiles != 1 {
			t.Fatalf("unaudited %+v", un)
		}
		ok(t, x.s.MarkPurgeAudited(x.ctx, x.proc, at))
		if un := must(x.s.UnauditedPurges(x.ctx))(t); len(un) != 0 {
			t.Fatalf("still unaudited %+v", un)
		}
	})
}
