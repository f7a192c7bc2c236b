package console_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/warehouse/console"
)

// twoProcesses is a real warehouse file holding the proposals of process 1
// (3) and process 2 (2: "secret of two", and one by the same participant as
// process 1's first).
func twoProcesses(t testing.TB, limits console.Limits) (*console.Console, *warehouse.Warehouse) {
	t.Helper()
	wh, err := warehouse.Open(t.TempDir() + "/w.duckdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	for _, q := range []string{
		`INSERT INTO dim_processes VALUES (1, 'one', 'One', 'county', 'health', 'county', 'consult', 'Africa/Nairobi', 1, 100, 0, 'KES', true, NULL, NULL),
		                                  (2, 'two', 'Two', 'county', 'health', 'county', 'consult', 'Africa/Nairobi', 1, 100, 0, 'KES', true, NULL, NULL)`,
		`INSERT INTO proposals VALUES
			(1, 11, 1, 5, 'p:a', 'KE-047', 'Water for Kibera', 'd', 0, [], NULL, NULL, TIMESTAMP '2026-03-01 10:00:00'),
			(2, 12, 1, 5, 'p:b', 'KE-047', '=HYPERLINK("x")', 'd', 0, ['roads'], NULL, NULL, TIMESTAMP '2026-03-02 10:00:00'),
			(3, 13, 1, 5, 'p:c', 'KE-001', 'Clinic, with "quotes"', 'd', 0, [], NULL, NULL, TIMESTAMP '2026-03-03 10:00:00'),
			(4, 21, 2, 6, 'p:d', 'KE-047', 'secret of two', 'd', 0, [], NULL, NULL, TIMESTAMP '2026-03-01 10:00:00'),
			(5, 22, 2, 6, 'p:a', 'KE-047', 'also two', 'd', 0, [], NULL, NULL, TIMESTAMP '2026-03-01 11:00:00')`,
	} {
		if _, err := wh.Read().Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	c, err := console.New(wh.Read(), limits)
	if err != nil {
		t.Fatal(err)
	}
	return c, wh
}

func refusal(t *testing.T, err error) *console.Refusal {
	t.Helper()
	var r *console.Refusal
	if !errors.As(err, &r) {
		t.Fatalf("want a refusal, got %v", err)
	}
	return r
}

func TestConsoleSeesOnlyItsProcess(t *testing.T) {
	c, wh := twoProcesses(t, console.Limits{})
	ctx := context.Background()
	for _, q := range []string{
		"SELECT count(*) AS n FROM proposals",
		"select COUNT(*) from PROPOSALS",
		"SELECT count(*) FROM (SELECT * FROM proposals) AS x",
		"WITH mine AS (SELECT * FROM proposals) SELECT count(*) FROM mine",
		"SELECT count(*) FROM submissions WHERE kind = 'proposal'",
		// an attempt to widen the filter: the scope already filtered
		"SELECT count(*) FROM proposals WHERE true OR proposal_id > 0",
	} {
		res, err := c.Run(ctx, 1, q, 0)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if got := res.Rows[0][0].Text; got != "3" {
			t.Errorf("%s: %s rows, want process 1's 3", q, got)
		}
	}
	res, err := c.Run(ctx, 2, "SELECT title FROM proposals ORDER BY title", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || res.Rows[1][0].Text != "secret of two" {
		t.Errorf("process 2's own rows: %+v", res.Rows)
	}
	// Process 1 cannot reach them by any name.
	res, err = c.Run(ctx, 1, "SELECT title FROM proposals UNION ALL SELECT title FROM submissions JOIN proposals USING (component_id) ORDER BY 1", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res.Rows {
		if strings.Contains(r[0].Text, "two") {
			t.Errorf("process 1 read process 2's %q", r[0].Text)
		}
	}
	// One row per proposal as last edited, with its moderation status, and
	// no warehouse pseudonym: the console keys them again.
	if _, err := wh.Read().Exec(`INSERT INTO proposals VALUES (6, 11, 1, 5, 'p:a', 'KE-047', 'Water for all of Kibera', 'd', 0, [], NULL, NULL, TIMESTAMP '2026-03-04 10:00:00')`); err != nil {
		t.Fatal(err)
	}
	if _, err := wh.Read().Exec(`INSERT INTO moderation VALUES (7, 1, 5, 'proposal', 13, 'hidden', TIMESTAMP '2026-03-05 10:00:00')`); err != nil {
		t.Fatal(err)
	}
	res, err = c.Run(ctx, 1, "SELECT proposal_id, title, created_at, status, participant FROM proposals ORDER BY proposal_id", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 || res.Rows[0][1].Text != "Water for all of Kibera" || res.Rows[0][2].Text != "2026-03-01 10:00:00" ||
		res.Rows[2][3].Text != "hidden" || res.Rows[1][3].Text != "published" {
		t.Errorf("proposals as last edited: %+v", res.Rows)
	}
	for _, r := range res.Rows {
		if strings.HasPrefix(r[4].Text, "p:") || len(r[4].Text) != 32 {
			t.Errorf("participant %q is not the console's pseudonym", r[4].Text)
		}
	}
	other, err := c.Run(ctx, 2, "SELECT DISTINCT participant FROM proposals", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range other.Rows {
		if r[0].Text == res.Rows[0][4].Text {
			t.Error("two processes' consoles share a pseudonym")
		}
	}
	// Every view the console lists is defined and readable.
	for _, v := range console.Views {
		if _, err := c.Run(ctx, 1, "SELECT * FROM "+v+" LIMIT 1", 0); err != nil {
			t.Errorf("view %s: %v", v, err)
		}
	}
}

func TestConsoleRefusesWhatIsNotAScopedSelect(t *testing.T) {
	c, _ := twoProcesses(t, console.Limits{})
	ctx := context.Background()
	cases := map[string]string{
		"SELECT * FROM main.proposals":                                         "console.err.table",
		"SELECT * FROM memory.main.proposals":                                  "console.err.table",
		"SELECT * FROM dash_alerts":                                            "console.err.table",
		"SELECT * FROM pg_class":                                               "console.err.table",
		"SELECT * FROM duckdb_tables":                                          "console.err.table",
		"SELECT * FROM '/etc/passwd'":                                          "console.err.table",
		"SELECT * FROM read_csv('/etc/passwd')":                                "console.err.table_function",
		"SELECT * FROM read_csv_auto('/etc/passwd')":                           "console.err.table_function",
		"SELECT * FROM read_parquet('x.parquet')":                              "console.err.table_function",
		"SELECT * FROM read_json('x.json')":                                    "console.err.table_function",
		"SELECT * FROM read_text('/etc/hostname')":                             "console.err.table_function",
		"SELECT * FROM glob('/etc/*')":                                         "console.err.table_function",
		"SELECT * FROM duckdb_settings()":                                      "console.err.table_function",
		"SELECT * FROM query('SELECT * FROM main.proposals')":                  "console.err.table_function",
		"SELECT getenv('HOME')":                                                "console.err.function",
		"SELECT current_setting('threads')":                                    "console.err.function",
		"SELECT title FROM proposals WHERE proposal_id = $1":                   "console.err.parameter",
		"SELECT title FROM proposals WHERE proposal_id = ?":                    "console.err.parameter",
		"COPY proposals TO '/tmp/out.csv'":                                     "console.err.not_select",
		"COPY (SELECT 1) TO '/tmp/out.csv'":                                    "console.err.not_select",
		"ATTACH '/tmp/other.duckdb' AS other":                                  "console.err.not_select",
		"INSTALL httpfs":                                                       "console.err.not_select",
		"LOAD httpfs":                                                          "console.err.not_select",
		"PRAGMA database_list":                                                 "console.err.not_select",
		"SET threads = 1":                                                      "console.err.not_select",
		"DELETE FROM proposals":                                                "console.err.not_select",
		"CREATE TABLE x AS SELECT 1":                                           "console.err.not_select",
		"SELECT 1; SELECT 2":                                                   "console.err.one_statement",
		"SELECT 1; DROP TABLE proposals":                                       "console.err.not_select",
		"WITH dash_alerts AS (SELECT 1) SELECT * FROM dash_alerts":             "console.err.with_name",
		"WITH proposals AS (SELECT * FROM proposals) SELECT * FROM proposals":  "console.err.with_name",
		"WITH \"x.csv\" AS (SELECT 1) SELECT * FROM \"x.csv\"":                 "console.err.with_name",
		"SELECT * FROM (WITH q AS (SELECT 1) SELECT * FROM q), dash_published": "console.err.table",
		"SELECT (SELECT count(*) FROM dash_alerts)":                            "console.err.table",
		"SELECT * FROM proposals WHERE EXISTS (SELECT 1 FROM main.proposals)":  "console.err.table",
		"SELECT * FROM (FROM main.comments)":                                   "console.err.table",
		"SELECT * FROM \"main\".\"proposals\"":                                 "console.err.table",
		"SELECT * FROM information_schema.tables":                              "console.err.table",
		"SELECT * FROM system.main.duckdb_tables":                              "console.err.table",
		"SELECT * FROM proposals p JOIN main.proposals q USING (proposal_id)":  "console.err.table",
		"SUMMARIZE proposals":                                                  "console.err.construct",
		"EXPLAIN ANALYZE SELECT 1":                                             "console.err.not_select",
		"SELECT list_transform([1], x -> getenv('HOME'))":                      "console.err.function",
		"SELECT * FROM range((SELECT count(*) FROM dash_alerts))":              "console.err.table",
		"PIVOT proposals ON region_code USING count(*)":                        "console.err.not_select",
		"SELECT * FROM (PIVOT proposals ON region_code USING count(*))":        "console.err.not_select",
		"DESCRIBE proposals":                                                   "console.err.construct",
		"SELECT * FROM (DESCRIBE dash_alerts)":                                 "console.err.construct",
		"SELECT nextval('s')":                                                  "console.err.function",
		"SELECT * FROM proposals AT (VERSION => 1)":                            "console.err.table",
		"SELECT FROM": "console.err.syntax",
		"   ":         "console.err.empty",
	}
	for q, key := range cases {
		_, err := c.Run(ctx, 1, q, 0)
		if r := refusal(t, err); r.Key != key {
			t.Errorf("%q: refused as %s %v, want %s", q, r.Key, r.Args, key)
		}
	}
	// Nothing of the above reached the file system.
	dir := t.TempDir()
	for _, q := range []string{
		"COPY (SELECT * FROM proposals) TO '" + dir + "/out.csv'",
		"ATTACH '" + dir + "/other.duckdb' AS other",
	} {
		if _, err := c.Run(ctx, 1, q, 0); err == nil {
			t.Errorf("%s ran", q)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) > 0 {
		t.Errorf("the refused queries wrote %v", left)
	}
}

func TestConsoleStopsAtItsLimits(t *testing.T) {
	c, _ := twoProcesses(t, console.Limits{Timeout: 300 * time.Millisecond, MaxRows: 2})
	ctx := context.Background()
	res, err := c.Run(ctx, 1, "SELECT title FROM proposals ORDER BY created_at", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 2 || !res.Truncated || res.Rows[0][0].Text != "Water for Kibera" {
		t.Errorf("row limit: %d rows, truncated %v", len(res.Rows), res.Truncated)
	}
	res, err = c.Run(ctx, 2, "SELECT title FROM proposals", 0)
	if err != nil || res.Truncated {
		t.Errorf("two rows under a limit of two: truncated %v, %v", res != nil && res.Truncated, err)
	}
	start := time.Now()
	_, err = c.Run(ctx, 1, "SELECT sum(hash(a.range + b.range)) FROM range(1000000000) a, range(1000000000) b", 0)
	took := time.Since(start)
	if !console.IsTimeLimit(err) {
		t.Fatalf("a long query: %v, want the time limit", err)
	}
	if took > 5*time.Second {
		t.Errorf("the long query stopped after %v, limit 300 ms", took)
	}
	// The pool is fine afterwards.
	if _, err := c.Run(ctx, 1, "SELECT 1", 0); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Run(ctx, 1, strings.Repeat("SELECT 1 UNION ALL ", 2000)+"SELECT 1", 0); refusal(t, err).Key != "console.err.too_long" {
		t.Errorf("a long text: %v", err)
	}
}

func TestConsoleCellsAndHash(t *testing.T) {
	c, _ := twoProcesses(t, console.Limits{})
	res, err := c.Run(context.Background(), 1,
		"SELECT title, tags, created_at, NULL AS nothing, 1.5::DOUBLE AS x FROM proposals WHERE proposal_id = 12", 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"title", "tags", "created_at", "nothing", "x"}
	if strings.Join(res.Columns, ",") != strings.Join(want, ",") {
		t.Errorf("columns %v", res.Columns)
	}
	row := res.Rows[0]
	if row[0].Text != `=HYPERLINK("x")` || row[1].Text != `["roads"]` || row[2].Text != "2026-03-02 10:00:00" || !row[3].Null || row[4].Text != "1.5" {
		t.Errorf("cells %+v", row)
	}
	if h := console.Hash("SELECT 1"); len(h) != 64 || h == console.Hash("SELECT 2") {
		t.Errorf("hash %q", h)
	}
}

// TestConsoleAllowsAnalystsSQL: the guard is strict, not crippling — the
// SQL an analyst writes runs.
func TestConsoleAllowsAnalystsSQL(t *testing.T) {
	c, _ := twoProcesses(t, console.Limits{})
	for _, q := range []string{
		"SELECT region_code, count(*) AS n, count(DISTINCT participant) FROM proposals GROUP BY ALL HAVING count(*) > 0 ORDER BY n DESC LIMIT 10 OFFSET 0",
		"SELECT title, row_number() OVER (PARTITION BY region_code ORDER BY created_at) AS k FROM proposals QUALIFY k = 1",
		"SELECT date_trunc('day', created_at) AS d, string_agg(title, '; ' ORDER BY title) FROM proposals GROUP BY 1",
		"SELECT count(*) FILTER (WHERE status = 'published'), avg(budget_minor)::DOUBLE, median(budget_minor) FROM proposals",
		"SELECT region_code, status, count(*) FROM proposals GROUP BY ROLLUP (region_code, status)",
		"SELECT * EXCLUDE (description) FROM proposals",
		"SELECT CASE WHEN len(tags) > 0 THEN tags[1] ELSE '-' END, list_transform(tags, x -> upper(x)) FROM proposals",
		"SELECT p.title, x.n FROM proposals p, LATERAL (SELECT count(*) AS n FROM comments c WHERE c.target_id = p.proposal_id) x",
		"SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s)",
		"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT sum(n) FROM r",
		"SELECT title FROM proposals UNION BY NAME SELECT body AS title FROM comments",
		"SELECT DISTINCT ON (region_code) region_code, title FROM proposals ORDER BY region_code, created_at",
		"SELECT * FROM proposals USING SAMPLE 50 PERCENT (bernoulli)",
		"SELECT title ILIKE '%water%', regexp_matches(title, 'K[a-z]+'), strftime(created_at, '%Y-%m') FROM proposals",
		"SELECT tag, count(*) FROM (SELECT unnest(tags) AS tag FROM proposals) GROUP BY tag",
		"SELECT * FROM range(3) r JOIN generate_series(1, 3) g ON r.range = g.generate_series",
		"SELECT COLUMNS('.*_id') FROM proposals",
		"SELECT s.kind, count(*) FROM submissions s LEFT JOIN regions USING (region_code) GROUP BY s.kind",
	} {
		if _, err := c.Run(context.Background(), 1, q, 0); err != nil {
			t.Errorf("%s: %v", q, err)
		}
	}
}

// TestConsoleTakesTurns: at most Concurrent queries hold the read pool; one
// more waits, and says the console is busy when its time runs out first.
func TestConsoleTakesTurns(t *testing.T) {
	c, _ := twoProcesses(t, console.Limits{Timeout: time.Second, Concurrent: 1})
	long := "SELECT sum(hash(a.range + b.range)) FROM range(1000000000) a, range(1000000000) b"
	done := make(chan error, 1)
	go func() {
		_, err := c.Run(context.Background(), 1, long, 0)
		done <- err
	}()
	time.Sleep(200 * time.Millisecond) // the long one holds the slot
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Run(ctx, 1, "SELECT 1", 0); refusal(t, err).Key != "console.err.busy" {
		t.Errorf("a second query beside the first: %v", err)
	}
	if err := <-done; !console.IsTimeLimit(err) {
		t.Errorf("the long query: %v", err)
	}
	if _, err := c.Run(context.Background(), 1, "SELECT 1", 0); err != nil {
		t.Errorf("after its turn: %v", err)
	}
}
