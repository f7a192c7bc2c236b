package metrics

import (
	"math"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestAdjustedRand(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []int
		want float64
	}{
		{"identical up to renaming", []int{0, 0, 1, 1, 2, 2}, []int{5, 5, 3, 3, 9, 9}, 1},
		// Reference value from scikit-learn's adjusted_rand_score documentation.
		{"sklearn example", []int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 0.5714285714285714},
		{"independent", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, -0.5},
		{"both one cluster", []int{1, 1, 1}, []int{2, 2, 2}, 1},
	} {
		if got := AdjustedRand(tc.a, tc.b); !near(got, tc.want) {
			t.Errorf("%s: ARI = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestNMI(t *testing.T) {
	for _, tc := range []struct {
		name string
		a, b []int
		want float64
	}{
		{"identical up to renaming", []int{0, 0, 1, 1}, []int{1, 1, 0, 0}, 1},
		{"independent", []int{0, 0, 1, 1}, []int{0, 1, 0, 1}, 0},
		// scikit-learn normalized_mutual_info_score([0,0,1,2],[0,0,1,1]) (arithmetic).
		{"partial", []int{0, 0, 1, 2}, []int{0, 0, 1, 1}, 0.8},
	} {
		if got := NMI(tc.a, tc.b); math.Abs(got-tc.want) > 1e-3 {
			t.Errorf("%s: NMI = %v, want %v", tc.name, got, tc.want)
		}
	}
}
