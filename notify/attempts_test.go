package notify_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
)

// An attempt counts when the send begins, not at the claim: while one
// message of a claimed batch is with the gateway it has used one attempt
// and the two waiting behind it none; stopped then, the two go back to the
// queue still at 0, and each is sent at its first attempt.
func TestClaimedThenReleasedKeepsNoAttempt(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		arrived, answer := make(chan struct{}), make(chan struct{})
		gw := notifytest.StartSMSGateway(t, func(n int) int {
			if n == 0 {
				close(arrived)
				<-answer
			}
			return 200
		})
		tr, err := notify.NewSMSGateway(gw.URL, "tok-123", 10*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		f := open(t, b, nil, tr, func(o *notify.Options) { o.Send.Workers, o.Send.Batch = 1, 3 })
		var msgs []notify.Message
		for i := range 3 {
			msgs = append(msgs, notify.Message{Source: "register:" + itoa(i), Kind: notify.KindVerification, Channel: notify.SMS,
				To: "+25471234567" + itoa(i), ParticipantID: int64(i + 1), Lang: "en", Process: "Ward budget", Secret: "482913"})
		}
		if _, err := f.svc.Queue(context.Background(), msgs); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan notify.DrainResult)
		go func() {
			r, _ := f.svc.Drain(ctx, time.Minute)
			done <- r
		}()
		select {
		case <-arrived:
		case <-time.After(10 * time.Second):
			t.Fatal("no message reached the gateway")
		}
		if got := states(t, f, msgs); got != "sending/0 sending/0 sending/1" {
			t.Errorf("while the first is being tried: %s, want one attempt counted, on the one being tried", got)
		}
		cancel()
		close(answer)
		if r := <-done; r.Sent != 1 {
			t.Errorf("stopped drain %+v, want the message being tried sent", r)
		}
		if got := states(t, f, msgs); got != "queued/0 queued/0 sent/1" {
			t.Errorf("after the stop: %s, want the two untried back in the queue with no attempt", got)
		}
		for _, m := range msgs {
			if d := settle(t, f, m); d.State != "sent" || d.Attempts != 1 {
				t.Errorf("%s: %+v, want sent at the first attempt", m.To, d)
			}
		}
		if gw.Requests() != 3 {
			t.Errorf("%d requests, want 3", gw.Requests())
		}
	})
}

// A dead sender's lease tells whether it had begun the send: a message it
// only claimed is sent at its first attempt, and one that was being tried
// each time a sender died gives up after MaxAttempts (3 here) unsent.
func TestExpiredLeaseCountsOnlyTries(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		f := open(t, b, smtpTransport(t, srv), nil)
		claimedOnly, crashing := message(1), message(2)
		if _, err := f.svc.Queue(context.Background(), []notify.Message{claimedOnly, crashing}); err != nil {
			t.Fatal(err)
		}
		past := time.Now().UTC().Add(-time.Minute)
		for key, attempts := range map[string]int{claimedOnly.Key(): 0, crashing.Key(): 3} {
			if _, err := f.db.Exec(f.db.Rebind(`UPDATE notify_deliveries SET state = 'sending', attempts = ?, lease_owner = 'dead', lease_until = ?
				WHERE idem_key = ?`), attempts, past, key); err != nil {
				t.Fatal(err)
			}
		}
		if d := settle(t, f, claimedOnly); d.State != "sent" || d.Attempts != 1 {
			t.Errorf("claimed by a dead sender, untried: %+v, want sent at the first attempt", d)
		}
		if d := settle(t, f, crashing); d.State != "failed" || d.Attempts != 3 || !strings.Contains(d.LastError, "gave up after 3 attempts without an answer") {
			t.Errorf("tried by three dead senders: %+v, want failed after 3 attempts without an answer", d)
		}
		if len(srv.Mails()) != 1 {
			t.Errorf("%d mails, want the untried one only", len(srv.Mails()))
		}
	})
}

// states lists each message's state/attempts, sorted.
func states(t *testing.T, f fixture, msgs []notify.Message) string {
	t.Helper()
	var out []string
	for _, m := range msgs {
		d, ok, err := f.svc.DeliveryOf(context.Background(), m)
		if err != nil || !ok {
			t.Fatalf("delivery of %s: %v %v", m.Key(), ok, err)
		}
		out = append(out, d.State+"/"+itoa(d.Attempts))
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}
