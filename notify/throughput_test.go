package notify_test

import (
	"context"
	"fmt"
	"iter"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/racecheck"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
)

// A few thousand messages queued as a stream and drained to the in-process
// SMTP server: each sent once, at a rate the log reports (the full 200,000
// follower figure is civicpulse bench notify's, to come).
func TestThroughput(t *testing.T) {
	n := 3000
	if racecheck.Enabled || testing.Short() {
		n = 300 // the race detector measures itself, not the sender
	}
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
		f := open(t, b, smtpTransport(t, srv), nil, func(o *notify.Options) { o.Send.Batch = 200 })
		ctx := context.Background()
		var stream iter.Seq[notify.Message] = func(yield func(notify.Message) bool) {
			for i := range n {
				if !yield(notify.Message{Source: "event:results:1", Kind: notify.KindResults, Channel: notify.Email,
					To: fmt.Sprintf("follower%d@example.org", i), ParticipantID: int64(i + 1), Lang: []string{"en", "sw"}[i%2],
					Process: "County budget 2026/27", Link: "https://engage.county.example/results/budget-2026"}) {
					return
				}
			}
		}
		start := time.Now()
		if added, err := f.svc.QueueSeq(ctx, stream); err != nil || added != n {
			t.Fatalf("queued %d, %v", added, err)
		}
		queued := time.Since(start)
		start = time.Now()
		r, err := f.svc.Drain(ctx, time.Minute)
		took := time.Since(start)
		if err != nil || r.Sent != n || len(srv.Mails()) != n {
			t.Fatalf("drain %+v %v, %d mails", r, err, len(srv.Mails()))
		}
		t.Logf("%s: queued %d in %s (%.0f/s), sent in %s: %.0f messages/s", b.Name, n, queued.Round(time.Millisecond),
			float64(n)/queued.Seconds(), took.Round(time.Millisecond), float64(n)/took.Seconds())
	})
}
