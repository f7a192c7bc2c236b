package notify_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
)

// Queueing the same message twice makes one delivery and one mail; the
// sent row keeps only the masked address and no secret.
func TestQueueTwiceSendsOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		f := open(t, b, smtpTransport(t, srv), nil)
		ctx := context.Background()
		m := notify.Message{Source: "register:1:7:abc", Kind: notify.KindVerification, Channel: notify.Email,
			To: "amina@example.org", ParticipantID: 7, Lang: "sw", Process: "Bajeti ya Kaunti",
			Link: "https://engage.county.example/p/budget/verify?token=SECRET123", Secret: "SECRET123"}
		for i, want := range []int{1, 0} {
			n, err := f.svc.Queue(ctx, []notify.Message{m})
			if err != nil || n != want {
				t.Fatalf("queue #%d: %d new, %v; want %d", i+1, n, err, want)
			}
		}
		d := settle(t, f, m)
		if d.State != "sent" || d.Attempts != 1 || d.To != "a***@example.org" || !d.SentAt.Valid {
			t.Fatalf("delivery %+v", d)
		}
		if n, _ := f.svc.Queue(ctx, []notify.Message{m}); n != 0 {
			t.Fatal("a sent message was queued again")
		}
		f.svc.Drain(ctx, time.Second)
		mails := srv.Mails()
		if len(mails) != 1 {
			t.Fatalf("%d mails, want 1", len(mails))
		}
		h := mails[0].Header()
		if !strings.Contains(string(mails[0].Data), "SECRET123") || !strings.Contains(h.Get("Subject"), "Thibitisha") {
			t.Errorf("mail lacks the link or is not in Kiswahili:\n%s", mails[0].Data)
		}
		if got := h.Get("Message-Id"); !strings.HasSuffix(got, "@county.example>") || len(got) < 20 {
			t.Errorf("Message-ID %q", got)
		}
		if h.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(h.Get("List-Unsubscribe"), "<https://engage.county.example/unsubscribe?token=") {
			t.Errorf("unsubscribe headers: %q %q", h.Get("List-Unsubscribe"), h.Get("List-Unsubscribe-Post"))
		}
		addr, payload := raw(t, f, m)
		if addr != "" || strings.Contains(payload, "SECRET123") || !strings.Contains(payload, "Bajeti") {
			t.Errorf("after sending: address %q, payload %s", addr, payload)
		}
	})
}

// A few connections (the pool's 4) carry many messages; the Message-ID is the same for the
// same key on every try.
func TestOneConnectionManyMessages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		f := open(t, b, smtpTransport(t, srv), nil)
		var msgs []notify.Message
		for i := range 250 {
			msgs = append(msgs, message(i))
		}
		if n, err := f.svc.Queue(context.Background(), msgs); err != nil || n != 250 {
			t.Fatalf("queued %d, %v", n, err)
		}
		r, err := f.svc.Drain(context.Background(), 30*time.Second)
		if err != nil || r.Sent != 250 || r.More || !r.NextDue.IsZero() {
			t.Fatalf("drain %+v, %v", r, err)
		}
		if n := len(srv.Mails()); n != 250 {
			t.Fatalf("%d mails", n)
		}
		if srv.Sessions() > 4 {
			t.Errorf("%d SMTP connections for 250 messages, want at most 4 (the pool)", srv.Sessions())
		}
		c, _ := f.svc.Counts(context.Background())
		if c["sent"] != 250 {
			t.Errorf("counts %v", c)
		}
	})
}

// A 4xx answer and a connection dropped mid-message are retried and then
// delivered; a server that keeps answering 4xx ends in failed with its
// reason; a 5xx fails at once.
func TestSMTPFailures(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		for _, c := range []struct {
			name     string
			script   func(int) notifytest.Answer
			state    string
			attempts int
			tries    int
			reason   string
		}{
			{"4xx then accepted", func(n int) notifytest.Answer {
				return map[bool]notifytest.Answer{true: notifytest.Refuse4, false: notifytest.Accept}[n == 0]
			}, "sent", 2, 2, ""},
			{"dropped then accepted", func(n int) notifytest.Answer {
				return map[bool]notifytest.Answer{true: notifytest.Drop, false: notifytest.Accept}[n == 0]
			}, "sent", 2, 2, ""},
			{"4xx always", func(int) notifytest.Answer { return notifytest.Refuse4 }, "failed", 3, 3, "451"},
			{"5xx", func(int) notifytest.Answer { return notifytest.Refuse5 }, "failed", 1, 1, "550"},
		} {
			t.Run(c.name, func(t *testing.T) {
				srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{Script: c.script})
				f := open(t, b, smtpTransport(t, srv), nil)
				m := message(1)
				m.Secret = "123456"
				if _, err := f.svc.Queue(context.Background(), []notify.Message{m}); err != nil {
					t.Fatal(err)
				}
				d := settle(t, f, m)
				if d.State != c.state || d.Attempts != c.attempts || srv.Tries() != c.tries || !strings.Contains(d.LastError, c.reason) {
					t.Fatalf("delivery %+v after %d tries; want %s after %d attempts, reason %q", d, srv.Tries(), c.state, c.attempts, c.reason)
				}
				if c.state == "sent" && len(srv.Mails()) != 1 {
					t.Fatalf("%d mails", len(srv.Mails()))
				}
				if addr, payload := raw(t, f, m); addr != "" || strings.Contains(payload, "123456") {
					t.Errorf("finished delivery keeps address %q or secret: %s", addr, payload)
				}
				// What the staff deliveries page reads.
				list, err := f.svc.Deliveries(context.Background(), notify.ListFilter{State: c.state})
				if err != nil || len(list) != 1 || list[0].To != "a***@example.org" || list[0].LastError != d.LastError {
					t.Errorf("deliveries %+v %v", list, err)
				}
				other := map[string]string{"sent": "failed", "failed": "sent"}[c.state]
				if list, err := f.svc.Deliveries(context.Background(), notify.ListFilter{State: other}); err != nil || len(list) != 0 {
					t.Errorf("%s deliveries %+v %v", other, list, err)
				}
				if list, _ := f.svc.Deliveries(context.Background(), notify.ListFilter{Before: d.ID}); len(list) != 0 {
					t.Errorf("before %d: %+v", d.ID, list)
				}
				if _, err := f.svc.Deliveries(context.Background(), notify.ListFilter{State: "lost"}); !errors.Is(err, notify.ErrUnknownState) {
					t.Errorf("state lost: %v", err)
				}
			})
		}
	})
}

// A message whose sender died holding it (an expired lease) is claimed
// again and sent.
func TestExpiredLeaseIsReclaimed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		f := open(t, b, smtpTransport(t, srv), nil)
		m := message(2)
		f.svc.Queue(context.Background(), []notify.Message{m})
		past := time.Now().UTC().Add(-time.Minute)
		if _, err := f.db.Exec(f.db.Rebind(`UPDATE notify_deliveries SET state = 'sending', attempts = 1, lease_owner = 'dead', lease_until = ?`), past); err != nil {
			t.Fatal(err)
		}
		r, _ := f.svc.Drain(context.Background(), 5*time.Second)
		d := settle(t, f, m)
		if r.Sent != 1 || d.State != "sent" || d.Attempts != 2 || len(srv.Mails()) != 1 {
			t.Fatalf("drain %+v, delivery %+v, %d mails", r, d, len(srv.Mails()))
		}
	})
}

// STARTTLS is mandatory by default: a server that does not offer it gets
// nothing; one that does (with AUTH PLAIN over it) gets the message.
func TestSTARTTLS(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		plain := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		cfg, _ := notify.ParseSMTPURL("smtp://" + plain.Addr) // no starttls=none
		cfg.From, cfg.Timeout = "engage@county.example", 5*time.Second
		tr, err := notify.NewSMTP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		f := open(t, b, tr, nil)
		m := message(3)
		f.svc.Queue(context.Background(), []notify.Message{m})
		d := settle(t, f, m)
		if d.State != "failed" || len(plain.Mails()) != 0 || !strings.Contains(strings.ToLower(d.LastError), "tls") {
			t.Fatalf("without STARTTLS: %+v, %d mails", d, len(plain.Mails()))
		}

		secure := notifytest.StartSMTP(t, notifytest.SMTPOptions{STARTTLS: true, User: "relay", Password: "p@ss word"})
		f2 := open(t, b, smtpTransport(t, secure), nil)
		f2.svc.Queue(context.Background(), []notify.Message{m})
		if d := settle(t, f2, m); d.State != "sent" || len(secure.Mails()) != 1 {
			t.Fatalf("with STARTTLS and AUTH: %+v", d)
		}
	})
}

// smtps:// speaks TLS from the first byte, with AUTH over it.
func TestImplicitTLS(t *testing.T) {
	srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{ImplicitTLS: true, User: "relay", Password: "secret"})
	if !strings.HasPrefix(srv.URL(), "smtps://") {
		t.Fatal(srv.URL())
	}
	f := open(t, sqldbtest.Backend{Name: "sqlite"}, smtpTransport(t, srv), nil)
	m := message(5)
	f.svc.Queue(context.Background(), []notify.Message{m})
	if d := settle(t, f, m); d.State != "sent" || len(srv.Mails()) != 1 {
		t.Fatalf("over smtps: %+v", d)
	}
}

// Two servers draining one database at once send each message once
// (Postgres: SKIP LOCKED; SQLite: one writer at a time).
func TestTwoSendersOneDatabase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		f1 := open(t, b, smtpTransport(t, srv), nil, func(o *notify.Options) { o.Send.Batch = 20 })
		db2 := sqldbtest.Backend{Name: b.Name, URL: f1.db.URL}.Open(t)
		s2, err := notify.Open(context.Background(), db2, notify.Options{Email: smtpTransport(t, srv), SMS: f1.box,
			UnsubscribeKey: testKey, Logger: quietLog(), Send: notify.SendOptions{Batch: 20}})
		if err != nil {
			t.Fatal(err)
		}
		var msgs []notify.Message
		for i := range 400 {
			msgs = append(msgs, message(i))
		}
		f1.svc.Queue(context.Background(), msgs)
		done := make(chan notify.DrainResult, 2)
		for _, s := range []*notify.Service{f1.svc, s2} {
			go func() {
				r, err := s.Drain(context.Background(), 30*time.Second)
				if err != nil {
					t.Error(err)
				}
				done <- r
			}()
		}
		r1, r2 := <-done, <-done
		ids := map[string]bool{}
		for _, m := range srv.Mails() {
			ids[m.Header().Get("Message-Id")] = true
		}
		if r1.Sent+r2.Sent != 400 || len(srv.Mails()) != 400 || len(ids) != 400 {
			t.Fatalf("sent %d + %d, %d mails, %d distinct", r1.Sent, r2.Sent, len(srv.Mails()), len(ids))
		}
		t.Logf("%s: the two senders sent %d and %d", b.Name, r1.Sent, r2.Sent)
	})
}

func urlFor(t *testing.T, b sqldbtest.Backend) string {
	if b.Name == "sqlite" {
		return sqldbtest.NewSQLiteURL(t)
	}
	return sqldbtest.NewPostgresURL(t)
}

func TestParseSMTPURL(t *testing.T) {
	for _, c := range []struct {
		url  string
		ok   bool
		want notify.SMTPConfig
	}{
		{"smtp://mail.example.org", true, notify.SMTPConfig{Host: "mail.example.org", Port: 587, STARTTLS: "mandatory"}},
		{"smtp://u%40x:p%3Ass@mail.example.org:25?starttls=opportunistic", true, notify.SMTPConfig{Host: "mail.example.org", Port: 25, Username: "u@x", Password: "p:ss", STARTTLS: "opportunistic"}},
		{"smtps://u:p@mail.example.org", true, notify.SMTPConfig{Host: "mail.example.org", Port: 465, Username: "u", Password: "p", ImplicitTLS: true, STARTTLS: "none"}},
		{"smtps://mail.example.org?starttls=none", false, notify.SMTPConfig{}},
		{"smtp://mail.example.org?starttls=maybe", false, notify.SMTPConfig{}},
		{"http://mail.example.org", false, notify.SMTPConfig{}},
		{"smtp://:25", false, notify.SMTPConfig{}},
	} {
		got, err := notify.ParseSMTPURL(c.url)
		got.Timeout = 0
		if c.ok != (err == nil) || c.ok && got != c.want {
			t.Errorf("%s: %+v, %v", c.url, got, err)
		}
	}
}

// The SMS gateway: 2xx sent (with the bearer token and a stable
// reference), 5xx and garbage retried, 4xx failed at once.
func TestSMSGateway(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		for _, c := range []struct {
			name     string
			status   func(int) int
			state    string
			attempts int
			reason   string
		}{
			{"200", func(int) int { return 200 }, "sent", 1, ""},
			{"500 then 200", func(n int) int { return map[bool]int{true: 500, false: 200}[n == 0] }, "sent", 2, ""},
			{"garbage then 202", func(n int) int { return map[bool]int{true: 0, false: 202}[n == 0] }, "sent", 2, ""},
			{"500 always", func(int) int { return 503 }, "failed", 3, "503"},
			{"400", func(int) int { return 400 }, "failed", 1, "400"},
		} {
			t.Run(c.name, func(t *testing.T) {
				gw := notifytest.StartSMSGateway(t, c.status)
				tr, err := notify.NewSMSGateway(gw.URL, "tok-123", 2*time.Second)
				if err != nil {
					t.Fatal(err)
				}
				f := open(t, b, nil, tr)
				m := notify.Message{Source: "register:1:9:x", Kind: notify.KindVerification, Channel: notify.SMS, To: "+254712345678",
					ParticipantID: 9, Lang: "en", Process: "Ward budget", Secret: "482913"}
				f.svc.Queue(context.Background(), []notify.Message{m})
				d := settle(t, f, m)
				if d.State != c.state || d.Attempts != c.attempts || !strings.Contains(d.LastError, c.reason) || gw.Requests() != c.attempts {
					t.Fatalf("delivery %+v after %d requests", d, gw.Requests())
				}
				if c.state == "sent" {
					got := gw.Received()
					if len(got) != 1 || got[0].To != "+254712345678" || got[0].Token != "tok-123" || !strings.Contains(got[0].Text, "482913") || got[0].Reference == "" {
						t.Fatalf("gateway got %+v", got)
					}
				}
				if d.To != "+2547*****678" {
					t.Errorf("masked %q", d.To)
				}
			})
		}
	})
}

// Without SMTP and gateway, both channels land in the mailbox as .eml
// files that List and Read return.
func TestMailbox(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		f := open(t, b, nil, nil)
		ctx := context.Background()
		email := message(4)
		sms := notify.Message{Source: "register:2:5:y", Kind: notify.KindVerification, Channel: notify.SMS, To: "+254700000111",
			ParticipantID: 5, Lang: "sw", Process: "Bajeti", Secret: "771122"}
		if n, err := f.svc.Queue(ctx, []notify.Message{email, sms}); err != nil || n != 2 {
			t.Fatal(n, err)
		}
		if r, err := f.svc.Drain(ctx, 5*time.Second); err != nil || r.Sent != 2 {
			t.Fatalf("%+v %v", r, err)
		}
		items, err := f.box.List()
		if err != nil || len(items) != 2 {
			t.Fatalf("list %+v %v", items, err)
		}
		seen := map[notify.Channel]notify.MailboxItem{}
		for _, it := range items {
			seen[it.Channel] = it
		}
		if seen[notify.SMS].To != "+254700000111" || seen[notify.Email].To == "" || !strings.Contains(seen[notify.Email].Subject, "County budget") {
			t.Fatalf("items %+v", items)
		}
		text, err := f.box.Read(seen[notify.SMS].Name)
		if err != nil || !strings.Contains(string(text), "771122 ni nambari yako") {
			t.Fatalf("sms file: %v\n%s", err, text)
		}
		for _, bad := range []string{"../" + seen[notify.SMS].Name, "/etc/passwd", ".tmp-1.eml", "x.txt"} {
			if _, err := f.box.Read(bad); !errors.Is(err, notify.ErrNoMessage) {
				t.Errorf("Read(%q): %v", bad, err)
			}
		}
	})
}

// Invalid addresses are refused before anything is stored.
func TestQueueRefusesBadAddresses(t *testing.T) {
	f := open(t, sqldbtest.Backend{Name: "sqlite", URL: sqldbtest.NewSQLiteURL(t)}, nil, nil)
	for _, m := range []notify.Message{
		{Source: "s", Kind: notify.KindResults, Channel: notify.Email, To: "not an address"},
		{Source: "s", Kind: notify.KindResults, Channel: notify.Email, To: "Amina <a@example.org>"},
		{Source: "s", Kind: notify.KindResults, Channel: notify.SMS, To: "0712345678"},
		{Source: "s", Kind: notify.KindResults, Channel: "fax", To: "+254712345678"},
		{Kind: notify.KindResults, Channel: notify.Email, To: "a@example.org"},
	} {
		if _, err := f.svc.Queue(context.Background(), []notify.Message{m}); !errors.Is(err, notify.ErrInvalid) {
			t.Errorf("%+v: %v", m, err)
		}
	}
	if c, _ := f.svc.Counts(context.Background()); len(c) != 0 {
		t.Errorf("stored %v", c)
	}
}
