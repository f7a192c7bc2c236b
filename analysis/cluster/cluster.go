// Package cluster groups texts into themes: TF-IDF over stems without
// stop-words, a reduced space from a truncated SVD (latent semantic analysis),
// spherical k-means with k-means++ seeding and the number of themes chosen by
// silhouette on a sample, labels from class-based TF-IDF and representative
// texts nearest each theme's centre. A fitted Model assigns new texts.
//
// It scales by fitting what needs care on samples (the SVD basis, the
// choice of k) and running only linear passes over all texts.
package cluster

import (
	"errors"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/civicpulse/civicpulse/analysis/text"
)

// Options tune Fit; zero values take the defaults.
type Options struct {
	// K fixes the number of themes; 0 chooses it in [MinK, MaxK] by
	// silhouette.
	K, MinK, MaxK int
	// Dims of the reduced space (default n/10 within 8..50).
	Dims int
	// MaxTerms caps the vocabulary, most frequent first (default 20,000);
	// terms in fewer than MinDocs texts (default 2) or in more than half of
	// them are left out.
	MaxTerms, MinDocs int
	// Sample is how many texts fit the SVD basis and choose k (default 20,000).
	Sample int
	// LabelTerms per theme (default 4) and Representatives per theme (default 3).
	LabelTerms, Representatives int
	// Seed makes results reproducible.
	Seed uint64
}

func (o *Options) defaults(n int) {
	if o.Dims <= 0 {
		// A few hundred short texts hold fewer themes than 50 axes: on
		// ArgKP's sets (30–100 arguments) 8–10 axes raised NMI from 0.24
		// to 0.27 and ARI at the true k from 0.15 to 0.18 over three seeds.
		o.Dims = max(8, min(50, n/10))
	}
	if o.MaxTerms <= 0 {
		o.MaxTerms = 20000
	}
	if o.MinDocs <= 0 {
		o.MinDocs = 2
	}
	if o.Sample <= 0 {
		o.Sample = 20000
	}
	if o.MinK <= 0 {
		o.MinK = 2
	}
	if o.MaxK <= 0 {
		// Enough themes to read through; few for few texts (√(n/2), a common
		// rule of thumb), since silhouette on short texts favours many small ones.
		o.MaxK = max(o.MinK, min(30, int(math.Sqrt(float64(n)/2))))
	}
	if o.LabelTerms <= 0 {
		o.LabelTerms = 4
	}
	if o.Representatives <= 0 {
		o.Representatives = 3
	}
}

// Theme is one group of texts.
type Theme struct {
	ID    int
	Label []string // most distinctive words, as most often written
	Size  int
	// Representatives are indices (into Fit's input) of the texts nearest
	// the theme's centre, nearest first.
	Representatives []int
}

// Model is a fitted theme model.
type Model struct {
	Themes []Theme
	// Silhouette of the chosen clustering on the sample; per tried k in
	// Tried (k → silhouette).
	Silhouette float64
	Tried      map[int]float64

	vocab     map[string]int32
	idf       []float64
	basis     []float32 // terms × dims, row-major
	dims      int
	centroids [][]float32
}

// ErrTooFewTexts is returned when there is nothing to cluster.
var ErrTooFewTexts = errors.New("cluster: too few texts with content words")

// Stems turns one text into the stems Fit counts: tokens without stop-words
// or numbers, stemmed in the text's language.
func Stems(s string) []string {
	tokens := text.Tokenize(s)
	lang := text.DetectLanguage(tokens)
	out := tokens[:0]
	for _, t := range tokens {
		if len(t) < 2 || text.StopWord(lang, t) || isNumber(t) {
			continue
		}
		out = append(out, text.Stem(lang, t))
	}
	return out
}

func isNumber(t string) bool {
	for i := 0; i < len(t); i++ {
		if (t[i] < '0' || t[i] > '9') && t[i] != '.' && t[i] != ',' {
			return false
		}
	}
	return true
}

// Fit finds themes in texts and returns the model and each text's theme
// (-1 for a text without any vocabulary word).
func Fit(texts []string, opt Options) (*Model, []int, error) {
	docs := make([][]string, len(texts))
	surface := parallel(len(texts), func(lo, hi int) map[string]map[string]int {
		forms := map[string]map[string]int{}
		for i := lo; i < hi; i++ {
			tokens := text.Tokenize(texts[i])
			lang := text.DetectLanguage(tokens)
			var stems []string
			for _, t := range tokens {
				if len(t) < 2 || text.StopWord(lang, t) || isNumber(t) {
					continue
				}
				st := text.Stem(lang, t)
				stems = append(stems, st)
				if hi-lo <= 200000 || i%4 == 0 { // a sample is enough to name a stem
					f := forms[st]
					if f == nil {
						f = map[string]int{}
						forms[st] = f
					}
					f[t]++
				}
			}
			docs[i] = stems
		}
		return forms
	})
	m, assign, err := FitStems(docs, opt)
	if err != nil {
		return nil, nil, err
	}
	// Name each label stem by the word most often written for it.
	for ti := range m.Themes {
		for li, st := range m.Themes[ti].Label {
			best, bestN := st, 0
			for _, forms := range surface {
				for w, n := range forms[st] {
					if n > bestN || (n == bestN && w < best) {
						best, bestN = w, n
					}
				}
			}
			m.Themes[ti].Label[li] = best
		}
	}
	return m, assign, nil
}

// parallel runs f over two or more ranges of [0, n) and returns each result.
func parallel[T any](n int, f func(lo, hi int) T) []T {
	workers := max(1, runtime.GOMAXPROCS(0))
	chunk := (n + workers - 1) / workers
	out := make([]T, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[w] = f(lo, hi)
		}()
	}
	wg.Wait()
	return out
}

// FitStems is Fit over texts already turned into stems (as Stems does, or
// as stored by the ingester). Labels are stems.
func FitStems(docs [][]string, opt Options) (*Model, []int, error) {
	opt.defaults(len(docs))
	m := &Model{dims: opt.Dims}
	m.vocabulary(docs, opt)
	if len(m.vocab) == 0 {
		return nil, nil, ErrTooFewTexts
	}
	x := m.tfidf(docs)
	rng := newRand(opt.Seed)
	sample := sampleRows(x, opt.Sample, rng)
	m.basis, m.dims = randomizedBasis(x, sample, len(m.vocab), opt.Dims, rng)
	z := m.project(x)

	var live []int32 // texts with at least one vocabulary word
	for i := range x.rows() {
		if x.start[i+1] > x.start[i] {
			live = append(live, int32(i))
		}
	}
	if len(live) < 2 {
		return nil, nil, ErrTooFewTexts
	}
	k := opt.K
	pick := sampleIdx(live, min(opt.Sample, chooseSample), rng)
	m.Tried = map[int]float64{}
	var seeds [][]float32
	if k <= 0 {
		best := math.Inf(-1)
		sil := sampleIdx(pick, silhouetteSample, rng)
		for _, kk := range candidateKs(opt.MinK, min(opt.MaxK, len(pick)-1)) {
			cents := kmeans(z, pick, kk, rng, 20)
			s := silhouette(z, sil, cents)
			m.Tried[kk] = s
			if s > best {
				best, k, seeds = s, kk, cents
			}
		}
		m.Silhouette = best
	} else {
		k = min(k, len(live))
		seeds = kmeans(z, pick, k, rng, 20)
	}
	if k <= 0 {
		return nil, nil, ErrTooFewTexts
	}
	// Refine on every text from the sample's centres.
	m.centroids = lloyd(z, live, seeds, 10)
	assign := make([]int, len(docs))
	for i := range assign {
		assign[i] = -1
	}
	best := make([]float32, len(docs))
	parallel(len(live), func(lo, hi int) struct{} {
		for _, i := range live[lo:hi] {
			assign[i], best[i] = nearest(z.row(int(i)), m.centroids)
		}
		return struct{}{}
	})
	if opt.K > 0 {
		m.Silhouette = silhouette(z, sampleIdx(live, silhouetteSample, rng), m.centroids)
	}
	m.describe(docs, x, assign, best, opt)
	return m, assign, nil
}

// The choice of k runs k-means on chooseSample texts and scores it by
// silhouette on silhouetteSample of them: enough to see the shape of the
// themes, and independent of how many texts there are.
const (
	chooseSample     = 5000
	silhouetteSample = 1000
)

// candidateKs are every k up to 10, then steps of about a quarter: telling
// 23 themes from 24 matters less than the time to try both.
func candidateKs(lo, hi int) []int {
	var ks []int
	for k := lo; k <= hi; {
		ks = append(ks, k)
		if k < 10 {
			k++
		} else {
			k += max(1, k/4)
		}
	}
	return ks
}

// Assign returns the theme of a new text, or -1 when it has no vocabulary word.
func (m *Model) Assign(s string) int {
	return m.AssignStems(Stems(s))
}

// AssignStems is Assign for a text already turned into stems.
func (m *Model) AssignStems(stems []string) int {
	x := m.tfidf([][]string{stems})
	if x.start[1] == 0 {
		return -1
	}
	z := m.project(x)
	t, _ := nearest(z.row(0), m.centroids)
	return t
}

// describe sizes, labels and representatives for each theme.
func (m *Model) describe(docs [][]string, x *sparse, assign []int, sim []float32, opt Options) {
	k := len(m.centroids)
	m.Themes = make([]Theme, k)
	termCounts := make([][]float64, k)
	for t := range termCounts {
		termCounts[t] = make([]float64, len(m.vocab))
	}
	total := make([]float64, len(m.vocab))
	words := make([]float64, k)
	members := make([][]int32, k)
	for i, stems := range docs {
		t := assign[i]
		if t < 0 {
			continue
		}
		members[t] = append(members[t], int32(i))
		for _, st := range stems {
			if j, ok := m.vocab[st]; ok {
				termCounts[t][j]++
				total[j]++
				words[t]++
			}
		}
	}
	avgWords := 0.0
	for _, w := range words {
		avgWords += w
	}
	avgWords /= float64(k)
	terms := make([]string, len(m.vocab))
	for st, j := range m.vocab {
		terms[j] = st
	}
	for t := range m.Themes {
		th := &m.Themes[t]
		th.ID = t
		th.Size = len(members[t])
		// Class-based TF-IDF: frequent in this theme, rare in the others.
		type scored struct {
			j int
			s float64
		}
		var sc []scored
		for j, c := range termCounts[t] {
			if c == 0 {
				continue
			}
			sc = append(sc, scored{j, c / max(words[t], 1) * math.Log(1+avgWords/total[j])})
		}
		sort.Slice(sc, func(a, b int) bool {
			if sc[a].s != sc[b].s {
				return sc[a].s > sc[b].s
			}
			return terms[sc[a].j] < terms[sc[b].j]
		})
		for _, s := range sc[:min(opt.LabelTerms, len(sc))] {
			th.Label = append(th.Label, terms[s.j])
		}
		ms := members[t]
		sort.SliceStable(ms, func(a, b int) bool { return sim[ms[a]] > sim[ms[b]] })
		th.Representatives = distinctNearest(docs, ms, opt.Representatives)
	}
}

// distinctNearest picks up to n members, nearest the centre first, leaving
// out a text whose words mostly repeat one already picked: a form letter
// sent 300 times sits at its theme's centre, and three copies of it would
// tell the reader less than one copy and two other voices. When too few
// distinct texts exist the nearest copies fill the places.
func distinctNearest(docs [][]string, ms []int32, n int) []int {
	var out []int
	var sets []map[string]bool
	var skipped []int
	for _, i := range ms {
		if len(out) == n {
			break
		}
		set := map[string]bool{}
		for _, st := range docs[i] {
			set[st] = true
		}
		similar := false
		for _, o := range sets {
			if jaccard(set, o) >= 0.6 {
				similar = true
				break
			}
		}
		if similar {
			if len(skipped) < n {
				skipped = append(skipped, int(i))
			}
			continue
		}
		out = append(out, int(i))
		sets = append(sets, set)
	}
	for _, i := range skipped {
		if len(out) == n {
			break
		}
		out = append(out, i)
	}
	return out
}

func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// vocabulary keeps the terms in at least MinDocs texts and at most half of
// them, the MaxTerms most frequent, with smoothed IDF.
func (m *Model) vocabulary(docs [][]string, opt Options) {
	df := map[string]int{}
	seen := map[string]bool{}
	for _, d := range docs {
		clear(seen)
		for _, st := range d {
			if !seen[st] {
				seen[st] = true
				df[st]++
			}
		}
	}
	type term struct {
		s  string
		df int
	}
	var terms []term
	maxDF := max(len(docs)/2, opt.MinDocs)
	for s, n := range df {
		if n >= opt.MinDocs && n <= maxDF {
			terms = append(terms, term{s, n})
		}
	}
	sort.Slice(terms, func(a, b int) bool {
		if terms[a].df != terms[b].df {
			return terms[a].df > terms[b].df
		}
		return terms[a].s < terms[b].s
	})
	if len(terms) > opt.MaxTerms {
		terms = terms[:opt.MaxTerms]
	}
	m.vocab = make(map[string]int32, len(terms))
	m.idf = make([]float64, len(terms))
	n := float64(len(docs))
	for j, t := range terms {
		m.vocab[t.s] = int32(j)
		m.idf[j] = math.Log((1+n)/(1+float64(t.df))) + 1
	}
}

// tfidf builds l2-normalised rows of sublinear term frequency × IDF.
func (m *Model) tfidf(docs [][]string) *sparse {
	x := &sparse{start: make([]int, len(docs)+1)}
	counts := map[int32]float64{}
	for i, d := range docs {
		clear(counts)
		for _, st := range d {
			if j, ok := m.vocab[st]; ok {
				counts[j]++
			}
		}
		lo := len(x.cols)
		norm := 0.0
		for j := range counts {
			x.cols = append(x.cols, j)
		}
		cols := x.cols[lo:]
		sort.Slice(cols, func(a, b int) bool { return cols[a] < cols[b] })
		x.cols = x.cols[:lo]
		for _, j := range cols {
			c := counts[j]
			v := (1 + math.Log(c)) * m.idf[j]
			x.cols = append(x.cols, j)
			x.vals = append(x.vals, float32(v))
			norm += v * v
		}
		norm = math.Sqrt(norm)
		for e := lo; e < len(x.vals); e++ {
			x.vals[e] = float32(float64(x.vals[e]) / norm)
		}
		x.start[i+1] = len(x.cols)
	}
	return x
}

// project maps rows into the reduced space, normalised to unit length so
// that k-means on them clusters by cosine.
func (m *Model) project(x *sparse) *dense {
	z := &dense{d: m.dims, v: make([]float32, x.rows()*m.dims)}
	parallel(x.rows(), func(lo, hi int) struct{} {
		for i := lo; i < hi; i++ {
			row := z.row(i)
			for e := x.start[i]; e < x.start[i+1]; e++ {
				b := m.basis[int(x.cols[e])*m.dims : (int(x.cols[e])+1)*m.dims]
				v := x.vals[e]
				for k := range row {
					row[k] += v * b[k]
				}
			}
			normalize(row)
		}
		return struct{}{}
	})
	return z
}

func normalize(v []float32) {
	s := float32(0)
	for _, a := range v {
		s += a * a
	}
	if s == 0 {
		return
	}
	r := float32(1 / math.Sqrt(float64(s)))
	for k := range v {
		v[k] *= r
	}
}

type sparse struct {
	start []int
	cols  []int32
	vals  []float32
}

func (x *sparse) rows() int { return len(x.start) - 1 }

type dense struct {
	d int
	v []float32
}

func (z *dense) row(i int) []float32 { return z.v[i*z.d : (i+1)*z.d] }
