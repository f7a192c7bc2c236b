package bench

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// IngestOptions size the ingest benchmark. Zero values take the defaults.
type IngestOptions struct {
	Events       int           // backlog size; default 1,000,000
	Participants int           // demo participants whose activity seeds the backlog; default 1,000
	Rate         int           // submissions per second for freshness; default 1,000
	Duration     time.Duration // freshness run; default 20 s
	Dir          string        // scratch folder for SQLite and DuckDB files; default a temp dir, removed after
	PostgresURL  string        // server to create a scratch database on; "" skips Postgres
	SkipSQLite   bool
	// CPUProfile, when set, is where the CPU profile of each store's backlog
	// phase is written, with the store's name before the extension
	// (cpu.prof -> cpu.sqlite.prof); CIVICPULSE_BENCH_CPUPROFILE sets it too.
	CPUProfile string
	Log        func(msg string, args ...any) // progress; default slog.Info
}

func (o IngestOptions) withDefaults() IngestOptions {
	if o.Events <= 0 {
		o.Events = 1_000_000
	}
	if o.Participants <= 0 {
		o.Participants = 1000
	}
	if o.Rate <= 0 {
		o.Rate = 1000
	}
	if o.Duration <= 0 {
		o.Duration = 20 * time.Second
	}
	if o.Log == nil {
		o.Log = slog.Info
	}
	if o.CPUProfile == "" {
		o.CPUProfile = os.Getenv("CIVICPULSE_BENCH_CPUPROFILE")
	}
	return o
}

// Bench measures, on each store: events per second for ingesting a backlog
// in the demo's mix (text features included), and freshness — from a
// submission's commit to its row being queryable in DuckDB — under a steady
// rate of submissions. Keys name the store, the figure and its unit.
//
// The backlog is the demo generator's participation (real comment texts,
// visits, votes, supports, survey answers), copied in bulk SQL inside the
// outbox until it holds Events events; the ingester does not care that
// entity ids repeat, and identical texts are what form letters look like.
func Ingest(ctx context.Context, opts IngestOptions) (map[string]float64, error) {
	opts = opts.withDefaults()
	dir := opts.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "civicpulse-bench-")
		if err != nil {
			return nil, fmt.Errorf("ingest: bench: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	out := map[string]float64{}
	type backend struct{ name, dsn string }
	var backends []backend
	if !opts.SkipSQLite {
		backends = append(backends, backend{"sqlite", "sqlite:" + filepath.Join(dir, "bench.db")})
	}
	if opts.PostgresURL != "" {
		dsn, drop, err := TempPostgres(ctx, opts.PostgresURL)
		if err != nil {
			return nil, err
		}
		defer drop()
		backends = append(backends, backend{"postgres", dsn})
	}
	for _, b := range backends {
		if err := benchBackend(ctx, opts, b.name, b.dsn, filepath.Join(dir, b.name+".duckdb"), out); err != nil {
			return out, fmt.Errorf("ingest: bench %s: %w", b.name, err)
		}
	}
	return out, nil
}

func benchBackend(ctx context.Context, opts IngestOptions, name, dsn, whPath string, out map[string]float64) error {
	store, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	began := time.Now()
	res, err := demo.Generate(ctx, store, demo.Options{Participants: opts.Participants})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	seed, err := store.Outbox().Count(ctx)
	if err != nil {
		return err
	}
	opts.Log("bench: demo generated", "store", name, "events", seed, "took", time.Since(began).Round(time.Millisecond))
	began = time.Now()
	total, err := fillOutbox(ctx, store.DB(), int64(opts.Events))
	if err != nil {
		return err
	}
	opts.Log("bench: backlog ready", "store", name, "events", total, "took", time.Since(began).Round(time.Millisecond))

	key := make([]byte, ingest.KeySize)
	rand.Read(key)
	wh, err := warehouse.Open(whPath)
	if err != nil {
		return err
	}
	defer wh.Close()
	in, err := ingest.New(store, wh, ingest.Options{Key: key})
	if err != nil {
		return err
	}
	profile := ""
	if opts.CPUProfile != "" {
		ext := filepath.Ext(opts.CPUProfile)
		profile = strings.TrimSuffix(opts.CPUProfile, ext) + "." + name + ext
	}
	stopProfile, err := startCPUProfile(profile)
	if err != nil {
		return err
	}
	began = time.Now()
	cpu := processCPU()
	err = in.CatchUp(ctx)
	secs := time.Since(began).Seconds()
	cpuSecs := (processCPU() - cpu).Seconds()
	stopProfile()
	if err != nil {
		return err
	}
	_, consumed := wh.Checkpoint()
	var texts int64
	if err := wh.Read().QueryRowContext(ctx, `SELECT count(*) FROM text_features`).Scan(&texts); err != nil {
		return err
	}
	out[name+"_backlog_events"] = float64(consumed)
	out[name+"_backlog_seconds"] = secs
	out[name+"_backlog_events_per_s"] = float64(consumed) / secs
	out[name+"_backlog_texts"] = float64(texts)
	if cpuSecs > 0 {
		// Independent of other load on the machine: events per second of
		// CPU this process used (the store's reads included on SQLite).
		out[name+"_backlog_events_per_cpu_s"] = float64(consumed) / cpuSecs
		out[name+"_backlog_cpu_utilisation"] = cpuSecs / secs
	}
	opts.Log("bench: backlog ingested", "store", name, "events", consumed, "events_per_s", int(float64(consumed)/secs))

	// Fold the backlog's write-ahead log into the file now, or DuckDB does
	// it on a commit during the freshness run and measures the backlog.
	began = time.Now()
	cpu = processCPU()
	if _, err := wh.Read().ExecContext(ctx, `CHECKPOINT`); err != nil {
		return fmt.Errorf("unable to checkpoint the warehouse: %w", err)
	}
	out[name+"_backlog_checkpoint_seconds"] = time.Since(began).Seconds()
	// What was left in the write-ahead log is part of the backlog's cost:
	// a write path that checkpoints less often moves work here.
	if ckptCPU := (processCPU() - cpu).Seconds(); cpuSecs+ckptCPU > 0 {
		out[name+"_backlog_checkpoint_cpu_s"] = ckptCPU
		out[name+"_backlog_with_checkpoint_events_per_cpu_s"] = float64(consumed) / (cpuSecs + ckptCPU)
	}
	p50, p95, pmax, n, rate, err := benchFreshness(ctx, opts, store, wh, in, res)
	if err != nil {
		return err
	}
	out[name+"_freshness_p50_ms"] = p50
	out[name+"_freshness_p95_ms"] = p95
	out[name+"_freshness_max_ms"] = pmax
	out[name+"_freshness_samples"] = float64(n)
	out[name+"_freshness_submissions_per_s"] = rate
	opts.Log("bench: freshness", "store", name, "p50_ms", p50, "p95_ms", p95, "rate", int(rate))
	return nil
}

// fillOutbox copies the outbox's rows onto its end until it holds n.
func fillOutbox(ctx context.Context, db *sqldb.DB, n int64) (int64, error) {
	var have int64
	if err := db.GetContext(ctx, &have, `SELECT count(*) FROM outbox`); err != nil {
		return 0, err
	}
	if have == 0 {
		return 0, errors.New("the demo wrote no events")
	}
	for have < n {
		add := min(have, n-have)
		if _, err := db.ExecContext(ctx, db.Rebind(`INSERT INTO outbox (type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload)
			SELECT type, process_id, component_id, entity_id, participant_id, region_code, occurred_at, payload
			FROM outbox ORDER BY seq LIMIT ?`), add); err != nil {
			return have, fmt.Errorf("unable to copy outbox rows: %w", err)
		}
		have += add
	}
	return have, nil
}

// benchFreshness runs Run live while workers submit at opts.Rate: half
// visits (each carrying a marker in its visitor hash), the rest supports,
// comments with real texts and votes. A visit's freshness is the time from
// its RecordVisit returning (committed) to the Advance after which its
// marker is queryable in DuckDB.
func benchFreshness(ctx context.Context, opts IngestOptions, store participation.Store, wh *warehouse.Warehouse, in *ingest.Ingester, res demo.Result) (p50, p95, pmax float64, samples int, rate float64, err error) {
	const workers = 8
	people := make([]participation.Participant, 64)
	for i := range people {
		if people[i], err = store.CreateParticipant(ctx, ""); err != nil {
			return
		}
	}
	proposals, _, err := store.ListProposals(ctx, participation.ProposalFilter{ComponentID: res.ProposalsComponent, Limit: 100})
	if err != nil || len(proposals) == 0 {
		err = fmt.Errorf("no demo proposals (%v)", err)
		return
	}
	comments, err := store.ListComments(ctx, participation.TargetProposal, proposals[0].ID)
	if err != nil {
		return
	}
	var bodies []string
	for _, c := range comments {
		bodies = append(bodies, c.Body)
	}
	if len(bodies) == 0 {
		bodies = []string{proposals[0].Description}
	}

	runCtx, stopRun := context.WithCancel(ctx)
	runErr := make(chan error, 1)
	go func() { runErr <- in.Run(runCtx) }()

	var mu sync.Mutex
	committed := map[string]time.Time{} // marker -> RecordVisit returned
	early := map[string]time.Time{}     // marker -> queryable, seen before its call returned
	var latencies []float64
	adv, unsubscribe := wh.Subscribe()
	defer unsubscribe()
	measured := make(chan struct{})
	go func() { // on each advance, find the markers that became queryable
		defer close(measured)
		last := make([]int, workers)
		for a := range adv {
			rows, qerr := wh.Read().QueryContext(ctx, `SELECT visitor_hash FROM visits WHERE visitor_hash LIKE 'fresh-%'
				AND seq >= ?`, a.Cursor.Seq-int64(opts.Rate)*60)
			if qerr != nil {
				continue
			}
			newest := make([]int, workers)
			copy(newest, last)
			for rows.Next() {
				var h string
				var w, n int
				rows.Scan(&h)
				if _, e := fmt.Sscanf(h, "fresh-%d-%d", &w, &n); e == nil && w < workers && n > newest[w] {
					newest[w] = n
				}
			}
			rows.Close()
			mu.Lock()
			for w := range workers {
				for n := last[w] + 1; n <= newest[w]; n++ {
					k := fmt.Sprintf("fresh-%d-%d", w, n)
					if t, ok := committed[k]; ok {
						latencies = append(latencies, float64(a.At.Sub(t).Microseconds())/1000)
						delete(committed, k)
					} else {
						early[k] = a.At
					}
				}
				last[w] = newest[w]
			}
			mu.Unlock()
		}
	}()

	jobs := make(chan int, opts.Rate)
	var wg sync.WaitGroup
	var submitted, failed int64
	var countMu sync.Mutex
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for j := range jobs {
				p := people[(j*7+w)%len(people)]
				var werr error
				switch j % 10 {
				case 0, 1, 2, 3, 4:
					n++
					marker := fmt.Sprintf("fresh-%d-%d", w, n)
					werr = store.RecordVisit(ctx, participation.Visit{ProcessID: res.ProcessID, ComponentID: res.ProposalsComponent,
						VisitorHash: marker, Path: "/p/" + res.Slug, Device: "mobile"})
					if werr == nil {
						now := time.Now()
						mu.Lock()
						if at, ok := early[marker]; ok { // ingested before the call returned
							latencies = append(latencies, max(0, float64(at.Sub(now).Microseconds())/1000))
							delete(early, marker)
						} else {
							committed[marker] = now
						}
						mu.Unlock()
					} else {
						n-- // the marker was not written; reuse it
					}
				case 5, 6:
					pr := proposals[j%len(proposals)].ID
					on, herr := store.HasSupported(ctx, pr, p.ID)
					if herr == nil {
						werr = store.Support(ctx, pr, p.ID, !on)
					}
				default:
					_, werr = store.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetProposal,
						TargetID: proposals[j%len(proposals)].ID, ParticipantID: p.ID, Body: bodies[j%len(bodies)]})
				}
				countMu.Lock()
				submitted++
				if werr != nil && participation.ErrorCode(werr) == "" {
					failed++
				}
				countMu.Unlock()
			}
		}()
	}
	began := time.Now()
	tick := time.NewTicker(time.Second / 100)
	sent := 0
	for time.Since(began) < opts.Duration && ctx.Err() == nil {
		<-tick.C
		due := int(time.Since(began).Seconds() * float64(opts.Rate))
		for ; sent < due; sent++ {
			jobs <- sent
		}
	}
	tick.Stop()
	close(jobs)
	wg.Wait()
	rate = float64(submitted) / time.Since(began).Seconds()
	// Let the last submissions arrive, then stop the tailer.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		mu.Lock()
		left := len(committed)
		mu.Unlock()
		if left == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	stopRun()
	if err = <-runErr; err != nil {
		return
	}
	unsubscribe()
	<-measured
	if failed > 0 {
		opts.Log("bench: some submissions failed", "failed", failed)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(committed) > 0 {
		err = fmt.Errorf("%d submissions never became queryable", len(committed))
		return
	}
	sort.Float64s(latencies)
	samples = len(latencies)
	if samples == 0 {
		err = errors.New("no freshness samples")
		return
	}
	pct := func(p float64) float64 { return latencies[min(samples-1, int(p*float64(samples)))] }
	return pct(0.50), pct(0.95), latencies[samples-1], samples, rate, nil
}
