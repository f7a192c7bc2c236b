package jobs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
)

// Queued messages are sent by the drain job the queue kicks, with no
// call to Drain from the test; a message refused once (451) is sent by the
// drain the first one scheduled for its retry, well before the periodic
// drain (an hour here) would.
func TestDrainJobSendsQueuedMessages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{Script: func(n int) notifytest.Answer {
			if n == 0 {
				return notifytest.Refuse4
			}
			return notifytest.Accept
		}})
		cfg, err := notify.ParseSMTPURL(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		cfg.From = "engage@county.example"
		tr, err := notify.NewSMTP(cfg)
		if err != nil {
			t.Fatal(err)
		}
		box, _ := notify.NewMailbox(t.TempDir(), "engage@county.example")
		svc, err := notify.Open(ctx, s.DB(), notify.Options{Email: tr, SMS: box, BaseURL: "https://engage.county.example",
			UnsubscribeKey: []byte("jobs-test-unsubscribe-key-0123456789ab"), Logger: (&logLines{}).logger(),
			Send: notify.SendOptions{BackoffBase: 10 * time.Millisecond, BackoffMax: 10 * time.Millisecond}})
		if err != nil {
			t.Fatal(err)
		}
		defer svc.Close()
		sch, err := jobs.Open(ctx, b.URL, s, jobs.Options{Logger: (&logLines{}).logger(), PollInterval: testPoll,
			ReconcileEvery: time.Hour, DrainEvery: time.Hour, Deliveries: svc})
		if err != nil {
			t.Fatal(err)
		}
		svc.SetKick(sch.KickDeliveries)
		if err := sch.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sch.Stop(context.Background()) })
		time.Sleep(500 * time.Millisecond) // let the periodic drain's first run pass

		var msgs []notify.Message
		for i := range 20 {
			msgs = append(msgs, notify.Message{Source: "event:1", Kind: notify.KindResults, Channel: notify.Email,
				To: fmt.Sprintf("p%d@example.org", i), ParticipantID: int64(i + 1), Process: "Ward budget",
				Link: "https://engage.county.example/results/ward"})
		}
		if n, err := svc.Queue(ctx, msgs); err != nil || n != 20 {
			t.Fatalf("queued %d, %v", n, err)
		}
		srv.WaitMails(t, 20, 15*time.Second)
		time.Sleep(300 * time.Millisecond)
		if n := len(srv.Mails()); n != 20 || srv.Tries() != 21 {
			t.Fatalf("%d mails after %d tries, want 20 after 21", n, srv.Tries())
		}
		c, err := svc.Counts(ctx)
		if err != nil || c["sent"] != 20 || len(c) != 1 {
			t.Fatalf("counts %v %v", c, err)
		}
	})
}
