package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"iter"
	"log/slog"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/civicpulse/civicpulse/bench"
	"github.com/civicpulse/civicpulse/internal/peakheap"
	"github.com/civicpulse/civicpulse/notify"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// benchNotify measures issue 12's results announcement: a process with N
// registered followers publishes its results, the announcement is queued
// to each of them (read from the store a page at a time, queued as a
// stream) and the job queue delivers it, at serve's pacing, to an SMTP
// sink in this process. It reports queueing and delivery rates, the peak
// heap of a smaller run and of the full one (memory must be flat in the
// number of recipients), and the sink's raw rate without the store.
func benchNotify(ctx context.Context, args []string) (map[string]float64, error) {
	fs := flag.NewFlagSet("bench notify", flag.ContinueOnError)
	recipients := fs.Int("recipients", 200_000, "followers the results announcement goes to")
	small := fs.Int("small", 50_000, "followers of a first, smaller run: its peak heap against the full run's shows memory flat in the recipients (0 skips it)")
	store := fs.String("store", "sqlite", "sqlite (a file in a temp folder) or postgres (a throwaway database on --database-url)")
	pg := fs.String("database-url", envOr("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"), "Postgres server for --store postgres")
	rawN := fs.Int("raw", 20_000, "messages of the baseline: straight to the sink through the SMTP transport, without the store")
	rate := fs.String("rate", "", "emails per second, at most (CIVICPULSE_MAIL_RATE; empty: serve's default, 1000)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *store != "sqlite" && *store != "postgres" {
		return nil, fmt.Errorf("bench notify: --store is sqlite or postgres, not %q", *store)
	}
	sink, err := bench.StartSMTPSink()
	if err != nil {
		return nil, err
	}
	defer sink.Close()
	env := map[string]string{notify.EnvSMTPURL: sink.URL(), notify.EnvMailFrom: "County Engagement <engage@county.example>", notify.EnvMailRate: *rate}

	out := map[string]float64{}
	raw, err := rawSMTPRate(ctx, env, *rawN)
	if err != nil {
		return nil, err
	}
	out["smtp_raw_messages_per_second"] = raw
	out["email_pacing_messages_per_second"] = 1000 // notify's default
	if *rate != "" {
		if out["email_pacing_messages_per_second"], err = strconv.ParseFloat(*rate, 64); err != nil {
			return nil, fmt.Errorf("bench notify: --rate %q: %w", *rate, err)
		}
	}

	sizes := []int{*recipients}
	if *small > 0 && *small < *recipients {
		sizes = []int{*small, *recipients}
	}
	for _, n := range sizes {
		slog.Info("bench notify: run", "followers", n, "store", *store)
		r, err := announceResults(ctx, n, *store, *pg, env, sink)
		if err != nil {
			return nil, err
		}
		k := fmt.Sprintf("followers_%d_", n)
		out[k+"create_seconds"] = r.create.Seconds()
		out[k+"queue_seconds"] = r.queue.Seconds()
		out[k+"queue_messages_per_second"] = float64(n) / r.queue.Seconds()
		out[k+"deliver_seconds"] = r.deliver.Seconds()
		out[k+"deliver_messages_per_second"] = float64(n) / r.deliver.Seconds()
		out[k+"peak_heap_mib"] = float64(r.peak) / (1 << 20)
	}
	if len(sizes) == 2 {
		out["peak_heap_ratio_full_to_small"] = out[fmt.Sprintf("followers_%d_peak_heap_mib", sizes[1])] / out[fmt.Sprintf("followers_%d_peak_heap_mib", sizes[0])]
	}
	return out, nil
}

type announceRun struct {
	create, queue, deliver time.Duration
	peak                   uint64
}

// announceResults runs one announcement to n followers on a fresh store.
func announceResults(ctx context.Context, n int, storeKind, pgServer string, env map[string]string, sink *bench.SMTPSink) (announceRun, error) {
	var r announceRun
	dir, err := os.MkdirTemp("", "civicpulse-bench-notify-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(dir)
	cfg := &config{dataDir: dir}
	if storeKind == "postgres" {
		dsn, drop, err := bench.TempPostgres(ctx, pgServer)
		if err != nil {
			return r, err
		}
		defer drop()
		cfg.databaseURL = dsn
	}
	store, err := sqlstore.Open(ctx, cfg.storeURL())
	if err != nil {
		return r, err
	}
	defer store.Close()

	began := time.Now()
	processID, err := createFollowers(ctx, store, n)
	if err != nil {
		return r, fmt.Errorf("bench notify: unable to create %d followers: %w", n, err)
	}
	r.create = time.Since(began)
	slog.Info("bench notify: followers created", "followers", n, "took", r.create.Round(time.Millisecond))

	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	getenv := func(k string) string { return env[k] }
	svc, _, _, err := openNotify(ctx, getenv, cfg, store, "http://127.0.0.1:8080", quiet)
	if err != nil {
		return r, err
	}
	defer svc.Close()
	sched, err := startJobs(ctx, cfg, store, svc)
	if err != nil {
		return r, err
	}
	defer stopJobs(sched)
	svc.SetKick(sched.KickDeliveries)
	p, err := store.GetProcess(ctx, processID, false)
	if err != nil {
		return r, err
	}

	accepted := sink.Accepted()
	var runErr error
	var queueDone time.Time
	var took time.Duration
	took, r.peak = peakheap.Measure(func() {
		start := time.Now()
		added, err := svc.QueueSeq(ctx, resultsAnnouncement(ctx, store, p, &runErr))
		if err == nil {
			err = runErr
		}
		if err == nil && added != n {
			err = fmt.Errorf("bench notify: %d messages queued for %d followers", added, n)
		}
		if err != nil {
			runErr = err
			return
		}
		queueDone = time.Now()
		r.queue = queueDone.Sub(start)
		slog.Info("bench notify: queued", "messages", n, "took", r.queue.Round(time.Millisecond))
		runErr = waitAllSent(ctx, svc, sink, accepted, n)
	})
	if runErr != nil {
		return r, runErr
	}
	r.deliver = took - r.queue
	counts, err := svc.Counts(ctx)
	if err != nil {
		return r, err
	}
	if counts["sent"] != n {
		return r, fmt.Errorf("bench notify: deliveries %v, want %d sent", counts, n)
	}
	if got := sink.Accepted() - accepted; got != int64(n) {
		return r, fmt.Errorf("bench notify: the sink accepted %d messages for %d deliveries", got, n)
	}
	slog.Info("bench notify: delivered", "messages", n, "took", r.deliver.Round(time.Millisecond),
		"per_second", int(float64(n)/r.deliver.Seconds()))
	return r, nil
}

// resultsAnnouncement is the message to every registered participant of
// p, read from the store a page at a time while QueueSeq inserts the
// previous batch: neither side holds all of them. A failed walk is in
// *err.
func resultsAnnouncement(ctx context.Context, store *sqlstore.Store, p participation.Process, err *error) iter.Seq[notify.Message] {
	errStop := errors.New("stop")
	source := "results:" + strconv.FormatInt(p.ID, 10)
	return func(yield func(notify.Message) bool) {
		e := store.ForEachRecipient(ctx, participation.Audience{Kind: participation.AudienceProcess, ProcessID: p.ID}, func(rc participation.Recipient) error {
			if !yield(notify.Message{Source: source, Kind: notify.KindResults, Channel: notify.Email, To: rc.Email,
				ParticipantID: rc.ParticipantID, Lang: rc.Lang, Process: p.Title,
				Link: "http://127.0.0.1:8080/p/" + p.Slug + "/results"}) {
				return errStop
			}
			return nil
		})
		if e != nil && !errors.Is(e, errStop) {
			*err = e
		}
	}
}

// waitAllSent waits until the sink has accepted n more messages than it
// had (a counter, so that watching costs the sender nothing), then until
// the deliveries table says the n were sent: none failed, none left.
func waitAllSent(ctx context.Context, svc *notify.Service, sink *bench.SMTPSink, had int64, n int) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	last, lastAt := int64(-1), time.Now()
	for {
		got := sink.Accepted() - had
		if got >= int64(n) {
			counts, err := svc.Counts(ctx)
			if err != nil {
				return err
			}
			if counts["failed"] > 0 {
				return fmt.Errorf("bench notify: %d messages failed", counts["failed"])
			}
			if counts["sent"] == n {
				return nil
			}
		}
		if got != last {
			last, lastAt = got, time.Now()
		} else if time.Since(lastAt) > 2*time.Minute {
			counts, _ := svc.Counts(ctx)
			return fmt.Errorf("bench notify: no progress for 2 minutes: %v", counts)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
}

// createFollowers makes a published, registered-mode process (through the
// store) with n verified followers (in bulk: 200,000 registrations through
// the store take hours).
func createFollowers(ctx context.Context, store *sqlstore.Store, n int) (int64, error) {
	now := time.Now().UTC()
	rs, err := store.CreateRegionSet(ctx, participation.RegionSet{Name: "Bench counties", Source: "bench",
		Regions: []participation.Region{{Code: "047", Name: "Nairobi City", Population: 4397073}}})
	if err != nil {
		return 0, err
	}
	id, err := store.CreateProcess(ctx, participation.Process{Slug: "budget-results", Title: "County budget 2026/27",
		Summary: "Where should the money go?", Objective: "Prioritise the development budget", Level: participation.LevelConsult,
		Sector: "finance", Scope: participation.ScopeProvincial, BudgetMinor: 120_000_000_00, Currency: "KES",
		StartsAt: now.AddDate(0, 0, -30), EndsAt: now.AddDate(0, 0, 30), Officials: []string{"A. Official, CEC Finance"},
		ExpectedOutcome: "A ranked list", FeedbackMethod: "Results page, email and SMS", Languages: []string{"en", "sw"},
		TimeZone: "Africa/Nairobi", Mode: participation.ModeRegistered, RegionSetID: rs, TargetParticipants: n,
		PersonalFields: []participation.PersonalField{participation.FieldEmail}})
	if err != nil {
		return 0, err
	}
	if err := store.SetPublished(ctx, id, true); err != nil {
		return 0, err
	}
	notice, err := store.PublishPrivacyNotice(ctx, id, "We keep your email to tell you about this consultation and its results.")
	if err != nil {
		return 0, err
	}
	if err := bench.Followers(ctx, store.DB(), id, notice.Version, n); err != nil {
		return 0, err
	}
	return id, nil
}

// rawSMTPRate is the sink's rate without the store: messages sent straight
// through notify's SMTP transport by as many goroutines as the sender
// uses, rendered once.
func rawSMTPRate(ctx context.Context, env map[string]string, n int) (float64, error) {
	cfg, err := notify.ParseSMTPURL(env[notify.EnvSMTPURL])
	if err != nil {
		return 0, err
	}
	cfg.From = env[notify.EnvMailFrom]
	t, err := notify.NewSMTP(cfg)
	if err != nil {
		return 0, err
	}
	defer t.Close()
	const senders = 8 // notify's default SendOptions.Workers
	var next, failed int
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := time.Now()
	for range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				b := make([]byte, 8)
				rand.Read(b)
				err := t.Send(ctx, notify.Envelope{ID: fmt.Sprintf("%x@county.example", b), Channel: notify.Email, Kind: notify.KindResults,
					To: fmt.Sprintf("raw%d@example.org", i), Subject: "Results of County budget 2026/27",
					Text: "The results of \"County budget 2026/27\" are published, with the decisions and the reasons for them."})
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if failed > 0 {
		return 0, fmt.Errorf("bench notify: %d of %d raw messages refused by the sink", failed, n)
	}
	return float64(n) / time.Since(start).Seconds(), nil
}
