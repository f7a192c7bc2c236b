package insights

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/analysis/metrics"
	"github.com/civicpulse/civicpulse/analysis/opinion"
	"github.com/civicpulse/civicpulse/internal/polis"
	"github.com/civicpulse/civicpulse/warehouse"
)

const (
	opProcess   = 2
	opDocument  = 20
	opProposals = 21
	// commentBase shifts Pol.is comment ids so that a job that forgot to
	// parse ids back would point at no comment.
	commentBase = 5000
)

var voteNames = map[int8]string{1: "agree", -1: "disagree", 0: "pass"}

// polisConv is a Pol.is conversation to write as a document component: its
// comments (moderated-out ones hidden) and its votes in the order cast.
type polisConv struct {
	e      *polis.Export
	votes  []polis.Vote // in the order cast
	hidden map[int64]bool
}

func readPolisConv(t testing.TB, dir string) *polisConv {
	t.Helper()
	e, err := polis.Read("../testdata/polis/" + dir)
	if err != nil {
		t.Fatal(err)
	}
	c := &polisConv{e: e, votes: append([]polis.Vote(nil), e.Votes...), hidden: map[int64]bool{}}
	sort.SliceStable(c.votes, func(i, j int) bool { return c.votes[i].Created.Before(c.votes[j].Created) })
	for _, id := range e.ModeratedOut() {
		c.hidden[int64(id+commentBase)] = true
	}
	return c
}

func (f *facts) polisComments(t testing.TB, c *polisConv) {
	b := &warehouse.Batch{}
	for _, cm := range c.e.Comments {
		seq, id := f.next(), int64(cm.ID+commentBase)
		who := fmt.Sprint("v-", cm.AuthorID)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.created", ProcessID: opProcess, ComponentID: opDocument,
			EntityID: id, Participant: who, OccurredAt: cm.Created})
		b.Comments = append(b.Comments, warehouse.Comment{Seq: seq, CommentID: id, ProcessID: opProcess, ComponentID: opDocument,
			TargetKind: "section", TargetID: 1, Kind: "comment", Body: cm.Body, Participant: who, OccurredAt: cm.Created})
	}
	for id := range c.hidden {
		seq := f.next()
		b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: seq, ProcessID: opProcess, ComponentID: opDocument,
			EntityKind: "comment", EntityID: id, Status: "hidden", OccurredAt: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	}
	f.write(t, b)
}

func (f *facts) polisVotes(t testing.TB, votes []polis.Vote) {
	t.Helper()
	b := &warehouse.Batch{}
	for _, v := range votes {
		seq, id := f.next(), int64(v.CommentID+commentBase)
		who := fmt.Sprint("v-", v.VoterID)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "comment.voted", ProcessID: opProcess, ComponentID: opDocument,
			EntityID: id, Participant: who, OccurredAt: v.Created})
		b.Votes = append(b.Votes, warehouse.Vote{Seq: seq, CommentID: id, ProcessID: opProcess, ComponentID: opDocument,
			Participant: who, Vote: voteNames[v.Value], OccurredAt: v.Created})
	}
	f.write(t, b)
}

type runRow struct {
	id, participants, clustered, items, seq int64
	k                                       int
	sil                                     float64
	at                                      time.Time
	starts, startsAtK                       int
	mean, worst                             float64
}

func readRun(t *testing.T, r *Runner, component int64) (runRow, int) {
	t.Helper()
	rows, err := r.db.Query(`SELECT run_id, participants, clustered, items, votes_seq, k, silhouette, run_at,
		starts, starts_at_k, stability_mean, stability_worst
		FROM opinion_runs WHERE process_id = ? AND component_id = ?`, opProcess, component)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var run runRow
	n := 0
	for rows.Next() {
		n++
		if err := rows.Scan(&run.id, &run.participants, &run.clustered, &run.items, &run.seq, &run.k, &run.sil, &run.at,
			&run.starts, &run.startsAtK, &run.mean, &run.worst); err != nil {
			t.Fatal(err)
		}
	}
	return run, n
}

// TestOpinionGroupsFromPolis writes a real Pol.is conversation as votes in
// three batches, with a pass after each, as the runner would: groups are
// found and match the groups Pol.is itself assigned, every clustered
// participant has a group, representative and consensus rows point at the
// document's shown comments, and a pass without new votes writes no run.
func TestOpinionGroupsFromPolis(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	c := readPolisConv(t, "scoop-hivemind.biodiversity")
	f.polisComments(t, c)
	n := len(c.votes)
	done := 0
	for _, end := range []int{n / 3, 2 * n / 3, n} {
		f.polisVotes(t, c.votes[done:end])
		done = end
		if err := r.opinions(ctx, opProcess); err != nil {
			t.Fatal(err)
		}
	}
	run, nRuns := readRun(t, r, opDocument)
	t.Logf("run %d: %d participants, %d clustered, %d comments, k=%d, silhouette %.3f", run.id, run.participants, run.clustered, run.items, run.k, run.sil)
	if nRuns != 1 || run.k < 2 || run.seq != f.seq || run.clustered < run.participants/2 {
		t.Fatalf("%d runs, last %+v (newest seq %d)", nRuns, run, f.seq)
	}
	checkGroups(t, r, opDocument, run)
	checkStability(t, run)
	checkItems(t, r, opDocument, "comment", `SELECT comment_id FROM comments WHERE component_id = ?`, c.hidden)

	// The groups are Pol.is' own (compared over the participants it grouped).
	ours := groupsOf(t, r, opDocument)
	var a, b []int
	for _, p := range c.e.Participants {
		if p.GroupID >= 0 {
			g, ok := ours[fmt.Sprint("v-", p.ID)]
			if !ok {
				g = -1
			}
			a, b = append(a, p.GroupID), append(b, g)
		}
	}
	ari := metrics.AdjustedRand(a, b)
	t.Logf("ARI against Pol.is' groups: %.3f over %d participants", ari, len(a))
	if ari < 0.7 {
		t.Errorf("ARI %.3f against Pol.is' groups, want ≥ 0.7", ari)
	}

	// No new votes: the run stands.
	if err := r.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	if again, _ := readRun(t, r, opDocument); again != run {
		t.Fatalf("a pass without votes wrote run %+v over %+v", again, run)
	}
	// Nor after a restart (a new runner rebuilds from the facts).
	r2 := newRunner(t, wh)
	if err := r2.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	if again, _ := readRun(t, r2, opDocument); again != run {
		t.Fatalf("a restarted runner without new votes wrote run %+v over %+v", again, run)
	}
	// One more vote: a new run replaces the old one.
	f.polisVotes(t, []polis.Vote{{Created: time.Now(), CommentID: c.votes[0].CommentID, VoterID: c.votes[0].VoterID, Value: -c.votes[0].Value}})
	if err := r2.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	next, nRuns := readRun(t, r2, opDocument)
	if nRuns != 1 || next.id <= run.id || next.seq != f.seq {
		t.Fatalf("after a vote: %d runs, %+v (was %+v)", nRuns, next, run)
	}

	// A moderator hides the top representative comment: a new run leaves
	// it out, though no vote came.
	top := scalar[int64](t, r2.db, `SELECT entity_id FROM opinion_repness WHERE group_id = 0 AND rank = 1`)
	f.write(t, &warehouse.Batch{Moderation: []warehouse.Moderation{{Seq: f.next(), ProcessID: opProcess, ComponentID: opDocument,
		EntityKind: "comment", EntityID: top, Status: "hidden", OccurredAt: time.Now()}}})
	c.hidden[top] = true
	if err := r2.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	hid, _ := readRun(t, r2, opDocument)
	if hid.id <= next.id || hid.items != next.items-1 {
		t.Fatalf("after hiding comment %d: %+v (was %+v)", top, hid, next)
	}
	checkItems(t, r2, opDocument, "comment", `SELECT comment_id FROM comments WHERE component_id = ?`, c.hidden)
}

// checkStability: a run with groups says how many seeded starts it
// clustered from, how many chose its k, and how well they agree with it.
func checkStability(t *testing.T, run runRow) {
	t.Helper()
	t.Logf("stability: %d of %d starts at k=%d, mean agreement %.3f, worst %.3f", run.startsAtK, run.starts, run.k, run.mean, run.worst)
	if run.starts != opinion.DefaultRuns || run.startsAtK < 1 || run.startsAtK > run.starts ||
		run.worst > run.mean || run.mean > 1 || run.mean <= 0 {
		t.Errorf("stability of run %+v", run)
	}
}

// TestOpinionRunIndependentOfPasses: the votes of a conversation written in
// three batches with a pass after each, and written at once with one pass,
// give the same groups and the same stability: the run is the fit of the
// final votes, whatever the passes were.
func TestOpinionRunIndependentOfPasses(t *testing.T) {
	ctx := context.Background()
	c := readPolisConv(t, "scoop-hivemind.biodiversity")
	var runs []runRow
	var groups []map[string]int
	for _, batches := range []int{3, 1} {
		wh := openWarehouse(t)
		r := newRunner(t, wh)
		f := &facts{wh: wh}
		f.polisComments(t, c)
		n, done := len(c.votes), 0
		for b := 1; b <= batches; b++ {
			end := n * b / batches
			f.polisVotes(t, c.votes[done:end])
			done = end
			if err := r.opinions(ctx, opProcess); err != nil {
				t.Fatal(err)
			}
		}
		run, _ := readRun(t, r, opDocument)
		runs, groups = append(runs, run), append(groups, groupsOf(t, r, opDocument))
	}
	a, b := runs[0], runs[1]
	if a.k != b.k || a.sil != b.sil || a.clustered != b.clustered || a.starts != b.starts || a.startsAtK != b.startsAtK ||
		a.mean != b.mean || a.worst != b.worst {
		t.Errorf("three passes: %+v\none pass: %+v", a, b)
	}
	if !reflect.DeepEqual(groups[0], groups[1]) {
		moved := 0
		for p, g := range groups[0] {
			if groups[1][p] != g {
				moved++
			}
		}
		t.Errorf("%d of %d participants in another group after three passes than after one", moved, len(groups[0]))
	}
}

// groupsOf reads each participant's group in the current run.
func groupsOf(t *testing.T, r *Runner, component int64) map[string]int {
	t.Helper()
	rows, err := r.db.Query(`SELECT participant, group_id FROM opinion_participants WHERE process_id = ? AND component_id = ?`,
		opProcess, component)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var p string
		var g int
		if err := rows.Scan(&p, &g); err != nil {
			t.Fatal(err)
		}
		out[p] = g
	}
	return out
}

// checkGroups: the run's counts agree with its participants, and every
// clustered participant is in one of the run's groups, whose sizes add up.
func checkGroups(t *testing.T, r *Runner, component int64, run runRow) {
	t.Helper()
	groups := map[int]int64{}
	rows, err := r.db.Query(`SELECT group_id, members FROM opinion_groups WHERE run_id = ? AND component_id = ?`, run.id, component)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var g int
		var m int64
		if err := rows.Scan(&g, &m); err != nil {
			t.Fatal(err)
		}
		groups[g] = m
	}
	rows.Close()
	if len(groups) != run.k {
		t.Fatalf("%d groups for k=%d", len(groups), run.k)
	}
	of := groupsOf(t, r, component)
	counted := map[int]int64{}
	var clustered int64
	for _, g := range of {
		if g >= 0 {
			clustered++
			counted[g]++
			if _, ok := groups[g]; !ok {
				t.Fatalf("a participant in group %d, which the run does not have", g)
			}
		}
	}
	if int64(len(of)) != run.participants || clustered != run.clustered {
		t.Fatalf("%d participants (%d clustered), run says %d (%d)", len(of), clustered, run.participants, run.clustered)
	}
	for g, m := range groups {
		if counted[g] != m {
			t.Errorf("group %d: %d members, %d participants placed in it", g, m, counted[g])
		}
	}
	var reps int64
	if err := r.db.QueryRow(`SELECT count(DISTINCT group_id) FROM opinion_repness WHERE run_id = ?`, run.id).Scan(&reps); err != nil {
		t.Fatal(err)
	}
	if reps != int64(run.k) {
		t.Errorf("representative comments for %d of %d groups", reps, run.k)
	}
}

// checkItems: representative and consensus rows name shown items of the
// conversation, with ranks 1, 2, … per list.
func checkItems(t *testing.T, r *Runner, component int64, kind, itemsQuery string, hidden map[int64]bool) {
	t.Helper()
	items := map[int64]bool{}
	rows, err := r.db.Query(itemsQuery, component)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		items[id] = true
	}
	rows.Close()
	rows, err = r.db.Query(`SELECT 'repness ' || group_id, rank, entity_kind, entity_id FROM opinion_repness WHERE component_id = ?
		UNION ALL SELECT kind, rank, entity_kind, entity_id FROM opinion_consensus WHERE component_id = ?
		ORDER BY 1, 2`, component, component)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	lists := map[string]int{}
	for rows.Next() {
		var list, k string
		var rank int
		var id int64
		if err := rows.Scan(&list, &rank, &k, &id); err != nil {
			t.Fatal(err)
		}
		lists[list]++
		if k != kind || !items[id] || hidden[id] || rank != lists[list] {
			t.Errorf("%s #%d: %s %d (known %v, hidden %v)", list, rank, k, id, items[id], hidden[id])
		}
	}
	t.Logf("lists: %v", lists)
	if lists["group-informed"] == 0 || lists["agree"] == 0 {
		t.Errorf("consensus lists %v", lists)
	}
}

// TestTooFewVoters: one voter makes a run with k = 0 and no groups (the
// dashboard says "not enough votes yet"), not an error.
func TestTooFewVoters(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	var votes []polis.Vote
	for c := range 10 {
		votes = append(votes, polis.Vote{Created: time.Date(2026, 2, 1, 0, c, 0, 0, time.UTC), CommentID: c, VoterID: 1, Value: 1})
	}
	f.polisVotes(t, votes)
	if err := r.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	run, n := readRun(t, r, opDocument)
	groups := scalar[int64](t, r.db, `SELECT count(*) FROM opinion_groups`)
	if n != 1 || run.k != 0 || run.participants != 1 || run.items != 10 || run.clustered != 0 || groups != 0 || run.starts != 0 {
		t.Fatalf("%d runs, %+v, %d groups", n, run, groups)
	}
}

// TestSupportsMakeAConversation: three camps of supporters, each backing
// its own proposals (with some crossing over, and withdrawals), come out
// as the opinion groups of the proposals component.
func TestSupportsMakeAConversation(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	b := &warehouse.Batch{}
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	support := func(who string, proposal int64, delta int8) {
		seq := f.next()
		typ := "support.added"
		if delta < 0 {
			typ = "support.removed"
		}
		at = at.Add(time.Minute)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: typ, ProcessID: opProcess, ComponentID: opProposals,
			EntityID: proposal, Participant: who, OccurredAt: at})
		b.Supports = append(b.Supports, warehouse.Support{Seq: seq, ProposalID: proposal, ProcessID: opProcess,
			ComponentID: opProposals, Participant: who, Delta: delta, OccurredAt: at})
	}
	// Pol.is allows k up to 2 + base clusters / 12: the camps need enough
	// distinct supporters for three groups to be tried.
	rnd := rand.New(rand.NewPCG(3, 3))
	camp := map[string]int{}
	for p := range 150 {
		who := "s-" + strconv.Itoa(p)
		c := p % 3
		camp[who] = c
		own := rnd.Perm(6)[:3+rnd.IntN(4)]
		for _, k := range own {
			support(who, int64(100+10*c+k), 1)
		}
		if rnd.IntN(10) < 9 { // one almost everyone backs
			support(who, 130, 1)
		}
		if rnd.IntN(2) == 0 { // one of another camp's
			other := int64(100 + 10*((c+1+rnd.IntN(2))%3) + rnd.IntN(6))
			support(who, other, 1)
			if rnd.IntN(3) == 0 {
				support(who, other, -1) // and withdrawn
			}
		}
	}
	f.write(t, b)
	if err := r.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	run, n := readRun(t, r, opProposals)
	t.Logf("supports: %+v", run)
	if n != 1 || run.k != 3 || run.participants != 150 || run.items != 19 {
		t.Fatalf("%d runs, %+v; want 3 groups of 150 supporters over 19 proposals", n, run)
	}
	checkGroups(t, r, opProposals, run)
	checkStability(t, run)
	if run.mean < opinion.StableAgreement {
		t.Errorf("three clear camps: mean agreement %.3f, want stable (≥ %.2f)", run.mean, opinion.StableAgreement)
	}
	checkItems(t, r, opProposals, "proposal", `SELECT DISTINCT proposal_id FROM supports WHERE component_id = ?`, nil)
	if top := scalar[int64](t, r.db, `SELECT entity_id FROM opinion_consensus WHERE component_id = ? AND kind = 'agree' AND rank = 1`, opProposals); top != 130 {
		t.Errorf("most agreed proposal %d, want 130", top)
	}
	of := groupsOf(t, r, opProposals)
	var a, g []int
	for who, c := range camp {
		a, g = append(a, c), append(g, of[who])
	}
	if ari := metrics.AdjustedRand(a, g); ari < 0.95 {
		t.Errorf("groups against camps: ARI %.3f", ari)
	}
}

// TestTooManySupportCells: past the bound on supporters × proposals a
// proposals component is left out (no run, no error) instead of filling
// memory.
func TestTooManySupportCells(t *testing.T) {
	defer func(old int) { maxSupportCells = old }(maxSupportCells)
	maxSupportCells = 50
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	b := &warehouse.Batch{}
	for p := range 10 {
		for k := range 10 {
			seq := f.next()
			b.Supports = append(b.Supports, warehouse.Support{Seq: seq, ProposalID: int64(k), ProcessID: opProcess,
				ComponentID: opProposals, Participant: strconv.Itoa(p), Delta: 1, OccurredAt: time.Now()})
		}
	}
	f.write(t, b)
	for range 2 {
		if err := r.opinions(ctx, opProcess); err != nil {
			t.Fatal(err)
		}
	}
	if _, n := readRun(t, r, opProposals); n != 0 {
		t.Fatalf("%d runs past the bound", n)
	}
}

// TestOpinionJobTiming times the job on the biggest Pol.is conversation in
// testdata (vTaiwan uberx): all votes at once, then a pass with 1% more.
func TestOpinionJobTiming(t *testing.T) {
	ctx := context.Background()
	wh := openWarehouse(t)
	r := newRunner(t, wh)
	f := &facts{wh: wh}
	c := readPolisConv(t, "vtaiwan.uberx")
	f.polisComments(t, c)
	n := len(c.votes)
	f.polisVotes(t, c.votes[:n*99/100])
	start := time.Now()
	if err := r.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	f.polisVotes(t, c.votes[n*99/100:])
	start = time.Now()
	if err := r.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	second := time.Since(start)
	start = time.Now()
	if err := r.opinions(ctx, opProcess); err != nil {
		t.Fatal(err)
	}
	idle := time.Since(start)
	run, _ := readRun(t, r, opDocument)
	t.Logf("%d votes: first run %v, %d more votes %v, no new votes %v; %+v", n, first, n-n*99/100, second, idle, run)
	if run.k < 2 || run.seq != f.seq {
		t.Fatalf("run %+v", run)
	}
	checkGroups(t, r, opDocument, run)
}
