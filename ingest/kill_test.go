package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
)

// The kill test re-executes this test binary as the ingester process.
const childEnv = "CIVICPULSE_INGEST_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		os.Exit(runChild())
	}
	os.Exit(m.Run())
}

// runChild tails the store named by the environment into the warehouse
// file, printing "advanced N" after every batch, until killed.
func runChild() int {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	s, err := sqlstore.Open(ctx, os.Getenv("CHILD_STORE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer s.Close()
	wh, err := warehouse.Open(os.Getenv("CHILD_WAREHOUSE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer wh.Close()
	size, _ := strconv.Atoi(os.Getenv("CHILD_BATCH"))
	in, err := ingest.New(s, wh, ingest.Options{Key: testKey, BatchSize: size, FlushEvery: 5 * time.Millisecond})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	adv, cancel := wh.Subscribe()
	defer cancel()
	go func() {
		for a := range adv {
			fmt.Printf("advanced %d\n", a.Events)
		}
	}()
	if err := in.Run(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// TestKillNineResumesExactlyOnce kills the ingester process with SIGKILL at
// random moments while it works through a backlog that keeps growing, and
// checks after every kill that the warehouse reopens consistent, and at the
// end that it holds every outbox event exactly once.
func TestKillNineResumesExactlyOnce(t *testing.T) {
	const kills = 22
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		s := openStore(t, b.URL, &clock{})
		w := newWorld(t, s)
		rng := rand.New(rand.NewPCG(11, uint64(len(b.Name))))
		path := filepath.Join(t.TempDir(), "killed.duckdb")
		midStream := 0
		for i := 0; i < kills; i++ {
			w.act(t, rng, 40+rng.IntN(40))
			cmd := exec.Command(os.Args[0], "-test.run=^$")
			cmd.Env = append(os.Environ(), childEnv+"=1", "CHILD_STORE="+b.URL, "CHILD_WAREHOUSE="+path,
				"CHILD_BATCH="+strconv.Itoa(3+rng.IntN(25)))
			cmd.Stderr = os.Stderr
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Let it commit at least once, then kill it a random moment later.
			sc := bufio.NewScanner(out)
			started := make(chan struct{})
			go func() {
				first := true
				for sc.Scan() {
					if first && strings.HasPrefix(sc.Text(), "advanced") {
						close(started)
						first = false
					}
				}
				if first {
					close(started)
				}
			}()
			select {
			case <-started:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatal("the ingester process never committed a batch")
			}
			time.Sleep(time.Duration(rng.IntN(40_000)) * time.Microsecond)
			if err := cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			cmd.Wait()
			// The killed warehouse reopens with a consistent ledger.
			wh := openWarehouse(t, path)
			_, consumed := wh.Checkpoint()
			ledger := queryInt(t, wh, `SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM dropped)`)
			dups := queryInt(t, wh, `SELECT count(*) FROM (SELECT seq FROM (SELECT seq FROM events UNION ALL SELECT seq FROM dropped) GROUP BY seq HAVING count(*) > 1)`)
			total, err := s.Outbox().Count(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			wh.Close()
			if ledger != consumed || dups != 0 {
				t.Fatalf("kill %d: checkpoint counts %d events, ledger holds %d, %d duplicates", i, consumed, ledger, dups)
			}
			if consumed < total {
				midStream++
			}
		}
		t.Logf("%d kills, %d of them with a backlog left", kills, midStream)
		if midStream < kills/2 {
			t.Errorf("only %d of %d kills landed while the ingester had work", midStream, kills)
		}
		wh := openWarehouse(t, path)
		defer wh.Close()
		if err := newIngester(t, s, wh, ingest.Options{}).CatchUp(context.Background()); err != nil {
			t.Fatal(err)
		}
		checkComplete(t, s, wh)
	})
}
