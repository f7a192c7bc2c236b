package insights

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/analysis/opinion"
	"github.com/civicpulse/civicpulse/warehouse"
)

// A conversation is a document component's comments with their votes
// ("comment") or a proposals component's proposals with their supports
// ("proposal"); only document comments take votes, so one component holds
// at most one of them.
const (
	kindComment  = "comment"
	kindProposal = "proposal"
)

type convKey struct {
	process, component int64
	kind               string
}

// conv is a conversation kept between passes, fed only the votes cast since
// the last pass, so that a pass reads the new votes rather than all of
// them. Each run is the consensus fit over the final votes
// (opinion.Conversation.Fit): it depends only on the votes, not on how the
// passes fell, so a rebuilt warehouse or a restarted server finds the same
// groups, and it says how stable they are. A change in the hidden items
// rebuilds it, since excluded comments are fixed when a conversation
// starts.
type conv struct {
	c      *opinion.Conversation
	seq    int64  // newest vote or support fed
	hidden string // the hidden items it was built with, joined
	people map[string]bool
	items  map[string]bool

	// Supports only: who supports what, and the order participants and
	// proposals arrived in (see feedSupports).
	sums       map[[2]string]int
	peopleList []string
	itemList   []string
	// tooBig is set once supporters × proposals pass maxSupportCells.
	tooBig bool
}

// maxSupportCells bounds the dense supporters × proposals matrix of a
// proposals component (see support): 20M cells is ~200 MB of conversation.
// A variable so that a test can reach it.
var maxSupportCells = 20_000_000

func newConv(hidden []string) *conv {
	return &conv{c: opinion.NewConversation(opinion.Options{Excluded: hidden}), hidden: strings.Join(hidden, ","),
		people: map[string]bool{}, items: map[string]bool{}, sums: map[[2]string]int{}}
}

// opinions brings the opinion groups of each conversation of a process up
// to date: a new run when votes (or supports) arrived or the hidden items
// changed since the last one.
func (r *Runner) opinions(ctx context.Context, process int64) error {
	hidden, err := r.hiddenItems(ctx, process)
	if err != nil {
		return err
	}
	var errs []error
	for _, kind := range []string{kindComment, kindProposal} {
		marks, err := r.opinionMarks(ctx, process, kind)
		if err != nil {
			return err
		}
		for _, mk := range marks {
			key := convKey{process, mk[0], kind}
			if err := r.opinion(ctx, key, mk[1], hidden[key]); err != nil {
				if ctx.Err() != nil {
					return ctx.Err()
				}
				errs = append(errs, fmt.Errorf("insights: opinion groups of component %d: %w", key.component, err))
			}
		}
	}
	return errors.Join(errs...)
}

// opinionMarks lists the components holding votes (or supports) with the
// newest seq of each.
func (r *Runner) opinionMarks(ctx context.Context, process int64, kind string) ([][2]int64, error) {
	q := "opinion-vote-marks"
	if kind == kindProposal {
		q = "opinion-support-marks"
	}
	rows, err := r.db.QueryContext(ctx, r.q.Get(q), process)
	if err != nil {
		return nil, fmt.Errorf("insights: unable to list the conversations of process %d: %w", process, err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var m [2]int64
		if err := rows.Scan(&m[0], &m[1]); err != nil {
			return nil, fmt.Errorf("insights: unable to read a conversation: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// hiddenItems are the comments and proposals moderators hid, per
// conversation, in ascending order.
func (r *Runner) hiddenItems(ctx context.Context, process int64) (map[convKey][]string, error) {
	rows, err := r.db.QueryContext(ctx, r.q.Get("opinion-hidden"), process)
	if err != nil {
		return nil, fmt.Errorf("insights: unable to read the hidden items of process %d: %w", process, err)
	}
	defer rows.Close()
	out := map[convKey][]string{}
	for rows.Next() {
		var key convKey
		var id int64
		if err := rows.Scan(&key.component, &key.kind, &id); err != nil {
			return nil, fmt.Errorf("insights: unable to read a hidden item: %w", err)
		}
		key.process = process
		out[key] = append(out[key], strconv.FormatInt(id, 10))
	}
	return out, rows.Err()
}

// opinion runs one conversation when it changed. mark is its newest seq.
func (r *Runner) opinion(ctx context.Context, key convKey, mark int64, hidden []string) error {
	m := r.memo()
	st := m.convs[key]
	fresh := st == nil
	if st != nil && (st.tooBig || st.seq == mark && st.hidden == strings.Join(hidden, ",")) {
		return nil
	}
	if st == nil || st.hidden != strings.Join(hidden, ",") {
		st = newConv(hidden)
		m.convs[key] = st
	}
	if err := r.feed(ctx, key, st); err != nil {
		// Half-fed state cannot be trusted: start over next pass.
		delete(m.convs, key)
		return err
	}
	if st.tooBig {
		r.log.Warn("insights: too many supporters × proposals for an opinion map; component left out",
			"process", key.process, "component", key.component, "supporters", len(st.peopleList), "proposals", len(st.itemList))
		st.c = nil // the memory is what it would cost
		return nil
	}
	if fresh {
		// After a restart the conversation is rebuilt from the facts; the
		// run written before it still holds if no vote came since.
		var last int64
		if err := r.db.QueryRowContext(ctx, r.q.Get("opinion-last-run"), key.process, key.component).Scan(&last); err != nil {
			return fmt.Errorf("insights: unable to read the last run: %w", err)
		}
		if last == st.seq {
			return nil
		}
	}
	res, err := r.analyse(st)
	if err == nil {
		err = r.writeOpinion(ctx, key, st, res)
	}
	if err != nil {
		// Not written: the next pass rebuilds and runs it again.
		delete(m.convs, key)
	}
	return err
}

// analyse fits the conversation's votes so far; a result without groups
// (nil) means too few participants can be placed yet.
func (r *Runner) analyse(st *conv) (*opinion.Result, error) {
	err := st.c.Fit()
	if errors.Is(err, opinion.ErrTooFewParticipants) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("insights: unable to analyse the votes: %w", err)
	}
	return st.c.Result(), nil
}

func (r *Runner) feed(ctx context.Context, key convKey, st *conv) error {
	q := "opinion-votes-after"
	if key.kind == kindProposal {
		q = "opinion-supports-after"
	}
	rows, err := r.db.QueryContext(ctx, r.q.Get(q), key.process, key.component, st.seq)
	if err != nil {
		return fmt.Errorf("insights: unable to read the votes: %w", err)
	}
	defer rows.Close()
	var votes []opinion.Vote
	for rows.Next() {
		var seq, item int64
		var who, vote string
		var delta int8
		if key.kind == kindComment {
			err = rows.Scan(&seq, &who, &item, &vote)
		} else {
			err = rows.Scan(&seq, &who, &item, &delta)
		}
		if err != nil {
			return fmt.Errorf("insights: unable to read a vote: %w", err)
		}
		id := strconv.FormatInt(item, 10)
		if key.kind == kindComment {
			v, err := voteValue(vote)
			if err != nil {
				return err
			}
			votes = append(votes, opinion.Vote{Participant: who, Comment: id, Value: v})
			st.people[who], st.items[id] = true, true
		} else {
			if votes = st.support(votes, who, id, delta); st.tooBig {
				return nil
			}
		}
		st.seq = seq
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("insights: unable to read the votes: %w", err)
	}
	st.c.Add(votes...)
	return nil
}

// voteValue maps the votes of participation (agree, disagree, pass).
func voteValue(v string) (int8, error) {
	switch v {
	case "agree":
		return opinion.Agree, nil
	case "disagree":
		return opinion.Disagree, nil
	case "pass":
		return opinion.Pass, nil
	}
	return 0, fmt.Errorf("insights: unknown vote %q", v)
}

// support turns a support (delta +1) or its withdrawal (-1) into votes: a
// current support is an agree, and every proposal of the component a
// supporter does not support is a pass. Supports alone cannot make a map:
// with agrees only, every comment's mean is 1, so every participant sits
// at the centre (the analysis fills a missing vote with the mean). A pass
// says "saw it, took no side", which is what a supporter who left a
// proposal unsupported did, and a withdrawal returns to it.
func (st *conv) support(votes []opinion.Vote, who, id string, delta int8) []opinion.Vote {
	if (len(st.peopleList)+1)*(len(st.itemList)+1) > maxSupportCells {
		st.tooBig = true
		return nil
	}
	if !st.items[id] {
		for _, p := range st.peopleList {
			if p != who {
				votes = append(votes, opinion.Vote{Participant: p, Comment: id, Value: opinion.Pass})
			}
		}
		st.items[id] = true
		st.itemList = append(st.itemList, id)
	}
	if !st.people[who] {
		for _, it := range st.itemList {
			if it != id {
				votes = append(votes, opinion.Vote{Participant: who, Comment: it, Value: opinion.Pass})
			}
		}
		st.people[who] = true
		st.peopleList = append(st.peopleList, who)
	}
	k := [2]string{who, id}
	st.sums[k] += int(delta)
	v := opinion.Pass
	if st.sums[k] > 0 {
		v = opinion.Agree
	}
	return append(votes, opinion.Vote{Participant: who, Comment: id, Value: v})
}

// shownItems counts the items voted on that are not hidden.
func (st *conv) shownItems() int64 {
	hidden := map[string]bool{}
	for _, id := range strings.Split(st.hidden, ",") {
		hidden[id] = true
	}
	var n int64
	for id := range st.items {
		if !hidden[id] {
			n++
		}
	}
	return n
}

// writeOpinion replaces a conversation's rows with one run; res nil writes a
// run with k = 0 and nothing else (not enough votes yet).
func (r *Runner) writeOpinion(ctx context.Context, key convKey, st *conv, res *opinion.Result) error {
	var runID int64
	if err := r.db.QueryRowContext(ctx, r.q.Get("opinion-next-run")).Scan(&runID); err != nil {
		return fmt.Errorf("insights: unable to number the run: %w", err)
	}
	base := func(vals ...driver.Value) []driver.Value {
		return append([]driver.Value{runID, key.process, key.component}, vals...)
	}
	rows, err := opinionRows(key, res, base)
	if err != nil {
		return err
	}
	participants, items := int64(len(st.people)), st.shownItems()
	var clustered int64
	k, sil := 0, 0.0
	var stab opinion.Stability
	startsAtK := 0
	if res != nil {
		stab = res.Stability
		participants, items = int64(len(res.Participants)), int64(len(res.Comments))
		for _, p := range res.Participants {
			if p.Group >= 0 {
				clustered++
			}
		}
		if k = len(res.Groups); k >= 2 && k-2 < len(res.Silhouette) {
			sil = res.Silhouette[k-2]
		}
		if k >= 2 && k-2 < len(stab.KRuns) {
			startsAtK = stab.KRuns[k-2]
		}
	}
	run := [][]driver.Value{{runID, key.process, key.component, participants, clustered, items, int32(k), sil, st.seq, r.opt.Now().UTC(),
		int32(stab.Runs), int32(startsAtK), stab.Agreement, stab.MinAgreement}}
	return r.wh.InTx(ctx, func(tx *warehouse.Tx) error {
		for _, q := range []string{"opinion-delete-runs", "opinion-delete-participants", "opinion-delete-groups",
			"opinion-delete-repness", "opinion-delete-consensus"} {
			if err := tx.Exec(r.q.Get(q), key.process, key.component); err != nil {
				return fmt.Errorf("insights: unable to clear the opinion groups of component %d: %w", key.component, err)
			}
		}
		if err := tx.Append("opinion_runs", run); err != nil {
			return err
		}
		for _, t := range []string{"opinion_participants", "opinion_groups", "opinion_repness", "opinion_consensus"} {
			if err := tx.Append(t, rows[t]); err != nil {
				return err
			}
		}
		return nil
	})
}

// consensusTop is how many comments each consensus kind keeps.
const consensusTop = 10

// opinionRows lays a result out as the tables' rows, with comment ids parsed
// back into entity ids.
func opinionRows(key convKey, res *opinion.Result, base func(...driver.Value) []driver.Value) (map[string][][]driver.Value, error) {
	out := map[string][][]driver.Value{}
	if res == nil {
		return out, nil
	}
	for _, p := range res.Participants {
		out["opinion_participants"] = append(out["opinion_participants"], base(p.ID, p.X, p.Y, int32(p.Votes), int32(p.Group)))
	}
	for _, g := range res.Groups {
		out["opinion_groups"] = append(out["opinion_groups"], base(int32(g.ID), int64(len(g.Members)), g.Center[0], g.Center[1]))
		for rank, rp := range g.Representative {
			id, err := strconv.ParseInt(rp.Comment, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("insights: bad comment id %q: %w", rp.Comment, err)
			}
			out["opinion_repness"] = append(out["opinion_repness"], base(int32(g.ID), int32(rank+1), key.kind, id,
				rp.RepfulFor, int64(rp.NSuccess), int64(rp.NTrials), rp.PSuccess, rp.Repness, rp.RepnessTest))
		}
	}
	type scored struct {
		comment string
		score   float64
	}
	kinds := map[string][]scored{}
	for _, c := range res.Consensus.Agree {
		kinds["agree"] = append(kinds["agree"], scored{c.Comment, c.PSuccess})
	}
	for _, c := range res.Consensus.Disagree {
		kinds["disagree"] = append(kinds["disagree"], scored{c.Comment, c.PSuccess})
	}
	for _, c := range res.GroupInformedConsensus {
		kinds["group-informed"] = append(kinds["group-informed"], scored{c.Comment, c.Score})
	}
	names := make([]string, 0, len(kinds))
	for k := range kinds {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, kind := range names {
		for rank, s := range kinds[kind][:min(consensusTop, len(kinds[kind]))] {
			id, err := strconv.ParseInt(s.comment, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("insights: bad comment id %q: %w", s.comment, err)
			}
			out["opinion_consensus"] = append(out["opinion_consensus"], base(kind, int32(rank+1), key.kind, id, s.score))
		}
	}
	return out, nil
}
