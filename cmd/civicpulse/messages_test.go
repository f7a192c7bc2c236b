package main

import (
	"context"
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
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestOneClickUnsubscribeFromAMail follows the List-Unsubscribe header of
// a mail the SMTP server received, as a mail client does (RFC 8058: a POST
// without cookies or CSRF token), through the adapter serve wires.
func TestOneClickUnsubscribeFromAMail(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		env := map[string]string{notify.EnvSMTPURL: srv.URL(), notify.EnvMailFrom: "County Engagement <engage@county.example>"}
		var svc *notify.Service
		fx := webtest.New(t, b.URL, webtest.WithConfig(func(c *web.Config) {
			var err error
			cfg := &config{dataDir: t.TempDir(), databaseURL: b.URL}
			svc, _, _, err = openNotify(context.Background(), func(k string) string { return env[k] }, cfg, c.Store.(*sqlstore.Store),
				"http://127.0.0.1", slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { svc.Close() })
			c.Messages = citizenMessages{svc}
		}))
		ctx := context.Background()
		m := notify.Message{Source: "event:1", Kind: notify.KindResults, Channel: notify.Email, To: "amina@example.org",
			ParticipantID: 41, Lang: "en", Process: "Youth enterprise fund", Link: fx.URL + "/p/youth-fund"}
		if _, err := svc.Queue(ctx, []notify.Message{m}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Drain(ctx, 10*time.Second); err != nil {
			t.Fatal(err)
		}
		h := srv.WaitMails(t, 1, 20*time.Second)[0].Header()
		header := strings.Trim(h.Get("List-Unsubscribe"), "<>")
		u, err := url.Parse(header)
		if err != nil || u.Path != "/unsubscribe" || h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" {
			t.Fatalf("List-Unsubscribe %q, -Post %q", header, h.Get("List-Unsubscribe-Post"))
		}
		res, err := http.Post(fx.URL+u.RequestURI(), "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("one-click: %d", res.StatusCode)
		}
		if f, err := svc.Preference(ctx, 41, notify.KindResults); err != nil || f != notify.Never {
			t.Fatalf("after one-click: %v %v", f, err)
		}
		if f, _ := svc.Preference(ctx, 41, notify.KindDecision); f != notify.Instant {
			t.Fatalf("another kind changed: %v", f)
		}
	})
}
