package sqlstore_test

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/participation"
)

// TestRecipientsMemoryFlat walks a proposal followed by N registered
// participants (CIVICPULSE_RECIPIENTS_N, e.g. 200000; skipped when unset,
// it takes a while to load) and checks that the heap does not grow with N:
// a walk that gathered every recipient first would hold N of them.
//
//	CIVICPULSE_RECIPIENTS_N=200000 go test ./participation/sqlstore -run TestRecipientsMemoryFlat -v
func TestRecipientsMemoryFlat(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CIVICPULSE_RECIPIENTS_N"))
	if n <= 0 {
		t.Skip("set CIVICPULSE_RECIPIENTS_N to run")
	}
	each(t, func(t *testing.T, x *fx) {
		prop := x.proposal(x.citizen.ID, "Results day")
		x.registered()
		db := x.s.DB()
		series := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) SELECT i FROM n"
		if db.Dialect == sqldb.Postgres {
			series = "SELECT i FROM generate_series(1, ?::int) AS i"
		}
		tx, err := db.BeginTxx(x.ctx, nil)
		ok(t, err)
		for _, st := range []struct {
			q    string
			args []any
		}{
			{"INSERT INTO participants (kind, token, region_code, created_at) SELECT 'registered', 'bulk' || i, '', ? FROM (" + series + ") s", []any{now, n}},
			{"INSERT INTO profiles (participant_id, process_id, email, lang, verified_at, created_at) SELECT id, ?, 'member' || id || '@example.org', 'sw', ?, ? FROM participants WHERE token LIKE 'bulk%'", []any{x.proc, now, now}},
			{"INSERT INTO consents (participant_id, process_id, notice_version, purpose, given_at) SELECT id, ?, 1, 'participation', ? FROM participants WHERE token LIKE 'bulk%'", []any{x.proc, now}},
			{"INSERT INTO follows (proposal_id, participant_id, created_at) SELECT ?, id, ? FROM participants WHERE token LIKE 'bulk%'", []any{prop, now}},
		} {
			_, err := tx.ExecContext(x.ctx, db.Rebind(st.q), st.args...)
			ok(t, err)
		}
		ok(t, tx.Commit())
		if db.Dialect == sqldb.Postgres {
			// As autovacuum would after such a load: without statistics the
			// planner takes 200,000 rows for a handful.
			_, err := db.ExecContext(x.ctx, "ANALYZE participants, profiles, consents, follows")
			ok(t, err)
		}

		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base, peak := ms.HeapAlloc, ms.HeapAlloc
		count := 0
		began := time.Now()
		ok(t, x.s.ForEachRecipient(x.ctx, participation.Audience{Kind: participation.AudienceProposalFollowers, ProposalID: prop}, func(r participation.Recipient) error {
			count++
			if count%5000 == 0 {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
			return nil
		}))
		took := time.Since(began)
		if count != n {
			t.Fatalf("%d recipients, want %d", count, n)
		}
		grew := int64(peak) - int64(base)
		t.Logf("%s: %d recipients in %v (%.0f/s), heap peak %+.1f MB over the start", db.Dialect, count, took.Round(time.Millisecond), float64(count)/took.Seconds(), float64(grew)/(1<<20))
		// A page of 1000 recipients is well under a megabyte; garbage
		// between collections adds a few (3 MB measured). 200,000 gathered
		// would hold 200,000 rows of 72 bytes and their addresses: 20 MB
		// and more.
		if grew > 12<<20 {
			t.Fatalf("the heap grew by %d MB walking %d recipients", grew>>20, n)
		}
	})
}
