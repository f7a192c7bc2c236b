package jobs_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/staff"
)

// retentionFixture is a registered process with a 30-day retention period
// and one verified participant (the store's own tests check that their
// contributions stay), closed at closedAt.
func retentionFixture(t *testing.T, s *sqlstore.Store, closedAt time.Time) (proc, participant int64) {
	t.Helper()
	ctx := context.Background()
	start := closedAt.Add(-10 * 24 * time.Hour)
	proc, _ = publishedProcess(t, s, "retention", span{start, closedAt.Add(-time.Hour)})
	p, err := s.GetProcess(ctx, proc, false)
	if err != nil {
		t.Fatal(err)
	}
	p.Mode, p.PersonalFields = participation.ModeRegistered, []participation.PersonalField{participation.FieldName}
	p.FieldReasons = map[participation.PersonalField]string{participation.FieldName: "to address you"}
	if err := s.UpdateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	n, err := s.PublishDataAgreement(ctx, proc, participation.PrivacyNotice{Text: "We keep your name for 30 days after the close.",
		AgreementTerms: participation.AgreementTerms{Purpose: "ward budget", LawfulBasis: participation.BasisConsent, RetentionDays: 30, Access: "the ward office"}})
	if err != nil {
		t.Fatal(err)
	}
	me, err := s.CreateParticipant(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	at := participation.AsOf(ctx, start.Add(time.Hour))
	secret, err := s.Register(at, proc, me.ID, participation.Consent{NoticeVersion: n.Version}, participation.Profile{Name: "Achieng Odhiambo"})
	if err != nil || secret != "" {
		t.Fatalf("register: %q %v", secret, err)
	}
	if err := s.Transition(participation.AsOf(ctx, closedAt), proc, participation.StateClosed, ""); err != nil {
		t.Fatal(err)
	}
	return proc, me.ID
}

func openStaff(t *testing.T, s *sqlstore.Store) *staff.Service {
	t.Helper()
	st, err := staff.Open(context.Background(), s.DB(), staff.WithArgon2Params(&argon2id.Params{Memory: 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func purgeEntries(t *testing.T, st *staff.Service, proc int64) []staff.Record {
	t.Helper()
	rs, _, err := st.ListAudit(context.Background(), staff.AuditFilter{ProcessID: proc, Action: "process.retention_purge"})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

// The purge waits for the end of the period on the clock it is given, then
// deletes the profile once, keeps the proposal and audits once.
func TestRetentionPurgeAtItsDateOnce(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		closedAt := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
		proc, me := retentionFixture(t, s, closedAt)
		st := openStaff(t, s)
		sch, err := jobs.Open(ctx, b.URL, s, jobs.Options{Logger: (&logLines{}).logger(), PollInterval: testPoll})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { sch.Close() })
		clk := &fixedClock{t: closedAt.Add(29 * 24 * time.Hour)}
		sch.SetRetention(ctx, jobs.Retention{Store: s, Audit: st, Now: clk.now})
		check := func(want int) {
			t.Helper()
			if n, err := sch.CheckRetention(ctx); err != nil || n != want {
				t.Fatalf("purged %d (%v), want %d", n, err, want)
			}
		}
		check(0)
		if d, err := s.MyData(ctx, me); err != nil || len(d.Profiles) != 1 {
			t.Fatalf("profile gone before the period ended: %+v %v", d.Profiles, err)
		}
		if rs := purgeEntries(t, st, proc); len(rs) != 0 {
			t.Fatalf("audited before the purge: %+v", rs)
		}
		clk.add(24 * time.Hour)
		check(1)
		check(0)
		d, err := s.MyData(ctx, me)
		if err != nil || len(d.Profiles) != 0 || len(d.Consents) != 1 {
			t.Fatalf("after the purge: %+v %v", d, err)
		}
		rs := purgeEntries(t, st, proc)
		if len(rs) != 1 || rs[0].ActorID != 0 {
			t.Fatalf("audit entries %+v", rs)
		}
		var after map[string]any
		if err := json.Unmarshal(rs[0].After, &after); err != nil || after["profiles_deleted"] != float64(1) || after["retention_days"] != float64(30) {
			t.Fatalf("audit entry after %s (%v)", rs[0].After, err)
		}
	})
}

// The River job runs the purge once it is due, and a restarted server
// (whose job runs again at start) purges and audits nothing more.
func TestRetentionJobRunsOnceAcrossARestart(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		s := openStore(t, b)
		closedAt := time.Now().UTC().Add(-31 * 24 * time.Hour).Truncate(time.Second)
		proc, me := retentionFixture(t, s, closedAt)
		st := openStaff(t, s)
		for server := range 2 {
			logs := &logLines{}
			sch, err := jobs.Open(ctx, b.URL, s, jobs.Options{Logger: logs.logger(), PollInterval: testPoll})
			if err != nil {
				t.Fatal(err)
			}
			if err := sch.Start(ctx); err != nil {
				t.Fatal(err)
			}
			sch.SetRetention(ctx, jobs.Retention{Store: s, Audit: st})
			before := retentionRuns(t, s)
			if server == 0 {
				logs.waitFor(t, "jobs: retention period ended, personal data purged", 20*time.Second)
			}
			// Wait for a retention job to have completed on this server.
			deadline := time.Now().Add(20 * time.Second)
			for retentionRuns(t, s) <= before && server == 1 {
				if time.Now().After(deadline) {
					t.Fatal("the restarted server did not run the retention job")
				}
				time.Sleep(50 * time.Millisecond)
			}
			stop, cancel := context.WithTimeout(ctx, 10*time.Second)
			if err := sch.Stop(stop); err != nil {
				t.Fatal(err)
			}
			cancel()
			if server == 1 && len(logs.with("jobs: retention period ended, personal data purged")) != 0 {
				t.Fatal("the restarted server purged again")
			}
		}
		if rs := purgeEntries(t, st, proc); len(rs) != 1 {
			t.Fatalf("%d audit entries, want 1", len(rs))
		}
		if d, err := s.MyData(ctx, me); err != nil || len(d.Profiles) != 0 {
			t.Fatalf("profile after the job: %+v %v", d.Profiles, err)
		}
	})
}

// retentionRuns counts the completed retention jobs.
func retentionRuns(t *testing.T, s *sqlstore.Store) int {
	t.Helper()
	var done int
	if err := s.DB().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM river_job WHERE kind = 'retention_purge' AND state = 'completed'`).Scan(&done); err != nil {
		t.Fatal(err)
	}
	return done
}
