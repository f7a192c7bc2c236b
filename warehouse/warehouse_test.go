package warehouse

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

func testBatch(from int64, n int) *Batch {
	b := &Batch{}
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		seq := from + int64(i)
		at := t0.Add(time.Duration(seq) * 20 * time.Second)
		part := []string{"p-a", "p-b", "p-c"}[seq%3]
		b.Events = append(b.Events, Event{Seq: seq, Type: "support.added", ProcessID: 1, ComponentID: 2, EntityID: 7, Participant: part, RegionCode: "047", OccurredAt: at})
		b.Supports = append(b.Supports, Support{Seq: seq, ProposalID: 7, ProcessID: 1, ComponentID: 2, Participant: part, RegionCode: "047", Delta: 1, OccurredAt: at})
		b.To = Cursor{Seq: seq}
		b.Consumed++
	}
	return b
}

func count(t *testing.T, w *Warehouse, q string) int64 {
	t.Helper()
	var n int64
	if err := w.Read().QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestWriteCommitsFactsRollupsAndCheckpointTogether(t *testing.T) {
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	adv, stop := w.Subscribe()
	defer stop()
	if err := w.Write(ctx, testBatch(1, 10)); err != nil {
		t.Fatal(err)
	}
	if a := <-adv; a.Seq != 10 || a.Events != 10 {
		t.Fatalf("advance = %+v, want seq 10 after 10 events", a)
	}
	if err := w.Write(ctx, testBatch(11, 5)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, w, "SELECT count(*) FROM supports"); n != 15 {
		t.Fatalf("supports = %d, want 15", n)
	}
	// 15 events, 3 participants, one kind: the day rollup holds them all.
	var ev, np int64
	if err := w.Read().QueryRow(`SELECT sum(events), sum(new_participants) FROM rollup WHERE grain = 'day'`).Scan(&ev, &np); err != nil {
		t.Fatal(err)
	}
	if ev != 15 || np != 3 {
		t.Fatalf("day rollup = %d events, %d participants; want 15, 3", ev, np)
	}
	if n := count(t, w, "SELECT sum(events) FROM rollup WHERE grain = 'minute'"); n != 15 {
		t.Fatalf("minute rollup sums to %d", n)
	}
	if cur, n := w.Checkpoint(); cur.Seq != 15 || n != 15 {
		t.Fatalf("checkpoint = %+v after %d", cur, n)
	}
	if !w.Has(15) || w.Has(16) {
		t.Fatal("Has disagrees with what was written")
	}
}

func TestFailedBatchLeavesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.duckdb")
	w, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := w.Write(ctx, testBatch(1, 3)); err != nil {
		t.Fatal(err)
	}
	beforeCommit = func() error { return errors.New("injected") }
	err = w.Write(ctx, testBatch(4, 100))
	beforeCommit = nil
	if err == nil {
		t.Fatal("the injected failure was not reported")
	}
	for _, q := range []string{"SELECT count(*) FROM supports", "SELECT count(*) FROM events", "SELECT sum(events) FROM rollup WHERE grain='hour'", "SELECT count(*) FROM participant_first_seen"} {
		if n := count(t, w, q); n != 3 {
			t.Fatalf("%s = %d after a failed batch, want 3", q, n)
		}
	}
	if cur, _ := w.Checkpoint(); cur.Seq != 3 {
		t.Fatalf("in-memory checkpoint moved to %+v", cur)
	}
	w.Close()
	// The file reopens with the committed state only.
	w, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if cur, n := w.Checkpoint(); cur.Seq != 3 || n != 3 || !w.Has(3) || w.Has(4) {
		t.Fatalf("reopened checkpoint %+v (%d events)", cur, n)
	}
	if err := w.Write(ctx, testBatch(4, 3)); err != nil {
		t.Fatal(err)
	}
	if n := count(t, w, "SELECT sum(new_participants) FROM rollup WHERE grain='day'"); n != 3 {
		t.Fatalf("first-seen not restored on reopen: %d new participants", n)
	}
	if n := count(t, w, `SELECT count(*) FROM (SELECT grain, bucket, process_id, component_id, kind, region_code
		FROM rollup GROUP BY ALL HAVING count(*) > 1)`); n != 0 {
		t.Fatalf("%d rollup keys appear twice after reopening", n)
	}
}

func TestDimensionsReplaceAndDropCounts(t *testing.T) {
	w, err := Open("")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := context.Background()
	b := &Batch{Consumed: 2, To: Cursor{Seq: 2}}
	b.Dimensions.Processes = []ProcessDim{{ProcessID: 1, Title: "old", Components: []ComponentDim{{ComponentID: 2, Kind: "survey"}}}}
	b.Dimensions.Surveys = []SurveyDim{{ComponentID: 2, Questions: []QuestionDim{{QuestionID: 9, Type: "multi", Options: []string{"a", "b"}}}}}
	b.Dropped = []Dropped{{Seq: 2, ProcessID: 1, Reason: ReasonSpam, Type: "visit"}}
	if err := w.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	b = &Batch{Consumed: 1, To: Cursor{Seq: 3}}
	b.Dimensions.Processes = []ProcessDim{{ProcessID: 1, Title: "new", Components: []ComponentDim{{ComponentID: 2, Kind: "survey"}}}}
	b.Dropped = []Dropped{{Seq: 3, ProcessID: 1, Reason: ReasonInvalid, Type: "x"}}
	if err := w.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	var title string
	if err := w.Read().QueryRow("SELECT string_agg(title, ',') FROM dim_processes").Scan(&title); err != nil || title != "new" {
		t.Fatalf("processes = %q, %v", title, err)
	}
	if n := count(t, w, "SELECT count(*) FROM dim_components"); n != 1 {
		t.Fatalf("components = %d", n)
	}
	if n := count(t, w, "SELECT count(*) FROM dim_questions"); n != 1 {
		t.Fatalf("questions = %d", n)
	}
	d, err := w.DropCounts(ctx)
	if err != nil || len(d) != 2 || d[0].Reason != "invalid" || d[1].Reason != "spam" {
		t.Fatalf("drops = %+v, %v", d, err)
	}
}
