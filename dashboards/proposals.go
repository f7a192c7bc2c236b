package dashboards

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Proposals is the overview of all proposals.
var Proposals = &Dashboard{
	Name: "proposals", Title: "Proposals overview", Audience: "analysts",
	Panels: []*Panel{
		{Name: "proposal-activity", Title: "Proposals and supports over time", Queries: []string{"proposal-activity-by-hour"}, ChartKind: "line",
			Live: []string{"proposal.created", "support.added", "support.removed"}, Publishable: true, build: buildProposalActivity},
		{Name: "proposal-ranking", Title: "Most supported proposals", Queries: []string{"proposal-ranking", "supports-after", "proposal-ranking-at"}, ChartKind: "bar",
			Live: []string{"proposal.created", "support.added", "support.removed"}, Publishable: true, build: buildRanking},
		{Name: "proposal-budget-tags", Title: "Budget asked per tag", Queries: []string{"proposal-budget-by-tag", "proposal-budget-by-tag-at"}, ChartKind: "bar",
			Live: []string{"proposal.created"}, Publishable: true, build: budgetBy("proposal-budget-by-tag", "Tag")},
		{Name: "proposal-budget-regions", Title: "Budget asked per region", Queries: []string{"proposal-budget-by-region", "proposal-budget-by-region-at"}, ChartKind: "bar",
			Live: []string{"proposal.created"}, Publishable: true, build: budgetBy("proposal-budget-by-region", "Region")},
		{Name: "proposal-map", Title: "Located proposals", Queries: []string{"proposal-locations"}, ChartKind: "geo",
			Live: []string{"proposal.created"}, build: buildProposalMap},
	},
}

func buildProposalActivity(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	pts, err := d.hourly(ctx, "proposal-activity-by-hour", v)
	if err != nil {
		return nil, err
	}
	b := v.Buckets()
	created, added, removed := b.Fill(pts["proposal.created"]), b.Fill(pts["support.added"]), b.Fill(pts["support.removed"])
	t := Table{Columns: []Column{{Label: "Period", Kind: Text}, {Label: "Proposals", Kind: Count}, {Label: "Supports", Kind: Count}, {Label: "Withdrawn supports", Kind: Count}}}
	for i, l := range b.Labels() {
		t.Rows = append(t.Rows, []Cell{text(l), count(created[i]), count(added[i]), count(removed[i])})
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		c := LineChart(t.labels(0), []Series{{Name: "Proposals", Values: t.column(1)}, {Name: "Supports", Values: t.column(2)}, {Name: "Withdrawn supports", Values: t.column(3)}})
		return &c
	}}, nil
}

func money(minor int64, currency string) string {
	return strings.TrimSpace(fmt.Sprintf("%s %s", currency, thousands(minor/100)))
}

func buildRanking(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	t := Table{Columns: []Column{{Label: "Proposal", Kind: Text}, {Label: "Region", Kind: Text}, {Label: "Budget", Kind: Text},
		{Label: "Supports", Kind: Count}, {Label: "Supporters", Kind: Count}}}
	// The rollup holds supports to date; a range that ends before the last
	// support (an earlier phase, a date asked) ranks from the facts.
	query := "proposal-ranking"
	var later int64
	if err := d.queryRow(ctx, "supports-after", v.args()).Scan(&later); err != nil {
		return nil, fmt.Errorf("dashboards: unable to run supports-after: %w", err)
	}
	if later > 0 {
		query = "proposal-ranking-at"
	}
	err := d.each(ctx, query, v.args(), func(r *sql.Rows) error {
		var id, budget, sup, supporters int64
		var title, region string
		if err := r.Scan(&id, &title, &region, &budget, &sup, &supporters); err != nil {
			return err
		}
		t.Rows = append(t.Rows, []Cell{text(title), text(region), text(money(budget, v.P.Currency)), count(sup), count(supporters)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		c := BarChart(t.labels(0), []Series{{Name: "Supports", Values: t.column(3)}}, true)
		return &c
	}}, nil
}

func budgetBy(query, label string) func(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	return func(ctx context.Context, d *Dashboards, v View) (*Result, error) {
		t := Table{Columns: []Column{{Label: label, Kind: Text}, {Label: "Proposals", Kind: Count}, {Label: "Authors", Kind: Count},
			{Label: "Budget asked (" + v.P.Currency + ")", Kind: Derived}}}
		// The rollup counts authors new in the range; when proposals came
		// before it ("earlier"), distinct authors come from the facts.
		earlier := false
		err := d.each(ctx, query, v.args(), func(r *sql.Rows) error {
			var name string
			var n, budget, authors, before int64
			if err := r.Scan(&name, &n, &budget, &authors, &before); err != nil {
				return err
			}
			earlier = earlier || before > 0
			if n > 0 {
				t.Rows = append(t.Rows, []Cell{text(name), count(n), count(authors), num(float64(budget / 100))})
			}
			return nil
		})
		if err == nil && earlier {
			t.Rows = nil
			err = d.each(ctx, query+"-at", v.args(), func(r *sql.Rows) error {
				var name string
				var n, budget, authors int64
				if err := r.Scan(&name, &n, &budget, &authors); err != nil {
					return err
				}
				t.Rows = append(t.Rows, []Cell{text(name), count(n), count(authors), num(float64(budget / 100))})
				return nil
			})
		}
		if err != nil {
			return nil, err
		}
		return &Result{Table: t, chart: func(t *Table) *Chart {
			c := BarChart(t.labels(0), []Series{{Name: "Budget asked", Values: t.column(3)}}, true)
			return &c
		}}, nil
	}
}

func buildProposalMap(ctx context.Context, d *Dashboards, v View) (*Result, error) {
	t := Table{Columns: []Column{{Label: "Proposal", Kind: Text}, {Label: "Longitude", Kind: Number}, {Label: "Latitude", Kind: Number}}}
	err := d.each(ctx, "proposal-locations", v.args(), func(r *sql.Rows) error {
		var lng, lat float64
		var title string
		if err := r.Scan(&lng, &lat, &title); err != nil {
			return err
		}
		t.Rows = append(t.Rows, []Cell{text(title), num(lng), num(lat)})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &Result{Table: t, chart: func(t *Table) *Chart {
		names := t.labels(0)
		lng, lat := t.column(1), t.column(2)
		pts := make([][2]float64, len(names))
		for i := range names {
			pts[i] = [2]float64{lng[i], lat[i]}
		}
		c := GeoPoints("Proposals", names, pts)
		return &c
	}}, nil
}
