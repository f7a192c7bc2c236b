// Package demo creates the demo processes of civicpulse and fills them with
// synthetic participation that looks like the real thing, so that every
// dashboard and analysis has something true to find: a national budget
// consultation open now with proposals, a draft statement and a survey;
// four weeks of visits and contributions with a daily rhythm, a radio and
// an SMS campaign, population-weighted counties, opinion groups in the
// votes, correlated survey answers, and a planted form-letter campaign.
// Texts are composed from Kenyan phrase pools (concern × place × request ×
// reason, in English, Kiswahili and mixed), see texts.go.
//
// Everything goes through participation.Store, dated in the past with
// participation.AsOf, in transactions of a few thousand writes, so the
// outbox (and the warehouse fed from it) sees exactly what real use would
// produce, in time order. The same seed gives the same data.
package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// Options size and place the generated data. Zero values take the defaults.
type Options struct {
	Participants int       // people who contribute at least once; default 3,000
	Seed         uint64    // same seed, same data; default 1
	Start        time.Time // first activity; default Days before Now, so the process is live now
	Days         int       // length of the simulated activity; default 28
	// VisitorsPerParticipant is how many distinct visitors come per
	// participant (most only look); default 5.
	VisitorsPerParticipant float64
	ChunkWrites            int              // writes per transaction; default 2,000
	Now                    func() time.Time // default time.Now
	Progress               func(Progress)   // called after each transaction

	trace *trace // tests: the latent truth behind the data
}

// trace records what the generator knows and the store does not, so tests
// can check that the data carries the structure it was given.
type trace struct {
	group  map[int64]int  // participant id → latent opinion group
	stance map[int64]int8 // section comment id → stance on its section
	sec    map[int64]int  // section comment id → section index
}

// Progress reports how far generation is.
type Progress struct {
	Simulated    time.Time // time of the last write
	Until        time.Time // end of the simulated period
	Participants int
	Writes       int64
	Elapsed      time.Duration
}

// Result counts what Generate wrote and names the processes it created.
type Result struct {
	ProcessID           int64 // the main consultation
	Slug                string
	RegisteredProcessID int64 // small, registered-mode process
	DraftProcessID      int64 // unpublished
	RegionSetID         int64
	ProposalsComponent  int64
	DocumentComponent   int64
	SurveyComponent     int64
	Start, End          time.Time

	Participants       int   // created participants
	Registered         int   // of them, registered and verified with the second process
	Visits             int64 // page views
	Visitors           int64 // distinct visitors (before daily hash rotation)
	Proposals          int
	Comments           int // on proposals and sections, replies included, form letters included
	Replies            int
	Amendments         int
	Questions          int
	FormLetters        int
	Votes              int
	Supports           int
	SupportsRevoked    int
	Follows            int
	Responses          int // survey responses started (main and panel surveys)
	CompletedResponses int
	Writes             int64 // store calls that wrote
	Elapsed            time.Duration
}

func (o Options) withDefaults() Options {
	if o.Participants <= 0 {
		o.Participants = 3000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.Days <= 0 {
		o.Days = 28
	}
	if o.VisitorsPerParticipant < 1 {
		o.VisitorsPerParticipant = 5
	}
	if o.ChunkWrites <= 0 {
		o.ChunkWrites = 2000
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Start.IsZero() {
		o.Start = o.Now().Add(-time.Duration(o.Days) * 24 * time.Hour)
	}
	o.Start = o.Start.UTC().Truncate(time.Second)
	return o
}

// Generate creates the region set, the three demo processes and the
// synthetic participation in store. It is meant for an empty store (run it
// twice and there are two copies, the second with clashing slugs).
func Generate(ctx context.Context, store participation.Store, opts Options) (Result, error) {
	began := time.Now()
	opts = opts.withDefaults()
	g, err := newGenerator(opts)
	if err != nil {
		return Result{}, err
	}
	if err := g.setup(ctx, store); err != nil {
		return Result{}, fmt.Errorf("demo: unable to create the processes: %w", err)
	}
	if err := g.run(ctx, store, began); err != nil {
		return g.res, fmt.Errorf("demo: unable to generate participation: %w", err)
	}
	g.res.Elapsed = time.Since(began)
	return g.res, nil
}
