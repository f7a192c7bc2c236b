package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

var testKey = bytes.Repeat([]byte{0x5a}, 32)

func openWarehouse(t testing.TB, path string) *warehouse.Warehouse {
	t.Helper()
	wh, err := warehouse.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return wh
}

func newIngester(t testing.TB, s participation.Store, wh *warehouse.Warehouse, opts ingest.Options) *ingest.Ingester {
	t.Helper()
	opts.Key = testKey
	in, err := ingest.New(s, wh, opts)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func queryInt(t testing.TB, wh *warehouse.Warehouse, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := wh.Read().QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// outboxByType reads the whole outbox and counts events by type, and the
// bot visits (which the ingester drops as spam).
// Other tests' transactions on the same Postgres server hold the readable
// horizon back, so it reads until it has seen Count events.
func outboxByType(t testing.TB, s participation.Store) (map[string]int64, int64, int64) {
	t.Helper()
	ctx := context.Background()
	want, err := s.Outbox().Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byType := map[string]int64{}
	var bots, total int64
	var cur participation.Cursor
	for total < want {
		evs, err := s.Outbox().Read(ctx, cur, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			s.Outbox().Wait(ctx, 20*time.Millisecond)
			continue
		}
		for _, e := range evs {
			total++
			var v struct{ Device string }
			if e.Type == participation.EvVisit && json.Unmarshal(e.Payload, &v) == nil && v.Device == "bot" {
				bots++
				continue
			}
			byType[string(e.Type)]++
		}
		cur = evs[len(evs)-1].Cursor()
	}
	return byType, bots, total
}

// checkComplete verifies that the warehouse holds every outbox event once:
// accepted ones in the ledger by type, bot visits as spam drops, no seq
// twice, and a checkpoint that counted them all.
func checkComplete(t testing.TB, s participation.Store, wh *warehouse.Warehouse) {
	t.Helper()
	byType, bots, total := outboxByType(t, s)
	rows, err := wh.Read().Query(`SELECT type, count(*) FROM events GROUP BY type`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for rows.Next() {
		var typ string
		var n int64
		rows.Scan(&typ, &n)
		got[typ] = n
	}
	rows.Close()
	for typ, n := range byType {
		if got[typ] != n {
			t.Errorf("%s: warehouse has %d, outbox %d", typ, got[typ], n)
		}
	}
	if len(got) != len(byType) {
		t.Errorf("types in warehouse %v, in outbox %v", got, byType)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM dropped WHERE reason = 'spam'`); n != bots {
		t.Errorf("spam drops = %d, bot visits = %d", n, bots)
	}
	if n := queryInt(t, wh, `SELECT count(*) FROM (SELECT seq FROM (SELECT seq FROM events UNION ALL SELECT seq FROM dropped) GROUP BY seq HAVING count(*) > 1)`); n != 0 {
		t.Errorf("%d sequences appear twice", n)
	}
	if _, n := wh.Checkpoint(); n != total {
		t.Errorf("checkpoint counted %d events, outbox holds %d", n, total)
	}
	// Facts agree with the ledger.
	for table, typ := range map[string]string{"proposals": "'proposal.created'", "comments": "'comment.created'", "votes": "'comment.voted'",
		"supports": "'support.added', 'support.removed'", "survey_pages": "'survey.answered', 'survey.completed'",
		"visits": "'visit'", "registrations": "'registration'", "consents": "'consent.given', 'consent.withdrawn'", "moderation": "'contribution.hidden', 'contribution.restored'"} {
		a := queryInt(t, wh, "SELECT count(*) FROM "+table)
		b := queryInt(t, wh, "SELECT count(*) FROM events WHERE type IN ("+typ+")")
		if a != b {
			t.Errorf("%s has %d rows for %d events", table, a, b)
		}
	}
	if n := queryInt(t, wh, `SELECT sum(events) FROM rollup WHERE grain = 'day'`); n != total-bots {
		t.Errorf("day rollups count %d events, want %d", n, total-bots)
	}
}

func TestIngestEveryEventOnceWithDimensionsAndDrops(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		w.act(t, rand.New(rand.NewPCG(1, 2)), 300)
		wh := openWarehouse(t, "")
		defer wh.Close()
		in := newIngester(t, s, wh, ingest.Options{BatchSize: 97})
		if err := in.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
		for q, want := range map[string]int64{
			"SELECT count(*) FROM dim_processes":                      2,
			"SELECT count(*) FROM dim_components":                     4,
			"SELECT count(*) FROM dim_regions":                        3,
			"SELECT count(*) FROM dim_sections":                       2,
			"SELECT count(*) FROM dim_questions":                      6,
			"SELECT count(*) FROM dim_phases":                         2,
			"SELECT count(DISTINCT participant) FROM registrations":   2,
			"SELECT count(*) FROM visits WHERE path LIKE '%?%'":       0,
			"SELECT count(*) FROM text_features WHERE len(stems) = 0": 0,
		} {
			if got := queryInt(t, wh, q); got != want {
				t.Errorf("%s = %d, want %d", q, got, want)
			}
		}
		// Multi answers explode into one row per option, rankings carry ranks.
		if n := queryInt(t, wh, `SELECT count(*) FROM survey_answers a JOIN dim_questions q USING (question_id)
			WHERE q.type = 'multi' GROUP BY a.seq, a.question_id HAVING count(*) <> 2 UNION ALL SELECT 0 LIMIT 1`); n != 0 {
			t.Errorf("a multi answer did not become two rows")
		}
		if n := queryInt(t, wh, `SELECT count(*) FROM survey_answers a JOIN dim_questions q USING (question_id)
			WHERE q.type = 'ranking' AND rank IS NULL`); n != 0 {
			t.Errorf("%d ranking rows without rank", n)
		}
		st, err := in.Status(context.Background())
		if err != nil || st.Lag != 0 || st.Drops["spam"] == 0 {
			t.Errorf("status = %+v, %v", st, err)
		}
		// More activity, and ingesting again, continues from the checkpoint.
		w.act(t, rand.New(rand.NewPCG(3, 4)), 100)
		if err := in.CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
	})
}

// TestNoPersonalDataInWarehouse looks for the registered participants'
// names, emails, phones and IPs in every column of every warehouse table.
func TestNoPersonalDataInWarehouse(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		w.act(t, rand.New(rand.NewPCG(5, 6)), 200)
		wh := openWarehouse(t, "")
		defer wh.Close()
		if err := newIngester(t, s, wh, ingest.Options{}).CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
		var needles []string
		needles = append(needles, personal.Names...)
		needles = append(needles, personal.Emails...)
		needles = append(needles, personal.Phones...)
		needles = append(needles, personal.IPs...)
		for _, n := range personal.Names { // parts of names too
			needles = append(needles, strings.Fields(n)...)
		}
		for _, p := range personal.Phones {
			needles = append(needles, strings.TrimPrefix(p, "+"))
		}
		rows, err := wh.Read().Query(`SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main'`)
		if err != nil {
			t.Fatal(err)
		}
		type col struct{ table, column, typ string }
		var cols []col
		for rows.Next() {
			var c col
			rows.Scan(&c.table, &c.column, &c.typ)
			cols = append(cols, c)
		}
		rows.Close()
		scanned := 0
		for _, c := range cols {
			if !strings.Contains(c.typ, "VARCHAR") && !strings.Contains(c.typ, "BLOB") {
				continue
			}
			scanned++
			for _, n := range needles {
				q := fmt.Sprintf(`SELECT count(*) FROM "%s" WHERE lower(CAST("%s" AS VARCHAR)) LIKE '%%' || lower(?) || '%%'`, c.table, c.column)
				if got := queryInt(t, wh, q, n); got > 0 {
					t.Errorf("%s.%s holds %q in %d rows", c.table, c.column, n, got)
				}
			}
		}
		if scanned < 40 {
			t.Fatalf("only %d text columns scanned", scanned)
		}
		// The registered participants are in the warehouse, as pseudonyms.
		if n := queryInt(t, wh, `SELECT count(*) FROM registrations WHERE length(participant) = 32`); n != 2 {
			t.Fatalf("registrations = %d", n)
		}
	})
}

// TestRebuildEqualsIncremental builds one warehouse incrementally (small
// batches, live tailing, several rounds) and one by Rebuild, and compares
// every table except the checkpoint's batch count, row for row.
func TestRebuildEqualsIncremental(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		dir := t.TempDir()
		incPath, rebPath := filepath.Join(dir, "inc.duckdb"), filepath.Join(dir, "rebuilt.duckdb")
		wh := openWarehouse(t, incPath)
		defer wh.Close()
		rng := rand.New(rand.NewPCG(7, 8))
		for round := 0; round < 3; round++ {
			w.act(t, rng, 150)
			in := newIngester(t, s, wh, ingest.Options{BatchSize: 13 + 40*round})
			if err := in.CatchUp(context.Background()); err != nil {
				t.Fatal(err)
			}
		}
		// Live: the tailer picks up what arrives while it runs.
		ctx, cancel := context.WithCancel(context.Background())
		adv, stop := wh.Subscribe()
		defer stop()
		done := make(chan error, 1)
		go func() {
			done <- newIngester(t, s, wh, ingest.Options{BatchSize: 50, FlushEvery: 20 * time.Millisecond}).Run(ctx)
		}()
		w.act(t, rng, 150)
		want, err := s.Outbox().Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		deadline := time.After(60 * time.Second)
		for a := range adv {
			if a.Events >= want {
				break
			}
			select {
			case <-deadline:
				t.Fatalf("live tailer stalled at %d of %d events", a.Events, want)
			default:
			}
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
		if err := ingest.Rebuild(context.Background(), s, rebPath, ingest.Options{Key: testKey, BatchSize: 1000}); err != nil {
			t.Fatal(err)
		}
		// Rebuilding over an existing warehouse keeps what only the jobs
		// computed (a raised alert), and replaces the decisions with the
		// outbox's: a row the outbox does not carry goes.
		prev := openWarehouse(t, rebPath)
		if _, err := prev.Read().Exec(`INSERT INTO dash_alerts VALUES (1, 1, 'Only 2 inputs', 2, TIMESTAMP '2026-03-01', NULL)`); err != nil {
			t.Fatal(err)
		}
		if _, err := prev.Read().Exec(`INSERT INTO dash_published VALUES (1, 'inputs', 1, TIMESTAMP '2026-03-01')`); err != nil {
			t.Fatal(err)
		}
		prev.Close()
		if err := ingest.Rebuild(context.Background(), s, rebPath, ingest.Options{Key: testKey, BatchSize: 1000}); err != nil {
			t.Fatal(err)
		}
		tables := append(append([]string{}, warehouse.FactTables...), warehouse.DimensionTables...)
		if _, err := wh.Read().Exec(fmt.Sprintf(`ATTACH '%s' AS rebuilt (READ_ONLY)`, rebPath)); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables {
			n := queryInt(t, wh, "SELECT count(*) FROM "+tb)
			diff := queryInt(t, wh, fmt.Sprintf(`SELECT count(*) FROM (
				(SELECT * FROM main.%[1]s EXCEPT ALL SELECT * FROM rebuilt.%[1]s)
				UNION ALL
				(SELECT * FROM rebuilt.%[1]s EXCEPT ALL SELECT * FROM main.%[1]s))`, tb))
			if diff != 0 {
				t.Errorf("%s: %d rows differ between incremental and rebuilt (of %d)", tb, diff, n)
			}
			if n == 0 && tb != "dropped" && tb != "moderation" {
				t.Errorf("%s is empty: the comparison proves nothing", tb)
			}
		}
		if n := queryInt(t, wh, `SELECT count(*) FROM (SELECT tx, seq, events FROM main.checkpoint EXCEPT SELECT tx, seq, events FROM rebuilt.checkpoint)`); n != 0 {
			t.Error("checkpoints differ")
		}
		if n := queryInt(t, wh, `SELECT count(*) FROM rebuilt.dash_alerts`); n != 1 {
			t.Errorf("the rebuild lost what the alert check raised: %d alerts", n)
		}
		if n := queryInt(t, wh, `SELECT count(*) FROM rebuilt.dash_published`); n != 0 {
			t.Errorf("the rebuild kept %d published panels the outbox never carried", n)
		}
	})
}
