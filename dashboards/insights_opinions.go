package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/analysis/opinion"
)

func buildOpinionMap(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	var convs []Component
	for _, c := range v.P.Components {
		if (c.Kind == "document" || c.Kind == "proposals") && (v.Component == 0 || v.Component == c.ID) {
			convs = append(convs, c)
		}
	}
	if len(convs) == 0 {
		return &Result{Warnings: []string{v.T("dash.warn.nothing_to_vote")}}, nil
	}
	if len(convs) == 1 {
		return d.conversation(ctx, v, convs[0])
	}
	r := &Result{}
	for _, c := range convs {
		p, err := d.conversation(ctx, v, c)
		if err != nil {
			return nil, err
		}
		r.Parts = append(r.Parts, p)
	}
	return r, nil
}

// stabilityLine tells officials whether the groups hardly depend on where
// the clustering started, or are one plausible split among several; empty
// for a run that does not know (written before the consensus fit).
func stabilityLine(v View, k, starts, startsAtK int32, mean float64) string {
	if starts <= 0 {
		return ""
	}
	key := "dash.sum.opinions.fragile"
	if (opinion.Stability{Runs: int(starts), Agreement: mean}).Stable() {
		key = "dash.sum.opinions.stable"
	}
	return v.T(key, v.N(int64(startsAtK)), v.N(int64(starts)), v.N(int64(k)), v.F(mean, 2))
}

// groupName names group 0 "A", 1 "B", …
func groupName(v View, g int32) string {
	if g < 0 {
		return v.T("dash.group.none")
	}
	if g < 26 {
		return v.T("dash.group", string(rune('A'+g)))
	}
	return v.T("dash.group", strconv.Itoa(int(g)+1))
}

// textKind names an entity kind of the text analysis (comment, proposal,
// answer) in the view's language.
func textKind(v View, kind string) string {
	if s := v.T("dash.tkind." + kind); s != "dash.tkind."+kind {
		return s
	}
	return kind
}

// conversation is one component's opinion map: the groups (a scatter of
// positions, never names or pseudonyms), each group's representative
// comments and the comments most agree on.
func (d *Dashboards) conversation(ctx context.Context, v View, c Component) (*Result, error) {
	r := &Result{Title: v.T("dash.title.opinion_groups", c.Title)}
	// what names the component's items in keys: comments or proposals.
	what := "comments"
	if c.Kind == "proposals" {
		what = "proposals"
	}
	base := map[string]any{"process": v.P.ID, "component": c.ID}
	var run, participants, clustered, items int64
	var k, starts, startsAtK int32
	var mean float64
	var at time.Time
	err := d.queryRow(ctx, "insight-opinion-run", base).Scan(&run, &participants, &clustered, &items, &k, &at, &starts, &startsAtK, &mean)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && k == 0) {
		r.Warnings = append(r.Warnings, v.T("dash.warn.too_few_votes"))
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dashboards: unable to read the opinion run of component %d: %w", c.ID, err)
	}
	args := map[string]any{"process": v.P.ID, "component": c.ID, "run": run}
	r.Summary = append(r.Summary, v.T("dash.sum.opinions."+what, v.N(participants), v.N(items), v.N(clustered), v.N(int64(k)), v.When(at)))
	if line := stabilityLine(v, k, starts, startsAtK, mean); line != "" {
		r.Summary = append(r.Summary, line)
		// The public page keeps it: it counts clustering starts, not people.
		r.publicSummary = func(*Table) []string { return []string{line} }
	}

	sets := map[int32]*PointSet{}
	var order []int32
	err = d.each(ctx, "insight-opinion-points", args, func(rows *sql.Rows) error {
		var g int32
		var x, y float64
		if err := rows.Scan(&g, &x, &y); err != nil {
			return err
		}
		if sets[g] == nil {
			sets[g] = &PointSet{Name: groupName(v, g)}
			if g < 0 {
				sets[g].Color = "#bbbbbb"
			}
			order = append(order, g)
		}
		sets[g].Points = append(sets[g].Points, [2]float64{x, y})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Table = Table{Columns: []Column{{Label: v.T("dash.col.group"), Kind: Text}, {Label: v.T("dash.col.members"), Kind: Count}, {Label: v.T("dash.col.share_placed"), Kind: Derived, Unit: "%"}}}
	err = d.each(ctx, "insight-opinion-groups", args, func(rows *sql.Rows) error {
		var g int32
		var n int64
		if err := rows.Scan(&g, &n); err != nil {
			return err
		}
		sh := nullCell()
		if clustered > 0 {
			sh = share(float64(n) / float64(clustered))
		}
		r.Table.Rows = append(r.Table.Rows, []Cell{text(groupName(v, g)), count(n), sh})
		return nil
	})
	if err != nil {
		return nil, err
	}
	r.Table.SharesOf(1, float64(clustered))
	r.chart = func(*Table) *Chart {
		// Grouped people first (ECharts' palette in group order), the
		// ungrouped in grey last.
		sort.Slice(order, func(i, j int) bool {
			a, b := order[i], order[j]
			if (a < 0) != (b < 0) {
				return b < 0
			}
			return a < b
		})
		var ss []PointSet
		for _, g := range order {
			ss = append(ss, *sets[g])
		}
		ch := ScatterChart(ss)
		return &ch
	}
	reps, err := d.repness(ctx, v, args, what)
	if err != nil {
		return nil, err
	}
	r.Parts = append(r.Parts, reps...)
	cons, err := d.consensus(ctx, v, args, what)
	if err != nil {
		return nil, err
	}
	if cons != nil {
		r.Parts = append(r.Parts, cons)
	}
	return r, nil
}

func (d *Dashboards) repness(ctx context.Context, v View, args map[string]any, what string) ([]*Result, error) {
	var out []*Result
	byGroup := map[int32]*Result{}
	err := d.each(ctx, "insight-opinion-repness", args, func(rows *sql.Rows) error {
		var g, rank int32
		var body, stance string
		var succ, trials int64
		if err := rows.Scan(&g, &rank, &body, &stance, &succ, &trials); err != nil {
			return err
		}
		p := byGroup[g]
		if p == nil {
			p = &Result{Title: v.T("dash.title.apart", groupName(v, g)), Table: Table{Columns: []Column{
				{Label: itemLabel(v, what), Kind: Text}, {Label: v.T("dash.col.than_others"), Kind: Text},
				{Label: v.T("dash.col.share_group"), Kind: Derived, Unit: "%"}, {Label: v.T("dash.col.voted"), Kind: Count}}}}
			byGroup[g] = p
			out = append(out, p)
		}
		sh := nullCell()
		if trials > 0 {
			sh = share(float64(succ) / float64(trials))
		}
		// Representative means "more than the rest", not "mostly": with
		// sparse supports a group may stand out at a low share.
		verb := v.T("dash.stance.agrees_more")
		if stance == "disagree" {
			verb = v.T("dash.stance.disagrees_more")
		}
		p.Table.Rows = append(p.Table.Rows, []Cell{text(strings.TrimSpace(body)), text(verb), sh, count(trials)})
		return nil
	})
	return out, err
}

// itemLabel is the column heading of a component's items: Comment or
// Proposal.
func itemLabel(v View, what string) string {
	if what == "proposals" {
		return v.T("dash.col.proposal")
	}
	return v.T("dash.col.comment")
}

func (d *Dashboards) consensus(ctx context.Context, v View, args map[string]any, what string) (*Result, error) {
	p := &Result{Title: v.T("dash.title.common_ground." + what), Table: Table{Columns: []Column{
		{Label: itemLabel(v, what), Kind: Text}, {Label: v.T("dash.col.kind"), Kind: Text}, {Label: v.T("dash.col.score"), Kind: Number}}}}
	kinds := map[string]string{"agree": v.T("dash.consensus.agree"), "disagree": v.T("dash.consensus.disagree"), "group-informed": v.T("dash.consensus.across")}
	err := d.each(ctx, "insight-opinion-consensus", args, func(rows *sql.Rows) error {
		var kind, body string
		var rank int32
		var score float64
		if err := rows.Scan(&kind, &rank, &body, &score); err != nil {
			return err
		}
		if k, ok := kinds[kind]; ok {
			kind = k
		}
		p.Table.Rows = append(p.Table.Rows, []Cell{text(strings.TrimSpace(body)), text(kind), num(score)})
		return nil
	})
	if err != nil || len(p.Table.Rows) == 0 {
		return nil, err
	}
	return p, nil
}
