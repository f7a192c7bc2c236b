package text

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestTokenize(t *testing.T) {
	cases := []struct {
		in   string
		want []string
	}{
		{"Hello, World!", []string{"hello", "world"}},
		{"  multiple   spaces\tand\nlines ", []string{"multiple", "spaces", "and", "lines"}},
		// Apostrophes stay inside words; the typographic one is folded.
		{"We’ve said it: don't.", []string{"we've", "said", "it", "don't"}},
		// Hyphens and slashes split words, so "Elgeyo-Marakwet" and
		// "Elgeyo/Marakwet" give the same tokens.
		{"Elgeyo-Marakwet, Taita/Taveta", []string{"elgeyo", "marakwet", "taita", "taveta"}},
		{"Café AU LAIT über Straße", []string{"café", "au", "lait", "über", "straße"}},
		{"ÉCOLE Ἀθῆναι", []string{"école", "ἀθῆναι"}},
		// Numbers with separators are one word; emoji and symbols are dropped.
		{"KSh 1,500.50 for 3.5% 👍🐶 — ok?!", []string{"ksh", "1,500.50", "for", "3.5", "ok"}},
		{"", nil},
		{"... !!! ---", nil},
	}
	for _, c := range cases {
		got := Tokenize(c.in)
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTokenizeHan(t *testing.T) {
	// UAX #29 has no dictionary for Chinese: each ideograph is a word.
	got := Tokenize("優步應該合法化。")
	if len(got) != 7 {
		t.Fatalf("got %q, want 7 one-character words", got)
	}
}

func TestNormalizeAndHash(t *testing.T) {
	variants := []string{
		"The county should fix the water pipes in Kibera.",
		"the county should fix the water pipes in kibera",
		"THE COUNTY SHOULD FIX THE WATER PIPES IN KIBERA!!!",
		"  The county, should fix the water-pipes in Kibera ...  ",
		"The\tcounty\nshould fix the water pipes in “Kibera”",
	}
	want := "the county should fix the water pipes in kibera"
	for _, v := range variants {
		if got := Normalize(v); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", v, got, want)
		}
		if Hash(v) != Hash(variants[0]) {
			t.Errorf("Hash(%q) differs from Hash(%q)", v, variants[0])
		}
	}
	// HashTokens must equal the hash of the normalised string itself: the
	// warehouse may recompute it from stored text.
	if got, want := HashTokens(Tokenize(variants[0])), fnv1a(want); got != want {
		t.Errorf("HashTokens = %d, want FNV-1a of normalised text %d", got, want)
	}
	for _, other := range []string{
		"The county should fix the water pipes in Mathare.",
		"The county should not fix the water pipes in Kibera.",
		"county the should fix the water pipes in Kibera",
	} {
		if Hash(other) == Hash(variants[0]) {
			t.Errorf("Hash(%q) equals a different text's hash", other)
		}
	}
}

func fnv1a(s string) uint64 {
	h := uint64(fnvOffset64)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime64
	}
	return h
}

func TestHashAll(t *testing.T) {
	toks := Tokenize("The county should fix the water pipes")
	h, each := hashAll(toks, nil)
	if h != HashTokens(toks) {
		t.Error("hashAll differs from HashTokens")
	}
	for i, tok := range toks {
		if each[i] != HashTokens([]string{tok}) {
			t.Errorf("token %d: hash differs", i)
		}
	}
}

func TestHashIsStable(t *testing.T) {
	// Stored in the warehouse: a change here orphans every stored hash.
	if got := Hash("Fix the water pipes!"); got != fnv1a("fix the water pipes") {
		t.Fatalf("Hash changed: %d", got)
	}
	if got, want := fnv1a("a"), uint64(0xaf63dc4c8601ec8c); got != want {
		t.Fatalf("FNV-1a test vector: got %#x, want %#x", got, want)
	}
}

func TestStopWords(t *testing.T) {
	for _, w := range []string{"the", "and", "of", "we've", "don't", "should", "their"} {
		if !StopWord("en", w) {
			t.Errorf("%q should be an English stop-word", w)
		}
		if !StopWord("", w) {
			t.Errorf("%q should be a stop-word for an unknown language", w)
		}
	}
	for _, w := range []string{"water", "budget", "road", "nairobi", "maji"} {
		if StopWord("en", w) {
			t.Errorf("%q should not be an English stop-word", w)
		}
	}
	for _, w := range []string{"na", "ya", "kwa", "katika", "hii", "lakini", "kwamba", "wao", "yetu"} {
		if !StopWord("sw", w) {
			t.Errorf("%q should be a Kiswahili stop-word", w)
		}
		if StopWord("en", w) {
			t.Errorf("%q should not be an English stop-word", w)
		}
	}
	for _, w := range []string{"maji", "barabara", "bajeti", "hospitali", "kaunti"} {
		if StopWord("sw", w) {
			t.Errorf("%q should not be a Kiswahili stop-word", w)
		}
	}
	if StopWord("fr", "the") {
		t.Error("unsupported language should have no stop-words")
	}
}

func TestStem(t *testing.T) {
	cases := []struct{ lang, in, want string }{
		{"en", "running", "run"},
		{"en", "consultations", "consult"},
		{"en", "consulted", "consult"},
		{"en", "budgets", "budget"},
		{"en", "communities", "communiti"},
		{"en", "roads", "road"},
		{"en", "government's", "govern"},
		{"", "hospitals", "hospit"},
		{"en", "of", "of"},
		// Kiswahili: no stemmer, the word is kept as written.
		{"sw", "barabara", "barabara"},
		{"sw", "wanalazimika", "wanalazimika"},
	}
	for _, c := range cases {
		// Twice: the second answer comes from the cache.
		for i := 0; i < 2; i++ {
			if got := Stem(c.lang, c.in); got != c.want {
				t.Errorf("Stem(%q, %q) = %q, want %q", c.lang, c.in, got, c.want)
			}
		}
	}
}

func TestStemCacheDoesNotPinText(t *testing.T) {
	long := strings.Repeat("x", 1<<16) + " plantations"
	tok := Tokenize(long)[1]
	_ = Stem("en", tok)
	sh := &stemCache[shardOf("plantations")]
	sh.mu.RLock()
	defer sh.mu.RUnlock()
	for k, v := range sh.m {
		if k == "plantations" {
			if unsafeSameMemory(k, tok) || unsafeSameMemory(v.stem, tok) {
				t.Fatal("stem cache holds a slice of the caller's text")
			}
			return
		}
	}
	t.Fatal("stem not cached")
}

func TestDetectLanguageEnglish(t *testing.T) {
	for name, path := range map[string]string{"polis": polisComments, "argkp": argkpArguments} {
		col := "comment-body"
		if name == "argkp" {
			col = "argument"
		}
		texts := readColumn(t, path, col)
		var en, sw, unknown int
		for _, s := range texts {
			switch DetectLanguage(Tokenize(s)) {
			case "en":
				en++
			case "sw":
				sw++
				t.Errorf("%s: English text detected as Kiswahili: %q", name, s)
			default:
				unknown++
			}
		}
		share := float64(en) / float64(len(texts))
		t.Logf("%s: %d texts, en %.3f, unknown %d, sw %d", name, len(texts), share, unknown, sw)
		if share < 0.95 {
			t.Errorf("%s: only %.3f of English texts detected as English", name, share)
		}
	}
}

func TestDetectLanguageKiswahili(t *testing.T) {
	for _, s := range kiswahili {
		if got := DetectLanguage(Tokenize(s)); got != "sw" {
			t.Errorf("DetectLanguage(%q) = %q, want sw", s, got)
		}
	}
}

func TestDetectLanguageUnsure(t *testing.T) {
	for _, s := range []string{"", "Water!", "Nairobi roads", "KSh 500"} {
		if got := DetectLanguage(Tokenize(s)); got != "" {
			t.Errorf("DetectLanguage(%q) = %q, want unsure", s, got)
		}
	}
	// Traditional Chinese (vTaiwan): no stop-word of either list.
	for _, s := range readColumn(t, taiwanComments, "comment-body") {
		if got := DetectLanguage(Tokenize(s)); got == "sw" {
			t.Errorf("Chinese text detected as Kiswahili: %q", s)
		}
	}
}

func TestFeaturesKiswahili(t *testing.T) {
	a := NewAnalyzer(Options{})
	f := a.Features(kiswahili[0])
	if f.Lang != "sw" {
		t.Fatalf("Lang = %q", f.Lang)
	}
	for _, s := range f.Stems {
		if StopWord("sw", s) {
			t.Errorf("stop-word %q kept in stems %q", s, f.Stems)
		}
	}
	for _, want := range []string{"serikali", "bajeti", "maji", "vijiji"} {
		if !contains(f.Stems, want) {
			t.Errorf("stems %q lack %q", f.Stems, want)
		}
	}
}

func TestFeaturesEnglish(t *testing.T) {
	a := NewAnalyzer(Options{})
	f := a.Features("The county government should repair the roads, and the roads near the hospitals need drainage. 2024!")
	if f.Lang != "en" {
		t.Fatalf("Lang = %q", f.Lang)
	}
	want := []string{"counti", "govern", "repair", "road", "road", "near", "hospit", "need", "drainag"}
	if !reflect.DeepEqual(f.Stems, want) {
		t.Errorf("Stems = %q, want %q", f.Stems, want)
	}
	// "road" occurs twice; "need" is generic; the rest tie on one mention
	// and go longest first.
	wantKW := []string{"road", "drainag", "counti", "govern", "repair", "hospit", "near", "need"}
	if !reflect.DeepEqual(f.Keywords, wantKW) {
		t.Errorf("Keywords = %q, want %q", f.Keywords, wantKW)
	}
	if len(f.MinHash) != DefaultMinHashSize {
		t.Errorf("MinHash has %d values", len(f.MinHash))
	}
	if f.Hash != Hash("the county government should repair the roads and the roads near the hospitals need drainage 2024") {
		t.Error("Hash is not the hash of the normalised text")
	}
}

func TestKeywordsAtMostEight(t *testing.T) {
	a := NewAnalyzer(Options{})
	for _, s := range realComments(t)[:500] {
		f := a.Features(s)
		if len(f.Keywords) > MaxKeywords {
			t.Fatalf("%d keywords for %q", len(f.Keywords), s)
		}
		for _, k := range f.Keywords {
			if !contains(f.Stems, k) {
				t.Fatalf("keyword %q is not a stem of %q", k, s)
			}
		}
		if len(f.Stems) > 0 && len(f.Keywords) == 0 {
			t.Fatalf("no keywords for %q", s)
		}
	}
}

func TestFeaturesEmpty(t *testing.T) {
	a := NewAnalyzer(Options{NER: true})
	for _, s := range []string{"", "   ", "?!", "👍"} {
		f := a.Features(s)
		if f.Lang != "" || len(f.Tokens) != 0 || len(f.Stems) != 0 || len(f.Keywords) != 0 ||
			f.MinHash != nil || len(f.Places) != 0 {
			t.Errorf("Features(%q) = %+v, want empty", s, f)
		}
		if f.Hash != Hash("") {
			t.Errorf("Features(%q).Hash differs from the empty text's", s)
		}
	}
}

// jaccard of two sets of shingles.
func jaccard(a, b []uint64) float64 {
	sa := map[uint64]bool{}
	for _, x := range a {
		sa[x] = true
	}
	sb := map[uint64]bool{}
	for _, x := range b {
		sb[x] = true
	}
	inter := 0
	for x := range sa {
		if sb[x] {
			inter++
		}
	}
	union := len(sa) + len(sb) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// constructedPair draws two shingle sets of the given union size whose
// Jaccard similarity is as close to target as integers allow.
func constructedPair(r *rand.Rand, target float64, union int) (a, b []uint64) {
	shared := int(math.Round(target * float64(union)))
	onlyA := (union - shared) / 2
	onlyB := union - shared - onlyA
	for i := 0; i < shared; i++ {
		x := r.Uint64()
		a, b = append(a, x), append(b, x)
	}
	for i := 0; i < onlyA; i++ {
		a = append(a, r.Uint64())
	}
	for i := 0; i < onlyB; i++ {
		b = append(b, r.Uint64())
	}
	return a, b
}

func TestMinHashEstimatesJaccard(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	targets := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 1}
	unions := []int{20, 100, 1000}

	// With 256 values the standard error is at most 0.031: every pair must
	// be within ±0.1 of its true Jaccard.
	for _, target := range targets {
		for _, union := range unions {
			a, b := constructedPair(r, target, union)
			want := jaccard(a, b)
			got := EstimateJaccard(MinHash(a, 256), MinHash(b, 256))
			if math.Abs(got-want) > 0.1 {
				t.Errorf("size 256, union %d: estimate %.3f, true Jaccard %.3f", union, got, want)
			}
		}
	}

	// Smaller signatures: ±0.1 is only 1.6 (64) or 2.3 (128) standard errors
	// at J = 0.5, so single pairs may miss it by chance; instead the errors
	// over many pairs must have no bias and the spread theory predicts,
	// sqrt(J(1-J)/size), which a poor hash family would exceed.
	for _, size := range []int{64, 128} {
		var sumErr, sumSq, sumVar float64
		n := 0
		for rep := 0; rep < 20; rep++ {
			for _, target := range targets {
				for _, union := range unions {
					a, b := constructedPair(r, target, union)
					want := jaccard(a, b)
					err := EstimateJaccard(MinHash(a, size), MinHash(b, size)) - want
					sumErr += err
					sumSq += err * err
					sumVar += want * (1 - want) / float64(size)
					n++
				}
			}
		}
		bias, rms, theory := sumErr/float64(n), math.Sqrt(sumSq/float64(n)), math.Sqrt(sumVar/float64(n))
		t.Logf("size %d: %d pairs, bias %+.4f, RMS error %.4f, theory %.4f", size, n, bias, rms, theory)
		if math.Abs(bias) > 0.01 || rms > 1.15*theory {
			t.Errorf("size %d: bias %+.4f, RMS error %.4f against theory %.4f", size, bias, rms, theory)
		}
	}
}

func TestMinHashDeterministic(t *testing.T) {
	sh := Shingles(Tokenize("the county should fix the water pipes in kibera"), 3)
	a, b := MinHash(sh, 64), MinHash(sh, 128)
	if !reflect.DeepEqual(a, b[:64]) {
		t.Error("a 64-value signature should be the prefix of the 128-value one")
	}
	// Pinned: signatures are stored, so the hash functions must never change.
	if a[0] != 0x15643267 || a[63] != 0x1ca391cc {
		t.Errorf("hash functions changed: first/last values %#x %#x", a[0], a[63])
	}
	if MinHash(nil, 64) != nil {
		t.Error("no shingles should give a nil signature")
	}
	if EstimateJaccard(a, b) != 0 || EstimateJaccard(nil, nil) != 0 {
		t.Error("incomparable signatures should estimate 0")
	}
}

func TestShingles(t *testing.T) {
	toks := []string{"a", "b", "c", "d"}
	got := Shingles(toks, 3)
	if len(got) != 2 || got[0] != Shingles(toks[:3], 3)[0] || got[1] != Shingles(toks[1:], 3)[0] || got[0] == got[1] {
		t.Errorf("Shingles = %v", got)
	}
	if rev := Shingles([]string{"c", "b", "a"}, 3); rev[0] == Shingles([]string{"a", "b", "c"}, 3)[0] {
		t.Error("shingles should depend on word order")
	}
	if short := Shingles(toks[:2], 3); len(short) != 1 || short[0] == got[0] {
		t.Errorf("short text: Shingles = %v", short)
	}
	if got := Shingles(nil, 3); len(got) != 0 {
		t.Errorf("no tokens: Shingles = %v", got)
	}
}

// swapWords replaces share of the words of s with words from vocab, the way
// a campaign's template is reworded with synonyms.
func swapWords(r *rand.Rand, toks []string, share float64, vocab []string) []string {
	out := append([]string(nil), toks...)
	k := int(math.Round(share * float64(len(toks))))
	for _, i := range r.Perm(len(toks))[:k] {
		out[i] = vocab[r.IntN(len(vocab))]
	}
	return out
}

func TestNearDuplicates(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	texts := realComments(t)
	var vocab []string
	for _, s := range texts[:300] {
		vocab = append(vocab, Tokenize(s)...)
	}
	for _, shingle := range []int{2, 3} {
		a := NewAnalyzer(Options{ShingleSize: shingle, MinHashSize: 128})
		var near, unrelated []float64
		var sumSq, sumVar float64
		for i, s := range texts {
			toks := Tokenize(s)
			if len(toks) < 25 {
				continue
			}
			swapped := swapWords(r, toks, 0.2, vocab)
			fa := a.Features(s)
			fb := a.Features(strings.Join(swapped, " "))
			est := EstimateJaccard(fa.MinHash, fb.MinHash)
			truth := jaccard(Shingles(toks, shingle), Shingles(swapped, shingle))
			sumSq += (est - truth) * (est - truth)
			sumVar += truth * (1 - truth) / 128
			near = append(near, est)
			other := a.Features(texts[(i+len(texts)/2)%len(texts)])
			unrelated = append(unrelated, EstimateJaccard(fa.MinHash, other.MinHash))
			if len(near) == 300 {
				break
			}
		}
		minNear, maxUnrelated := quantile(near, 0), quantile(unrelated, 1)
		rms, theory := math.Sqrt(sumSq/float64(len(near))), math.Sqrt(sumVar/float64(len(near)))
		t.Logf("%d-shingles, 20%% of words swapped: estimate min %.3f, median %.3f; unrelated pairs: median %.3f, max %.3f; RMS error %.3f (theory %.3f)",
			shingle, minNear, quantile(near, 0.5), quantile(unrelated, 0.5), maxUnrelated, rms, theory)
		if rms > 1.2*theory {
			t.Errorf("%d-shingles: RMS error %.3f against the true Jaccard, theory %.3f", shingle, rms, theory)
		}
		// A threshold separates every reworded copy from every unrelated pair.
		if minNear <= maxUnrelated+0.05 {
			t.Errorf("%d-shingles: reworded copies (min %.3f) not separated from unrelated pairs (max %.3f)",
				shingle, minNear, maxUnrelated)
		}
	}
}

func quantile(xs []float64, q float64) float64 {
	s := append([]float64(nil), xs...)
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s[int(q*float64(len(s)-1))]
}

func countyNames(t testing.TB) []string {
	return readColumn(t, kenyaCounties, "county_name")
}

func TestPlacesGazetteer(t *testing.T) {
	a := NewAnalyzer(Options{
		Places:       countyNames(t),
		PlaceAliases: map[string]string{"Nairobi": "Nairobi City"},
	})
	cases := []struct {
		in   string
		want []string
	}{
		{"Water shortages in NAIROBI again", []string{"Nairobi City"}},
		{"Nairobi City County should act", []string{"Nairobi City"}},
		{"The roads of Taita Taveta and taita-taveta", []string{"Taita/Taveta"}},
		{"Schools in Elgeyo-Marakwet, then Elgeyo Marakwet", []string{"Elgeyo/Marakwet"}},
		{"From Tana River to Homa Bay via Murang’a", []string{"Tana River", "Homa Bay", "Murang'a"}},
		{"Serikali ya Kaunti ya Kitui na Machakos", []string{"Kitui", "Machakos"}},
		// A part of a multi-word name is not the name.
		{"The river is dry; the bay is clean; Taita is a people", nil},
		{"Nothing here", nil},
	}
	for _, c := range cases {
		got := a.Features(c.in).Places
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Places(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPlacesNER(t *testing.T) {
	a := NewAnalyzer(Options{Places: []string{"Nairobi", "Taita Taveta"}, NER: true})
	f := a.Features("The water project between Nairobi and Kampala is late, and Taita-Taveta still waits.")
	if !contains(f.Places, "Nairobi") || !contains(f.Places, "Taita Taveta") {
		t.Errorf("gazetteer places missing: %q", f.Places)
	}
	if !contains(f.Places, "Kampala") {
		t.Errorf("NER hint Kampala missing: %q", f.Places)
	}
	if len(f.Places) != 3 {
		t.Errorf("a place reported twice (gazetteer and NER): %q", f.Places)
	}
	// Without NER, only the gazetteer answers.
	f = NewAnalyzer(Options{Places: []string{"Nairobi"}}).Features("Roads in Nairobi and Kampala")
	if !reflect.DeepEqual(f.Places, []string{"Nairobi"}) {
		t.Errorf("NER off: Places = %q", f.Places)
	}
}

func TestAnalyzerConcurrent(t *testing.T) {
	a := NewAnalyzer(Options{Places: countyNames(t), NER: true})
	texts := realComments(t)[:100]
	texts = append(texts, kiswahili...)
	want := make([]Features, len(texts))
	for i, s := range texts {
		want[i] = a.Features(s)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(texts))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for k := range texts {
				i := (k + g*37) % len(texts)
				if got := a.Features(texts[i]); !reflect.DeepEqual(got, want[i]) {
					errs <- fmt.Sprintf("text %d: concurrent result differs", i)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
