// Package bench holds the load generators behind `civicpulse bench`. Each
// returns its figures as a map whose keys name the figure and its unit.
package bench

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/civicpulse/civicpulse/demo"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web"
)

// SubmitOptions shape the submission benchmark.
type SubmitOptions struct {
	PostgresURL string        // server to create the throwaway bench database on
	Clients     int           // concurrent API clients (default 32)
	Duration    time.Duration // measured period (default 15 s)
	Warmup      time.Duration // unmeasured period first (default 2 s)
	Ingest      bool          // run the ingester in the server process, as serve does
	// CPUProfile, when set, is where the CPU profile of the measured period
	// is written (go tool pprof); CIVICPULSE_BENCH_CPUPROFILE sets it too.
	CPUProfile string
	Log        *slog.Logger
}

// Submit starts the site on a free loopback port against a fresh database on
// opts.PostgresURL's server, seeds a small demo process, and drives the
// submission API from many clients: section comments, comment votes and
// proposal supports, each client its own participant. It reports requests/s
// and latency percentiles of the successful writes.
func Submit(ctx context.Context, opts SubmitOptions) (map[string]float64, error) {
	if opts.Clients <= 0 {
		opts.Clients = 32
	}
	if opts.Duration <= 0 {
		opts.Duration = 15 * time.Second
	}
	if opts.Warmup < 0 {
		opts.Warmup = 0
	} else if opts.Warmup == 0 {
		opts.Warmup = 2 * time.Second
	}
	log := opts.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dbURL, drop, err := TempPostgres(ctx, opts.PostgresURL)
	if err != nil {
		return nil, err
	}
	defer drop()
	store, err := sqlstore.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer store.Close()
	res, err := demo.Generate(ctx, store, demo.Options{Participants: 200, Seed: 7})
	if err != nil {
		return nil, fmt.Errorf("bench: seeding: %w", err)
	}
	targets, err := loadTargets(ctx, store, res)
	if err != nil {
		return nil, err
	}

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var ingWG sync.WaitGroup
	if opts.Ingest {
		dir, err := os.MkdirTemp("", "civicpulse-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		wh, err := warehouse.Open(filepath.Join(dir, "warehouse.duckdb"))
		if err != nil {
			return nil, err
		}
		defer wh.Close()
		key := make([]byte, 32)
		crand.Read(key)
		ing, err := ingest.New(store, wh, ingest.Options{Key: key})
		if err != nil {
			return nil, err
		}
		ingWG.Add(1)
		go func() { defer ingWG.Done(); ing.Run(runCtx) }()
		defer ingWG.Wait()
		defer stop()
	}

	secret := make([]byte, 32)
	crand.Read(secret)
	// The access log would cost more than some handlers; the figures are
	// of the site's work, so only its warnings are kept.
	siteLog := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	site, err := web.New(web.Config{
		Store: store, Logger: siteLog, SecretKey: secret,
		RateLimits: web.RateLimits{PerIPPerMinute: 1 << 30, PerParticipantPerMinute: 1 << 30},
	})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer func() {
		// Let in-flight writes finish before the database is dropped.
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	base := "http://" + ln.Addr().String()

	client := &http.Client{
		Timeout:   10 * time.Second,
		Transport: &http.Transport{MaxIdleConns: opts.Clients * 2, MaxIdleConnsPerHost: opts.Clients * 2},
	}
	tokens := make([]string, opts.Clients)
	for i := range tokens {
		if tokens[i], err = newParticipant(ctx, client, base); err != nil {
			return nil, err
		}
	}

	var (
		measuring atomic.Bool
		mu        sync.Mutex
		latencies []time.Duration
		failures  = map[string]int{}
		wg        sync.WaitGroup
	)
	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	for i := 0; i < opts.Clients; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(i), 99))
			var mine []time.Duration
			myFailures := map[string]int{}
			next := 0                // next proposal this participant supports
			voted := map[int64]int{} // comment → how many times this participant voted on it
			for n := 0; loadCtx.Err() == nil; n++ {
				method, path, body := targets.pick(r, i, &next, voted)
				began := time.Now()
				status, err := call(loadCtx, client, method, base+path, tokens[i], body)
				took := time.Since(began)
				if loadCtx.Err() != nil {
					break
				}
				if !measuring.Load() {
					continue
				}
				switch {
				case err != nil:
					myFailures["transport"]++
				case status >= 200 && status < 300:
					mine = append(mine, took)
				default:
					myFailures[fmt.Sprint(status)]++
				}
			}
			mu.Lock()
			latencies = append(latencies, mine...)
			for k, v := range myFailures {
				failures[k] += v
			}
			mu.Unlock()
		}(i)
	}
	time.Sleep(opts.Warmup)
	if opts.CPUProfile == "" {
		opts.CPUProfile = os.Getenv("CIVICPULSE_BENCH_CPUPROFILE")
	}
	stopProfile, err := startCPUProfile(opts.CPUProfile)
	if err != nil {
		stopLoad()
		wg.Wait()
		return nil, err
	}
	measuring.Store(true)
	began := time.Now()
	time.Sleep(opts.Duration)
	measuring.Store(false)
	elapsed := time.Since(began)
	stopProfile()
	stopLoad()
	wg.Wait()

	if len(latencies) == 0 {
		return nil, fmt.Errorf("bench: no request succeeded (failures: %v)", failures)
	}
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	failed := 0
	for _, v := range failures {
		failed += v
	}
	if failed > 0 {
		log.Warn("bench: failed requests", "by_status", failures)
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	figures := map[string]float64{
		"submit_requests_per_s": float64(len(latencies)) / elapsed.Seconds(),
		"submit_p50_ms":         ms(percentile(latencies, 0.50)),
		"submit_p95_ms":         ms(percentile(latencies, 0.95)),
		"submit_p99_ms":         ms(percentile(latencies, 0.99)),
		"submit_ok_count":       float64(len(latencies)),
		"submit_failed_count":   float64(failed),
		"submit_clients":        float64(opts.Clients),
		"submit_duration_s":     elapsed.Seconds(),
	}
	for status, n := range failures {
		figures["submit_failed_"+status+"_count"] = float64(n)
	}
	return figures, nil
}

// startCPUProfile profiles the whole bench process (the site, its store
// and the clients) into path; an empty path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("bench: unable to create CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("bench: unable to start CPU profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func percentile(sorted []time.Duration, p float64) time.Duration {
	i := int(p * float64(len(sorted)-1))
	return sorted[i]
}

// targets are the ids the load writes to.
type targets struct {
	sections  []int64
	comments  []int64
	proposals []int64
}

func loadTargets(ctx context.Context, store participation.Store, res demo.Result) (targets, error) {
	var t targets
	doc, err := store.GetDocument(ctx, res.DocumentComponent)
	if err != nil {
		return t, err
	}
	for _, s := range doc.Sections {
		t.sections = append(t.sections, s.ID)
		cs, err := store.ListComments(ctx, participation.TargetSection, s.ID)
		if err != nil {
			return t, err
		}
		for _, c := range cs {
			t.comments = append(t.comments, c.ID)
		}
	}
	ps, _, err := store.ListProposals(ctx, participation.ProposalFilter{ComponentID: res.ProposalsComponent, Limit: 100})
	if err != nil {
		return t, err
	}
	for _, p := range ps {
		t.proposals = append(t.proposals, p.ID)
	}
	if len(t.sections) == 0 || len(t.comments) == 0 || len(t.proposals) == 0 {
		return t, errors.New("bench: the seeded process has no sections, comments or proposals")
	}
	return t, nil
}

var benchTexts = []string{
	"Water projects in rural wards should come before new office blocks.",
	"Please publish the county allocations per ward so we can follow the spending.",
	"The health budget must cover drugs for dispensaries, not only salaries.",
	"Feeder roads to markets matter more to farmers than a new stadium.",
	"Youth employment programmes need clear targets and yearly reports.",
}

// pick chooses the next write: 45% section comments, 45% votes, 10% supports.
// Each participant supports each proposal at most once and changes its vote
// every time it votes again, so no write is a duplicate (409).
func (t targets) pick(r *rand.Rand, client int, next *int, voted map[int64]int) (method, path string, body []byte) {
	x := r.IntN(100)
	switch {
	case x < 10 && *next < len(t.proposals):
		id := t.proposals[(*next+client)%len(t.proposals)]
		*next++
		return "POST", fmt.Sprintf("/api/v1/proposals/%d/support", id), nil
	case x < 55:
		votes := []string{"agree", "disagree", "pass"}
		id := t.comments[r.IntN(len(t.comments))]
		b, _ := json.Marshal(map[string]string{"vote": votes[(client+voted[id])%3]})
		voted[id]++
		return "PUT", fmt.Sprintf("/api/v1/comments/%d/vote", id), b
	default:
		b, _ := json.Marshal(map[string]string{"body": benchTexts[r.IntN(len(benchTexts))], "kind": "comment"})
		return "POST", fmt.Sprintf("/api/v1/sections/%d/comments", t.sections[r.IntN(len(t.sections))]), b
	}
}

func newParticipant(ctx context.Context, c *http.Client, base string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, "POST", base+"/api/v1/participants", bytes.NewReader([]byte("{}")))
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		Token string `json:"token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode/100 != 2 || out.Token == "" {
		return "", fmt.Errorf("bench: unable to create a participant (status %d): %v", resp.StatusCode, err)
	}
	return out.Token, nil
}

func call(ctx context.Context, c *http.Client, method, url, token string, body []byte) (int, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

// TempPostgres creates a throwaway database on the server of serverURL and
// returns its URL and a function that drops it.
func TempPostgres(ctx context.Context, serverURL string) (string, func(), error) {
	admin, err := sqlx.Open("postgres", serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("bench: bad Postgres URL: %w", err)
	}
	if err := admin.PingContext(ctx); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("bench: Postgres does not answer (set DATABASE_URL): %w", err)
	}
	b := make([]byte, 5)
	crand.Read(b)
	name := "cp_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("bench: unable to create database: %w", err)
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		admin.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	drop := func() {
		admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		admin.Close()
	}
	return u.String(), drop, nil
}
