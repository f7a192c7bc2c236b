package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// registered signs a new browser up with the registered process by email
// and confirms it, as a citizen does; it returns the browser, a CSRF token
// of its session and the participant's id.
func registered(t *testing.T, fx *webtest.Fixture) (*browser, string, int64) {
	t.Helper()
	asksContacts(t, fx, "Africa/Nairobi")
	b := newBrowser(t, fx)
	reg := "/p/youth-fund/register"
	tok := b.token(reg)
	p := b.post(reg, tok, url.Values{"consent": {"yes"}, "notice_version": {"1"}, "email": {"amina@example.org"}})
	want(t, p.Status, http.StatusSeeOther, p.Body)
	sent := fx.Sent()
	p = b.post("/p/youth-fund/verify", tok, url.Values{"secret": {sent[len(sent)-1].Secret}})
	want(t, p.Status, http.StatusOK, p.Body)
	return b, tok, sent[len(sent)-1].ParticipantID
}

func prefsOf(t *testing.T, fx *webtest.Fixture, id int64) map[notify.Kind]notify.Frequency {
	t.Helper()
	prefs, err := fx.Notify.Preferences(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return prefs
}

func TestMessagePreferencesOnMe(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		// An anonymous participant gave no address: no section, and a post
		// is refused.
		anon := newBrowser(t, fx)
		proposal := fmt.Sprintf("/p/%s/proposals/%d", fx.Open.Slug, fx.Proposal)
		tok := anon.token(proposal)
		anon.post(proposal+"/follow", tok, nil)
		if p := anon.get("/me"); p.Status != http.StatusOK || p.has(`id="h-messages"`) {
			t.Fatalf("anonymous /me shows messages (%d):\n%s", p.Status, p.Body)
		}
		p := anon.post("/me/messages", tok, url.Values{"kind.results": {"none"}})
		want(t, p.Status, http.StatusForbidden, p.Body)

		b, tok, id := registered(t, fx)
		me := b.get("/me?lang=sw")
		want(t, me.Status, http.StatusOK, me.Body)
		if !me.has(`id="h-messages"`) || !me.has("matokeo kuchapishwa") || !me.has(`name="kind.results" value="instant" checked`) {
			t.Fatalf("messages section missing or wrong:\n%s", me.Body)
		}
		// Without the CSRF token nothing is saved.
		if p := b.post("/me/messages", "", url.Values{"kind.results": {"none"}}); p.Status != http.StatusForbidden {
			t.Fatalf("no CSRF token: %d", p.Status)
		}
		p = b.post("/me/messages", tok, url.Values{"kind.results": {"daily"}, "kind.reply": {"none"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		got := prefsOf(t, fx, id)
		if got[notify.KindResults] != notify.Daily || got[notify.KindReply] != notify.Never {
			t.Fatalf("stored %v", got)
		}
		me = b.get(p.Header.Get("Location"))
		if !me.has(`name="kind.results" value="daily" checked`) || !me.has(`name="kind.reply" value="none" checked`) ||
			!me.has("Chaguo zako zimehifadhiwa.") {
			t.Fatalf("choices not read back:\n%s", me.Body)
		}
		// A frequency that is not one: 422 in the reader's language, nothing stored.
		p = b.post("/me/messages", tok, url.Values{"kind.results": {"hourly"}, "kind.decision": {"none"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Chagua mojawapo") || prefsOf(t, fx, id)[notify.KindDecision] != "" {
			t.Fatalf("bad frequency: %s", p.Body)
		}
	})
}

func TestUnsubscribe(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		_, _, id := registered(t, fx)
		token := fx.Notify.UnsubscribeToken(id, notify.KindResults)
		link := "/unsubscribe?token=" + url.QueryEscape(token)

		// A GET (a mail scanner) shows what stops and changes nothing.
		c := newBrowser(t, fx)
		p := c.get(link + "&lang=sw")
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has("Hutapokea tena ujumbe kuhusu: matokeo kuchapishwa.") || !p.has(`name="token" value="`+token+`"`) {
			t.Fatalf("unsubscribe page:\n%s", p.Body)
		}
		if got := prefsOf(t, fx, id); len(got) != 0 {
			t.Fatalf("a GET changed preferences: %v", got)
		}
		// The form needs its CSRF token; with it, the kind stops.
		if p := c.post("/unsubscribe", "", url.Values{"token": {token}}); p.Status != http.StatusForbidden {
			t.Fatalf("form without CSRF token: %d", p.Status)
		}
		p = c.post("/unsubscribe", c.token(link), url.Values{"token": {token}})
		want(t, p.Status, http.StatusOK, p.Body)
		if !p.has("Imekamilika") || prefsOf(t, fx, id)[notify.KindResults] != notify.Never {
			t.Fatalf("confirm: %v\n%s", prefsOf(t, fx, id), p.Body)
		}

		// RFC 8058: the mail client POSTs to the link, no cookie, no CSRF token.
		oneClick := func(tok string) *http.Response {
			res, err := http.Post(fx.URL+"/unsubscribe?token="+url.QueryEscape(tok), "application/x-www-form-urlencoded",
				strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res
		}
		if res := oneClick(fx.Notify.UnsubscribeToken(id, notify.KindDecision)); res.StatusCode != http.StatusOK {
			t.Fatalf("one-click: %d", res.StatusCode)
		}
		if prefsOf(t, fx, id)[notify.KindDecision] != notify.Never {
			t.Fatal("one-click did not unsubscribe")
		}

		// Tampered links: another participant's number or another kind under
		// this signature, a cut signature. 400, in the reader's language,
		// and nothing changed.
		other := fx.Notify.UnsubscribeToken(id+1, notify.KindReply)
		parts := strings.Split(token, ".")
		for _, bad := range []string{
			fmt.Sprint(id+1) + "." + parts[1] + "." + parts[2],
			parts[0] + ".reply." + parts[2],
			parts[0] + "." + parts[1] + "." + parts[2][:len(parts[2])-2],
			strings.Split(other, ".")[0] + ".reply." + parts[2],
			"",
		} {
			if p := c.get("/unsubscribe?token=" + url.QueryEscape(bad)); p.Status != http.StatusBadRequest || !p.has("Kiungo hiki cha kujiondoa si sahihi") {
				t.Fatalf("GET %q: %d\n%s", bad, p.Status, p.Body)
			}
			if res := oneClick(bad); res.StatusCode != http.StatusBadRequest {
				t.Fatalf("one-click %q: %d", bad, res.StatusCode)
			}
		}
		if got := prefsOf(t, fx, id); got[notify.KindReply] != "" || len(got) != 2 {
			t.Fatalf("tampered links changed %v", got)
		}
		if got := prefsOf(t, fx, id+1); len(got) != 0 {
			t.Fatalf("tampered links changed another participant: %v", got)
		}
	})
}

// The one-click POST is a public write: limited per client address like
// every other, even without a session.
func TestUnsubscribeRateLimited(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		link := fx.URL + "/unsubscribe?token=" + url.QueryEscape(fx.Notify.UnsubscribeToken(5, notify.KindResults))
		statuses := map[int]int{}
		for range 8 {
			res, err := http.Post(link, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			statuses[res.StatusCode]++
		}
		if statuses[http.StatusOK] == 0 || statuses[http.StatusTooManyRequests] == 0 {
			t.Fatalf("answers %v, want some 200 then 429", statuses)
		}
	}, webtest.WithRateLimits(1, 1))
}
