package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/warehouse"
)

// benchDashboards measures the server time of every monitor and proposals
// panel over a warehouse of N synthetic submissions, for each size asked.
// The facts are written straight into the warehouse through its own writer
// (rollups maintained as at ingest) rather than by civicpulse demo, which
// would take hours at 5,000,000. Figures: dash_<size>_<panel>_p50_ms, _p95_ms.
//
// Not done yet: the Postgres-direct baseline (the same aggregates over the
// participation tables).
func benchDashboards(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench dashboards", flag.ContinueOnError)
	sizes := fs.String("sizes", "1000000,5000000", "submissions per run, comma-separated")
	runs := fs.Int("runs", 30, "timed runs per panel")
	dir := fs.String("dir", "", "folder for the throwaway warehouse files (default: a temp dir)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *dir == "" {
		*dir = filepath.Join(tempDir(), "civicpulse-bench-dash-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	}
	out := map[string]float64{}
	for _, s := range splitInts(*sizes) {
		if err := benchDashSize(ctx, filepath.Join(*dir, fmt.Sprintf("w%d.duckdb", s)), s, *runs, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func benchDashSize(ctx context.Context, path string, n, runs int, out map[string]float64) error {
	wh, err := warehouse.Open(path)
	if err != nil {
		return err
	}
	defer wh.Close()
	end := time.Date(2024, 3, 29, 0, 0, 0, 0, time.UTC)
	start := end.Add(-28 * 24 * time.Hour)
	began := time.Now()
	if err := fillWarehouse(ctx, wh, n, start, end); err != nil {
		return err
	}
	out[fmt.Sprintf("dash_%d_load_s", n)] = time.Since(began).Seconds()
	d, err := dashboards.New(ctx, wh.Read(), func() time.Time { return end })
	if err != nil {
		return err
	}
	f := dashboards.Filter{Process: 1, Bucket: "day"}
	for _, db := range []*dashboards.Dashboard{dashboards.Monitor, dashboards.Proposals} {
		for _, p := range db.Panels {
			var ts []time.Duration
			for i := 0; i < runs+2; i++ {
				t0 := time.Now()
				if _, err := d.Run(ctx, p, f); err != nil {
					return err
				}
				if i >= 2 { // two warm-up runs
					ts = append(ts, time.Since(t0))
				}
			}
			sort.Slice(ts, func(i, j int) bool { return ts[i] < ts[j] })
			out[fmt.Sprintf("dash_%d_%s_p50_ms", n, p.Name)] = ms(ts[len(ts)/2])
			out[fmt.Sprintf("dash_%d_%s_p95_ms", n, p.Name)] = ms(ts[(len(ts)*95+99)/100-1])
		}
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// fillWarehouse writes n submissions of process 1 (votes, supports,
// comments, survey pages, proposals in the demo's rough mix) by n/10
// participants over 47 regions, plus n/2 visits, in time order, in batches
// of 100,000 through the warehouse's writer.
func fillWarehouse(ctx context.Context, wh *warehouse.Warehouse, n int, start, end time.Time) error {
	r := rand.New(rand.NewPCG(1, 2))
	regions := make([]warehouse.RegionDim, 47)
	for i := range regions {
		regions[i] = warehouse.RegionDim{Code: fmt.Sprintf("%02d", i+1), Name: fmt.Sprintf("County %02d", i+1), Population: int64(200000 + r.IntN(4000000))}
	}
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes:  []warehouse.ProcessDim{{ProcessID: 1, Slug: "bench", Title: "Bench", TimeZone: "Africa/Nairobi", RegionSetID: 1, TargetParticipants: n / 10, Currency: "KES", Published: true, StartsAt: &start, EndsAt: &end, Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Position: 1, Title: "Ideas"}, {ComponentID: 11, Kind: "document", Position: 2, Title: "Draft"}, {ComponentID: 12, Kind: "survey", Position: 3, Title: "Survey"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: regions}},
	}}
	people := max(n/10, 1)
	span := end.Sub(start)
	seq := int64(0)
	total := n + n/2
	proposals := int64(0)
	for i := 0; i < total; i++ {
		seq++
		at := start.Add(time.Duration(float64(span) * float64(i) / float64(total)))
		who := r.IntN(people)
		pt := "p" + strconv.Itoa(who)
		region := regions[who%47].Code
		x := r.IntN(30)
		switch {
		case x < 10: // a visit
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "visit", ProcessID: 1, OccurredAt: at})
			b.Visits = append(b.Visits, warehouse.Visit{Seq: seq, ProcessID: 1, ComponentID: int64(10 + r.IntN(3)), VisitorHash: "v" + strconv.Itoa(r.IntN(people*5)) + at.Format("0102"), Path: "/p/bench", UTMCampaign: []string{"", "radio", "sms"}[r.IntN(3)], Device: []string{"mobile", "desktop", "tablet"}[r.IntN(3)], OccurredAt: at})
		case x < 20:
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.voted", ProcessID: 1, ComponentID: 11, EntityID: int64(r.IntN(5000)), Participant: pt, RegionCode: region, OccurredAt: at})
		case x < 25 || proposals == 0:
			if proposals == 0 || x == 24 {
				proposals++
				b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "proposal.created", ProcessID: 1, ComponentID: 10, EntityID: proposals, Participant: pt, RegionCode: region, OccurredAt: at})
				b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: proposals, ProcessID: 1, ComponentID: 10, Participant: pt, RegionCode: region, Title: "Proposal " + strconv.FormatInt(proposals, 10), BudgetMinor: int64(r.IntN(1000000)), Tags: []string{[]string{"roads", "water", "health", "schools"}[r.IntN(4)]}, OccurredAt: at})
				break
			}
			id := 1 + r.Int64N(proposals)
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "support.added", ProcessID: 1, ComponentID: 10, EntityID: id, Participant: pt, RegionCode: region, OccurredAt: at})
			b.Supports = append(b.Supports, warehouse.Support{Seq: seq, ProposalID: id, ProcessID: 1, ComponentID: 10, Participant: pt, RegionCode: region, Delta: 1, OccurredAt: at})
		case x < 28:
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.created", ProcessID: 1, ComponentID: 11, EntityID: seq, Participant: pt, RegionCode: region, OccurredAt: at})
		default:
			b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "survey.completed", ProcessID: 1, ComponentID: 12, EntityID: seq, Participant: pt, RegionCode: region, OccurredAt: at})
		}
		if len(b.Events) == 100000 || i == total-1 {
			b.To, b.Consumed = warehouse.Cursor{Seq: seq}, int64(len(b.Events))
			if err := wh.Write(ctx, b); err != nil {
				return err
			}
			b = &warehouse.Batch{}
		}
	}
	return nil
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
