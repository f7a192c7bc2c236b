package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestDownloadMyData: a cookie-bound citizen downloads every kind of item
// they made and nothing of another's; a registered one, over the API, also
// gets their profile and consent; /me says what was collected and why.
func TestDownloadMyData(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		if p := b.get("/me/data.json"); p.Status != http.StatusNotFound {
			t.Fatalf("a newcomer downloads %d", p.Status)
		}
		proposal := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		tok := b.token(proposal)
		for _, step := range []struct {
			path string
			form url.Values
		}{
			{proposal + "/comments", url.Values{"body": {"Mine: fence it first."}}},
			{proposal + "/support", url.Values{"on": {"1"}}},
			{fmt.Sprintf("/p/budget-2026/c/%d/answers", fx.Survey), url.Values{"page": {"1"}, fmt.Sprintf("question_%d", fx.Questions["single"]): {"1"}, fmt.Sprintf("question_%d", fx.Questions["likert"]): {"4"}}},
		} {
			p := b.post(step.path, tok, step.form)
			want(t, p.Status, http.StatusSeeOther, p.Body)
		}
		other := newBrowser(t, fx)
		p := other.post(proposal+"/comments", other.token(proposal), url.Values{"body": {"Theirs: not mine at all."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)

		p = b.get("/me/data.json")
		want(t, p.Status, http.StatusOK, p.Body)
		if !strings.HasPrefix(p.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download is not a file: %q", p.Header.Get("Content-Disposition"))
		}
		var d participation.MyData
		if err := json.Unmarshal([]byte(p.Body), &d); err != nil {
			t.Fatal(err)
		}
		if len(d.Comments) != 1 || d.Comments[0].Body != "Mine: fence it first." || len(d.Supports) != 1 || d.Supports[0] != fx.Proposal ||
			len(d.Responses) != 1 || len(d.Responses[0].Answers) != 2 || d.Participant.Kind != participation.ParticipantAnonymous {
			t.Fatalf("download %+v", d)
		}
		if strings.Contains(p.Body, "Theirs") {
			t.Fatal("the download holds another participant's comment")
		}
		me := b.get("/me")
		section := between(t, me.Body, `id="h-my-data"`, "</section>")
		for _, s := range []string{`href="/me/data.json"`, "Download my data (JSON)", "You gave no name and no contact"} {
			if !strings.Contains(section, s) {
				t.Fatalf("My data lacks %q:\n%s", s, section)
			}
		}
		if sw := b.get("/me?lang=sw"); !strings.Contains(sw.Body, "Data yangu") || !strings.Contains(sw.Body, "Nifute sasa") {
			t.Fatal("My data is not in Kiswahili")
		}
		b.get("/?lang=en")

		// Registered, over the API: the profile, the consent, the vote.
		a := newAPI(t, fx)
		res := a.call("POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID), map[string]any{"consent": true, "notice_version": 1, "name": "Kamau", "email": "kamau@example.org"})
		want(t, res.Status, http.StatusAccepted, res.Body)
		sent := fx.Sent()
		want(t, a.call("POST", fmt.Sprintf("/api/v1/processes/%d/verification", fx.Registered.ID), map[string]any{"secret": sent[len(sent)-1].Secret}).Status, 200, nil)
		want(t, a.call("PUT", fmt.Sprintf("/api/v1/comments/%d/vote", fx.SectionComm), map[string]any{"vote": "agree"}).Status, 200, nil)
		res = a.call("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.RegProposals), map[string]any{"title": "Bakery", "description": "A shared oven for five young bakers."})
		want(t, res.Status, http.StatusCreated, res.Body)
		res = a.call("GET", "/api/v1/me/data", nil)
		want(t, res.Status, http.StatusOK, res.Body)
		var rd participation.MyData
		res.json(t, &rd)
		if len(rd.Profiles) != 1 || rd.Profiles[0].Email != "kamau@example.org" || rd.Profiles[0].Name != "Kamau" || len(rd.Consents) != 1 ||
			len(rd.Votes) != 1 || rd.Votes[0].CommentID != fx.SectionComm || len(rd.Proposals) != 1 || rd.Proposals[0].Title != "Bakery" ||
			len(rd.Comments) != 0 || len(rd.Supports) != 0 {
			t.Fatalf("registered download %+v", rd)
		}
		want(t, (&api{t: t, base: fx.URL}).call("GET", "/api/v1/me/data", nil).Status, http.StatusUnauthorized, nil)
	})
}

// TestEraseMe: erasing from /me needs the CSRF token, the confirmation and
// the choice; keeping leaves the comment public without its author and the
// cookie forgotten; removing takes the contributions off the public pages.
func TestEraseMe(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		proposal := fmt.Sprintf("/p/budget-2026/proposals/%d", fx.Proposal)
		citizen := func(body string) (*browser, string) {
			b := newBrowser(t, fx)
			tok := b.token(proposal)
			p := b.post(proposal+"/comments", tok, url.Values{"body": {body}})
			want(t, p.Status, http.StatusSeeOther, p.Body)
			p = b.post(proposal+"/support", tok, url.Values{"on": {"1"}})
			want(t, p.Status, http.StatusSeeOther, p.Body)
			return b, b.token("/me")
		}
		keeper, tok := citizen("Keep this comment, please.")
		if p := keeper.post("/me/erase", "", url.Values{"contributions": {"keep"}, "confirm": {"yes"}}); p.Status != http.StatusForbidden {
			t.Fatalf("erasure without a CSRF token: %d", p.Status)
		}
		want(t, keeper.post("/me/erase", tok, url.Values{"contributions": {"keep"}}).Status, http.StatusUnprocessableEntity, nil)
		want(t, keeper.post("/me/erase", tok, url.Values{"confirm": {"yes"}}).Status, http.StatusUnprocessableEntity, nil)
		if p := keeper.get("/me"); !p.has("Keep this comment, please.") {
			t.Fatal("a refused erasure changed something")
		}
		p := keeper.post("/me/erase", tok, url.Values{"contributions": {"keep"}, "confirm": {"yes"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if p := keeper.get(p.Header.Get("Location")); !p.has("Your personal data has been erased") || p.has("Keep this comment, please.") || p.has(`id="h-my-data"`) {
			t.Fatalf("after erasure /me still knows the browser:\n%s", p.Body)
		}
		if p := keeper.get("/me/data.json"); p.Status != http.StatusNotFound {
			t.Fatalf("download after erasure: %d", p.Status)
		}
		pub := keeper.get(proposal)
		if !pub.has("Keep this comment, please.") || !pub.has("1 support") {
			t.Fatalf("a kept comment or support left the public page:\n%s", between(t, pub.Body, "<main", "</main>"))
		}

		// Removed: off the public page, the support no longer counted. A
		// second request with the old cookie finds nobody (404).
		remover, tok := citizen("Take this comment away.")
		p = remover.post("/me/erase", tok, url.Values{"contributions": {"remove"}, "confirm": {"yes"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		pub = remover.get(proposal)
		if pub.has("Take this comment away.") || !pub.has("1 support") {
			t.Fatalf("a removed comment or support is still public:\n%s", between(t, pub.Body, "<main", "</main>"))
		}
		want(t, remover.post("/me/erase", remover.token(proposal), url.Values{"contributions": {"remove"}, "confirm": {"yes"}}).Status, http.StatusNotFound, nil)
	})
}
