package workspace_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/webtest"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// mailService is the real message service on the fixture's database,
// sending email to an in-process SMTP server.
func mailService(t *testing.T, fx *fixture, srv *notifytest.SMTPServer) *notify.Service {
	t.Helper()
	cfg, err := notify.ParseSMTPURL(srv.URL())
	must(t, err)
	cfg.From, cfg.Timeout = "County Engagement <engage@county.example>", 5*time.Second
	tr, err := notify.NewSMTP(cfg)
	must(t, err)
	svc, err := notify.Open(context.Background(), fx.Store.DB(), notify.Options{Email: tr, SMS: fx.Mailbox,
		BaseURL: staffwebtest.BaseURL, UnsubscribeKey: webtest.UnsubscribeKey, Domain: "county.example",
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: func() time.Time { return webtest.Now },
		Send: notify.SendOptions{MaxAttempts: 2, BackoffBase: time.Millisecond, BackoffMax: 2 * time.Millisecond}})
	must(t, err)
	t.Cleanup(func() { svc.Close() })
	return svc
}

// TestInquiryLifeOverHTTP: a citizen asks the team on the process page
// (in Kiswahili, with an address), an official finds it in the inbox,
// assigns it to a colleague on the process, answers it — the answer
// reaches a real SMTP server in Kiswahili — and publishes it as an FAQ
// entry in edited words that the process page then shows; hidden, it
// goes. A citizen without an address reads the answer on "my
// submissions". The official of another process gets 404 for all of it,
// and the address is in no log, audit entry or page of the workspace.
func TestInquiryLifeOverHTTP(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		smtp := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		var svc *notify.Service
		fx := newFixture(t, b.URL, func(c *workspace.Config) {
			c.SendInquiryAnswer = func(ctx context.Context, a workspace.InquiryAnswer) error {
				return svc.QueueInquiryAnswer(ctx, notify.InquiryAnswer{InquiryID: a.InquiryID, To: a.To, Lang: a.Lang,
					Process: a.Process, Link: staffwebtest.BaseURL + a.Link, Question: a.Question, Answer: a.Answer})
			}
		})
		svc = mailService(t, fx, smtp)
		p := fx.process(t, fx.ProcessA)
		p.Languages = []string{"en", "sw"}
		must(t, fx.Store.UpdateProcess(fx.ctx, p))
		page := "/p/" + p.Slug
		const address = "amina.wanjiru@example.org"

		// Asking: a refused question keeps what was typed, in Kiswahili.
		citizen := fx.Client(t)
		citizen.SetCookie("lang", "sw")
		tok := citizen.Token(page)
		refused := citizen.Post(page+"/inquiries", tok, url.Values{"question": {" "}, "email": {address}})
		if refused.Status != http.StatusUnprocessableEntity || !refused.Has("Hii ni lazima.") || !refused.Has(address) {
			t.Fatalf("empty question: %d, message %v, address kept %v", refused.Status, refused.Has("Hii ni lazima."), refused.Has(address))
		}
		asked := citizen.Post(page+"/inquiries", tok, url.Values{"question": {"Je, naweza kushiriki bila simu?"}, "email": {address}})
		if asked.Status != http.StatusSeeOther || asked.Location() != page+"?asked=1#ask" {
			t.Fatalf("ask: %d → %q", asked.Status, asked.Location())
		}
		if back := citizen.Get(page + "?asked=1"); !back.Has("swali lako limeifikia timu") {
			t.Fatal("the process page does not confirm the question")
		}
		list, _, err := fx.Store.ListInquiries(fx.ctx, participation.InquiryFilter{ProcessID: fx.ProcessA})
		must(t, err)
		if len(list) != 1 || list[0].Lang != "sw" || list[0].Email != address {
			t.Fatalf("stored %+v", list)
		}
		q := list[0]
		inbox := fmt.Sprintf("/staff/processes/%d/inquiries", fx.ProcessA)
		act := func(what string) string { return fmt.Sprintf("%s/%d/%s", inbox, q.ID, what) }

		// The inbox, filtered; the address is not on it.
		official := fx.browser(t, "official")
		pg := official.open(inbox + "?status=new")
		if !strings.Contains(html.UnescapeString(pg.Body), "Je, naweza kushiriki bila simu?") || pg.Has(address) {
			t.Fatalf("inbox: question shown %v, address shown %v", pg.Has("naweza kushiriki"), pg.Has(address))
		}
		if pg := official.open(inbox + "?status=closed"); pg.Has("naweza kushiriki") {
			t.Fatal("the closed filter lists a new question")
		}

		// The official of another process: 404 on the inbox and on every
		// decision, through either process's path.
		other := fx.browser(t, "official_b")
		if pg := other.Get(inbox); pg.Status != http.StatusNotFound {
			t.Fatalf("official_b on A's inbox: %d", pg.Status)
		}
		bInbox := fmt.Sprintf("/staff/processes/%d/inquiries", fx.ProcessB)
		for _, path := range []string{act("answer"), fmt.Sprintf("%s/%d/answer", bInbox, q.ID)} {
			if pg := other.submit(bInbox, path, url.Values{"answer": {"Not mine to answer."}}); pg.Status != http.StatusNotFound {
				t.Fatalf("official_b POST %s: %d, want 404", path, pg.Status)
			}
		}

		// Assign: only to someone with a role on the process.
		wantRefused(t, official.submit(inbox, act("assign"), url.Values{"assignee": {fmt.Sprint(fx.People["official_b"].ID)}}),
			http.StatusUnprocessableEntity, "holds no role on this process", "assign to another process's official")
		wantRedirect(t, official.submit(inbox, act("assign"), url.Values{"assignee": {fmt.Sprint(fx.People["moderator"].ID)}}), inbox, "assign")

		// Answer: by email, in Kiswahili, to the address given.
		const answer = "Ndiyo. Jisajili kwa barua pepe kwenye ofisi ya kata."
		done := official.submit(inbox, act("answer"), url.Values{"answer": {answer}})
		wantRedirect(t, done, inbox, "answer")
		if !strings.Contains(done.Location(), "done=inquiry_answered_sent") {
			t.Fatalf("answer: %q", done.Location())
		}
		deadline := time.Now().Add(20 * time.Second)
		for len(smtp.Mails()) == 0 && time.Now().Before(deadline) {
			_, err := svc.Drain(fx.ctx, 5*time.Second)
			must(t, err)
			time.Sleep(10 * time.Millisecond)
		}
		mails := smtp.WaitMails(t, 1, time.Second)
		m := mails[0]
		body := strings.ReplaceAll(string(m.Data), "=\r\n", "")
		if len(m.To) != 1 || m.To[0] != address || !strings.Contains(m.Header().Get("Subject"), "Swali") ||
			!strings.Contains(body, "Jisajili kwa barua pepe") || !strings.Contains(body, "Jibu lao") {
			t.Fatalf("answer mail to %v, subject %q:\n%s", m.To, m.Header().Get("Subject"), body)
		}

		// Publish as an FAQ entry in the team's words: on the process page,
		// where an answered question that was not published is not.
		reader := fx.Client(t)
		if pg := reader.Get(page + "?lang=en"); pg.Status != http.StatusOK || pg.Has("Frequent questions") {
			t.Fatalf("the process page shows an FAQ before any was published: %d", pg.Status)
		}
		const faqQ, faqA = "Can I take part without a phone?", "Yes: register by email at your ward office."
		wantRedirect(t, official.submit(inbox, act("faq"), url.Values{"publish": {"1"}, "faq_question": {faqQ}, "faq_answer": {faqA}}), inbox, "publish")
		if pg := reader.Get(page + "?lang=en"); !pg.Has(faqQ) || !pg.Has("register by email at your ward office") || pg.Has("naweza kushiriki") {
			t.Fatalf("FAQ on the process page: question %v, answer %v, the citizen's words %v", pg.Has(faqQ), pg.Has(faqA), pg.Has("naweza"))
		}
		// Moderated like a comment: hidden, it leaves the page.
		wantRefused(t, official.submit(inbox, act("hide"), url.Values{"hide": {"1"}}), http.StatusUnprocessableEntity, "This is required", "hide without a reason")
		wantRedirect(t, official.submit(inbox, act("hide"), url.Values{"hide": {"1"}, "reason": {"names a neighbour"}}), inbox, "hide")
		if pg := reader.Get(page); pg.Has(faqQ) {
			t.Fatal("a hidden FAQ entry is on the process page")
		}
		wantRedirect(t, official.submit(inbox, act("close"), url.Values{}), inbox, "close")
		wantRefused(t, official.submit(inbox, act("answer"), url.Values{"answer": {"Again"}}), http.StatusConflict, "closed", "answer a closed question")

		// Without an address: the answer is on "my submissions" only.
		anon := fx.Client(t)
		must2(t, anon.Post(page+"/inquiries", anon.Token(page), url.Values{"question": {"When is the next hearing?"}}), http.StatusSeeOther)
		list, _, err = fx.Store.ListInquiries(fx.ctx, participation.InquiryFilter{ProcessID: fx.ProcessA, Status: participation.InquiryNew})
		must(t, err)
		if len(list) != 1 || list[0].Email != "" {
			t.Fatalf("second question: %+v", list)
		}
		done = official.submit(inbox, fmt.Sprintf("%s/%d/answer", inbox, list[0].ID), url.Values{"answer": {"On 20 March at the county hall."}})
		if !strings.Contains(done.Location(), "done=inquiry_answered_me") {
			t.Fatalf("answer without address: %d %q", done.Status, done.Location())
		}
		if me := anon.Get("/me"); !me.Has("When is the next hearing?") || !me.Has("On 20 March at the county hall.") {
			t.Fatalf("my submissions lack the answer: %d", me.Status)
		}
		if me := fx.Client(t).Get("/me"); me.Has("On 20 March") {
			t.Fatal("another browser sees the answer")
		}
		_, _ = svc.Drain(fx.ctx, time.Second)
		if n := len(smtp.Mails()); n != 1 {
			t.Fatalf("%d mails, want only the first answer's", n)
		}

		// Every decision is audited, without the address; no log holds it.
		actions := map[string]int{}
		for _, rec := range fx.audited(t, fx.ProcessA) {
			if strings.HasPrefix(rec.Action, "inquiry.") {
				actions[rec.Action]++
			}
			if strings.Contains(dump(rec), address) {
				t.Fatalf("the audit log holds the address: %s", dump(rec))
			}
		}
		for _, a := range []string{"inquiry.assign", "inquiry.answer", "inquiry.faq", "inquiry.hide", "inquiry.close"} {
			if actions[a] == 0 {
				t.Errorf("no %s in the audit log (%v)", a, actions)
			}
		}
		if strings.Contains(fx.Logs.String(), address) {
			t.Fatal("a log line holds the address")
		}
	})
}

func must2(t *testing.T, p staffwebtest.Page, status int) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("got %d, want %d\n%s", p.Status, status, errorsIn(p.Body))
	}
}
