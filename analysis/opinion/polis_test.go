package opinion

import (
	"github.com/civicpulse/civicpulse/internal/racecheck"
	"sort"
	"strconv"
	"testing"

	"github.com/civicpulse/civicpulse/analysis/metrics"
	"github.com/civicpulse/civicpulse/internal/polis"
)

func readPolis(t testing.TB, dir string) (*polis.Export, []string) {
	t.Helper()
	e, err := polis.Read("../../testdata/polis/" + dir)
	if err != nil {
		t.Fatal(err)
	}
	var excluded []string
	for _, c := range e.ModeratedOut() {
		excluded = append(excluded, strconv.Itoa(c))
	}
	return e, excluded
}

// timeOrdered is every vote in the order it was cast; a changed vote simply
// replaces the earlier one.
func timeOrdered(e *polis.Export) []Vote {
	vs := append([]polis.Vote(nil), e.Votes...)
	sort.SliceStable(vs, func(i, j int) bool { return vs[i].Created.Before(vs[j].Created) })
	out := make([]Vote, len(vs))
	for i, v := range vs {
		out[i] = Vote{Participant: strconv.Itoa(v.VoterID), Comment: strconv.Itoa(v.CommentID), Value: v.Value}
	}
	return out
}

// ariAgainstPolis compares our groups with Pol.is' over the participants
// Pol.is clustered; one we left out counts as a group of its own.
func ariAgainstPolis(e *polis.Export, res *Result) (ari float64, n, missing int) {
	ours := map[string]int{}
	for _, p := range res.Participants {
		ours[p.ID] = p.Group
	}
	var a, b []int
	for _, p := range e.Participants {
		if p.GroupID < 0 {
			continue
		}
		g, ok := ours[strconv.Itoa(p.ID)]
		if !ok || g < 0 {
			missing++
			g = -1
		}
		a = append(a, p.GroupID)
		b = append(b, g)
	}
	return metrics.AdjustedRand(a, b), len(a), missing
}

// TestGroupsMatchPolis is the external check: our groups against the groups
// Pol.is itself assigned. Pol.is recomputed every few votes while the
// conversation ran, each update starting from the last, so its groups depend
// on that history; replaying the votes every 10 follows it closest.
func TestGroupsMatchPolis(t *testing.T) {
	if racecheck.Enabled {
		t.Skip("external check: runs in make test's pass without the race detector")
	}
	for _, dir := range []string{"scoop-hivemind.biodiversity", "vtaiwan.uberx"} {
		t.Run(dir, func(t *testing.T) {
			e, excluded := readPolis(t, dir)
			timed := timeOrdered(e)
			res, err := Replay(timed, Every(10, len(timed)), Options{Excluded: excluded})
			if err != nil {
				t.Fatal(err)
			}
			ari, n, missing := ariAgainstPolis(e, res)
			t.Logf("replayed every 10 votes: k=%d silhouettes=%.3f ARI=%.4f over %d participants (%d not clustered by us)",
				len(res.Groups), res.Silhouette, ari, n, missing)
			if ari < 0.9 {
				t.Errorf("ARI = %.4f, want ≥ 0.9", ari)
			}
			once, err := Analyze(timed, Options{Excluded: excluded})
			if err != nil {
				t.Fatal(err)
			}
			ari1, _, _ := ariAgainstPolis(e, once)
			t.Logf("one update over all votes: k=%d ARI=%.4f", len(once.Groups), ari1)
			if ari1 < 0.8 {
				t.Errorf("one-shot ARI = %.4f, want ≥ 0.8", ari1)
			}
			checkResult(t, res)
		})
	}
}

// checkResult checks the invariants every result must hold.
func checkResult(t *testing.T, res *Result) {
	t.Helper()
	inGroups := 0
	for gi, g := range res.Groups {
		if g.ID != gi || len(g.Members) == 0 {
			t.Errorf("group %d: id %d, %d members", gi, g.ID, len(g.Members))
		}
		if gi > 0 && len(g.Members) > len(res.Groups[gi-1].Members) {
			t.Errorf("groups not largest first")
		}
		inGroups += len(g.Members)
		if len(g.Representative) == 0 || len(g.Representative) > 5 {
			t.Errorf("group %d: %d representative comments", gi, len(g.Representative))
		}
		for _, r := range g.Representative {
			if r.NSuccess > r.NTrials || r.PSuccess <= 0 || r.PSuccess >= 1 {
				t.Errorf("group %d: bad repness %+v", gi, r)
			}
		}
	}
	clustered := 0
	for _, p := range res.Participants {
		if p.Group >= 0 {
			clustered++
		}
	}
	if clustered != inGroups {
		t.Errorf("%d participants have a group, groups hold %d", clustered, inGroups)
	}
	for i := 1; i < len(res.GroupInformedConsensus); i++ {
		if res.GroupInformedConsensus[i].Score > res.GroupInformedConsensus[i-1].Score {
			t.Fatal("group-informed consensus not sorted")
		}
	}
	if len(res.GroupInformedConsensus) != len(res.Comments) {
		t.Errorf("%d consensus scores for %d comments", len(res.GroupInformedConsensus), len(res.Comments))
	}
}
