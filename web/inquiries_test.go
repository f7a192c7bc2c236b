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

// Asking the team is a public write like a comment: the participant's
// limit stops a flood with 429, and what was refused was not stored.
func TestAskTheTeamRateLimited(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		tok := b.token("/p/budget-2026")
		var last page
		sent := 0
		for i := 0; i < 20; i++ {
			last = b.post("/p/budget-2026/inquiries", tok, url.Values{"question": {fmt.Sprintf("Question number %d?", i)}})
			if last.Status == http.StatusTooManyRequests {
				break
			}
			want(t, last.Status, http.StatusSeeOther, last.Body)
			sent++
		}
		want(t, last.Status, http.StatusTooManyRequests, last.Body)
		if last.Header.Get("Retry-After") == "" || sent == 0 {
			t.Fatalf("429 after %d questions, Retry-After %q", sent, last.Header.Get("Retry-After"))
		}
		_, n, err := fx.Store.ListInquiries(t.Context(), participation.InquiryFilter{ProcessID: fx.Open.ID})
		if err != nil || n != sent {
			t.Fatalf("stored %d questions, %d were accepted (%v)", n, sent, err)
		}
	}, webtest.WithRateLimits(1000, 1))
}

// The form works without JavaScript and in Kiswahili: a bad address is
// refused beside its field with the question kept; a draft takes none;
// the address is in the asker's download and goes with their erasure.
func TestAskTheTeamForm(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		b := newBrowser(t, fx)
		tok := b.token("/p/budget-2026?lang=sw")
		p := b.post("/p/budget-2026/inquiries?lang=sw", tok, url.Values{"question": {"Mkutano ujao ni lini?"}, "email": {"si anwani"}})
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		if !p.has("Hii si anwani ya barua pepe.") || !p.has("Mkutano ujao ni lini?") || !p.has(`id="e-email"`) {
			t.Fatalf("refused form:\n%s", between(t, p.Body, `id="ask"`, "</section>"))
		}
		if p := b.post("/p/budget-2026/inquiries", "", url.Values{"question": {"No token?"}}); p.Status != http.StatusForbidden {
			t.Fatalf("without a CSRF token: %d", p.Status)
		}
		if p := b.post("/p/"+fx.Draft.Slug+"/inquiries", tok, url.Values{"question": {"A draft?"}}); p.Status != http.StatusNotFound {
			t.Fatalf("a draft's form: %d", p.Status)
		}
		p = b.post("/p/budget-2026/inquiries", tok, url.Values{"question": {"Mkutano ujao ni lini?"}, "email": {"Zawadi@Example.org"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if me := b.get("/me"); !me.has("Mkutano ujao ni lini?") || !me.has("linasubiri jibu") {
			t.Fatalf("my submissions lack the question:\n%s", between(t, me.Body, `id="h-my-inquiries"`, "</section>"))
		}
		d := b.get("/me/data.json")
		want(t, d.Status, http.StatusOK, d.Body)
		var data participation.MyData
		if err := json.Unmarshal([]byte(d.Body), &data); err != nil {
			t.Fatal(err)
		}
		if len(data.Inquiries) != 1 || !strings.EqualFold(data.Inquiries[0].Email, "zawadi@example.org") {
			t.Fatalf("download: %+v", data.Inquiries)
		}
		want(t, b.post("/me/erase", b.token("/me"), url.Values{"contributions": {"keep"}, "confirm": {"yes"}}).Status, http.StatusSeeOther, nil)
		q, err := fx.Store.GetInquiry(t.Context(), fx.Open.ID, data.Inquiries[0].ID)
		if err != nil || q.Email != "" || q.Question != "Mkutano ujao ni lini?" {
			t.Fatalf("after erasure: %+v %v", q, err)
		}
	})
}
