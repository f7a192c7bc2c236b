package main

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// The account page's alert checklist reads and writes the choice the
// alert job obeys: unticking it turns every alert off for that official
// (and no one else), ticking it turns them back on.
func TestStaffAlertChoicesReachNotify(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		st, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		cfg := &config{dataDir: t.TempDir(), databaseURL: b.URL}
		svc, _, _, err := openNotify(ctx, func(string) string { return "" }, cfg, st, "http://127.0.0.1", slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { svc.Close() })
		a := staffAlerts{svc}
		if got, err := a.StaffAlerts(ctx, 7); err != nil || !got[lowEngagementAlerts] {
			t.Fatalf("before any choice: %v, %v (alerts are on by default)", got, err)
		}
		if err := a.SetStaffAlerts(ctx, 7, map[string]bool{}); err != nil {
			t.Fatal(err)
		}
		if on, _ := svc.StaffAlertOn(ctx, 7, 42); on {
			t.Error("an official who unticked the alerts still gets rule 42's")
		}
		if on, _ := svc.StaffAlertOn(ctx, 8, 42); !on {
			t.Error("another official's alerts went off too")
		}
		if got, _ := a.StaffAlerts(ctx, 7); got[lowEngagementAlerts] {
			t.Error("the checklist shows the alerts ticked after unticking")
		}
		if err := a.SetStaffAlerts(ctx, 7, map[string]bool{lowEngagementAlerts: true}); err != nil {
			t.Fatal(err)
		}
		if on, _ := svc.StaffAlertOn(ctx, 7, 42); !on {
			t.Error("ticking the alerts again did not turn them on")
		}
	})
}
