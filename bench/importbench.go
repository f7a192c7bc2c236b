package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/internal/peakheap"
	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/intakecsv"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// ImportOptions tune `civicpulse bench import`; zero values take defaults.
type ImportOptions struct {
	PostgresURL string // server for a throwaway database; empty skips Postgres
	SkipSQLite  bool
	Comments    int // rows in the intake file (default 500,000)
	Baseline    int // comments written one per transaction through CreateComment (default 2,000)
	Dir         string
	Log         *slog.Logger
}

// Import measures the bulk intake path (file → store, participants and
// outbox events included) on each store, beside the ordinary path that a
// citizen's comment takes — one CreateComment, one transaction — measured
// on a sample in the same run. It also imports a tenth of the file alone,
// so that the peak heap of the two sizes shows whether memory grows with
// the file, and imports the whole file again, which must add nothing.
func Import(ctx context.Context, o ImportOptions) (map[string]float64, error) {
	if o.Comments <= 0 {
		o.Comments = 500_000
	}
	if o.Baseline <= 0 {
		o.Baseline = 2000
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "civicpulse-bench-import-")
		if err != nil {
			return nil, fmt.Errorf("bench import: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	}
	big, small := filepath.Join(dir, "intake.csv"), filepath.Join(dir, "intake-small.csv")
	if err := writeIntakeFile(big, o.Comments, 1); err != nil {
		return nil, err
	}
	if err := writeIntakeFile(small, max(o.Comments/10, 1), 2); err != nil {
		return nil, err
	}
	out := map[string]float64{"comments": float64(o.Comments)}
	if st, err := os.Stat(big); err == nil {
		out["file_mb"] = float64(st.Size()) / (1 << 20)
	}
	type backend struct{ name, dsn string }
	var backends []backend
	if !o.SkipSQLite {
		backends = append(backends, backend{"sqlite", "sqlite:" + filepath.Join(dir, "bench.db")})
	}
	if o.PostgresURL != "" {
		dsn, drop, err := TempPostgres(ctx, o.PostgresURL)
		if err != nil {
			return nil, err
		}
		defer drop()
		backends = append(backends, backend{"postgres", dsn})
	}
	for _, b := range backends {
		if err := benchImport(ctx, o, b.name, b.dsn, big, small, out); err != nil {
			return out, fmt.Errorf("bench import %s: %w", b.name, err)
		}
	}
	return out, nil
}

func benchImport(ctx context.Context, o ImportOptions, name, dsn, big, small string, out map[string]float64) error {
	store, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		return err
	}
	defer store.Close()
	proc, docs, err := intakeProcess(ctx, store, 3)
	if err != nil {
		return err
	}

	// The ordinary path: one comment, one transaction, on a sample.
	citizen, err := store.CreateParticipant(ctx, "001")
	if err != nil {
		return err
	}
	doc, err := store.GetDocument(ctx, docs[2])
	if err != nil {
		return err
	}
	began := time.Now()
	for i := range o.Baseline {
		if _, err := store.CreateComment(ctx, participation.Comment{TargetKind: participation.TargetSection,
			TargetID: doc.Sections[i%len(doc.Sections)].ID, ParticipantID: citizen.ID, Body: intakeText(i)}); err != nil {
			return fmt.Errorf("baseline comment %d: %w", i, err)
		}
	}
	base := float64(o.Baseline) / time.Since(began).Seconds()
	out[name+"_baseline_one_per_tx_comments_per_s"] = base
	o.Log.Info("bench import: baseline", "store", name, "comments_per_s", int(base))

	var clientCPU, serverCPU time.Duration
	run := func(path string, comp int64) (participation.IntakeResult, time.Duration, uint64, error) {
		var res participation.IntakeResult
		var rerr error
		before := backendTicks(ctx, store)
		cpu := processCPU()
		defer func() { clientCPU, serverCPU = processCPU()-cpu, backendCPU(before, backendTicks(ctx, store)) }()
		took, peak := peakheap.Measure(func() {
			f, err := os.Open(path)
			if err != nil {
				rerr = err
				return
			}
			defer f.Close()
			r, err := intakecsv.NewReader(bufio.NewReaderSize(f, 1<<20))
			if err != nil {
				rerr = err
				return
			}
			res, rerr = store.ImportComments(ctx, participation.IntakeOptions{ProcessID: proc, ComponentID: comp}, r.Next)
		})
		return res, took, peak, rerr
	}
	res, _, peakSmall, err := run(small, docs[1])
	if err != nil {
		return err
	}
	out[name+"_import_small_comments"] = float64(res.Imported)
	out[name+"_import_small_peak_heap_mb"] = float64(peakSmall) / (1 << 20)

	res, took, peak, err := run(big, docs[0])
	if err != nil {
		return err
	}
	if res.Imported != o.Comments || res.Broken != 0 {
		return fmt.Errorf("imported %d of %d comments (%d broken: %v)", res.Imported, o.Comments, res.Broken, res.Problems)
	}
	rate := float64(res.Imported) / took.Seconds()
	out[name+"_import_seconds"] = took.Seconds()
	out[name+"_import_comments_per_s"] = rate
	out[name+"_import_participants"] = float64(res.Participants)
	out[name+"_import_peak_heap_mb"] = float64(peak) / (1 << 20)
	out[name+"_import_speedup_vs_baseline"] = rate / base
	// The machine is shared: CPU seconds are what the figures above cost
	// whatever else runs. On Postgres the server's backends are counted too
	// (read from /proc when the server is local).
	out[name+"_import_client_cpu_s"] = clientCPU.Seconds()
	if serverCPU > 0 {
		out[name+"_import_server_cpu_s"] = serverCPU.Seconds()
		out[name+"_import_comments_per_cpu_s"] = float64(res.Imported) / (clientCPU + serverCPU).Seconds()
	} else if name == "sqlite" {
		out[name+"_import_comments_per_cpu_s"] = float64(res.Imported) / clientCPU.Seconds()
	}
	o.Log.Info("bench import: bulk", "store", name, "comments_per_s", int(rate), "peak_heap_mb", peak>>20)

	res, took, _, err = run(big, docs[0])
	if err != nil {
		return err
	}
	if res.Imported != 0 || res.Duplicates != o.Comments {
		return fmt.Errorf("re-import added %d comments, found %d duplicates", res.Imported, res.Duplicates)
	}
	out[name+"_reimport_rows_per_s"] = float64(o.Comments) / took.Seconds()
	n, err := store.Outbox().Count(ctx)
	if err != nil {
		return err
	}
	out[name+"_outbox_events"] = float64(n)
	return nil
}

// intakeProcess creates a published process with n document components
// open now, each with a three-section document.
func intakeProcess(ctx context.Context, s *sqlstore.Store, n int) (int64, []int64, error) {
	now := time.Now().UTC()
	rs, err := s.CreateRegionSet(ctx, participation.RegionSet{Name: "Bench counties", Source: "bench",
		Regions: []participation.Region{{Code: "001", Name: "Mombasa", Population: 1208333},
			{Code: "030", Name: "Baringo", Population: 666763}, {Code: "047", Name: "Nairobi City", Population: 4397073}}})
	if err != nil {
		return 0, nil, err
	}
	proc, err := s.CreateProcess(ctx, participation.Process{Slug: "bench-intake", Title: "National docket",
		Summary: "Comments received by every channel", Objective: "Hear everyone", Level: participation.LevelConsult,
		Sector: "communications", Scope: participation.ScopeNational, Currency: "KES",
		StartsAt: now.AddDate(0, -1, 0), EndsAt: now.AddDate(0, 1, 0), Officials: []string{"Bench"},
		ExpectedOutcome: "A rule", FeedbackMethod: "Results page", Languages: []string{"en"}, TimeZone: "UTC",
		Mode: participation.ModeOpen, RegionSetID: rs, TargetParticipants: 1000})
	if err != nil {
		return 0, nil, err
	}
	var docs []int64
	for i := range n {
		c, err := s.AddComponent(ctx, participation.Component{ProcessID: proc, Kind: participation.KindDocument, Title: "Draft rule " + strconv.Itoa(i+1)})
		if err != nil {
			return 0, nil, err
		}
		docs = append(docs, c)
	}
	if _, err := s.AddPhase(ctx, participation.Phase{ProcessID: proc, Name: "Comment period",
		StartsAt: now.AddDate(0, -1, 0), EndsAt: now.AddDate(0, 1, 0), OpenComponents: docs}); err != nil {
		return 0, nil, err
	}
	if err := s.SetPublished(ctx, proc, true); err != nil {
		return 0, nil, err
	}
	for _, c := range docs {
		if _, err := s.PublishDocument(ctx, participation.Document{ComponentID: c, Title: "Draft rule",
			Sections: []participation.Section{{Heading: "Scope", Body: "Who the rule covers."},
				{Heading: "Duties", Body: "What providers must do."}, {Heading: "Enforcement", Body: "Who checks."}}}); err != nil {
			return 0, nil, err
		}
	}
	return proc, docs, nil
}

var intakeTexts = []string{
	"I support keeping the internet open and neutral, please do not roll back the rules.",
	"Providers must not block, throttle or prioritise traffic.\nPlease keep Title II.",
	"Tafadhali, linda uhuru wa mtandao — kwa ajili ya wanafunzi, wafanyabiashara na familia.",
	"The proposal would let a few companies decide what we read, watch and build.",
	"Rural broadband needs investment, not less oversight; keep the \"bright-line\" rules.",
}

// intakeText is a comment of the intake file: a few templates, as a docket's
// form letters are, each row made distinct by its number.
func intakeText(i int) string {
	return intakeTexts[i%len(intakeTexts)] + " (" + strconv.Itoa(i) + ")"
}

// writeIntakeFile writes n rows: external ids, three channels, three
// regions, an organisation on one row in five (from a pool of 500) and
// receipt times spread over thirty days.
func writeIntakeFile(path string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("bench import: %w", err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	rng := rand.New(rand.NewPCG(seed, 18))
	channels := []string{"email", "paper", "portal"}
	regions := []string{"001", "030", "Nairobi City", ""}
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := w.Write([]string{"external_id", "text", "received_at", "channel", "region", "organisation"}); err != nil {
		return err
	}
	for i := range n {
		org := ""
		if rng.IntN(5) == 0 {
			org = "Organisation " + strconv.Itoa(rng.IntN(500))
		}
		at := start.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour)))).Truncate(time.Second)
		if err := w.Write([]string{"b" + strconv.FormatUint(seed, 10) + "-" + strconv.Itoa(i), intakeText(i),
			at.Format(time.RFC3339), channels[rng.IntN(3)], regions[rng.IntN(4)], org}); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// backendTicks reads the CPU clock ticks of the Postgres backends serving
// the store's database, by pid; nil on SQLite or when the server's
// processes are not readable here.
func backendTicks(ctx context.Context, s *sqlstore.Store) map[int]int64 {
	if s.DB().Dialect != sqldb.Postgres {
		return nil
	}
	var pids []int
	if err := s.DB().SelectContext(ctx, &pids, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`); err != nil {
		return nil
	}
	out := map[int]int64{}
	for _, pid := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return nil
		}
		// Fields after the command's closing parenthesis: utime and stime
		// are the 12th and 13th.
		f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
		if len(f) < 13 {
			return nil
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = u + st
	}
	return out
}

// backendCPU is the CPU the backends used between two readings (at 100
// ticks a second, Linux's USER_HZ).
func backendCPU(before, after map[int]int64) time.Duration {
	if before == nil || after == nil {
		return 0
	}
	var ticks int64
	for pid, t := range after {
		ticks += t - before[pid]
	}
	return time.Duration(ticks) * 10 * time.Millisecond
}
