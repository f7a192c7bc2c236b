package jobs_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/notify/notifytest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/warehouse"
)

type fixedClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fixedClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fixedClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// A rule that fails (no inputs in a day, against a threshold of 5) sends
// one email to each official of the process who has not turned it off,
// once per window however often the job runs; a rule that holds, an
// analyst, an official who turned the alert off and a closed process get
// nothing.
func TestAlertsReachOfficialsOncePerWindow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		start := time.Now().Add(-24 * time.Hour)
		proc, _ := publishedProcess(t, s, "alerts", span{start, start.Add(30 * 24 * time.Hour)})

		clk := &fixedClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
		wh, err := warehouse.Open(filepath.Join(t.TempDir(), "wh.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { wh.Close() })
		dash, err := dashboards.New(ctx, wh.Read(), clk.now)
		if err != nil {
			t.Fatal(err)
		}
		st, err := staff.Open(ctx, s.DB(), staff.WithArgon2Params(&argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}))
		if err != nil {
			t.Fatal(err)
		}
		admin, err := st.CreateAdmin(ctx, "admin@county.example", "correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		member := func(email string, role staff.Role) staff.User {
			tok, err := st.Invite(ctx, admin.ID, email, []staff.Grant{{ProcessID: proc, Role: role}})
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.AcceptInvite(ctx, tok, "Member", "correct horse battery staple")
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		member("official@county.example", staff.RoleOfficial)
		quiet := member("quiet@county.example", staff.RoleOfficial)
		member("analyst@county.example", staff.RoleAnalyst)

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
		svc, err := notify.Open(ctx, s.DB(), notify.Options{Email: tr, SMS: box, BaseURL: "https://engage.county.example",
			UnsubscribeKey: []byte("jobs-test-unsubscribe-key-0123456789ab"), Logger: (&logLines{}).logger()})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Close() })

		low, err := s.AddAlertRule(ctx, participation.AlertRule{ProcessID: proc, Kind: participation.AlertInputsBelow, Threshold: 5, WindowHours: 24, StaffID: admin.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddAlertRule(ctx, participation.AlertRule{ProcessID: proc, Kind: participation.AlertInputsBelow, Threshold: 0, WindowHours: 24, StaffID: admin.ID}); err != nil {
			t.Fatal(err)
		}
		if err := svc.SetStaffAlert(ctx, quiet.ID, low.ID, false); err != nil {
			t.Fatal(err)
		}

		sch, err := jobs.Open(ctx, b.URL, s, jobs.Options{Logger: (&logLines{}).logger(), PollInterval: testPoll})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sch.Close() })
		if n, err := sch.CheckAlerts(ctx); err != nil || n != 0 {
			t.Fatalf("before SetAlerts: %d, %v", n, err)
		}
		sch.SetAlerts(jobs.Alerts{Rules: s, Eval: dash, Staff: st, Messages: svc, Now: clk.now})
		check := func(want int) {
			t.Helper()
			n, err := sch.CheckAlerts(ctx)
			if err != nil || n != want {
				t.Fatalf("alerts queued %d (%v), want %d", n, err, want)
			}
		}
		check(1)
		check(0) // the same window
		clk.add(14 * time.Hour)
		check(0) // still the same day's window
		clk.add(2 * time.Hour)
		check(1) // the next window: the rule still fails
		if err := s.Transition(ctx, proc, participation.StateClosed, "Enough heard"); err != nil {
			t.Fatal(err)
		}
		clk.add(24 * time.Hour)
		check(0) // a closed process takes no input: no alert
		for range 100 {
			if _, err := svc.Drain(ctx, 5*time.Second); err != nil {
				t.Fatal(err)
			}
			if c, _ := svc.Counts(ctx); c["sent"] == 2 {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		mails := srv.WaitMails(t, 2, 10*time.Second)
		for _, m := range mails {
			body := strings.ReplaceAll(string(m.Data), "=\r\n", "")
			if m.To[0] != "official@county.example" || !strings.Contains(body, "0 inputs in the last 24 hours, fewer than 5") ||
				!strings.Contains(body, "/staff/p/") {
				t.Fatalf("alert to %v:\n%s", m.To, body)
			}
		}
		time.Sleep(50 * time.Millisecond)
		if n := len(srv.Mails()); n != 2 {
			t.Fatalf("%d alert mails, want 2", n)
		}
	})
}
