package dashboards

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/warehouse"
)

// The fixture's proposals: 100 (p1, Alpha, roads, 1,000), 101 (p2, Alpha,
// water+roads, 500) on Mar 1; 102 (p3, Beta, water, 200) on Mar 3.
func TestBudgetPanelsFromRollupsAndFacts(t *testing.T) {
	_, d := fixture(t)
	tags := run(t, d, "proposal-budget-tags", Filter{})
	if got := tags.Table.labels(0); !slices.Equal(got, []string{"roads", "water"}) {
		t.Fatalf("tags = %v", got)
	}
	for label, want := range map[string][]float64{"Proposals": {2, 2}, "Authors": {2, 2}} {
		if got := nums(t, tags.Table, label); !slices.Equal(got, want) {
			t.Errorf("tags %s = %v, want %v", label, got, want)
		}
	}
	regions := run(t, d, "proposal-budget-regions", Filter{})
	if got := regions.Table.labels(0); !slices.Equal(got, []string{"Alpha", "Beta"}) {
		t.Fatalf("regions = %v", got)
	}
	if got := nums(t, regions.Table, "Authors"); !slices.Equal(got, []float64{2, 1}) {
		t.Errorf("authors per region = %v", got)
	}
	if got := nums(t, regions.Table, "Budget asked"); !slices.Equal(got, []float64{1500, 200}) {
		t.Errorf("budget per region = %v", got)
	}
	// From Mar 2 the Mar 1 proposals came before the range: the facts say
	// one water proposal by one author.
	late := run(t, d, "proposal-budget-tags", Filter{From: time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC), To: fxTo})
	if got := late.Table.labels(0); !slices.Equal(got, []string{"water"}) || !slices.Equal(nums(t, late.Table, "Authors"), []float64{1}) {
		t.Errorf("tags from Mar 2 = %v %v", got, nums(t, late.Table, "Authors"))
	}
	// Region filter: Beta only.
	beta := run(t, d, "proposal-budget-tags", Filter{Region: "B"})
	if got := beta.Table.labels(0); !slices.Equal(got, []string{"water"}) || !slices.Equal(nums(t, beta.Table, "Proposals"), []float64{1}) {
		t.Errorf("tags in Beta = %v %v", got, nums(t, beta.Table, "Proposals"))
	}
}

// The region panel names codes itself: '(none)' (no region) is named so,
// a code outside the region set stays a code, equal budgets order by name;
// the rollup path must give what the facts query gives for the same view.
func TestBudgetRegionsNamedLikeTheFacts(t *testing.T) {
	w, err := warehouse.Open(filepath.Join(t.TempDir(), "budget.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	start := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: 5, Slug: "b", Title: "B", TimeZone: "UTC", RegionSetID: 2, Currency: "KES", StartsAt: &start,
			Components: []warehouse.ComponentDim{{ComponentID: 50, Kind: "proposals", Position: 1, Title: "Ideas"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 2, Regions: []warehouse.RegionDim{{Code: "A", Name: "Zeta"}, {Code: "B", Name: "Alpha"}}}},
	}}
	for i, p := range []struct {
		region string
		budget int64
	}{{"A", 500}, {"B", 500}, {"", 300}, {"Z", 900}, {"A", 100}} {
		seq := int64(i + 1)
		at := start.Add(time.Duration(i) * time.Hour)
		b.Events = append(b.Events, warehouse.Event{Seq: seq, Type: "proposal.created", ProcessID: 5, ComponentID: 50, EntityID: seq, Participant: "p", RegionCode: p.region, OccurredAt: at})
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: seq, ProposalID: seq, ProcessID: 5, ComponentID: 50, Participant: "p", RegionCode: p.region, Title: "x", BudgetMinor: p.budget, OccurredAt: at})
		b.To, b.Consumed = warehouse.Cursor{Seq: seq}, seq
	}
	if err := w.Write(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	end := start.Add(24 * time.Hour)
	d, err := New(context.Background(), w.Read(), func() time.Time { return end })
	if err != nil {
		t.Fatal(err)
	}
	r := run(t, d, "proposal-budget-regions", Filter{Process: 5, From: start, To: end})
	want := []string{"Z", "Zeta", "Alpha", "No region given"} // 9, then 6 (A: 5 + 1), 5, 3
	if got := r.Table.labels(0); !slices.Equal(got, want) {
		t.Fatalf("regions = %q, want %q", got, want)
	}
	p, _ := d.Process(context.Background(), 5)
	var facts []string
	err = d.each(context.Background(), "proposal-budget-by-region-at", d.Resolve(p, Filter{Process: 5, From: start, To: end}).args(), func(rows *sql.Rows) error {
		var name string
		var n, budget, authors int64
		err := rows.Scan(&name, &n, &budget, &authors)
		facts = append(facts, p.RegionName(nil, name))
		return err
	})
	slices.Sort(facts)
	if sorted := slices.Sorted(slices.Values(want)); err != nil || !slices.Equal(facts, sorted) {
		t.Errorf("facts query = %q (%v), panel %q", facts, err, want)
	}
	// A and B tie at 5 once the range leaves out A's second proposal.
	r = run(t, d, "proposal-budget-regions", Filter{Process: 5, From: start, To: start.Add(3 * time.Hour)})
	if got := r.Table.labels(0); !slices.Equal(got, []string{"Alpha", "Zeta", "No region given"}) {
		t.Errorf("tied regions = %q", got)
	}
}
