package jobs_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/jobs"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
)

// helperEnv, set to a store's DSN, turns the test binary into a server of
// its own (helperMain): the restart and two-server tests run real
// processes, which they start, signal and kill.
const helperEnv = "CIVICPULSE_JOBS_TEST_SERVER"

func TestMain(m *testing.M) {
	if dsn := os.Getenv(helperEnv); dsn != "" {
		os.Exit(helperMain(dsn))
	}
	os.Exit(m.Run())
}

// helperMain is one server: the store and the job queue, as serve runs
// them. It logs JSON lines on stdout, schedules a process's phases when
// told "schedule ID" on stdin, and stops gracefully on SIGTERM.
func helperMain(dsn string) int {
	log := slog.New(slog.NewJSONHandler(os.Stdout, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	store, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		log.Error("helper: store", "err", err)
		return 1
	}
	defer store.Close()
	sch, err := jobs.Open(ctx, dsn, store, jobs.Options{Logger: log, PollInterval: testPoll, ReconcileEvery: time.Hour})
	if err != nil {
		log.Error("helper: jobs", "err", err)
		return 1
	}
	if err := sch.Start(ctx); err != nil {
		log.Error("helper: start", "err", err)
		return 1
	}
	log.Info("helper ready", "pid", os.Getpid())
	go func() {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			id, err := strconv.ParseInt(strings.TrimPrefix(in.Text(), "schedule "), 10, 64)
			if err == nil {
				err = sch.SchedulePhases(ctx, id)
			}
			if err != nil {
				log.Error("helper: schedule", "err", err)
				continue
			}
			log.Info("helper scheduled", "process_id", id)
		}
	}()
	<-ctx.Done()
	stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := sch.Stop(stopCtx); err != nil {
		log.Error("helper: stop", "err", err)
		return 1
	}
	log.Info("helper stopped")
	return 0
}

// server is a helper process.
type server struct {
	name  string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	logs  *logLines
	done  chan struct{} // closed when the process has ended
	err   error         // its exit status, once done
}

func startServer(t *testing.T, dsn, name string) *server {
	t.Helper()
	s := &server{name: name, logs: &logLines{}, done: make(chan struct{})}
	s.cmd = exec.Command(os.Args[0], "-test.run=^$")
	s.cmd.Env = append(os.Environ(), helperEnv+"="+dsn)
	s.cmd.Stdout = s.logs
	s.cmd.Stderr = os.Stderr
	var err error
	if s.stdin, err = s.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.err = s.cmd.Wait(); close(s.done) }()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
	})
	s.logs.waitFor(t, "helper ready", 30*time.Second)
	return s
}

func (s *server) schedule(t *testing.T, proc int64) {
	t.Helper()
	before := len(s.logs.with("helper scheduled"))
	fmt.Fprintf(s.stdin, "schedule %d\n", proc)
	deadline := time.Now().Add(10 * time.Second)
	for len(s.logs.with("helper scheduled")) == before {
		if errs := s.logs.with("helper: schedule"); len(errs) > 0 {
			t.Fatalf("%s could not schedule: %v", s.name, errs[0]["err"])
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not schedule process %d", s.name, proc)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// stop sends sig and waits for the process to end; after SIGTERM it must
// have stopped cleanly.
func (s *server) stop(t *testing.T, sig os.Signal) {
	t.Helper()
	if err := s.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
		if sig == syscall.SIGTERM && s.err != nil {
			t.Fatalf("%s ended with %v after SIGTERM", s.name, s.err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop", s.name)
	}
}

// waitSnoozed waits until each of the n boundary jobs has been handed to a
// worker early and snoozed, and none is running: what a killed server leaves
// in the table is then a job waiting for its time.
func waitSnoozed(t *testing.T, db *sqldb.DB, s *server, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		snoozed := map[any]bool{}
		for _, m := range s.logs.with("jobs: phase boundary job early, snoozing") {
			snoozed[m["job_id"]] = true
		}
		running := 0
		js := boundaryJobs(t, db)
		for _, j := range js {
			if j.State == "running" {
				running++
			}
		}
		if len(snoozed) >= n && len(js) == n && running == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d jobs snoozed, %d running", len(snoozed), n, running)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
