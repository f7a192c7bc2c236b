package staffweb_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// drain sends what svc has due, as the job queue's drain job does.
func drain(t *testing.T, svc *notify.Service) {
	t.Helper()
	if _, err := svc.Drain(context.Background(), 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func TestMailboxPage(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		ctx := context.Background()
		m := notify.Message{Source: "event:1", Kind: notify.KindResults, Channel: notify.Email, To: "amina@example.org",
			ParticipantID: 7, Lang: "sw", Process: "Bajeti ya Kaunti", Link: "https://engage.county.example/p/budget",
			Fields: map[string]string{"title": "Visima <b>vipya</b>"}}
		if _, err := fx.Notify.Queue(ctx, []notify.Message{m}); err != nil {
			t.Fatal(err)
		}
		drain(t, fx.Notify)
		// A message file nobody should trust (the mailbox folder is a
		// folder): its HTML must not reach the page as it is.
		hostile := "From: x@example.org\r\nTo: admin@example.org\r\nSubject: hello\r\nDate: Mon, 09 Mar 2026 08:00:00 +0000\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
			"plain <script>alert(1)</script> text\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"<p onclick=3D\"evil()\">Hi <script>alert(2)</script><a href=3D\"javascript:evil()\">x</a></p>\r\n--b--\r\n"
		if err := os.WriteFile(filepath.Join(fx.Mailbox.Dir(), "00000000000000000001-hostile.eml"), []byte(hostile), 0o600); err != nil {
			t.Fatal(err)
		}

		admin := signedIn(t, fx, "admin")
		list := admin.Get("/staff/mailbox?lang=sw")
		if list.Status != http.StatusOK || !list.Has("Sanduku la barua la ndani") || !list.Has("amina@example.org") {
			t.Fatalf("mailbox list %d:\n%s", list.Status, list.Body)
		}
		links := regexp.MustCompile(`href="/staff/mailbox\?m=([^"]+)"`).FindAllStringSubmatch(list.Body, -1)
		if len(links) != 2 {
			t.Fatalf("%d messages listed, want 2:\n%s", len(links), list.Body)
		}
		// Newest first: the queued message (written now) before the old file.
		if !strings.Contains(links[1][1], "hostile") {
			t.Fatalf("order %v", links)
		}
		open := admin.Get("/staff/mailbox?m=" + links[0][1])
		if open.Status != http.StatusOK || !open.Has("Bajeti ya Kaunti") || !open.Has("/unsubscribe?token=") {
			t.Fatalf("message %d:\n%s", open.Status, open.Body)
		}
		h := admin.Get("/staff/mailbox?m=" + links[1][1])
		if h.Status != http.StatusOK || !h.Has("plain &lt;script&gt;alert(1)&lt;/script&gt; text") || !h.Has("<p>Hi") {
			t.Fatalf("hostile message not shown readable:\n%s", h.Body)
		}
		if h.Has("alert(2)") || h.Has("onclick") || h.Has("javascript:") || h.Has("<script>") {
			t.Fatalf("raw HTML reached the page:\n%s", h.Body)
		}
		if p := admin.Get("/staff/mailbox?m=" + url.QueryEscape("../secret.key")); p.Status != http.StatusNotFound {
			t.Fatalf("a path: %d", p.Status)
		}
		if p := admin.Get("/staff/mailbox?m=nothing.eml"); p.Status != http.StatusNotFound || !p.Has("Hakuna ujumbe kama huo") {
			t.Fatalf("unknown message: %d", p.Status)
		}

		// Not an admin: refused like every admin page (403 for staff, the
		// sign-in page for anyone else), and nothing of the mailbox shown.
		for _, who := range []string{"official", "analyst"} {
			p := signedIn(t, fx, who).Get("/staff/mailbox?m=" + links[0][1])
			if p.Status != http.StatusForbidden || p.Has("Bajeti") {
				t.Fatalf("%s: %d", who, p.Status)
			}
		}
		wantSignIn(t, fx.Client(t).Get("/staff/mailbox"), "anonymous mailbox")
	})
}

func TestDeliveriesPage(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		ctx := context.Background()
		// A relay that refuses for good, on the same deliveries table.
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{Script: func(int) notifytest.Answer { return notifytest.Refuse5 }})
		cfg, err := notify.ParseSMTPURL(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		cfg.From, cfg.Timeout = "County <engage@county.example>", 5*time.Second
		relay, err := notify.NewSMTP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		refusing, err := notify.Open(ctx, fx.Store.DB(), notify.Options{Email: relay, SMS: fx.Mailbox,
			BaseURL: "https://engage.county.example", UnsubscribeKey: []byte("another-key-for-the-refusing-relay-0123"),
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { refusing.Close() })
		failed := notify.Message{Source: "event:9", Kind: notify.KindDecision, Channel: notify.Email, To: "baraka@example.org",
			ParticipantID: 9, Lang: "en", Process: "County budget"}
		if _, err := refusing.Queue(ctx, []notify.Message{failed}); err != nil {
			t.Fatal(err)
		}
		drain(t, refusing)
		sent := notify.Message{Source: "event:10", Kind: notify.KindResults, Channel: notify.Email, To: "amina@example.org",
			ParticipantID: 7, Lang: "en", Process: "County budget"}
		if _, err := fx.Notify.Queue(ctx, []notify.Message{sent}); err != nil {
			t.Fatal(err)
		}
		drain(t, fx.Notify)

		// A process in a language without templates: the page says so.
		p, err := fx.Store.GetProcess(ctx, fx.Open.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		p.Languages = []string{"en", "fr"}
		if err := fx.Store.UpdateProcess(ctx, p); err != nil {
			t.Fatal(err)
		}

		// The process's own page tells its officials too.
		official := signedIn(t, fx, "official")
		if pp := official.Get(fmt.Sprintf("/staff/processes/%d", fx.Open.ID)); pp.Status != http.StatusOK || !pp.Has("fr: no template for “decision” messages") {
			t.Fatalf("process page gaps %d:\n%s", pp.Status, pp.Body)
		}

		admin := signedIn(t, fx, "admin")
		page := admin.Get("/staff/deliveries")
		if page.Status != http.StatusOK || !page.Has("b***@example.org") || !page.Has("550") || !page.Has(`<tr class="failed">`) ||
			!page.Has("a***@example.org") || page.Has("baraka@example.org") {
			t.Fatalf("deliveries %d:\n%s", page.Status, page.Body)
		}
		if !page.Has("there is no fr template for “decision” messages") {
			t.Fatalf("template gap not shown:\n%s", page.Body)
		}
		only := admin.Get("/staff/deliveries?state=failed&lang=sw")
		if only.Status != http.StatusOK || !only.Has("b***@example.org") || only.Has("a***@example.org") || !only.Has("Hitilafu ya mwisho") {
			t.Fatalf("failed only:\n%s", only.Body)
		}
		byKind := admin.Get("/staff/deliveries?kind=results")
		if !byKind.Has("a***@example.org") || byKind.Has("b***@example.org") {
			t.Fatalf("kind filter:\n%s", byKind.Body)
		}
		if p := admin.Get("/staff/deliveries?state=lost"); p.Status != http.StatusUnprocessableEntity {
			t.Fatalf("unknown state: %d", p.Status)
		}
		if p := official.Get("/staff/deliveries"); p.Status != http.StatusForbidden || p.Has("550") {
			t.Fatalf("official: %d", p.Status)
		}

		// The staff API: the same rows and counts.
		api := fx.Client(t)
		api.Bearer = fx.SignIn(t, "admin").Token
		res := api.Get("/api/v1/staff/deliveries?state=failed")
		if res.Status != http.StatusOK || !res.Has(`"failed":1`) || !res.Has(`"to":"b***@example.org"`) || !res.Has("550") {
			t.Fatalf("api %d: %s", res.Status, res.Body)
		}
	})
}
