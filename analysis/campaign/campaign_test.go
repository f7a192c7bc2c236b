package campaign

import (
	"encoding/csv"
	"fmt"
	"github.com/civicpulse/civicpulse/internal/racecheck"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"
)

// realComments reads the English comments of the Pol.is biodiversity
// conversation and the IBM ArgKP arguments.
func realComments(t testing.TB) []string {
	t.Helper()
	var out []string
	read := func(path, column string) {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		rows, err := csv.NewReader(f).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := -1
		for i, h := range rows[0] {
			if h == column {
				col = i
			}
		}
		for _, r := range rows[1:] {
			out = append(out, r[col])
		}
	}
	read("../../testdata/polis/scoop-hivemind.biodiversity/comments.csv", "comment-body")
	read("../../testdata/argkp/arguments_train.csv", "argument")
	return out
}

// swapWords rewrites a template with a share of its words replaced by other
// words from the corpus. Random replacements are harder to catch than the
// synonyms a real campaign uses: two copies rarely pick the same one.
func swapWords(r *rand.Rand, template string, share float64, vocab []string) string {
	words := strings.Fields(template)
	n := int(float64(len(words))*share + 0.5)
	for _, k := range r.Perm(len(words))[:n] {
		words[k] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(words, " ")
}

type plantedSet struct {
	items    []Item
	campaign map[string]int // item id → planted campaign, absent for real comments
}

func plant(t testing.TB, r *rand.Rand, real []string, nCampaigns int, copies func() int, share float64) plantedSet {
	var vocab []string
	for _, s := range real {
		vocab = append(vocab, strings.Fields(s)...)
	}
	// Templates are real comments of at least 12 words, taken out of the
	// real pool.
	perm := r.Perm(len(real))
	var templates []string
	var pool []string
	for _, i := range perm {
		if len(templates) < nCampaigns && len(strings.Fields(real[i])) >= 12 {
			templates = append(templates, real[i])
			continue
		}
		pool = append(pool, real[i])
	}
	p := plantedSet{campaign: map[string]int{}}
	start := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	for i, s := range pool {
		p.items = append(p.items, Item{ID: fmt.Sprintf("r%d", i), Text: s,
			Time: start.Add(time.Duration(r.IntN(30*24*60)) * time.Minute), Region: fmt.Sprintf("county-%d", r.IntN(47))})
	}
	for c, tpl := range templates {
		burst := start.Add(time.Duration(r.IntN(25*24)) * time.Hour)
		for k := range copies() {
			id := fmt.Sprintf("c%d-%d", c, k)
			p.campaign[id] = c
			p.items = append(p.items, Item{ID: id, Text: swapWords(r, tpl, share, vocab),
				Time: burst.Add(time.Duration(r.IntN(6*60)) * time.Minute), Region: fmt.Sprintf("county-%d", r.IntN(3))})
		}
	}
	r.Shuffle(len(p.items), func(i, j int) { p.items[i], p.items[j] = p.items[j], p.items[i] })
	return p
}

func score(p plantedSet, found []Campaign) (precision, recall float64, merged int) {
	predicted, tp := 0, 0
	for _, c := range found {
		seen := map[int]bool{}
		for _, id := range c.Members {
			predicted++
			if pc, ok := p.campaign[id]; ok {
				tp++
				seen[pc] = true
			}
		}
		if len(seen) > 1 {
			merged++
		}
	}
	return float64(tp) / float64(max(predicted, 1)), float64(tp) / float64(len(p.campaign)), merged
}

// TestPlantedCampaigns mixes real comments with templates rewritten with 20%
// of their words swapped: campaign members must be found with recall and
// precision of at least 0.95.
func TestPlantedCampaigns(t *testing.T) {
	if racecheck.Enabled {
		t.Skip("external check: runs in make test's pass without the race detector")
	}
	real := realComments(t)
	for _, tc := range []struct {
		name   string
		copies func(r *rand.Rand) int
	}{
		{"small campaigns (10-40 copies)", func(r *rand.Rand) int { return 10 + r.IntN(31) }},
		{"large campaigns (50-500 copies)", func(r *rand.Rand) int { return 50 + r.IntN(451) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(42, 6))
			p := plant(t, r, real, 40, func() int { return tc.copies(r) }, 0.2)
			found := Detect(p.items, Options{})
			precision, recall, merged := score(p, found)
			t.Logf("%d items, %d planted copies in 40 campaigns: found %d campaigns, precision %.4f, recall %.4f, %d mixing planted campaigns",
				len(p.items), len(p.campaign), len(found), precision, recall, merged)
			if precision < 0.95 || recall < 0.95 {
				t.Errorf("precision %.4f, recall %.4f, want both ≥ 0.95", precision, recall)
			}
			if merged > 0 {
				t.Errorf("%d campaigns mix planted templates", merged)
			}
		})
	}
}

// TestSmallCampaignsAcrossSeeds: one draw of small campaigns can be lucky or
// not (recall 0.92-1.00 between seeds), so the mean over twelve draws is
// checked too. Before campaigns were attached until settled it was 0.961.
func TestSmallCampaignsAcrossSeeds(t *testing.T) {
	if racecheck.Enabled {
		t.Skip("external check: runs in make test's pass without the race detector")
	}
	real := realComments(t)
	const seeds = 12
	var sumP, sumR float64
	for seed := uint64(1); seed <= seeds; seed++ {
		r := rand.New(rand.NewPCG(seed, 6))
		p := plant(t, r, real, 40, func() int { return 10 + r.IntN(31) }, 0.2)
		precision, recall, merged := score(p, Detect(p.items, Options{}))
		if merged > 0 {
			t.Errorf("seed %d: %d campaigns mix planted templates", seed, merged)
		}
		sumP += precision
		sumR += recall
	}
	t.Logf("mean over %d draws: precision %.4f, recall %.4f", seeds, sumP/seeds, sumR/seeds)
	if sumP/seeds < 0.99 || sumR/seeds < 0.965 {
		t.Errorf("mean precision %.4f, recall %.4f, want ≥ 0.99 and ≥ 0.965", sumP/seeds, sumR/seeds)
	}
}

func TestCampaignFigures(t *testing.T) {
	base := time.Date(2026, 5, 4, 9, 0, 0, 0, time.UTC)
	tpl := "Please protect the wetlands of the lower river valley from the new highway because the birds that nest there have nowhere else to go"
	r := rand.New(rand.NewPCG(1, 1))
	vocab := strings.Fields("road water land people county money school market health farm")
	var items []Item
	// 12 copies in the first hour, 6 later; 4 exact copies among them.
	for k := range 18 {
		at := base.Add(time.Duration(k*5) * time.Minute)
		if k >= 12 {
			at = base.Add(time.Duration(k) * 3 * time.Hour)
		}
		s := swapWords(r, tpl, 0.2, vocab)
		if k < 4 {
			s = strings.ToUpper(tpl) + "!!" // same words, other case and punctuation
		}
		region := "Nakuru"
		if k%3 == 0 {
			region = "Kisumu"
		}
		items = append(items, Item{ID: fmt.Sprint("c", k), Text: s, Time: at, Region: region})
	}
	items = append(items,
		Item{ID: "other1", Text: "The county should publish the budget for the new market before the vote", Time: base},
		Item{ID: "other2", Text: "Street lights on the main road have been broken for months", Time: base},
		Item{ID: "empty", Text: "!!!", Time: base})
	found := Detect(items, Options{})
	if len(found) != 1 {
		t.Fatalf("%d campaigns, want 1: %+v", len(found), found)
	}
	c := found[0]
	if c.Copies != 18 || len(c.Members) != 18 {
		t.Errorf("copies = %d, members = %d, want 18", c.Copies, len(c.Members))
	}
	if c.Exact != 4 {
		t.Errorf("exact = %d, want 4", c.Exact)
	}
	if c.PeakPerHour != 12 {
		t.Errorf("peak per hour = %d, want 12", c.PeakPerHour)
	}
	if !c.FirstSeen.Equal(base) || !c.LastSeen.Equal(base.Add(51*time.Hour)) {
		t.Errorf("first %v last %v", c.FirstSeen, c.LastSeen)
	}
	if len(c.Regions) != 2 || c.Regions[0] != (RegionCount{"Nakuru", 12}) || c.Regions[1] != (RegionCount{"Kisumu", 6}) {
		t.Errorf("regions = %+v", c.Regions)
	}
	if !strings.EqualFold(strings.Trim(c.Template, "!"), tpl) {
		// The exact copies are the template itself, so it is the medoid.
		t.Errorf("template = %q", c.Template)
	}
	for _, id := range c.Members {
		if strings.HasPrefix(id, "other") || id == "empty" {
			t.Errorf("unrelated %s in campaign", id)
		}
	}
}

func TestGivenSignatures(t *testing.T) {
	tpl := "We the residents of the ward ask the assembly to reject the proposed increase in water tariffs this year"
	var items []Item
	for k := range 12 {
		h, sig := Signature(tpl, Options{})
		items = append(items, Item{ID: fmt.Sprint(k), Hash: h, Signature: sig})
	}
	if found := Detect(items, Options{}); len(found) != 1 || found[0].Copies != 12 || found[0].Exact != 12 {
		t.Errorf("found %+v", found)
	}
}

func BenchmarkDetect100k(b *testing.B) {
	items, _ := Synthetic(100_000, 1)
	b.ResetTimer()
	for b.Loop() {
		Detect(items, Options{})
	}
}

// BenchmarkDetect1k: a small batch, where fixed costs per call show.
func BenchmarkDetect1k(b *testing.B) {
	items, _ := Synthetic(1000, 1)
	b.ReportAllocs()
	for b.Loop() {
		Detect(items, Options{})
	}
}
