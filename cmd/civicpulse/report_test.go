package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/report/reporttest"
	"github.com/civicpulse/civicpulse/warehouse"
)

// civicpulse report on the demo: for every process, the ideas and the
// comments documents (PDF) and the survey results (printable HTML) hold
// every visible proposal's title and every section's heading and
// question's prompt the warehouse has; a bad kind is refused.
func TestReportCommandOnTheDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the demo warehouse")
	}
	ctx := context.Background()
	dataDir, storeURL := t.TempDir(), sqldbtest.NewSQLiteURL(t)
	func() {
		store, err := sqlstore.Open(ctx, storeURL)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		if _, err := demo.Generate(ctx, store, demo.Options{Participants: 120}); err != nil {
			t.Fatal(err)
		}
		wh, err := warehouse.Open(filepath.Join(dataDir, "warehouse.duckdb"))
		if err != nil {
			t.Fatal(err)
		}
		defer wh.Close()
		ing, err := ingest.New(store, wh, ingest.Options{Key: []byte("0123456789abcdef0123456789abcdef")})
		if err != nil {
			t.Fatal(err)
		}
		if err := ing.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
	}()
	processes := warehouseStrings(t, dataDir, `SELECT process_id::VARCHAR FROM dim_processes ORDER BY process_id`)
	checked := 0
	for _, p := range processes {
		for _, c := range []struct{ kind, format, query string }{
			{"ideas", "pdf", `SELECT title FROM (SELECT proposal_id, arg_max(title, seq) AS title FROM proposals WHERE process_id = ` + p + ` GROUP BY ALL)
				WHERE proposal_id NOT IN (SELECT entity_id FROM (SELECT entity_id, arg_max(status, seq) AS s FROM moderation WHERE entity_kind = 'proposal' GROUP BY ALL) WHERE s <> 'published')`},
			{"comments", "pdf", `SELECT heading FROM dim_sections JOIN dim_components USING (component_id) WHERE process_id = ` + p +
				` AND version = (SELECT max(version) FROM dim_sections s2 WHERE s2.component_id = dim_sections.component_id)`},
			{"survey", "html", `SELECT prompt FROM dim_questions JOIN dim_components USING (component_id) WHERE process_id = ` + p},
		} {
			out := filepath.Join(t.TempDir(), c.kind+"."+c.format)
			var stdout bytes.Buffer
			if err := reportTo(ctx, []string{"--data", dataDir, "--database-url", storeURL, "--process", p, "--kind", c.kind, "--format", c.format, "--out", out}, &stdout); err != nil {
				t.Fatalf("process %s %s: %v", p, c.kind, err)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			if c.format == "pdf" {
				text = reporttest.PDFText(t, b)
			} else {
				text = strings.NewReplacer("&#39;", "'", "&amp;", "&", "&quot;", `"`, "&lt;", "<", "&gt;", ">", "&#34;", `"`).Replace(text)
			}
			for _, s := range warehouseStrings(t, dataDir, c.query) {
				checked++
				if !strings.Contains(reporttest.Squeeze(text), reporttest.Squeeze(s)) {
					t.Errorf("process %s %s.%s lacks %q", p, c.kind, c.format, s)
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d titles, headings and prompts checked: the demo lacks inputs", checked)
	}
	err := reportTo(ctx, []string{"--data", dataDir, "--database-url", storeURL, "--process", "1", "--kind", "everything", "--out", filepath.Join(t.TempDir(), "x")}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "unknown document") {
		t.Errorf("an unknown kind: %v", err)
	}
}
