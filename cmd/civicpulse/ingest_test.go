package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// decisionLines reads the warehouse's decision tables as sorted lines.
func decisionLines(t *testing.T, path string) map[string][]string {
	t.Helper()
	wh, err := warehouse.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer wh.Close()
	out := map[string][]string{}
	for table, q := range map[string]string{
		"dash_alert_rules":  `SELECT format('{} {} {} {} {}', rule_id, process_id, kind, threshold, window_hours) FROM dash_alert_rules`,
		"dash_published":    `SELECT format('{} {} {}', process_id, panel, position) FROM dash_published`,
		"theme_edits":       `SELECT format('{} {} {} {} {} {}', edit_id, process_id, kind, theme_id, other_id, label) FROM theme_edits`,
		"campaign_counting": `SELECT format('{} {}', process_id, count_once) FROM campaign_counting`,
	} {
		rows, err := wh.Read().Query(q)
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			out[table] = append(out[table], s)
		}
		rows.Close()
		slices.Sort(out[table])
	}
	return out
}

// `civicpulse ingest --rebuild` on a fresh warehouse file reproduces every
// official's decision from the store's outbox: alert rules (a deleted one
// stays deleted), published panels (a withdrawn one stays off), theme edits
// and the campaign-counting switch. Losing the warehouse loses no decision.
func TestIngestRebuildKeepsTheDecisions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		store, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		res, err := demo.Generate(ctx, store, demo.Options{Participants: 20, Days: 2, Seed: 3})
		if err != nil {
			store.Close()
			t.Fatal(err)
		}
		p := res.ProcessID
		step := func(_ any, err error) {
			t.Helper()
			if err != nil {
				store.Close()
				t.Fatal(err)
			}
		}
		kept, err := store.AddAlertRule(ctx, participation.AlertRule{ProcessID: p, Kind: participation.AlertInputsBelow, Threshold: 30, WindowHours: 6, StaffID: 1})
		step(nil, err)
		gone, err := store.AddAlertRule(ctx, participation.AlertRule{ProcessID: p, Kind: participation.AlertRegionRateBelow, Threshold: 0.5, StaffID: 1})
		step(nil, err)
		_, _, err = store.DeleteAlertRule(ctx, p, gone.ID, 1)
		step(nil, err)
		step(store.PublishPanel(ctx, p, "inputs", 1))
		step(store.PublishPanel(ctx, p, "regions", 1))
		step(store.UnpublishPanel(ctx, p, "inputs", 1))
		step(store.AddThemeEdit(ctx, participation.ThemeEdit{ProcessID: p, Scope: "process", Kind: participation.ThemeRename, ThemeID: 4, Label: "Water points", StaffID: 1}))
		step(store.AddThemeEdit(ctx, participation.ThemeEdit{ProcessID: p, Scope: "process", Kind: participation.ThemeMerge, ThemeID: 5, OtherID: 4, StaffID: 1}))
		_, _, err = store.SetCampaignCounting(ctx, participation.CampaignCounting{ProcessID: p, CountOnce: true, StaffID: 1})
		step(nil, err)
		store.Close()

		want := map[string][]string{
			"dash_alert_rules":  {fmt.Sprintf("%d %d inputs_below 30.0 6", kept.ID, p)},
			"dash_published":    {fmt.Sprintf("%d regions 2", p)},
			"theme_edits":       nil,
			"campaign_counting": {fmt.Sprintf("%d true", p)},
		}
		st2, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		edits, err := st2.ThemeEdits(ctx, p)
		st2.Close()
		if err != nil || len(edits) != 2 {
			t.Fatalf("store's theme edits = %+v, %v", edits, err)
		}
		for _, e := range edits {
			want["theme_edits"] = append(want["theme_edits"], fmt.Sprintf("%d %d %s %d %d %s", e.ID, p, e.Kind, e.ThemeID, e.OtherID, e.Label))
		}
		slices.Sort(want["theme_edits"])

		data := t.TempDir()
		args := []string{"--data", data, "--database-url", b.URL}
		if err := runIngest(ctx, append(args, "--once", "--insights=false")); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(data, "warehouse.duckdb")
		same := func(what string, got map[string][]string) {
			t.Helper()
			for table, w := range want {
				if g := strings.Join(got[table], "\n"); g != strings.Join(w, "\n") {
					t.Errorf("%s: %s holds\n%s\nwant\n%s", what, table, g, strings.Join(w, "\n"))
				}
			}
		}
		same("ingested", decisionLines(t, path))

		// The warehouse is lost; a rebuild on a fresh file has them all.
		for _, f := range []string{path, path + ".wal"} {
			if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
		}
		if err := runIngest(ctx, append(args, "--rebuild")); err != nil {
			t.Fatal(err)
		}
		same("rebuilt", decisionLines(t, path))
	})
}
