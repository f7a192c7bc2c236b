package notify_test

import (
	"context"
	"crypto/tls"
	"io"
	"log/slog"
	"strconv"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
)

var testKey = []byte("notify-test-unsubscribe-key-0123456789")

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fixture is a Service on a fresh database of one backend.
type fixture struct {
	svc *notify.Service
	db  *sqldb.DB
	box *notify.Mailbox
}

// open builds a Service on backend b. A nil transport is the mailbox in
// a temp folder. Retries wait milliseconds.
func open(t *testing.T, b sqldbtest.Backend, email, sms notify.Transport, edit ...func(*notify.Options)) fixture {
	t.Helper()
	// A fresh database each time: subtests of one backend share b.
	db := sqldbtest.Backend{Name: b.Name, URL: urlFor(t, b)}.Open(t)
	box, err := notify.NewMailbox(t.TempDir(), "civicpulse <no-reply@county.example>")
	if err != nil {
		t.Fatal(err)
	}
	if email == nil {
		email = box
	}
	if sms == nil {
		sms = box
	}
	o := notify.Options{Email: email, SMS: sms, BaseURL: "https://engage.county.example", UnsubscribeKey: testKey,
		Domain: "county.example", Logger: quietLog(),
		Send: notify.SendOptions{MaxAttempts: 3, BackoffBase: 5 * time.Millisecond, BackoffMax: 20 * time.Millisecond}}
	for _, e := range edit {
		e(&o)
	}
	svc, err := notify.Open(context.Background(), db, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return fixture{svc: svc, db: db, box: box}
}

func smtpTransport(t *testing.T, srv *notifytest.SMTPServer) notify.Transport {
	t.Helper()
	cfg, err := notify.ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	cfg.From = "County Engagement <engage@county.example>"
	cfg.Timeout = 5 * time.Second
	if srv.CertPool != nil {
		cfg.TLS = &tls.Config{RootCAs: srv.CertPool, ServerName: "127.0.0.1"}
	}
	tr, err := notify.NewSMTP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

func message(n int) notify.Message {
	return notify.Message{Source: "event:" + itoa(n), Kind: notify.KindResults, Channel: notify.Email,
		To: "amina" + itoa(n) + "@example.org", ParticipantID: int64(100 + n), Lang: "en",
		Process: "County budget 2026/27", Link: "https://engage.county.example/results/budget-2026"}
}

func itoa(n int) string { return strconv.Itoa(n) }

// settle drains until no message is queued or sending (retries wait
// milliseconds), and returns the last delivery of m.
func settle(t *testing.T, f fixture, m notify.Message) notify.Delivery {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := f.svc.Drain(ctx, 5*time.Second); err != nil {
			t.Fatal(err)
		}
		d, ok, err := f.svc.DeliveryOf(ctx, m)
		if err != nil || !ok {
			t.Fatalf("delivery of %s: %v %v", m.Key(), ok, err)
		}
		if d.State == "sent" || d.State == "failed" {
			return d
		}
		if time.Now().After(deadline) {
			t.Fatalf("delivery still %s after 20 s: %+v", d.State, d)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// raw reads the stored address and payload of m's delivery.
func raw(t *testing.T, f fixture, m notify.Message) (address, payload string) {
	t.Helper()
	row := f.db.QueryRowx(f.db.Rebind(`SELECT address, payload FROM notify_deliveries WHERE idem_key = ?`), m.Key())
	if err := row.Scan(&address, &payload); err != nil {
		t.Fatal(err)
	}
	return address, payload
}
