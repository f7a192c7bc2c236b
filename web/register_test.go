package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// asksContacts makes the registered process ask for an email or a phone,
// in the time zone (so the country) tz.
func asksContacts(t *testing.T, fx *webtest.Fixture, tz string) {
	t.Helper()
	ctx := context.Background()
	p, err := fx.Store.GetProcess(ctx, fx.Registered.ID, false)
	if err != nil {
		t.Fatal(err)
	}
	p.PersonalFields = []participation.PersonalField{participation.FieldEmail, participation.FieldPhone}
	p.TimeZone = tz
	if err := fx.Store.UpdateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// profileRows counts the profiles of the registered process.
func profileRows(t *testing.T, fx *webtest.Fixture) int {
	t.Helper()
	var n int
	db := fx.Store.DB()
	if err := db.GetContext(context.Background(), &n, db.Rebind("SELECT COUNT(*) FROM profiles WHERE process_id = ?"), fx.Registered.ID); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegistrationRefusesBadContacts(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		asksContacts(t, fx, "Africa/Nairobi")
		b := newBrowser(t, fx)
		reg := "/p/youth-fund/register"
		tok := b.token(reg + "?lang=sw") // the page is read in Kiswahili from here on
		form := func(email, phone string) url.Values {
			return url.Values{"consent": {"yes"}, "notice_version": {"1"}, "email": {email}, "phone": {phone}}
		}
		for _, c := range []struct {
			email, phone string
			field, msg   string
		}{
			{"amina@example", "", "email", "Hii si anwani ya barua pepe."},
			{"", "020 222 2181", "phone", "Nambari hii haiwezi kupokea ujumbe mfupi"},
			{"", "0712 34", "phone", "Hii si nambari ya simu."},
		} {
			p := b.post(reg, tok, form(c.email, c.phone))
			want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
			// Beside the field, in the reader's language, what they typed kept.
			typed := c.email + c.phone
			if !p.has(c.msg) || !p.has(`value="`+typed+`"`) || !p.has(`id="f-`+c.field+`"`) {
				t.Fatalf("%q/%q: refusal not shown beside %s, or input lost:\n%s", c.email, c.phone, c.field, p.Body)
			}
		}
		if n := profileRows(t, fx); n != 0 || len(fx.Sent()) != 0 {
			t.Fatalf("refused registrations left %d profiles and %d messages", n, len(fx.Sent()))
		}

		// A process elsewhere cannot read a local number: it asks for the
		// country code, in English for an English reader.
		asksContacts(t, fx, "Europe/Berlin")
		en := newBrowser(t, fx)
		entok := en.token(reg)
		p := en.post(reg, entok, form("", "0712 345 678"))
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Write the number with its country code, for example &#43;254 712 345 678.") || !p.has(`value="0712 345 678"`) {
			t.Fatalf("local number elsewhere:\n%s", p.Body)
		}

		// In Kenya the local form is a Kenyan mobile number: stored and
		// messaged as +254…, with the language the citizen registered in.
		asksContacts(t, fx, "Africa/Nairobi")
		p = b.post(reg, tok, form("", "0712-345-678"))
		want(t, p.Status, http.StatusSeeOther, p.Body)
		sent := fx.Sent()
		if len(sent) != 1 || sent[0].Channel != "phone" || sent[0].To != "+254712345678" || sent[0].Lang != "sw" {
			t.Fatalf("verification %+v", sent)
		}
		var stored participation.Profile
		db := fx.Store.DB()
		if err := db.GetContext(context.Background(), &stored, db.Rebind("SELECT phone, lang FROM profiles WHERE process_id = ?"), fx.Registered.ID); err != nil {
			t.Fatal(err)
		}
		if stored.Phone != "+254712345678" || stored.Lang != "sw" {
			t.Fatalf("stored %+v", stored)
		}
	})
}

func TestVerifyLockoutPage(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		asksContacts(t, fx, "Africa/Nairobi")
		b := newBrowser(t, fx)
		reg := "/p/youth-fund/register"
		tok := b.token(reg + "?lang=sw")
		p := b.post(reg, tok, url.Values{"consent": {"yes"}, "notice_version": {"1"}, "phone": {"+254 712 345 678"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		code := fx.Sent()[0].Secret
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		verify := "/p/youth-fund/verify"
		for i := 0; i < 4; i++ {
			p = b.post(verify, tok, url.Values{"secret": {wrong}})
			want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		}
		// The fifth wrong code locks it: 429, when to try again, in Kiswahili.
		p = b.post(verify, tok, url.Values{"secret": {wrong}})
		want(t, p.Status, http.StatusTooManyRequests, p.Body)
		if !p.has("msimbo huu umefungwa. Jaribu tena baada ya dakika 1.") || p.Header.Get("Retry-After") != "60" {
			t.Fatalf("lock not explained (Retry-After %q):\n%s", p.Header.Get("Retry-After"), p.Body)
		}
		// The right code during the lock is refused too.
		p = b.post(verify, tok, url.Values{"secret": {code}})
		want(t, p.Status, http.StatusTooManyRequests, p.Body)
		if yes, err := fx.Store.IsRegistered(context.Background(), fx.Registered.ID, participantOf(t, fx)); err != nil || yes {
			t.Fatalf("registered during the lock (%v)", err)
		}
		// And in English.
		p = b.post(verify+"?lang=en", tok, url.Values{"secret": {code}})
		want(t, p.Status, http.StatusTooManyRequests, p.Body)
		if !p.has("Too many wrong codes: for your safety this code is locked. Try again in 1 min.") {
			t.Fatalf("English lock message:\n%s", p.Body)
		}
	})
}

func TestAPIVerifyLockout(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		asksContacts(t, fx, "Africa/Nairobi")
		a := newAPI(t, fx)
		res := a.call("POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID), map[string]any{"consent": true, "notice_version": 1, "phone": "0712 345 678"})
		want(t, res.Status, http.StatusAccepted, res.Body)
		if sent := fx.Sent(); len(sent) != 1 || sent[0].To != "+254712345678" {
			t.Fatalf("sent %+v", sent)
		}
		ver := fmt.Sprintf("/api/v1/processes/%d/verification", fx.Registered.ID)
		for i := 0; i < 4; i++ {
			want(t, a.call("POST", ver, map[string]any{"secret": "nope"}).Status, http.StatusUnprocessableEntity, nil)
		}
		res = a.call("POST", ver, map[string]any{"secret": "nope"})
		want(t, res.Status, http.StatusTooManyRequests, res.Body)
		if p := res.problem(t); p.Status != 429 || !strings.Contains(p.Detail, "Try again in 1 min") || res.Header.Get("Retry-After") != "60" {
			t.Fatalf("lock problem %+v, Retry-After %q", p, res.Header.Get("Retry-After"))
		}
		res = a.call("POST", ver, map[string]any{"secret": fx.Sent()[0].Secret})
		want(t, res.Status, http.StatusTooManyRequests, res.Body)
		// A bad phone on the API: the field and its message.
		other := newAPI(t, fx)
		res = other.call("POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID), map[string]any{"consent": true, "notice_version": 1, "phone": "020 222 2181"})
		want(t, res.Status, http.StatusUnprocessableEntity, res.Body)
		if p := res.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "phone" || !strings.Contains(p.Errors[0].Message, "cannot receive text messages") {
			t.Fatalf("bad phone problem %+v", p)
		}
	})
}

// participantOf returns the one participant with a profile in the
// registered process.
func participantOf(t *testing.T, fx *webtest.Fixture) int64 {
	t.Helper()
	var id int64
	db := fx.Store.DB()
	if err := db.GetContext(context.Background(), &id, db.Rebind("SELECT participant_id FROM profiles WHERE process_id = ?"), fx.Registered.ID); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestVerifyingAContactRenewsTheSession: proving a contact gives the
// browser a new session cookie and kills the old one, so that a cookie
// planted in the citizen's browser beforehand (session fixation, ASVS
// 7.2.4) is worth nothing once the session is verified.
func TestVerifyingAContactRenewsTheSession(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		asksContacts(t, fx, "Africa/Nairobi")
		b := newBrowser(t, fx)
		reg := "/p/youth-fund/register"
		tok := b.token(reg + "?lang=en")
		p := b.post(reg, tok, url.Values{"consent": {"yes"}, "notice_version": {"1"}, "phone": {"+254 712 345 678"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		site, _ := url.Parse(fx.URL)
		session := func() string {
			for _, c := range b.c.Jar.Cookies(site) {
				if c.Name == "cp_session" {
					return c.Value
				}
			}
			t.Fatal("no session cookie")
			return ""
		}
		planted := session()
		p = b.post("/p/youth-fund/verify", tok, url.Values{"secret": {fx.Sent()[0].Secret}})
		want(t, p.Status, http.StatusOK, p.Body)
		if session() == planted {
			t.Fatal("the session cookie is the same after the contact was verified")
		}
		if got := b.get("/me/data.json"); got.Status != http.StatusOK {
			t.Fatalf("the verified browser's data: %d", got.Status)
		}
		attacker := newBrowser(t, fx)
		attacker.c.Jar.SetCookies(site, []*http.Cookie{{Name: "cp_session", Value: planted, Path: "/"}})
		if got := attacker.get("/me/data.json"); got.Status == http.StatusOK {
			t.Fatalf("the cookie from before the verification still opens the participant's data:\n%.500s", got.Body)
		}
	})
}
