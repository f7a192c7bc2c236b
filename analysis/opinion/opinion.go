// Package opinion finds opinion groups in agree/disagree/pass votes the way
// Pol.is does: a participants × comments vote matrix, a 2-component PCA with
// missing votes filled by the comment mean, ~100 fine "base" clusters,
// k-means over those for k = 2..5 chosen by silhouette, then representative
// comments per group, consensus comments and group-informed consensus.
//
// Pol.is recomputes as votes arrive and each update starts from the last one,
// so its groups depend on that history, which its export does not record.
// Analyze therefore fits the final vote matrix once and runs the clustering
// from many seeded participant orders, returning their consensus and how
// stable it is (consensus.go). Conversation keeps the incremental way (Add
// votes, Update, read the Result) and Replay drives it over a vote stream,
// for studies of Pol.is' own history. All are deterministic for a given
// order of votes.
package opinion

import (
	"errors"
	"fmt"
	"math"
	"sort"
)

// Vote values, as Pol.is exports them.
const (
	Agree    int8 = 1
	Disagree int8 = -1
	Pass     int8 = 0
)

// Vote is one participant's final vote on one comment. When a pair appears
// more than once the last one wins.
type Vote struct {
	Participant string
	Comment     string
	Value       int8
}

// Options tune the analysis; zero values take Pol.is' defaults.
type Options struct {
	// MinVotes a participant needs to be clustered; default min(7, #comments).
	MinVotes int
	// BaseClusters is the number of fine clusters grouped into opinion groups (100).
	BaseClusters int
	// MaxGroups bounds k (5); the lower bound is always 2.
	MaxGroups int
	// Excluded are comments a moderator removed and Pol.is' is-meta
	// comments (about the conversation, not a position in it). They take no
	// part in the map, but, as in Pol.is, they still count as seen (a pass)
	// when a sparse voter's position is scaled out from the centre.
	Excluded []string
	// Runs is how many seeded participant orders Analyze clusters from (30);
	// Seed picks the list of orders, so that a study can measure the spread
	// between lists. Conversation and Replay ignore both.
	Runs int
	Seed uint64
}

// Result is what the analysis found.
type Result struct {
	// Participants holds every participant with at least one vote, in order
	// of their first vote, with their opinion-map position; Group is -1 for
	// those with too few votes.
	Participants []Participant
	// Groups are the opinion groups, largest first; a group's index is its ID.
	Groups []Group
	// Silhouette per tried k (index k-2), the basis of the choice of k; for
	// Analyze, the mean over its runs.
	Silhouette []float64
	// Comments are the comments in the map, with their own map position
	// (where a participant who agreed with only that comment would sit).
	Comments []CommentPoint
	// Consensus are comments most participants agree (or disagree) with.
	Consensus Consensus
	// GroupInformedConsensus ranks every comment by the product over groups
	// of the smoothed agreement probability, highest first.
	GroupInformedConsensus []CommentScore
	// Components are the two principal axes over Comments (same order), and
	// Center the mean vote per comment.
	Components [2][]float64
	Center     []float64
	// Stability says how much the groups depend on where the clustering
	// starts; zero Runs for Conversation and Replay, which fit once.
	Stability Stability
}

// Participant is one participant's place on the opinion map.
type Participant struct {
	ID    string
	X, Y  float64
	Votes int
	Group int
}

// Group is one opinion group.
type Group struct {
	ID             int
	Members        []string
	Center         [2]float64
	Representative []Repness
}

// CommentPoint places a comment on the opinion map.
type CommentPoint struct {
	ID   string
	X, Y float64
}

// Repness tells why a comment represents a group: the group agreed (or
// disagreed) more than the rest of the participants.
type Repness struct {
	Comment     string
	RepfulFor   string  // "agree" or "disagree"
	NSuccess    int     // group members who agreed (disagreed)
	NTrials     int     // group members who voted on it, passes included
	PSuccess    float64 // smoothed probability (n+1)/(N+2)
	PTest       float64 // z of PSuccess against one half
	Repness     float64 // PSuccess over the same probability in the rest
	RepnessTest float64 // z of the two-proportion test, group vs rest
	BestAgree   bool    // the group's strongest agreement, shown first
}

// CommentStat is a comment's smoothed agreement or disagreement overall.
type CommentStat struct {
	Comment  string
	NSuccess int
	NTrials  int
	PSuccess float64
	PTest    float64
}

// Consensus holds the comments with broad agreement and broad disagreement.
type Consensus struct {
	Agree    []CommentStat
	Disagree []CommentStat
}

// CommentScore is a comment with its group-informed consensus.
type CommentScore struct {
	Comment string
	Score   float64
}

// ErrTooFewParticipants is returned when fewer than two participants can be
// clustered.
var ErrTooFewParticipants = errors.New("opinion: too few participants with enough votes")

type cell struct {
	col int32
	val int8
}

// Conversation accumulates votes and keeps the state one update hands to the
// next, as Pol.is does: participants stay in the map once they qualify,
// principal axes keep their orientation, and clusters restart from where they
// were, so groups keep their identity as votes arrive.
type Conversation struct {
	opt      Options
	excluded map[string]bool

	pIndex, cIndex map[string]int
	pIDs, cIDs     []string
	isExcluded     []bool
	// everIn marks who Pol.is would have clustered at some update while the
	// votes arrived: enough votes for the comments there were then, or one of
	// the first greedyN voters; a one-shot fit keeps them (streamInclude).
	everIn  []bool
	nEverIn int
	// rows are the vote matrix as sparse rows; an unvoted cell is the
	// comment's mean and so contributes nothing once centred.
	rows         [][]cell
	colSum, colN []float64

	comps  [2][]float64
	x, y   []float64
	inConv []bool
	base   []savedCluster
	groups map[int][]savedGroup
	// k smoothing, as Pol.is' group-k-smoother.
	lastK, lastKCount, smoothedK int

	// last update's outcome
	silhouette []float64
	groupOf    []int // per participant, -1 outside any group
	nGroups    int
	updated    bool
	stability  Stability
}

type savedCluster struct {
	id      int
	members []int // participant indices
}

type savedGroup struct {
	id    int
	bases []int // base cluster ids
}

// kBuffer is how many consecutive updates a new number of groups must win
// before the groups change shape (Pol.is' group-k-buffer).
const kBuffer = 4

// greedyN participants are always clustered, the most active first, so that a
// young conversation already has a map.
const greedyN = 15

// NewConversation starts an empty conversation.
func NewConversation(opt Options) *Conversation {
	if opt.BaseClusters <= 0 {
		opt.BaseClusters = 100
	}
	if opt.MaxGroups <= 0 {
		opt.MaxGroups = 5
	}
	opt.MaxGroups = max(opt.MaxGroups, 2)
	c := &Conversation{opt: opt, excluded: map[string]bool{}, pIndex: map[string]int{}, cIndex: map[string]int{},
		groups: map[int][]savedGroup{}}
	for _, id := range opt.Excluded {
		c.excluded[id] = true
	}
	return c
}

// Add records votes in the order they were cast; a later vote by the same
// participant on the same comment replaces the earlier one.
func (c *Conversation) Add(votes ...Vote) {
	for _, v := range votes {
		p, ok := c.pIndex[v.Participant]
		if !ok {
			p = len(c.pIDs)
			c.pIndex[v.Participant] = p
			c.pIDs = append(c.pIDs, v.Participant)
			c.rows = append(c.rows, nil)
			c.inConv = append(c.inConv, false)
			c.everIn = append(c.everIn, false)
		}
		j, ok := c.cIndex[v.Comment]
		if !ok {
			j = len(c.cIDs)
			c.cIndex[v.Comment] = j
			c.cIDs = append(c.cIDs, v.Comment)
			c.isExcluded = append(c.isExcluded, c.excluded[v.Comment])
			c.colSum = append(c.colSum, 0)
			c.colN = append(c.colN, 0)
		}
		val := clampVote(v.Value)
		row := c.rows[p]
		found := false
		for k := range row {
			if row[k].col == int32(j) {
				c.colSum[j] += float64(val - row[k].val)
				row[k].val = val
				found = true
				break
			}
		}
		if !found {
			c.rows[p] = append(row, cell{int32(j), val})
			c.colSum[j] += float64(val)
			c.colN[j]++
		}
		c.streamInclude(p)
	}
	c.updated = false
}

// streamInclude applies Pol.is' inclusion rule as if it had updated after
// every vote: p qualifies once their votes reach min(7, comments so far)
// (their count only grows at their own votes and the comment count only
// grows, so checking at each of p's votes is enough), and while fewer than
// greedyN qualify the most active voters are taken in. In Pol.is both stick:
// a participant once in the map stays in it.
func (c *Conversation) streamInclude(p int) {
	minVotes := c.opt.MinVotes
	if minVotes <= 0 {
		minVotes = min(7, len(c.cIDs))
	}
	if !c.everIn[p] && len(c.rows[p]) >= minVotes {
		c.everIn[p] = true
		c.nEverIn++
	}
	if c.nEverIn >= greedyN || c.nEverIn == len(c.pIDs) {
		return
	}
	// Only reached while fewer than greedyN participants exist at all (the
	// top-up takes everyone until then), so the sort stays tiny.
	byVotes := seq(len(c.pIDs))
	sort.SliceStable(byVotes, func(a, b int) bool { return len(c.rows[byVotes[a]]) > len(c.rows[byVotes[b]]) })
	for _, i := range byVotes {
		if c.nEverIn >= greedyN {
			break
		}
		if !c.everIn[i] {
			c.everIn[i] = true
			c.nEverIn++
		}
	}
}

func clampVote(v int8) int8 {
	switch {
	case v > 0:
		return Agree
	case v < 0:
		return Disagree
	}
	return Pass
}

// Replay runs the analysis as Pol.is would have while the votes arrived:
// votes in the order they were cast, an update after each of the cumulative
// counts in ends (ascending), and a last one over all votes.
func Replay(votes []Vote, ends []int, opt Options) (*Result, error) {
	c := NewConversation(opt)
	done := 0
	for _, end := range append(ends, len(votes)) {
		end = min(end, len(votes))
		if end <= done {
			continue
		}
		c.Add(votes[done:end]...)
		done = end
		if err := c.Update(); err != nil && !errors.Is(err, ErrTooFewParticipants) {
			return nil, err
		}
	}
	if !c.updated {
		return c.Result(), ErrTooFewParticipants
	}
	return c.Result(), nil
}

// Every returns update points every n votes, for Replay.
func Every(n, total int) []int {
	n = max(n, 1)
	var ends []int
	for e := n; e < total; e += n {
		ends = append(ends, e)
	}
	return ends
}

func (c *Conversation) nComments() int { return len(c.cIDs) }

func (c *Conversation) center() []float64 {
	center := make([]float64, len(c.cIDs))
	for j := range center {
		if c.colN[j] > 0 && !c.isExcluded[j] {
			center[j] = c.colSum[j] / c.colN[j]
		}
	}
	return center
}

// fitMap starts a fit: the groups forgotten, the principal components
// fitted (from start, Pol.is' warm start, or from nothing) and the points'
// slices made; it returns what projecting a row needs.
func (c *Conversation) fitMap(start [2][]float64) (nComments, nExcluded int, center []float64, err error) {
	c.updated = false
	c.groupOf = make([]int, len(c.pIDs))
	for i := range c.groupOf {
		c.groupOf[i] = -1
	}
	c.nGroups, c.silhouette, c.stability = 0, nil, Stability{}
	nComments = c.nComments()
	if nComments == 0 {
		return 0, 0, nil, ErrTooFewParticipants
	}
	// Excluded comments stay in the matrix as columns everyone passed on, as
	// Pol.is zeroes them: no variance, but they count when scaling sparse voters.
	for _, ex := range c.isExcluded {
		if ex {
			nExcluded++
		}
	}
	center = c.center()
	c.comps = principalComponents(c.rows, c.isExcluded, center, start)
	c.x = make([]float64, len(c.pIDs))
	c.y = make([]float64, len(c.pIDs))
	return nComments, nExcluded, center, nil
}

// Update recomputes the map and the groups from the votes so far, starting
// from the previous update.
func (c *Conversation) Update() error {
	nComments, nExcluded, center, err := c.fitMap(c.comps)
	if err != nil {
		return err
	}
	minVotes := c.opt.MinVotes
	if minVotes <= 0 {
		minVotes = min(7, nComments)
	}
	nIn := 0
	for i, row := range c.rows {
		c.x[i], c.y[i] = project(row, c.isExcluded, center, c.comps, nComments, nExcluded)
		if len(row) >= minVotes {
			c.inConv[i] = true
		}
		if c.inConv[i] {
			nIn++
		}
	}
	if nIn < greedyN {
		byVotes := seq(len(c.pIDs))
		sort.SliceStable(byVotes, func(a, b int) bool { return len(c.rows[byVotes[a]]) > len(c.rows[byVotes[b]]) })
		for _, i := range byVotes {
			if nIn >= greedyN {
				break
			}
			if !c.inConv[i] {
				c.inConv[i] = true
				nIn++
			}
		}
	}

	var inConv []int // participant indices, in order of first vote
	pointOf := make([]int, len(c.pIDs))
	for i := range c.pIDs {
		pointOf[i] = -1
		if c.inConv[i] {
			pointOf[i] = len(inConv)
			inConv = append(inConv, i)
		}
	}
	pts := make([][2]float64, len(inConv))
	ones := make([]float64, len(inConv))
	for k, i := range inConv {
		pts[k] = [2]float64{c.x[i], c.y[i]}
		ones[k] = 1
	}
	if distinctPoints(pts) < 2 {
		return ErrTooFewParticipants
	}

	// Fine clusters first: they smooth the map so that the choice of k rests
	// on the shape of the crowd, not on single participants.
	basePrior := make([]prior, 0, len(c.base))
	for _, b := range c.base {
		p := prior{id: b.id}
		for _, i := range b.members {
			if pointOf[i] >= 0 {
				p.members = append(p.members, pointOf[i])
			}
		}
		basePrior = append(basePrior, p)
	}
	base := kmeans(pts, ones, c.opt.BaseClusters, basePrior)
	c.base = c.base[:0]
	baseCenters := make([][2]float64, len(base))
	baseWeights := make([]float64, len(base))
	baseIndex := map[int]int{}
	for b, cl := range base {
		baseCenters[b] = cl.center
		baseWeights[b] = float64(len(cl.members))
		baseIndex[cl.id] = b
		saved := savedCluster{id: cl.id, members: make([]int, len(cl.members))}
		for k, pt := range cl.members {
			saved.members[k] = inConv[pt]
		}
		c.base = append(c.base, saved)
	}
	if len(base) < 2 {
		return fmt.Errorf("%w: %d distinct positions", ErrTooFewParticipants, len(base))
	}

	maxK := min(c.opt.MaxGroups, 2+len(base)/12)
	dist := distances(baseCenters)
	clusterings := map[int][]cluster{}
	bestK, bestSil := 0, math.Inf(-1)
	for k := 2; k <= maxK; k++ {
		var gp []prior
		for _, g := range c.groups[k] {
			p := prior{id: g.id}
			for _, id := range g.bases {
				if b, ok := baseIndex[id]; ok {
					p.members = append(p.members, b)
				}
			}
			gp = append(gp, p)
		}
		g := kmeans(baseCenters, baseWeights, k, gp)
		clusterings[k] = g
		assign := make([]int, len(base))
		c.groups[k] = c.groups[k][:0]
		for gi, cl := range g {
			saved := savedGroup{id: cl.id}
			for _, b := range cl.members {
				assign[b] = gi
				saved.bases = append(saved.bases, base[b].id)
			}
			c.groups[k] = append(c.groups[k], saved)
		}
		s := silhouette(dist, assign, len(g))
		c.silhouette = append(c.silhouette, s)
		if s > bestSil {
			bestK, bestSil = k, s
		}
	}
	// Change the number of groups only once the new k has won several updates
	// in a row, so that the map does not flicker between shapes.
	if c.lastK == bestK {
		c.lastKCount++
	} else {
		c.lastK, c.lastKCount = bestK, 1
	}
	if c.lastKCount >= kBuffer || clusterings[c.smoothedK] == nil {
		c.smoothedK = bestK
	}
	groups := clusterings[c.smoothedK]

	// Largest group first so that IDs read as a ranking.
	sizes := make([]float64, len(groups))
	for gi, g := range groups {
		for _, b := range g.members {
			sizes[gi] += baseWeights[b]
		}
	}
	rank := rankBySize(sizes)
	for gi, g := range groups {
		for _, b := range g.members {
			for _, pt := range base[b].members {
				c.groupOf[inConv[pt]] = rank[gi]
			}
		}
	}
	c.nGroups = len(groups)
	c.updated = true
	return nil
}

// Result describes the last update: the map, the groups and what sets them
// apart. Call it after Update.
func (c *Conversation) Result() *Result {
	res := &Result{Silhouette: c.silhouette, Stability: c.stability}
	if c.x == nil {
		return res
	}
	center := c.center()
	var cols []int
	for j, ex := range c.isExcluded {
		if !ex {
			cols = append(cols, j)
		}
	}
	nExcluded := len(c.cIDs) - len(cols)
	res.Center = make([]float64, len(cols))
	res.Components = [2][]float64{make([]float64, len(cols)), make([]float64, len(cols))}
	for k, j := range cols {
		res.Center[k] = center[j]
		res.Components[0][k] = c.comps[0][j]
		res.Components[1][k] = c.comps[1][j]
		x, y := project([]cell{{int32(j), Agree}}, c.isExcluded, center, c.comps, c.nComments(), nExcluded)
		res.Comments = append(res.Comments, CommentPoint{ID: c.cIDs[j], X: x, Y: y})
	}
	res.Participants = make([]Participant, len(c.pIDs))
	for i, id := range c.pIDs {
		g := -1
		if c.groupOf != nil {
			g = c.groupOf[i]
		}
		res.Participants[i] = Participant{ID: id, X: c.x[i], Y: c.y[i], Votes: len(c.rows[i]), Group: g}
	}
	res.Groups = make([]Group, c.nGroups)
	members := make([][]int, c.nGroups)
	for i, p := range res.Participants {
		if p.Group < 0 {
			continue
		}
		g := &res.Groups[p.Group]
		g.Members = append(g.Members, p.ID)
		g.Center[0] += p.X
		g.Center[1] += p.Y
		members[p.Group] = append(members[p.Group], i)
	}
	for gi := range res.Groups {
		g := &res.Groups[gi]
		g.ID = gi
		if n := float64(len(g.Members)); n > 0 {
			g.Center[0] /= n
			g.Center[1] /= n
		}
	}
	counts := groupCounts(c.rows, len(c.cIDs), members)
	for gi := range res.Groups {
		res.Groups[gi].Representative = representative(c.cIDs, c.isExcluded, counts, gi)
	}
	res.Consensus = consensus(c.rows, c.cIDs, c.isExcluded)
	res.GroupInformedConsensus = groupInformedConsensus(c.cIDs, c.isExcluded, counts)
	return res
}

// project places a participant on the map using only the votes they cast,
// then scales the point out by sqrt(#comments / #votes): otherwise people who
// voted on little sit near the centre merely for lack of data.
func project(row []cell, excluded []bool, center []float64, comps [2][]float64, nComments, nExcluded int) (x, y float64) {
	seen := nExcluded
	for _, c := range row {
		if excluded[c.col] {
			continue
		}
		seen++
		d := float64(c.val) - center[c.col]
		x += d * comps[0][c.col]
		y += d * comps[1][c.col]
	}
	s := math.Sqrt(float64(nComments) / float64(max(seen, 1)))
	return x * s, y * s
}

func rankBySize(sizes []float64) []int {
	idx := make([]int, len(sizes))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return sizes[idx[a]] > sizes[idx[b]] })
	rank := make([]int, len(sizes))
	for r, i := range idx {
		rank[i] = r
	}
	return rank
}
