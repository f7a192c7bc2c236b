package opinion

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/civicpulse/civicpulse/analysis/metrics"
)

// planted builds a conversation with two camps: comments d0..d9 split them
// (camp A agrees, camp B disagrees), c0 everyone agrees with, n0..n19 are
// noise. Each participant votes on a random 60% of the comments.
func planted(nA, nB int, seed uint64) (votes []Vote, camp map[string]int) {
	r := rand.New(rand.NewPCG(seed, 1))
	camp = map[string]int{}
	var comments []string
	for i := range 10 {
		comments = append(comments, fmt.Sprintf("d%d", i))
	}
	comments = append(comments, "c0")
	for i := range 20 {
		comments = append(comments, fmt.Sprintf("n%d", i))
	}
	for p := 0; p < nA+nB; p++ {
		id := fmt.Sprintf("p%d", p)
		side := 0
		if p >= nA {
			side = 1
		}
		camp[id] = side
		for _, c := range comments {
			if r.Float64() > 0.6 {
				continue
			}
			var v int8
			switch c[0] {
			case 'd':
				v = Agree
				if side == 1 {
					v = Disagree
				}
				if r.Float64() < 0.1 {
					v = -v
				}
			case 'c':
				v = Agree
				if r.Float64() < 0.05 {
					v = Pass
				}
			default:
				v = int8(r.IntN(3)) - 1
			}
			votes = append(votes, Vote{Participant: id, Comment: c, Value: v})
		}
	}
	r.Shuffle(len(votes), func(i, j int) { votes[i], votes[j] = votes[j], votes[i] })
	return votes, camp
}

func TestPlantedCamps(t *testing.T) {
	votes, camp := planted(120, 60, 7)
	res, err := Analyze(votes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Groups) != 2 {
		t.Fatalf("%d groups, want 2 (silhouettes %v)", len(res.Groups), res.Silhouette)
	}
	var a, b []int
	for _, p := range res.Participants {
		a = append(a, camp[p.ID])
		b = append(b, p.Group)
	}
	if ari := metrics.AdjustedRand(a, b); ari < 0.95 {
		t.Errorf("ARI = %.3f, want ≥ 0.95", ari)
	}
	for _, g := range res.Groups {
		for _, r := range g.Representative {
			if r.Comment[0] != 'd' && !r.BestAgree {
				t.Errorf("group %d: representative %s is not a dividing comment", g.ID, r.Comment)
			}
		}
	}
	if len(res.Consensus.Agree) == 0 || res.Consensus.Agree[0].Comment != "c0" {
		t.Errorf("consensus = %+v, want c0 first", res.Consensus.Agree)
	}
	if res.GroupInformedConsensus[0].Comment != "c0" {
		t.Errorf("group-informed consensus led by %s, want c0", res.GroupInformedConsensus[0].Comment)
	}
	checkResult(t, res)
}

func TestDeterministic(t *testing.T) {
	votes, _ := planted(80, 40, 3)
	a, err := Analyze(votes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Analyze(votes, Options{})
	if !reflect.DeepEqual(a, b) {
		t.Error("two runs over the same votes differ")
	}
}

func TestMinVotesAndExcluded(t *testing.T) {
	votes, _ := planted(60, 30, 5)
	// A participant with a single vote stays off the groups, and a vote
	// replaced later counts once.
	votes = append(votes,
		Vote{Participant: "late", Comment: "d0", Value: Agree},
		Vote{Participant: "late", Comment: "d0", Value: Disagree})
	res, err := Analyze(votes, Options{Excluded: []string{"c0"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Participants {
		if p.ID == "late" && (p.Group != -1 || p.Votes != 1) {
			t.Errorf("late participant: %+v", p)
		}
	}
	for _, c := range res.Comments {
		if c.ID == "c0" {
			t.Error("excluded comment on the map")
		}
	}
	for _, s := range res.GroupInformedConsensus {
		if s.Comment == "c0" {
			t.Error("excluded comment in consensus")
		}
	}
}

func TestTooFewParticipants(t *testing.T) {
	_, err := Analyze([]Vote{{"a", "1", Agree}, {"a", "2", Agree}}, Options{})
	if !errors.Is(err, ErrTooFewParticipants) {
		t.Errorf("err = %v, want ErrTooFewParticipants", err)
	}
	if _, err := Analyze(nil, Options{}); !errors.Is(err, ErrTooFewParticipants) {
		t.Errorf("no votes: err = %v", err)
	}
}

// BenchmarkAnalyze5000x2000 is the size: 5,000 participants × 2,000
// comments, each participant voting on 10% (1M votes). Goal ≤ 5 s.
func BenchmarkAnalyze5000x2000(b *testing.B) {
	votes := Synthetic(5000, 2000, 0.1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Analyze(votes, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
