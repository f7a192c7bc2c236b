package dashweb_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/report"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/dashweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// stack is what a test reaches behind the mounted pages.
type stack struct {
	wh   *warehouse.Warehouse
	dash *dashboards.Dashboards
}

// fullStack is the serve wiring (cmd/civicpulse mountDashboards) as a
// staffwebtest mount: a warehouse in a temp dir, the ingester running on the
// fixture's store, the dashboards on the warehouse, mounted behind the real
// staff guard, with a theme editor that writes the insights tables as the
// job would. The fixture's data is ingested before the first request; out,
// if given, receives the warehouse and the dashboards.
func fullStack(t *testing.T, liveFor time.Duration, out ...*stack) staffwebtest.Mount {
	return func(f *staffwebtest.Fixture) func(r *mux.Router, reg web.Registrar) {
		ctx, stop := context.WithCancel(context.Background())
		wh, err := warehouse.Open(t.TempDir() + "/warehouse.duckdb")
		if err != nil {
			t.Fatal(err)
		}
		ing, err := ingest.New(f.Store, wh, ingest.Options{Key: bytes.Repeat([]byte{9}, 32),
			FlushEvery: 20 * time.Millisecond, Idle: 50 * time.Millisecond, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := ing.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := ing.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
				t.Errorf("ingester: %v", err)
			}
		}()
		t.Cleanup(func() {
			stop()
			wg.Wait()
			wh.Close()
		})
		d, err := dashboards.New(ctx, wh.Read(), func() time.Time { return webtest.Now })
		if err != nil {
			t.Fatal(err)
		}
		d.SetThemeEditor(&jobEditor{db: wh.Read()})
		ex, err := export.New(wh.Read())
		if err != nil {
			t.Fatal(err)
		}
		rep, err := report.New(wh.Read(), f.Store)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range out {
			o.wh, o.dash = wh, d
		}
		// Settle well above the 2 s default: under -race on a shared
		// machine the ingester can take longer to reach a decision, and the
		// tests read the warehouse right after the form's redirect.
		return dashweb.New(dashweb.Config{Dash: d, Live: wh, Decisions: f.Store, Audit: f.Staff, Authorize: f.Staff.Authorize, Regions: f.Store, Results: f.Store, Exports: ex, Reports: rep, Assets: f.Server, LiveFor: liveFor,
			Settle: 20 * time.Second, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Routes
	}
}
