package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/analysis/cluster"
	"github.com/civicpulse/civicpulse/analysis/opinion"
	"github.com/civicpulse/civicpulse/internal/polis"
)

// runAnalyze runs the analysis packages on files from elsewhere (a Pol.is
// export, a CSV of consultation responses), for analysts, without a store.
func runAnalyze(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "opinions":
			return runAnalyzeOpinions(ctx, args[1:])
		case "themes":
			return runAnalyzeThemes(ctx, args[1:])
		}
	}
	return errors.New("usage: civicpulse analyze opinions --polis-export DIR --out FILE.csv [--seed N] [--replay [--every N]]\n" +
		"       civicpulse analyze themes --csv FILE --text-column NAME [--group-by COL,COL] --out FILE.csv")
}

func runAnalyzeOpinions(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("analyze opinions", flag.ContinueOnError)
	dir := fs.String("polis-export", "", "folder of a Pol.is export (comments.csv, votes.csv)")
	out := fs.String("out", "", "CSV to write: participant,group (group blank when not clustered); - for standard output")
	seed := fs.Uint64("seed", 0, "which list of seeded starts the groups are clustered from: the same seed gives the same groups")
	replay := fs.Bool("replay", false, "for studies: replay the votes as Pol.is computed while the conversation ran, each update starting from the last, instead of one fit on the final votes from many starts")
	every := fs.Int("every", 10, "with --replay: recompute every this many votes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("analyze opinions: --polis-export and --out are required")
	}
	if *every < 1 {
		return errors.New("analyze opinions: --every must be at least 1")
	}
	everySet := false
	fs.Visit(func(f *flag.Flag) { everySet = everySet || f.Name == "every" })
	if everySet && !*replay {
		return errors.New("analyze opinions: --every only applies with --replay")
	}
	how := opinionFit{seed: *seed}
	if *replay {
		how.every = *every
	}
	groups, st, err := opinionGroups(*dir, how)
	if err != nil {
		return err
	}
	sizes := map[int]int{}
	err = writeCSV(*out, func(w *csv.Writer) error {
		if err := w.Write([]string{"participant", "group"}); err != nil {
			return err
		}
		for _, p := range groups {
			g := ""
			if p.group >= 0 {
				g = strconv.Itoa(p.group)
			}
			sizes[p.group]++
			if err := w.Write([]string{strconv.Itoa(p.id), g}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("analyze opinions: %w", err)
	}
	var desc []string
	for g := 0; sizes[g] > 0; g++ {
		desc = append(desc, fmt.Sprintf("group %d: %d", g, sizes[g]))
	}
	fmt.Fprintf(os.Stderr, "%d participants, %d groups (%s), %d not clustered → %s\n",
		len(groups), len(desc), strings.Join(desc, ", "), sizes[-1], *out)
	if st.Runs > 0 {
		verdict := "fragile: other starts split the participants differently; read them as one plausible split"
		if st.Stable() {
			verdict = "stable"
		}
		fmt.Fprintf(os.Stderr, "groups %s (agreement of %d starts with the consensus: mean %.2f, worst %.2f)\n",
			verdict, st.Runs, st.Agreement, st.MinAgreement)
	}
	return nil
}

// opinionFit says how to find the groups: the consensus of many seeded
// starts on the final votes (every 0), or a replay recomputing every so many
// votes.
type opinionFit struct {
	seed  uint64
	every int
}

type participantGroup struct{ id, group int }

// opinionGroups reads a Pol.is export and returns every participant it
// names (voters, authors, and the rows of participants-votes.csv), in id
// order, with the opinion group found (-1 when not clustered).
func opinionGroups(dir string, how opinionFit) ([]participantGroup, opinion.Stability, error) {
	var none opinion.Stability
	if fi, err := os.Stat(dir); err != nil {
		return nil, none, fmt.Errorf("analyze opinions: no Pol.is export folder at %s", dir)
	} else if !fi.IsDir() {
		return nil, none, fmt.Errorf("analyze opinions: %s is not a folder", dir)
	}
	e, err := polis.Read(dir)
	if err != nil {
		return nil, none, fmt.Errorf("analyze opinions: %s: %w", dir, err)
	}
	if len(e.Votes) == 0 {
		return nil, none, fmt.Errorf("analyze opinions: the conversation in %s has no votes", dir)
	}
	// In the order votes were cast: the fit keeps whom Pol.is clustered
	// early, and a replay follows Pol.is' updates.
	cast := append([]polis.Vote(nil), e.Votes...)
	sort.SliceStable(cast, func(i, j int) bool { return cast[i].Created.Before(cast[j].Created) })
	votes := make([]opinion.Vote, len(cast))
	for i, v := range cast {
		votes[i] = opinion.Vote{Participant: strconv.Itoa(v.VoterID), Comment: strconv.Itoa(v.CommentID), Value: v.Value}
	}
	opt := opinion.Options{Seed: how.seed}
	for _, c := range append(e.ModeratedOut(), e.Meta()...) {
		opt.Excluded = append(opt.Excluded, strconv.Itoa(c))
	}
	var res *opinion.Result
	if how.every == 0 {
		res, err = opinion.Analyze(votes, opt)
	} else {
		res, err = opinion.Replay(votes, opinion.Every(how.every, len(votes)), opt)
	}
	if errors.Is(err, opinion.ErrTooFewParticipants) {
		return nil, none, fmt.Errorf("analyze opinions: %s: fewer than two participants voted on enough comments to form groups", dir)
	}
	if err != nil {
		return nil, none, fmt.Errorf("analyze opinions: %s: %w", dir, err)
	}
	group := map[int]int{}
	add := func(id int) {
		if _, ok := group[id]; !ok {
			group[id] = -1
		}
	}
	for _, p := range e.Participants {
		add(p.ID)
	}
	for _, v := range e.Votes {
		add(v.VoterID)
	}
	for _, c := range e.Comments {
		add(c.AuthorID)
	}
	for _, p := range res.Participants {
		id, err := strconv.Atoi(p.ID)
		if err != nil {
			return nil, none, fmt.Errorf("analyze opinions: participant id %q: %w", p.ID, err)
		}
		group[id] = p.Group
	}
	out := make([]participantGroup, 0, len(group))
	for id, g := range group {
		out = append(out, participantGroup{id, g})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out, res.Stability, nil
}

func runAnalyzeThemes(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("analyze themes", flag.ContinueOnError)
	in := fs.String("csv", "", "CSV with a header row, one text per row")
	column := fs.String("text-column", "", "column holding the text")
	groupBy := fs.String("group-by", "", "comma-separated columns; themes are fitted within each combination of their values")
	out := fs.String("out", "", "CSV to write: row,group,theme,label,representative; - for standard output")
	k := fs.Int("themes", 0, "themes per group; 0 chooses the number from the data")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same themes")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *column == "" || *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("analyze themes: --csv, --text-column and --out are required")
	}
	var by []string
	if *groupBy != "" {
		for _, c := range strings.Split(*groupBy, ",") {
			by = append(by, strings.TrimSpace(c))
		}
	}
	rows, err := readTextCSV(*in, *column, by)
	if err != nil {
		return fmt.Errorf("analyze themes: %w", err)
	}
	res, err := fitThemes(rows, cluster.Options{K: *k, Seed: *seed})
	if err != nil {
		return fmt.Errorf("analyze themes: %w", err)
	}
	err = writeCSV(*out, func(w *csv.Writer) error {
		if err := w.Write([]string{"row", "group", "theme", "label", "representative"}); err != nil {
			return err
		}
		for i, r := range rows {
			theme, label := "", ""
			if t := res.theme[i]; t > 0 {
				theme, label = strconv.Itoa(t), res.labels[t]
			}
			if err := w.Write([]string{strconv.Itoa(i + 1), r.group, theme, label, strconv.FormatBool(res.representative[i])}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("analyze themes: %w", err)
	}
	fmt.Fprintf(os.Stderr, "%d rows in %d groups: %d themes, %d rows without a theme (empty or no content words) → %s\n",
		len(rows), res.groups, len(res.labels)-1, res.unthemed, *out)
	return nil
}

// textRow is one data row of the input: its text and its group key.
type textRow struct{ text, group string }

// readTextCSV reads the text column and the group key of every data row.
func readTextCSV(path, column string, groupBy []string) ([]textRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("unable to open the input: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s is empty: it needs a header row", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	index := map[string]int{}
	for i, h := range header {
		index[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	find := func(name string) (int, error) {
		if i, ok := index[name]; ok {
			return i, nil
		}
		names := make([]string, len(header))
		for i, h := range header {
			names[i] = strconv.Quote(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		}
		return 0, fmt.Errorf("%s has no column %q; its columns are %s", path, name, strings.Join(names, ", "))
	}
	textAt, err := find(column)
	if err != nil {
		return nil, err
	}
	keyAt := make([]int, len(groupBy))
	for i, c := range groupBy {
		if keyAt[i], err = find(c); err != nil {
			return nil, err
		}
	}
	var rows []textRow
	key := make([]string, len(groupBy))
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err) // a csv.ParseError names the line
		}
		for i, at := range keyAt {
			key[i] = rec[at]
		}
		rows = append(rows, textRow{text: rec[textAt], group: strings.Join(key, "|")})
	}
}

type themesResult struct {
	theme          []int    // per row: theme number from 1, 0 for none
	labels         []string // by theme number; [0] unused
	representative []bool   // per row
	groups         int
	unthemed       int
}

// fitThemes fits themes within each group separately; theme numbers run on
// across groups so that each names one theme in the whole output.
func fitThemes(rows []textRow, opt cluster.Options) (themesResult, error) {
	res := themesResult{theme: make([]int, len(rows)), labels: []string{""}, representative: make([]bool, len(rows))}
	members := map[string][]int{}
	var order []string
	for i, r := range rows {
		if _, ok := members[r.group]; !ok {
			order = append(order, r.group)
			members[r.group] = nil
		}
		if strings.TrimSpace(r.text) != "" {
			members[r.group] = append(members[r.group], i)
		}
	}
	res.groups = len(order)
	for _, g := range order {
		idx := members[g]
		texts := make([]string, len(idx))
		for j, i := range idx {
			texts[j] = rows[i].text
		}
		m, assign, err := cluster.Fit(texts, opt)
		if errors.Is(err, cluster.ErrTooFewTexts) {
			continue // a group too small or too empty to have themes
		}
		if err != nil {
			return res, fmt.Errorf("group %q: %w", g, err)
		}
		base := len(res.labels)
		for _, th := range m.Themes {
			res.labels = append(res.labels, strings.Join(th.Label, ", "))
			for _, r := range th.Representatives {
				res.representative[idx[r]] = true
			}
		}
		for j, t := range assign {
			if t >= 0 {
				res.theme[idx[j]] = base + t
			}
		}
	}
	for _, t := range res.theme {
		if t == 0 {
			res.unthemed++
		}
	}
	return res, nil
}

// writeCSV writes to a temporary file next to path and renames it into
// place, so a failed run never leaves half a file where a good one was.
func writeCSV(path string, fill func(w *csv.Writer) error) error {
	if path == "-" {
		w := csv.NewWriter(os.Stdout)
		if err := fill(w); err != nil {
			return err
		}
		w.Flush()
		return w.Error()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("unable to create %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("unable to create %s: %w", path, err)
	}
	w := csv.NewWriter(tmp)
	if err := fill(w); err != nil {
		tmp.Close()
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	w.Flush()
	if err := w.Error(); err != nil {
		tmp.Close()
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("unable to write %s: %w", path, err)
	}
	return nil
}
