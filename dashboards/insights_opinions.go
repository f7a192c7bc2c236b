package dashboards

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

func buildOpinionMap(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	var convs []Component
	for _, c := range v.P.Components {
		if (c.Kind == "document" || c.Kind == "proposals") && (v.Component == 0 || v.Component == c.ID) {
			convs = append(convs, c)
		}
	}
	if len(convs) == 0 {
		return &Result{Warnings: []string{"Not enough votes yet: the process has no document or proposals to vote on."}}, nil
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

// groupName names group 0 "A", 1 "B", …
func groupName(g int32) string {
	if g < 0 {
		return "Not grouped (too few votes)"
	}
	if g < 26 {
		return "Group " + string(rune('A'+g))
	}
	return fmt.Sprintf("Group %d", g+1)
}

// conversation is one component's opinion map: the groups (a scatter of
// positions, never names or pseudonyms), each group's representative
// comments and the comments most agree on.
func (d *Dashboards) conversation(ctx context.Context, v View, c Component) (*Result, error) {
	r := &Result{Title: "Opinion groups: " + c.Title}
	what := "comments"
	if c.Kind == "proposals" {
		what = "proposals"
	}
	base := map[string]any{"process": v.P.ID, "component": c.ID}
	var run, participants, clustered, items int64
	var k int32
	var at time.Time
	err := d.queryRow(ctx, "insight-opinion-run", base).Scan(&run, &participants, &clustered, &items, &k, &at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && k == 0) {
		r.Warnings = append(r.Warnings, "Not enough votes yet to find opinion groups.")
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dashboards: unable to read the opinion run of component %d: %w", c.ID, err)
	}
	args := map[string]any{"process": v.P.ID, "component": c.ID, "run": run}
	r.Summary = append(r.Summary, fmt.Sprintf("%s participants voted on %s %s; %s of them voted enough to be placed, in %d groups (as of %s).",
		thousands(participants), thousands(items), what, thousands(clustered), k, at.In(v.P.TimeZone).Format("Jan 2 15:04")))

	sets := map[int32]*PointSet{}
	var order []int32
	err = d.each(ctx, "insight-opinion-points", args, func(rows *sql.Rows) error {
		var g int32
		var x, y float64
		if err := rows.Scan(&g, &x, &y); err != nil {
			return err
		}
		if sets[g] == nil {
			sets[g] = &PointSet{Name: groupName(g)}
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
	r.Table = Table{Columns: []Column{{Label: "Group", Kind: Text}, {Label: "Members", Kind: Count}, {Label: "Share of those placed", Kind: Derived, Unit: "%"}}}
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
		r.Table.Rows = append(r.Table.Rows, []Cell{text(groupName(g)), count(n), sh})
		return nil
	})
	if err != nil {
		return nil, err
	}
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
	reps, err := d.repness(ctx, args, what)
	if err != nil {
		return nil, err
	}
	r.Parts = append(r.Parts, reps...)
	cons, err := d.consensus(ctx, args, what)
	if err != nil {
		return nil, err
	}
	if cons != nil {
		r.Parts = append(r.Parts, cons)
	}
	return r, nil
}

func (d *Dashboards) repness(ctx context.Context, args map[string]any, what string) ([]*Result, error) {
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
			p = &Result{Title: groupName(g) + ": what sets it apart", Table: Table{Columns: []Column{
				{Label: strings.ToUpper(what[:1]) + what[1:len(what)-1], Kind: Text}, {Label: "Than the others, the group", Kind: Text},
				{Label: "Share of the group", Kind: Derived, Unit: "%"}, {Label: "Voted", Kind: Count}}}}
			byGroup[g] = p
			out = append(out, p)
		}
		sh := nullCell()
		if trials > 0 {
			sh = share(float64(succ) / float64(trials))
		}
		// Representative means "more than the rest", not "mostly": with
		// sparse supports a group may stand out at a low share.
		verb := "agrees more"
		if stance == "disagree" {
			verb = "disagrees more"
		}
		p.Table.Rows = append(p.Table.Rows, []Cell{text(strings.TrimSpace(body)), text(verb), sh, count(trials)})
		return nil
	})
	return out, err
}

func (d *Dashboards) consensus(ctx context.Context, args map[string]any, what string) (*Result, error) {
	p := &Result{Title: "Common ground: " + what + " most agree (or disagree) on", Table: Table{Columns: []Column{
		{Label: strings.ToUpper(what[:1]) + what[1:len(what)-1], Kind: Text}, {Label: "Kind", Kind: Text}, {Label: "Score", Kind: Number}}}}
	kinds := map[string]string{"agree": "most agree", "disagree": "most disagree", "group-informed": "agreed across groups"}
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
