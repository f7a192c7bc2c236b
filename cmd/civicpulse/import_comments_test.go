package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// TestImportCommentsCLI imports an intake file with a broken row through
// the command on both stores, re-imports it, and follows the comments into
// the warehouse through the ingester: on the day they were received, with
// their text features.
func TestImportCommentsCLI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		st, err := sqlstore.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		now := time.Now().UTC()
		proc, err := st.CreateProcess(ctx, participation.Process{Slug: "docket", Title: "Docket", Summary: "s", Objective: "o",
			Level: participation.LevelConsult, Sector: "s", Scope: participation.ScopeNational, Currency: "KES",
			StartsAt: now.AddDate(0, -1, 0), EndsAt: now.AddDate(0, 1, 0), Languages: []string{"en"}, TimeZone: "UTC",
			Mode: participation.ModeOpen})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := st.AddComponent(ctx, participation.Component{ProcessID: proc, Kind: participation.KindDocument, Title: "Rule"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.PublishDocument(ctx, participation.Document{ComponentID: doc, Title: "Rule",
			Sections: []participation.Section{{Heading: "All", Body: "The rule."}}}); err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(t.TempDir(), "intake.csv")
		body := "external_id,text,received_at,channel,organisation\n" +
			"m-1,\"Keep the rules, please\",2026-01-05T10:00:00Z,email,\n" +
			"m-2,,2026-01-05,paper,\n" +
			"m-3,Tafadhali — linda mtandao,2026-01-06,paper,Chama cha Walimu\n"
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		args := []string{"comments", "--database-url", b.URL, "--process", itoa64(proc), "--component", itoa64(doc), "--csv", file}
		if err := runImport(ctx, append(args, "--strict")); err == nil || !strings.Contains(err.Error(), "nothing imported") {
			t.Fatalf("strict import of a broken file: %v", err)
		}
		for range 2 { // the second run adds nothing
			if err := runImport(ctx, args); err != nil {
				t.Fatal(err)
			}
		}

		wh, err := warehouse.Open(filepath.Join(t.TempDir(), "w.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		defer wh.Close()
		in, err := ingest.New(st, wh, ingest.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
		if err != nil {
			t.Fatal(err)
		}
		if err := in.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		rows, err := wh.Read().QueryContext(ctx, `SELECT c.body, strftime(c.occurred_at, '%Y-%m-%d'), count(f.seq)
			FROM comments c LEFT JOIN text_features f ON f.entity_kind = 'comment' AND f.entity_id = c.comment_id
			WHERE c.component_id = ? GROUP BY ALL ORDER BY 2`, doc)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var got []string
		for rows.Next() {
			var text, day string
			var features int
			if err := rows.Scan(&text, &day, &features); err != nil {
				t.Fatal(err)
			}
			got = append(got, day+" "+text+" "+itoa64(int64(features)))
		}
		want := []string{"2026-01-05 Keep the rules, please 1", "2026-01-06 Tafadhali — linda mtandao 1"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("warehouse comments %q, want %q", got, want)
		}
	})
}
