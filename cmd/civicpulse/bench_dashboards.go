package main

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/civicpulse/civicpulse/bench"
	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqlfile"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

//go:embed benchsql/*.sql
var benchSQL embed.FS

// baselinePanels are the panels the Postgres-direct baseline computes (the
// alerts panel reads dashboard settings, not participation data).
var baselinePanels = []string{"inputs", "participants", "regions", "funnel", "channels", "visit-length", "devices",
	"proposal-activity", "proposal-ranking", "proposal-budget-tags", "proposal-budget-regions", "proposal-map"}

// benchDashboards measures the server time of every monitor and proposals
// panel over a warehouse of N submissions, for each size asked, and in the
// same run the same aggregates computed straight from the participation
// tables in Postgres (the baseline), holding the same data.
//
// --data demo (the default) generates the data with civicpulse demo
// through the store into a throwaway SQLite file (~15k writes/s; Postgres
// would take hours at these sizes), ingests it with the real ingester and
// copies the tables the baseline reads into a Postgres database made by the
// store's migrations. --data synthetic writes made-up facts straight into
// the warehouse (rollups maintained as at ingest) and into Postgres with
// COPY: quicker, but neither the demo's mix nor the ingester's output.
//
// Figures, per size n: dash_<n>_<panel>_p50_ms and _p95_ms (warehouse
// panel), dash_<n>_<panel>_pg_p50_ms and _pg_p95_ms (baseline),
// dash_<n>_<panel>_speedup_x (baseline p50 / panel p50), and
// dash_<n>_speedup_median_x, dash_<n>_speedup_min_x over the panels. With
// demo data also dash_<n>_submissions (what was generated, see
// bench.Submissions), _demo_s, _demo_writes_per_s, _ingest_s,
// _ingest_events and _pg_copy_s.
func benchDashboards(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench dashboards", flag.ContinueOnError)
	sizes := fs.String("sizes", "1000000,5000000", "submissions per run, comma-separated: proposals, comments, comment votes, supports and survey responses (answers and visits not counted)")
	runs := fs.Int("runs", 30, "timed runs per panel")
	pgRuns := fs.Int("baseline-runs", 5, "timed runs per baseline query (they take seconds)")
	pg := fs.String("database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"),
		"Postgres server to create the throwaway baseline database on; empty skips the baseline")
	dir := fs.String("dir", "", "folder for the throwaway warehouse files (default: a temp dir)")
	data := fs.String("data", "demo", "demo: civicpulse demo through the store and the ingester; synthetic: facts written straight in")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *dir == "" {
		*dir = filepath.Join(tempDir(), "civicpulse-bench-dash-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	}
	defer os.RemoveAll(*dir)
	out := map[string]float64{}
	for _, s := range splitInts(*sizes) {
		var err error
		switch *data {
		case "demo":
			err = benchDashDemo(ctx, filepath.Join(*dir, fmt.Sprintf("d%d", s)), *pg, s, *runs, *pgRuns, out)
		case "synthetic":
			err = benchDashSize(ctx, filepath.Join(*dir, fmt.Sprintf("w%d.duckdb", s)), *pg, s, *runs, *pgRuns, out)
		default:
			err = fmt.Errorf("bench: --data is demo or synthetic, not %q", *data)
		}
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// benchDemoNow is the demo's "now" and the dashboards' clock: fixed, so the
// same seed gives the same data and the panels the same view.
var benchDemoNow = time.Date(2027, 2, 18, 9, 30, 0, 0, time.UTC)

// benchDashDemo generates at least n submissions with the demo into SQLite,
// ingests them, copies the baseline's tables to a throwaway Postgres
// database and measures both sides over the demo's main process.
func benchDashDemo(ctx context.Context, dir, pgServer string, n, runs, pgRuns int, out map[string]float64) error {
	key := func(f string) string { return fmt.Sprintf("dash_%d_%s", n, f) }
	data, err := bench.GenerateDemo(ctx, bench.DemoOptions{Submissions: n, Dir: dir, Now: benchDemoNow, Seed: 1, Log: slog.Info})
	if err != nil {
		return err
	}
	defer data.Store.Close()
	out[key("submissions")] = float64(data.Submissions)
	out[key("demo_s")] = data.Generate.Seconds()
	out[key("demo_writes_per_s")] = float64(data.Result.Writes) / data.Generate.Seconds()

	wh, err := warehouse.Open(filepath.Join(dir, "w.duckdb"))
	if err != nil {
		return err
	}
	defer wh.Close()
	t0 := time.Now()
	events, err := data.Ingest(ctx, wh)
	if err != nil {
		return err
	}
	out[key("ingest_s")] = time.Since(t0).Seconds()
	out[key("ingest_events")] = float64(events)
	slog.Info("bench dashboards: demo ingested", "events", events, "took", time.Since(t0).Round(time.Millisecond))

	var pg *sql.DB
	if pgServer != "" {
		db, drop, err := newBaselineDB(ctx, pgServer)
		if err != nil {
			return err
		}
		defer drop()
		pg = db
		t0 := time.Now()
		rows, err := data.CopyToPostgres(ctx, pg)
		if err != nil {
			return err
		}
		if _, err := pg.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return fmt.Errorf("bench: unable to analyse the baseline database: %w", err)
		}
		out[key("pg_copy_s")] = time.Since(t0).Seconds()
		out[key("pg_copy_rows")] = float64(rows)
		slog.Info("bench dashboards: demo copied to Postgres", "rows", rows, "took", time.Since(t0).Round(time.Millisecond))
	}
	return measureDash(ctx, wh, pg, benchDemoNow, data.Result.ProcessID, n, runs, pgRuns, out)
}

// newBaselineDB creates a throwaway Postgres database with the store's own
// migrations (the participation schema) and opens it.
func newBaselineDB(ctx context.Context, server string) (*sql.DB, func(), error) {
	dsn, drop, err := bench.TempPostgres(ctx, server)
	if err != nil {
		return nil, nil, err
	}
	st, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		drop()
		return nil, nil, err
	}
	st.Close()
	pg, err := sql.Open("postgres", dsn)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return pg, func() { pg.Close(); drop() }, nil
}

func benchDashSize(ctx context.Context, path, pgServer string, n, runs, pgRuns int, out map[string]float64) error {
	wh, err := warehouse.Open(path)
	if err != nil {
		return err
	}
	defer wh.Close()
	var pg *sql.DB
	if pgServer != "" {
		db, drop, err := newBaselineDB(ctx, pgServer)
		if err != nil {
			return err
		}
		defer drop()
		pg = db
	}
	end := time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC)
	start := end.Add(-28 * 24 * time.Hour)
	g := newSynth(n, start, end)
	if pg != nil {
		if err := g.setupPostgres(ctx, pg); err != nil {
			return err
		}
	}
	var whTime, pgTime time.Duration
	for chunk := range g.chunks(100_000) {
		t0 := time.Now()
		if err := wh.Write(ctx, chunk.batch); err != nil {
			return err
		}
		whTime += time.Since(t0)
		if pg != nil {
			t0 = time.Now()
			if err := chunk.copyTo(ctx, pg); err != nil {
				return err
			}
			pgTime += time.Since(t0)
		}
	}
	out[fmt.Sprintf("dash_%d_load_s", n)] = whTime.Seconds()
	if pg != nil {
		t0 := time.Now()
		if _, err := pg.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
			return fmt.Errorf("bench: unable to analyse the baseline database: %w", err)
		}
		out[fmt.Sprintf("dash_%d_pg_load_s", n)] = (pgTime + time.Since(t0)).Seconds()
	}
	slog.Info("bench dashboards: data loaded", "submissions", n, "warehouse", whTime.Round(time.Millisecond), "postgres", pgTime.Round(time.Millisecond))
	return measureDash(ctx, wh, pg, end, 1, n, runs, pgRuns, out)
}

// measureDash times every monitor and proposals panel of process over wh as
// of now and, when pg is set, the baseline over the same view.
func measureDash(ctx context.Context, wh *warehouse.Warehouse, pg *sql.DB, now time.Time, process int64, n, runs, pgRuns int, out map[string]float64) error {
	d, err := dashboards.New(ctx, wh.Read(), func() time.Time { return now })
	if err != nil {
		return err
	}
	f := dashboards.Filter{Process: process, Bucket: "day"}
	p50 := map[string]float64{}
	for _, db := range []*dashboards.Dashboard{dashboards.Monitor, dashboards.Proposals} {
		for _, p := range db.Panels {
			ts, err := timeRuns(runs, func() error { _, err := d.Run(ctx, p, f); return err })
			if err != nil {
				return fmt.Errorf("bench: panel %s: %w", p.Name, err)
			}
			p50[p.Name] = ms(pct(ts, 50))
			out[fmt.Sprintf("dash_%d_%s_p50_ms", n, p.Name)] = ms(pct(ts, 50))
			out[fmt.Sprintf("dash_%d_%s_p95_ms", n, p.Name)] = ms(pct(ts, 95))
		}
	}
	if pg == nil {
		return nil
	}
	return benchBaseline(ctx, pg, d, f, n, pgRuns, p50, out)
}

// benchBaseline times each baseline query over the panel's own view (the
// same range and time zone) and sets the speed-ups.
func benchBaseline(ctx context.Context, pg *sql.DB, d *dashboards.Dashboards, f dashboards.Filter, n, runs int, p50 map[string]float64, out map[string]float64) error {
	q, err := sqlfile.Load(benchSQL, "benchsql/*.sql")
	if err != nil {
		return err
	}
	if err := q.Require(baselinePanels...); err != nil {
		return err
	}
	p, err := d.Process(ctx, f.Process)
	if err != nil {
		return err
	}
	v := d.Resolve(p, f)
	prevFrom := v.From.Add(-v.To.Sub(v.From))
	var ups []float64
	for _, name := range baselinePanels {
		query := typedParams(q.Get(name))
		ts, err := timeRuns(runs, func() error {
			if err := drain(ctx, pg, query, p.ID, v.From, v.To, p.TimeZone.String()); err != nil {
				return err
			}
			if name == "inputs" { // the panel also reads the previous period
				return drain(ctx, pg, query, p.ID, prevFrom, v.From, p.TimeZone.String())
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("bench: baseline %s: %w", name, err)
		}
		out[fmt.Sprintf("dash_%d_%s_pg_p50_ms", n, name)] = ms(pct(ts, 50))
		out[fmt.Sprintf("dash_%d_%s_pg_p95_ms", n, name)] = ms(pct(ts, 95))
		if w := p50[name]; w > 0 {
			up := ms(pct(ts, 50)) / w
			ups = append(ups, up)
			out[fmt.Sprintf("dash_%d_%s_speedup_x", n, name)] = up
		}
	}
	if len(ups) > 0 {
		sort.Float64s(ups)
		out[fmt.Sprintf("dash_%d_speedup_median_x", n)] = medianOf(ups)
		out[fmt.Sprintf("dash_%d_speedup_min_x", n)] = ups[0]
	}
	return nil
}

// typedParams declares the four parameters' types in a leading CTE, so a
// query may leave some of them unused (Postgres cannot infer those).
func typedParams(q string) string {
	const types = "_params AS (SELECT $1::bigint, $2::timestamptz, $3::timestamptz, $4::text)"
	var body []string
	for _, line := range strings.Split(q, "\n") {
		if t := strings.TrimSpace(line); t != "" && !strings.HasPrefix(t, "--") {
			body = append(body, line)
		}
	}
	s := strings.Join(body, "\n")
	if rest, ok := strings.CutPrefix(s, "WITH "); ok {
		return "WITH " + types + ", " + rest
	}
	return "WITH " + types + " " + s
}

// drain runs a query and reads every row, as a dashboard would.
func drain(ctx context.Context, db *sql.DB, query string, args ...any) error {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]any, len(cols))
	for i := range vals {
		vals[i] = new(any)
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// timeRuns runs fn twice to warm up, then runs times, and returns the
// sorted durations.
func timeRuns(runs int, fn func() error) ([]time.Duration, error) {
	var ts []time.Duration
	for i := 0; i < runs+2; i++ {
		t0 := time.Now()
		if err := fn(); err != nil {
			return nil, err
		}
		if i >= 2 {
			ts = append(ts, time.Since(t0))
		}
	}
	slices.Sort(ts)
	return ts, nil
}

// pct is the nearest-rank percentile of sorted durations.
func pct(sorted []time.Duration, p int) time.Duration {
	return sorted[max((len(sorted)*p+99)/100-1, 0)]
}

func medianOf(sorted []float64) float64 {
	if len(sorted)%2 == 1 {
		return sorted[len(sorted)/2]
	}
	return (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// synth generates n submissions of process 1 (votes, supports, comments,
// survey responses, proposals in the demo's rough mix) by n/10 participants
// over 47 regions, plus n/2 visits, in time order. The same facts go to the
// warehouse and to the participation tables, so a participant supports a
// proposal, votes on a comment and answers the survey at most once, as the
// store's keys demand.
type synth struct {
	n          int
	start, end time.Time
	r          *rand.Rand
	regions    []warehouse.RegionDim
	people     int

	seq, proposals int64
	comments       []int64
	supported      map[[2]int64]bool
	voted          map[[2]int64]bool
	responded      map[int]bool
}

func newSynth(n int, start, end time.Time) *synth {
	g := &synth{n: n, start: start, end: end, r: rand.New(rand.NewPCG(1, 2)), people: max(n/10, 1),
		supported: map[[2]int64]bool{}, voted: map[[2]int64]bool{}, responded: map[int]bool{}}
	g.regions = make([]warehouse.RegionDim, 47)
	for i := range g.regions {
		g.regions[i] = warehouse.RegionDim{Code: fmt.Sprintf("%02d", i+1), Name: fmt.Sprintf("County %02d", i+1), Population: int64(200000 + g.r.IntN(4000000))}
	}
	return g
}

// synthChunk is one batch for the warehouse and the same rows for Postgres.
type synthChunk struct {
	batch        *warehouse.Batch
	participants [][]any
	pgRows       map[string][][]any
}

var pgColumns = map[string][]string{
	"proposals":     {"id", "process_id", "component_id", "participant_id", "title", "description", "budget_minor", "region_code", "lat", "lng", "created_at"},
	"proposal_tags": {"proposal_id", "position", "tag"},
	"supports":      {"proposal_id", "participant_id", "created_at"},
	"comments":      {"id", "process_id", "component_id", "target_kind", "target_id", "participant_id", "kind", "body", "created_at"},
	"comment_votes": {"comment_id", "participant_id", "vote", "created_at", "updated_at"},
	"responses":     {"id", "process_id", "component_id", "participant_id", "last_page", "started_at", "updated_at", "completed_at"},
	"outbox":        {"seq", "type", "process_id", "component_id", "entity_id", "participant_id", "region_code", "occurred_at", "payload"},
}

// pgOrder respects the foreign keys.
var pgOrder = []string{"proposals", "proposal_tags", "supports", "comments", "comment_votes", "responses", "outbox"}

func (g *synth) setupPostgres(ctx context.Context, db *sql.DB) error {
	stmts := []struct {
		q    string
		args []any
	}{
		{`INSERT INTO region_sets (id, name) VALUES (1, 'Bench counties')`, nil},
		{`INSERT INTO processes (id, slug, title, level, scope, starts_at, ends_at, time_zone, mode, region_set_id,
		   target_participants, published, currency, created_at, updated_at)
		  VALUES (1, 'bench', 'Bench', 'consult', 'provincial', $1, $2, 'Africa/Nairobi', 'open', 1, $3, true, 'KES', $1, $1)`,
			[]any{g.start, g.end, g.n / 10}},
		{`INSERT INTO components (id, process_id, kind, position, title) VALUES
		   (10, 1, 'proposals', 1, 'Ideas'), (11, 1, 'document', 2, 'Draft'), (12, 1, 'survey', 3, 'Survey')`, nil},
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s.q, s.args...); err != nil {
			return fmt.Errorf("bench: unable to set up the baseline process: %w", err)
		}
	}
	regions := make([][]any, len(g.regions))
	for i, r := range g.regions {
		regions[i] = []any{int64(1), r.Code, r.Name, r.Population, i}
	}
	people := make([][]any, g.people)
	for i := range people {
		people[i] = []any{int64(i + 1), "anonymous", "t" + strconv.Itoa(i), g.regions[i%47].Code, g.start}
	}
	return inTx(ctx, db, func(tx *sql.Tx) error {
		if err := copyRows(ctx, tx, "regions", []string{"region_set_id", "code", "name", "population", "position"}, regions); err != nil {
			return err
		}
		return copyRows(ctx, tx, "participants", []string{"id", "kind", "token", "region_code", "created_at"}, people)
	})
}

// chunks yields the submissions in batches of size events.
func (g *synth) chunks(size int) func(yield func(synthChunk) bool) {
	return func(yield func(synthChunk) bool) {
		start, end := g.start, g.end
		c := g.newChunk()
		c.batch.Dimensions = warehouse.Dimensions{
			Processes: []warehouse.ProcessDim{{ProcessID: 1, Slug: "bench", Title: "Bench", TimeZone: "Africa/Nairobi", RegionSetID: 1, TargetParticipants: g.n / 10, Currency: "KES", Published: true, StartsAt: &start, EndsAt: &end,
				Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Position: 1, Title: "Ideas"}, {ComponentID: 11, Kind: "document", Position: 2, Title: "Draft"}, {ComponentID: 12, Kind: "survey", Position: 3, Title: "Survey"}}}},
			RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: g.regions}},
		}
		total := g.n + g.n/2
		span := g.end.Sub(g.start)
		for i := 0; i < total; i++ {
			at := g.start.Add(time.Duration(float64(span) * float64(i) / float64(total)))
			g.one(c, at)
			if len(c.batch.Events) == size || i == total-1 {
				c.batch.To, c.batch.Consumed = warehouse.Cursor{Seq: g.seq}, int64(len(c.batch.Events))
				if !yield(c) {
					return
				}
				c = g.newChunk()
			}
		}
	}
}

func (g *synth) newChunk() synthChunk {
	return synthChunk{batch: &warehouse.Batch{}, pgRows: map[string][][]any{}}
}

func (g *synth) one(c synthChunk, at time.Time) {
	r := g.r
	g.seq++
	seq := g.seq
	who := r.IntN(g.people)
	pid := int64(who + 1)
	pt := "p" + strconv.Itoa(who)
	region := g.regions[who%47].Code
	b := c.batch
	event := func(typ string, component, entity int64) {
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: typ, ProcessID: 1, ComponentID: component, EntityID: entity, Participant: pt, RegionCode: region, OccurredAt: at})
	}
	comment := func() {
		event("comment.created", 11, seq)
		g.comments = append(g.comments, seq)
		c.pgRows["comments"] = append(c.pgRows["comments"], []any{seq, int64(1), int64(11), "section", int64(1), pid, "comment", "", at})
	}
	x := r.IntN(30)
	switch {
	case x < 10: // a page view
		v := warehouse.Visit{Seq: seq, ProcessID: 1, ComponentID: int64(10 + r.IntN(3)), VisitorHash: "v" + strconv.Itoa(r.IntN(g.people*5)) + at.Format("0102"),
			Path: "/p/bench", UTMCampaign: []string{"", "radio", "sms"}[r.IntN(3)], Device: []string{"mobile", "desktop", "tablet"}[r.IntN(3)], OccurredAt: at}
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "visit", ProcessID: 1, OccurredAt: at})
		b.Visits = append(b.Visits, v)
		payload, _ := json.Marshal(map[string]string{"visitor_hash": v.VisitorHash, "path": v.Path, "referrer": "", "utm_source": "", "utm_medium": "", "utm_campaign": v.UTMCampaign, "device": v.Device})
		c.pgRows["outbox"] = append(c.pgRows["outbox"], []any{seq, "visit", int64(1), v.ComponentID, int64(0), int64(0), "", at, string(payload)})
	case x < 20: // a vote on a comment, once per participant and comment
		if len(g.comments) > 0 {
			id := g.comments[r.IntN(len(g.comments))]
			if k := [2]int64{id, pid}; !g.voted[k] {
				g.voted[k] = true
				event("comment.voted", 11, id)
				c.pgRows["comment_votes"] = append(c.pgRows["comment_votes"], []any{id, pid, "agree", at, at})
				return
			}
		}
		comment()
	case x < 25 || g.proposals == 0:
		if g.proposals == 0 || x == 24 {
			g.proposals++
			id := g.proposals
			p := warehouse.Proposal{Seq: seq, ProposalID: id, ProcessID: 1, ComponentID: 10, Participant: pt, RegionCode: region, Title: "Proposal " + strconv.FormatInt(id, 10),
				BudgetMinor: int64(r.IntN(1000000)), Tags: []string{[]string{"roads", "water", "health", "schools"}[r.IntN(4)]}, OccurredAt: at}
			var lat, lng any
			if id%3 == 0 {
				la, ln := -4.5+r.Float64()*9, 34+r.Float64()*7
				p.Lat, p.Lng, lat, lng = &la, &ln, la, ln
			}
			event("proposal.created", 10, id)
			b.Proposals = append(b.Proposals, p)
			c.pgRows["proposals"] = append(c.pgRows["proposals"], []any{id, int64(1), int64(10), pid, p.Title, "", p.BudgetMinor, region, lat, lng, at})
			c.pgRows["proposal_tags"] = append(c.pgRows["proposal_tags"], []any{id, 1, p.Tags[0]})
			return
		}
		id := 1 + r.Int64N(g.proposals)
		if k := [2]int64{id, pid}; !g.supported[k] {
			g.supported[k] = true
			event("support.added", 10, id)
			b.Supports = append(b.Supports, warehouse.Support{Seq: seq, ProposalID: id, ProcessID: 1, ComponentID: 10, Participant: pt, RegionCode: region, Delta: 1, OccurredAt: at})
			c.pgRows["supports"] = append(c.pgRows["supports"], []any{id, pid, at})
			return
		}
		comment()
	case x < 28:
		comment()
	default: // a survey response, once per participant
		if g.responded[who] {
			comment()
			return
		}
		g.responded[who] = true
		event("survey.completed", 12, seq)
		c.pgRows["responses"] = append(c.pgRows["responses"], []any{seq, int64(1), int64(12), pid, 1, at.Add(-5 * time.Minute), at, at})
	}
}

// copyTo writes the chunk's rows to Postgres in one transaction.
func (c synthChunk) copyTo(ctx context.Context, db *sql.DB) error {
	return inTx(ctx, db, func(tx *sql.Tx) error {
		for _, t := range pgOrder {
			if err := copyRows(ctx, tx, t, pgColumns[t], c.pgRows[t]); err != nil {
				return err
			}
		}
		return nil
	})
}

func inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("bench: unable to begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("bench: unable to commit: %w", err)
	}
	return nil
}

func copyRows(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	stmt, err := tx.PrepareContext(ctx, pq.CopyIn(table, cols...))
	if err != nil {
		return fmt.Errorf("bench: unable to copy into %s: %w", table, err)
	}
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			stmt.Close()
			return fmt.Errorf("bench: unable to copy into %s: %w", table, err)
		}
	}
	if _, err := stmt.ExecContext(ctx); err != nil {
		stmt.Close()
		return fmt.Errorf("bench: unable to copy into %s: %w", table, err)
	}
	return stmt.Close()
}

func splitInts(s string) []int {
	var out []int
	cur := 0
	has := false
	for _, c := range s + "," {
		if c >= '0' && c <= '9' {
			cur = cur*10 + int(c-'0')
			has = true
		} else if has {
			out = append(out, cur)
			cur, has = 0, false
		}
	}
	return out
}

func tempDir() string { return os.TempDir() }
