package campaign

import (
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

// randomSigs makes n signatures whose values come from a small alphabet,
// so that columns have ties and repeated values.
func randomSigs(r *rand.Rand, n, size, alphabet int) [][]uint32 {
	sigs := make([][]uint32, n)
	for i := range sigs {
		sigs[i] = make([]uint32, size)
		for p := range sigs[i] {
			sigs[i][p] = uint32(r.IntN(alphabet)) * 0x9e3779b9 // spread over the table
		}
	}
	return sigs
}

func TestConsensusIsTheMostCommonValue(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, tc := range []struct{ n, alphabet int }{{1, 5}, {7, 3}, {50, 4}, {3000, 40}, {2500, 5000}} {
		sigs := randomSigs(r, tc.n, 16, tc.alphabet)
		members := make([]int32, tc.n)
		for i := range members {
			members[i] = int32(i)
		}
		got := consensus(sigs, members)
		sample := members
		if len(sample) > consensusSample {
			sample = make([]int32, consensusSample)
			for k := range sample {
				sample[k] = members[k*len(members)/consensusSample]
			}
		}
		for p := range got {
			counts := map[uint32]int{}
			for _, m := range sample {
				counts[sigs[m][p]]++
			}
			best, bestN := uint32(0), 0
			for v, n := range counts {
				if n > bestN || (n == bestN && v < best) {
					best, bestN = v, n
				}
			}
			if got[p] != best {
				t.Fatalf("%d members over %d values, position %d: %d (%d times), want %d (%d times)",
					tc.n, tc.alphabet, p, got[p], counts[got[p]], best, bestN)
			}
		}
	}
}

func TestSortBandIsStable(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{1000, 50_000} {
		entries := make([]bandEntry, n)
		for i := range entries {
			// Few distinct keys, spread over both 16-bit digits.
			entries[i] = bandEntry{key: uint32(r.IntN(300)) * 0x01010101, item: int32(i)}
		}
		want := slices.Clone(entries)
		sort.SliceStable(want, func(a, b int) bool { return want[a].key < want[b].key })
		sortBand(entries, make([]bandEntry, len(entries)))
		if !slices.Equal(entries, want) {
			t.Fatalf("%d entries: sortBand differs from a stable sort by key", n)
		}
	}
}

func TestComponents(t *testing.T) {
	sigs := make([][]uint32, 10)
	for i := range sigs {
		if i != 4 {
			sigs[i] = []uint32{1}
		}
	}
	uf := newUnionFind(len(sigs))
	for _, p := range [][2]int32{{9, 2}, {2, 5}, {4, 2}, {1, 7}, {3, 8}, {8, 6}, {6, 0}} {
		uf.union(p[0], p[1])
	}
	got := components(uf, sigs, 3)
	// {2,5,9} (4 has no signature), {0,3,6,8}; {1,7} is too small.
	want := [][]int32{{0, 3, 6, 8}, {2, 5, 9}}
	if len(got) != len(want) || !slices.Equal(got[0], want[0]) || !slices.Equal(got[1], want[1]) {
		t.Fatalf("components = %v, want %v", got, want)
	}
}

func TestCoreIndexFindsSharedBands(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const rows = 2
	cons := randomSigs(r, 300, 32, 6)
	index := newCoreIndex(cons, rows)
	for _, sig := range randomSigs(r, 200, 32, 6) {
		var got []int32
		index.candidates(sig, func(c int32) { got = append(got, c) })
		var want []int32
		for b := 0; b < len(sig)/rows; b++ {
			for c, cs := range cons {
				if slices.Equal(sig[b*rows:(b+1)*rows], cs[b*rows:(b+1)*rows]) {
					want = append(want, int32(c))
				}
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("candidates %v, want %v", got, want)
		}
	}
}

func TestSignaturesShareExactCopies(t *testing.T) {
	given := []uint32{1, 2, 3}
	items := []Item{
		{Text: "Fix the road to the market"},
		{Text: "fix the ROAD, to the market!"},
		{Text: "!!!"},
		{Text: "something else entirely"},
		{Text: "ignored", Hash: 42, Signature: given},
	}
	sigs, hashes := signatures(items, Options{SignatureSize: 8, ShingleSize: 2})
	h0, s0 := Signature(items[0].Text, Options{SignatureSize: 8, ShingleSize: 2})
	if hashes[0] != h0 || hashes[1] != h0 || !slices.Equal(sigs[0], s0) || !slices.Equal(sigs[1], s0) {
		t.Errorf("exact copies: %x %v and %x %v, want %x %v", hashes[0], sigs[0], hashes[1], sigs[1], h0, s0)
	}
	if sigs[2] != nil {
		t.Errorf("no words: signature %v", sigs[2])
	}
	if h, s := Signature(items[3].Text, Options{SignatureSize: 8, ShingleSize: 2}); hashes[3] != h || !slices.Equal(sigs[3], s) || len(sigs[3]) != cap(sigs[3]) {
		t.Errorf("%v, want %v", sigs[3], s)
	}
	if hashes[4] != 42 || !slices.Equal(sigs[4], given) {
		t.Errorf("given signature replaced: %x %v", hashes[4], sigs[4])
	}
}

func TestConsensusesReuseEqualSets(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	sigs := randomSigs(r, 20, 8, 3)
	known := [][]int32{{0, 1, 2}, {3, 4, 5}}
	knownCons := [][]uint32{{7}, {8}} // not real consensuses: reuse shows
	got := consensuses(sigs, [][]int32{{0, 1, 2}, {3, 4, 5, 6}, {9, 10}}, known, knownCons)
	if !slices.Equal(got[0], knownCons[0]) {
		t.Errorf("equal set: %v, want the known %v", got[0], knownCons[0])
	}
	if want := consensus(sigs, []int32{3, 4, 5, 6}); !slices.Equal(got[1], want) {
		t.Errorf("grown set: %v, want %v", got[1], want)
	}
	if want := consensus(sigs, []int32{9, 10}); !slices.Equal(got[2], want) {
		t.Errorf("new set: %v, want %v", got[2], want)
	}
}
