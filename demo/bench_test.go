package demo

import (
	"context"
	"flag"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
)

var (
	benchSizes    = flag.String("demo.sizes", "3000", "comma-separated participant counts for BenchmarkGenerate")
	benchBackends = flag.String("demo.backends", "sqlite,postgres", "backends for BenchmarkGenerate")
	benchPGParams = flag.String("demo.pgparams", "", "extra Postgres URL parameters, e.g. binary_parameters=yes")
)

// BenchmarkGenerate measures generation speed per backend and size, and
// checks on the generated data that counties follow their weights.
//
//	go test ./demo -run '^$' -bench Generate -benchtime 1x -demo.sizes 3000,100000
func BenchmarkGenerate(b *testing.B) {
	for _, backend := range strings.Split(*benchBackends, ",") {
		for _, size := range strings.Split(*benchSizes, ",") {
			n := 0
			for _, c := range size {
				n = n*10 + int(c-'0')
			}
			b.Run(backend+"/"+size, func(b *testing.B) {
				for range b.N {
					b.StopTimer()
					var url string
					if backend == "postgres" {
						url = sqldbtest.NewPostgresURL(b)
						if *benchPGParams != "" {
							url += "&" + *benchPGParams
						}
					} else {
						url = sqldbtest.NewSQLiteURL(b)
					}
					st := open(b, url)
					b.StartTimer()
					began := time.Now()
					res, err := Generate(context.Background(), st, Options{Participants: n, Seed: 1, Now: func() time.Time { return fixedNow }})
					if err != nil {
						b.Fatal(err)
					}
					secs := time.Since(began).Seconds()
					b.StopTimer()
					b.ReportMetric(float64(res.Writes)/secs, "writes/s")
					b.ReportMetric(float64(res.Participants)/secs, "participants/s")
					b.ReportMetric(float64(res.Writes), "writes")
					b.Logf("%s n=%d: %.1f s, %+v", backend, n, secs, res)
					checkRegions(b, st, n)
					st.Close()
				}
			})
		}
	}
}

// checkRegions: the share of participants who declared Nairobi City matches
// its weight (population × reach) within sampling error.
func checkRegions(b *testing.B, st participation.Store, n int) {
	g, err := newGenerator(Options{Participants: n}.withDefaults())
	if err != nil {
		b.Fatal(err)
	}
	want := g.countyShare("47")
	var joined, nairobi int
	for _, e := range readAll(b, st) {
		if e.Type == participation.EvParticipantJoined && e.RegionCode != "" {
			joined++
			if e.RegionCode == "47" {
				nairobi++
			}
		}
	}
	got := float64(nairobi) / float64(joined)
	// The form-letter senders and the rest share one county draw, so the
	// binomial error applies; 4 standard errors.
	tol := 4 * math.Sqrt(want*(1-want)/float64(joined))
	b.ReportMetric(got, "nairobi_share")
	b.Logf("Nairobi City: %.4f of %d participants with a county, expected %.4f ± %.4f", got, joined, want, tol)
	if math.Abs(got-want) > tol {
		b.Errorf("Nairobi share %.4f, want %.4f ± %.4f", got, want, tol)
	}
}
