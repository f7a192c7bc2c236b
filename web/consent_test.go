package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// publishAgreement gives the registered process a full data agreement
// (version 2: the fixture published a bare notice as version 1).
func publishAgreement(t *testing.T, fx *webtest.Fixture) participation.PrivacyNotice {
	t.Helper()
	ctx := context.Background()
	p, err := fx.Store.GetProcess(ctx, fx.Registered.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	p.FieldReasons = map[participation.PersonalField]string{participation.FieldName: "to address you",
		participation.FieldEmail: "to send you the results", participation.FieldRegion: "to see which wards took part"}
	if err := fx.Store.UpdateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	n, err := fx.Store.PublishDataAgreement(ctx, fx.Registered.ID, participation.PrivacyNotice{Text: "We keep your details to tell you about the youth fund.",
		AgreementTerms: participation.AgreementTerms{Purpose: "Choosing the youth fund's projects with residents", LawfulBasis: participation.BasisPublicTask,
			PolicyURL: "https://county.example/privacy", RetentionDays: 90, Access: "The county's youth office only"}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// consentRows reads the consent records of the registered process.
func consentRows(t *testing.T, fx *webtest.Fixture) []participation.Consent {
	t.Helper()
	var cs []participation.Consent
	db := fx.Store.DB()
	if err := db.SelectContext(context.Background(), &cs, db.Rebind("SELECT id, participant_id, process_id, notice_version, purpose, given_at, withdrawn_at FROM consents WHERE process_id = ? ORDER BY id"), fx.Registered.ID); err != nil {
		t.Fatal(err)
	}
	return cs
}

// The agreement is shown alone, in the reader's language, before any
// personal field; consenting writes one record with the version, and only
// then are the fields asked.
func TestConsentIsAskedBeforeAnyField(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		n := publishAgreement(t, fx)
		b := newBrowser(t, fx)
		if p := b.get("/p/youth-fund"); !p.has("Choosing the youth fund&#39;s projects with residents") || !p.has("Until 90 days after the process closes") {
			t.Fatalf("the process page does not show the agreement:\n%s", p.Body)
		}
		reg := "/p/youth-fund/register"
		p := b.get(reg + "?lang=sw")
		want(t, p.Status, http.StatusOK, p.Body)
		for _, s := range []string{"Jinsi data yako inavyotumika", "Nani anaweza kuiona", "The county&#39;s youth office only",
			"Hadi siku 90 baada ya mchakato kufungwa", "Jukumu ambalo taasisi inatekeleza kwa manufaa ya umma", "to send you the results",
			`action="/p/youth-fund/consent"`, `href="https://county.example/privacy"`} {
			if !p.has(s) {
				t.Fatalf("agreement lacks %q:\n%s", s, p.Body)
			}
		}
		for _, s := range []string{`name="email"`, `name="name"`, `name="region"`} {
			if p.has(s) {
				t.Fatalf("a personal field (%s) is asked before consent:\n%s", s, p.Body)
			}
		}
		tok := b.token(reg + "?lang=en")
		consent := "/p/youth-fund/consent"
		p = b.post(consent, tok, url.Values{"notice_version": {"2"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Please tick the box") {
			t.Fatalf("no consent, no message:\n%s", p.Body)
		}
		p = b.post(consent+"?lang=sw", tok, url.Values{"notice_version": {"1"}, "consent": {"yes"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if p.has(`name="email"`) || !p.has(`value="2"`) {
			t.Fatalf("consent to an old version: fields asked, or the current version not shown:\n%s", p.Body)
		}
		if cs := consentRows(t, fx); len(cs) != 0 {
			t.Fatalf("refused consents were recorded: %+v", cs)
		}
		b.get("/?lang=en")
		p = b.post(consent, tok, url.Values{"notice_version": {"2"}, "consent": {"yes"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if loc := p.Header.Get("Location"); loc != reg+"#h-details" {
			t.Fatalf("after consent: %q", loc)
		}
		cs := consentRows(t, fx)
		if len(cs) != 1 || cs[0].NoticeVersion != n.Version || cs[0].WithdrawnAt != nil || cs[0].GivenAt.IsZero() {
			t.Fatalf("consent records %+v", cs)
		}
		p = b.get(reg)
		if !p.has(`id="f-email"`) || !p.has("You agreed to the data agreement (version 2).") || p.has(`action="/p/youth-fund/consent"`) {
			t.Fatalf("fields not asked after consent:\n%s", p.Body)
		}
		p = b.post(reg, tok, url.Values{"notice_version": {"2"}, "consent": {"yes"}, "name": {"Amina Hassan"}, "email": {"amina@example"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has(`value="amina@example"`) || !p.has(`id="f-email"`) {
			t.Fatalf("a refused field lost what was typed:\n%s", p.Body)
		}
		p = b.post(reg, tok, url.Values{"notice_version": {"2"}, "consent": {"yes"}, "name": {"Amina Hassan"}, "email": {"amina@example.org"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if cs := consentRows(t, fx); len(cs) != 1 {
			t.Fatalf("registering after consent recorded it again: %+v", cs)
		}
		if n := profileRows(t, fx); n != 1 {
			t.Fatalf("%d profiles after registering", n)
		}
	})
}

// Withdrawal on "My data": the fields are deleted, the record keeps its
// withdrawn-at, the download and the page say so; someone without consent
// to the process is refused and nothing changes.
func TestWithdrawConsentOnMyData(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		publishAgreement(t, fx)
		b := newBrowser(t, fx)
		reg := "/p/youth-fund/register"
		tok := b.token(reg)
		want(t, b.post("/p/youth-fund/consent", tok, url.Values{"notice_version": {"2"}, "consent": {"yes"}}).Status, http.StatusSeeOther, nil)
		p := b.post(reg, tok, url.Values{"notice_version": {"2"}, "consent": {"yes"}, "name": {"Amina Hassan"}, "email": {"amina@example.org"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		sent := fx.Sent()
		if len(sent) != 1 {
			t.Fatalf("verifications %+v", sent)
		}
		want(t, b.post("/p/youth-fund/verify", tok, url.Values{"secret": {sent[0].Secret}}).Status, http.StatusOK, nil)

		me := b.get("/me")
		section := between(t, me.Body, `id="h-my-data"`, "</section>")
		for _, s := range []string{"Amina Hassan", "Choosing the youth fund&#39;s projects with residents", "Until 90 days after the process closes",
			`action="/me/consent/withdraw"`, `name="process" value="youth-fund"`} {
			if !strings.Contains(section, s) {
				t.Fatalf("My data lacks %q:\n%s", s, section)
			}
		}

		// Another person, and a withdrawal without the box ticked.
		other := newBrowser(t, fx)
		otok := other.token(fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal))
		want(t, other.post(fmt.Sprintf("/p/budget-2026/proposals/%d/support", fx.Proposal), otok, url.Values{"on": {"1"}}).Status, http.StatusSeeOther, nil)
		p = other.post("/me/consent/withdraw", otok, url.Values{"process": {"youth-fund"}, "confirm": {"yes"}})
		want(t, p.Status, http.StatusNotFound, p.Body)
		p = b.post("/me/consent/withdraw", tok, url.Values{"process": {"youth-fund"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if cs := consentRows(t, fx); len(cs) != 1 || cs[0].WithdrawnAt != nil || profileRows(t, fx) != 1 {
			t.Fatalf("a refused withdrawal changed something: %+v, %d profiles", cs, profileRows(t, fx))
		}

		p = b.post("/me/consent/withdraw", tok, url.Values{"process": {"youth-fund"}, "confirm": {"yes"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		cs := consentRows(t, fx)
		if len(cs) != 1 || cs[0].WithdrawnAt == nil || profileRows(t, fx) != 0 {
			t.Fatalf("after withdrawal: %+v, %d profiles", cs, profileRows(t, fx))
		}
		p = b.get("/me/data.json")
		want(t, p.Status, http.StatusOK, p.Body)
		var d participation.MyData
		if err := json.Unmarshal([]byte(p.Body), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Profiles) != 0 || len(d.Consents) != 1 || d.Consents[0].WithdrawnAt == nil || d.Consents[0].NoticeVersion != 2 || strings.Contains(p.Body, "amina") ||
			len(d.Agreements) != 1 || d.Agreements[0].Version != 2 || d.Agreements[0].RetentionDays != 90 {
			t.Fatalf("download after withdrawal %s", p.Body)
		}
		me = b.get("/me?withdrawn=1&lang=sw")
		section = between(t, me.Body, `id="h-my-data"`, "</section>")
		if !strings.Contains(section, "Idhini yako imeondolewa") || !strings.Contains(section, "Uliiondoa tarehe") || strings.Contains(section, `action="/me/consent/withdraw"`) ||
			strings.Contains(section, "Amina") {
			t.Fatalf("My data after withdrawal:\n%s", section)
		}
		// Withdrawing again is refused: there is nothing left to withdraw.
		want(t, b.post("/me/consent/withdraw", tok, url.Values{"process": {"youth-fund"}, "confirm": {"yes"}}).Status, http.StatusNotFound, nil)
	})
}
