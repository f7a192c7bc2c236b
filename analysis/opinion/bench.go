package opinion

import (
	"fmt"
	"math"
	"runtime"
	"time"
)

// Synthetic makes votes for benchmarks: participants in three camps, each
// voting on a share of the comments, agreeing or disagreeing by camp with
// noise.
func Synthetic(participants, comments int, share float64) []Vote {
	r := newSplitmix(11)
	leaning := make([]float64, comments)
	for j := range leaning {
		leaning[j] = r.float64()*2 - 1
	}
	var votes []Vote
	for p := range participants {
		camp := float64(p%3 - 1)
		for j := range comments {
			if r.float64() > share {
				continue
			}
			// Box–Muller noise.
			noise := math.Sqrt(-2*math.Log(max(r.float64(), 1e-300))) * math.Cos(2*math.Pi*r.float64())
			x := camp*leaning[j] + noise*0.7
			v := Pass
			if x > 0.3 {
				v = Agree
			} else if x < -0.3 {
				v = Disagree
			}
			votes = append(votes, Vote{Participant: fmt.Sprint(p), Comment: fmt.Sprint(j), Value: v})
		}
	}
	return votes
}

// BenchResult is what Bench measured.
type BenchResult struct {
	Participants, Comments, Votes, Groups int
	Seconds                               float64
}

// Bench analyses participants × comments synthetic votes (each participant
// voting on 10%), for `civicpulse bench text`.
func Bench(participants, comments int) (BenchResult, error) {
	votes := Synthetic(participants, comments, 0.1)
	runtime.GC()
	start := time.Now()
	res, err := Analyze(votes, Options{})
	if err != nil {
		return BenchResult{}, fmt.Errorf("opinion: bench: %w", err)
	}
	return BenchResult{Participants: participants, Comments: comments, Votes: len(votes),
		Groups: len(res.Groups), Seconds: time.Since(start).Seconds()}, nil
}
