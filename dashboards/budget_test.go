package dashboards

import (
	"slices"
	"testing"
	"time"
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
	if got := nums(t, regions.Table, "Budget asked (KES)"); !slices.Equal(got, []float64{1500, 200}) {
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
