package opinion

import (
	"fmt"
	"reflect"
	"testing"
)

func TestAverageLinkage(t *testing.T) {
	// Items 0,1 and 2,3 are close pairs, 4 is nearer the second pair on
	// average; the heavy item 3 pulls 4 towards it.
	d := [][]float64{
		{0, 0.1, 0.9, 0.9, 0.8},
		{0.1, 0, 0.9, 0.9, 0.8},
		{0.9, 0.9, 0, 0.2, 0.9},
		{0.9, 0.9, 0.2, 0, 0.3},
		{0.8, 0.8, 0.9, 0.3, 0},
	}
	w := []float64{1, 1, 1, 3, 1}
	if got, want := averageLinkage(d, w, 2), []int{0, 0, 1, 1, 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("k=2: %v, want %v", got, want)
	}
	// Cut at three clusters, the close pairs have merged and 4 is alone.
	if got, want := averageLinkage(d, []float64{1, 1, 1, 1, 1}, 3), []int{0, 0, 1, 1, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("k=3: %v, want %v", got, want)
	}
	if got := averageLinkage(d, w, 5); !reflect.DeepEqual(got, []int{0, 1, 2, 3, 4}) {
		t.Errorf("k=m: %v", got)
	}
}

func TestConsensusStableOnPlantedCamps(t *testing.T) {
	votes, _ := planted(120, 60, 7)
	res, err := Analyze(votes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	st := res.Stability
	if st.Runs != DefaultRuns || len(st.KRuns) == 0 || st.KRuns[0] < DefaultRuns/2 {
		t.Errorf("stability %+v: want most of %d runs at k=2", st, DefaultRuns)
	}
	if !st.Stable() || st.MinAgreement > st.Agreement {
		t.Errorf("two clear camps: stability %+v, want stable", st)
	}
	// Another list of seeded orders finds the same groups here.
	other, err := Analyze(votes, Options{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range res.Participants {
		if other.Participants[i].Group != p.Group {
			t.Fatalf("participant %s: group %d with seed list 0, %d with seed list 9", p.ID, p.Group, other.Participants[i].Group)
		}
	}
}

// TestEarlyGreedyParticipants: Pol.is clusters its first voters whatever
// their number of votes, and keeps them; a one-shot fit must too, while a
// late participant with as few votes stays out.
func TestEarlyGreedyParticipants(t *testing.T) {
	var votes []Vote
	early := map[string]bool{}
	for p := range 3 {
		id := fmt.Sprintf("early%d", p)
		early[id] = true
		votes = append(votes, Vote{Participant: id, Comment: "d0", Value: Agree})
	}
	camps, _ := planted(60, 30, 5)
	votes = append(votes, camps...)
	votes = append(votes, Vote{Participant: "late", Comment: "d0", Value: Agree})
	res, err := Analyze(votes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range res.Participants {
		switch {
		case early[p.ID] && p.Group < 0:
			t.Errorf("early voter %s with %d vote left out", p.ID, p.Votes)
		case p.ID == "late" && p.Group >= 0:
			t.Errorf("late voter with one vote clustered")
		}
	}
	checkResult(t, res)
}

// TestFitFedInBatches: a conversation fed in batches, with an Update in
// between (state Fit must ignore), fits exactly as Analyze over all votes.
func TestFitFedInBatches(t *testing.T) {
	votes, _ := planted(90, 40, 11)
	want, err := Analyze(votes, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := NewConversation(Options{})
	c.Add(votes[:len(votes)/3]...)
	if err := c.Update(); err != nil {
		t.Fatal(err)
	}
	c.Add(votes[len(votes)/3:]...)
	if err := c.Fit(); err != nil {
		t.Fatal(err)
	}
	if got := c.Result(); !reflect.DeepEqual(got, want) {
		t.Errorf("fed in batches: stability %+v, %d groups; all at once: %+v, %d groups",
			got.Stability, len(got.Groups), want.Stability, len(want.Groups))
	}
}
