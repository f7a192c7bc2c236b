package main

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/warehouse"
)

// TestBenchDashboardsFigures runs the dashboards bench small on synthetic
// data, with the Postgres baseline, and checks it reports every panel on
// both sides.
func TestBenchDashboardsFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a warehouse and a Postgres database")
	}
	pg := os.Getenv("DATABASE_URL")
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	out, err := benchDashboards(context.Background(), []string{"--data", "synthetic", "--sizes", "3000", "--runs", "2", "--baseline-runs", "1", "--database-url", pg, "--dir", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []*dashboards.Dashboard{dashboards.Monitor, dashboards.Proposals} {
		for _, p := range db.Panels {
			if _, ok := out["dash_3000_"+p.Name+"_p95_ms"]; !ok {
				t.Errorf("no figure for panel %s", p.Name)
			}
		}
	}
	for _, name := range baselinePanels {
		if out["dash_3000_"+name+"_pg_p50_ms"] <= 0 || out["dash_3000_"+name+"_speedup_x"] <= 0 {
			t.Errorf("no baseline for %s", name)
		}
	}
	if out["dash_3000_speedup_median_x"] <= 0 {
		t.Error("no median speed-up")
	}
}

// TestBenchDashboardsDemo runs the dashboards bench end to end on 10,000
// submissions of demo data: generated through the store, ingested, copied
// to Postgres, then every panel and baseline timed over the demo's process.
func TestBenchDashboardsDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates a demo and fills a warehouse and a Postgres database")
	}
	pg := os.Getenv("DATABASE_URL")
	if pg == "" {
		pg = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"
	}
	out, err := benchDashboards(context.Background(), []string{"--data", "demo", "--sizes", "10000", "--runs", "2", "--baseline-runs", "1", "--database-url", pg, "--dir", t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	const k = "dash_10000_"
	if n := out[k+"submissions"]; n < 10000 || n > 12000 { // the demo sizes itself from a per-participant rate that varies with size (bench.SubmissionsPerParticipant)
		t.Errorf("asked 10000 submissions, the demo made %.0f", n)
	}
	if out[k+"ingest_events"] <= out[k+"submissions"] {
		t.Errorf("ingested %.0f events for %.0f submissions and their visits", out[k+"ingest_events"], out[k+"submissions"])
	}
	if out[k+"pg_copy_rows"] < out[k+"submissions"] {
		t.Errorf("copied %.0f rows to Postgres for %.0f submissions", out[k+"pg_copy_rows"], out[k+"submissions"])
	}
	for _, db := range []*dashboards.Dashboard{dashboards.Monitor, dashboards.Proposals} {
		for _, p := range db.Panels {
			if _, ok := out[k+p.Name+"_p95_ms"]; !ok {
				t.Errorf("no figure for panel %s", p.Name)
			}
		}
	}
	for _, name := range baselinePanels {
		if out[k+name+"_pg_p50_ms"] <= 0 || out[k+name+"_speedup_x"] <= 0 {
			t.Errorf("no baseline for %s", name)
		}
	}
}

// TestBenchDashboardsRejectsUnknownData keeps a typo from silently running
// the slow default.
func TestBenchDashboardsRejectsUnknownData(t *testing.T) {
	if _, err := benchDashboards(context.Background(), []string{"--data", "real", "--sizes", "10", "--database-url", "", "--dir", t.TempDir()}); err == nil {
		t.Fatal("--data real accepted")
	}
}

// BenchmarkPanels times each panel over a warehouse of 200,000 synthetic
// submissions (go test -bench Panels -cpuprofile to see where time goes).
func BenchmarkPanels(b *testing.B) {
	ctx := context.Background()
	wh, err := warehouse.Open(b.TempDir() + "/w.duckdb")
	if err != nil {
		b.Fatal(err)
	}
	defer wh.Close()
	end := time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC)
	g := newSynth(200_000, end.Add(-28*24*time.Hour), end)
	for c := range g.chunks(100_000) {
		if err := wh.Write(ctx, c.batch); err != nil {
			b.Fatal(err)
		}
	}
	d, err := dashboards.New(ctx, wh.Read(), func() time.Time { return end })
	if err != nil {
		b.Fatal(err)
	}
	f := dashboards.Filter{Process: 1, Bucket: "day"}
	for _, db := range []*dashboards.Dashboard{dashboards.Monitor, dashboards.Proposals} {
		for _, p := range db.Panels {
			b.Run(p.Name, func(b *testing.B) {
				for b.Loop() {
					if _, err := d.Run(ctx, p, f); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
