package jobs_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
	"github.com/civicpulse/civicpulse/participation"
)

// The digest job runs every DigestEvery: a digest item kept
// by the dispatcher and due by now reaches the participant's mailbox with
// no call from the test, through the digest job and the drain it kicks.
func TestDigestJobSendsDueDigests(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		start := time.Now().Add(-24 * time.Hour)
		proc, _ := publishedProcess(t, s, "digests", span{start, start.Add(30 * 24 * time.Hour)})
		p, err := s.GetProcess(ctx, proc, false)
		if err != nil {
			t.Fatal(err)
		}
		p.Mode, p.PersonalFields = participation.ModeRegistered, []participation.PersonalField{participation.FieldEmail}
		if err := s.UpdateProcess(ctx, p); err != nil {
			t.Fatal(err)
		}
		if _, err := s.PublishPrivacyNotice(ctx, proc, "We keep your email."); err != nil {
			t.Fatal(err)
		}
		who, err := s.CreateParticipant(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		secret, err := s.Register(ctx, proc, who.ID, participation.Consent{NoticeVersion: 1}, participation.Profile{Email: "amina@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Verify(ctx, proc, who.ID, secret); err != nil {
			t.Fatal(err)
		}

		srv := notifytest.StartSMTP(t, notifytest.SMTPOptions{})
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
		logs := &logLines{}
		svc, err := notify.Open(ctx, s.DB(), notify.Options{Email: tr, SMS: box, BaseURL: "https://engage.county.example",
			UnsubscribeKey: []byte("jobs-test-unsubscribe-key-0123456789ab"), Logger: logs.logger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Close() })
		disp, err := svc.NewDispatcher(ctx, s, notify.DispatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		sch, err := jobs.Open(ctx, b.URL, s, jobs.Options{Logger: logs.logger(), PollInterval: testPoll,
			ReconcileEvery: time.Hour, DrainEvery: time.Hour, Deliveries: svc, Digests: disp, DigestEvery: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		svc.SetKick(sch.KickDeliveries)
		if err := sch.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sch.Stop(context.Background()) })
		// Past the start-up drain: a kick while a drain of the same second
		// runs is that drain's duplicate (jobs/deliveries.go).
		time.Sleep(1500 * time.Millisecond)
		// What the dispatcher keeps for someone who asked for a digest: an
		// item due this morning.
		due := time.Now().Add(-time.Minute).UTC().Truncate(time.Second)
		if _, err := s.DB().ExecContext(ctx, s.DB().Rebind(`INSERT INTO notify_digest_items
			(idem_key, participant_id, process_id, kind, lang, local_date, due_at, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			"event:1|p1|reply|email", who.ID, proc, string(notify.KindReply), "en", due.Format("2006-01-02"), due,
			`{"process":"Ward budget","link":"https://engage.county.example/p/digests/proposals/1","fields":{"title":"Market roof","on":"proposal"}}`,
			due); err != nil {
			t.Fatal(err)
		}

		t.Cleanup(func() {
			if t.Failed() {
				logs.mu.Lock()
				defer logs.mu.Unlock()
				for _, l := range logs.lines {
					t.Log(l)
				}
			}
		})
		mails := srv.WaitMails(t, 1, 20*time.Second)
		body := strings.ReplaceAll(string(mails[0].Data), "=\r\n", "")
		if mails[0].To[0] != "amina@example.org" || !strings.Contains(body, "Your daily update") || !strings.Contains(body, "New reply in") {
			t.Fatalf("digest to %v:\n%s", mails[0].To, body)
		}
		time.Sleep(300 * time.Millisecond)
		if n := len(srv.Mails()); n != 1 {
			t.Fatalf("%d mails, want 1", n)
		}
	})
}
