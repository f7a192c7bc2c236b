package text

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/clipperhouse/uax29/v2/words"
	"github.com/jdkato/prose/v2"
)

// Features are what the ingester stores for one text.
type Features struct {
	Lang     string   // "en", "sw" or "" (unknown)
	Tokens   []string // lower-cased words (Unicode word boundaries), no punctuation
	Stems    []string // content words: stop-words and numbers removed, stemmed (English) or as written (Kiswahili)
	Keywords []string // up to MaxKeywords most salient stems of this text
	Hash     uint64   // HashTokens(Tokens): equal for texts differing only in case, punctuation, whitespace
	MinHash  []uint32 // MinHash signature of the word shingles of Tokens; nil for a text without words
	Places   []string // region names from Options.Places as given there, then NER place hints as written
}

// Options configure an Analyzer.
type Options struct {
	// Places are the region names to find in texts (e.g. Kenya's 47
	// counties); matching ignores case, punctuation and spacing.
	Places []string
	// PlaceAliases maps other names of a place to its name in Places, so a
	// mention of "Nairobi" reports the county "Nairobi City".
	PlaceAliases map[string]string
	// NER adds prose's named-entity places (GPE) to Features.Places. It is a
	// hint (prose tags some cities as people) and, even run only around
	// capitalised words, costs ~15–25× the rest of Features, so it is off
	// unless asked for.
	NER bool
	// MinHashSize is the signature length; 0 means DefaultMinHashSize
	// (128). The standard error of a Jaccard estimate is sqrt(J(1-J)/size):
	// 0.042 at J = 0.35 with 128 values, where a template with 20% of its
	// words swapped lands with 3-shingles; LSH banding needs the length to
	// reach such low thresholds (64 bands of 2 rows catch J = 0.3 with
	// probability 0.998).
	MinHashSize int
	// ShingleSize is the number of words per shingle; 0 means
	// DefaultShingleSize. Smaller shingles keep near-duplicates with
	// swapped words closer (with 20% of words swapped, ~64% of 2-shingles
	// survive against ~51% of 3-shingles) at the price of more chance
	// overlap between unrelated texts.
	ShingleSize int
}

const (
	DefaultMinHashSize = 128
	DefaultShingleSize = 3
)

// Analyzer computes Features. It is safe for concurrent use: everything it
// holds is read-only after NewAnalyzer.
type Analyzer struct {
	places      *gazetteer
	model       *prose.Model // nil unless Options.NER
	minhashSize int
	shingleSize int
	scratch     sync.Pool // *scratch
}

type scratch struct {
	shingles    []uint64
	tokenHashes []uint64
	flags       []uint8
	generic     []bool
}

// The prose model takes ~300 ms and tens of MB to load; it is read-only once
// loaded, so every Analyzer in the process shares one.
var (
	proseOnce  sync.Once
	proseModel *prose.Model
)

func sharedProseModel() *prose.Model {
	proseOnce.Do(func() { proseModel = prose.ModelFromData("civicpulse") })
	return proseModel
}

// NewAnalyzer prepares an Analyzer; with Options.NER it loads the prose
// model (once per process).
func NewAnalyzer(opts Options) *Analyzer {
	a := &Analyzer{
		places:      newGazetteer(opts.Places, opts.PlaceAliases),
		minhashSize: opts.MinHashSize,
		shingleSize: opts.ShingleSize,
	}
	if a.minhashSize <= 0 {
		a.minhashSize = DefaultMinHashSize
	}
	if a.shingleSize <= 0 {
		a.shingleSize = DefaultShingleSize
	}
	if opts.NER {
		a.model = sharedProseModel()
	}
	a.scratch.New = func() any { return new(scratch) }
	return a
}

// Features analyses one text. Tokens that needed no case folding are
// slices of s, so keeping them keeps s in memory.
func (a *Analyzer) Features(s string) Features {
	var f Features
	sc := a.scratch.Get().(*scratch)
	defer a.scratch.Put(sc)

	f.Tokens = appendTokens(make([]string, 0, len(s)/5+1), s)
	f.Hash, sc.tokenHashes = hashAll(f.Tokens, sc.tokenHashes[:0])

	// One lexicon lookup per token serves language and stop-words.
	sc.flags = sc.flags[:0]
	var en, sw int
	for _, t := range f.Tokens {
		fl := lexicon[t]
		sc.flags = append(sc.flags, fl)
		en += int(fl & stopEN)
		sw += int(fl&stopSW) >> 1
	}
	f.Lang = languageOf(en, sw)

	stop := stopMask(f.Lang)
	f.Stems = make([]string, 0, len(f.Tokens))
	sc.generic = sc.generic[:0]
	for i, t := range f.Tokens {
		if sc.flags[i]&stop != 0 || !contentWord(t) {
			continue
		}
		if f.Lang == "sw" {
			f.Stems = append(f.Stems, t)
			sc.generic = append(sc.generic, isGeneric(t))
			continue
		}
		e := stemEnglishEntry(t)
		f.Stems = append(f.Stems, e.stem)
		sc.generic = append(sc.generic, e.generic)
	}
	f.Keywords = keywords(f.Stems, sc.generic, MaxKeywords)

	sc.shingles = appendShinglesOfHashes(sc.shingles[:0], sc.tokenHashes, a.shingleSize)
	f.MinHash = MinHash(sc.shingles, a.minhashSize)

	f.Places = a.places.appendMatches(nil, f.Tokens)
	if a.model != nil && f.Lang != "sw" {
		f.Places = a.appendNERPlaces(f.Places, s)
	}
	return f
}

// contentWord keeps words that can carry a theme: not a lone letter, not a
// number (amounts and years vary between texts on the same subject and would
// split themes). Stop-words are removed before.
func contentWord(t string) bool {
	if len(t) < 2 {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !('0' <= c && c <= '9') && c != '.' && c != ',' {
			return true
		}
	}
	return false
}

// appendNERPlaces adds prose's GPE entities not already found by the
// gazetteer (compared on their normalised words, so "Taita-Taveta" is the
// gazetteer's "Taita Taveta"). prose's model is English: Kiswahili texts are
// not given to it (it tags "Serikali" as a place).
//
// prose costs ~50 µs per word, so it only sees short windows around
// capitalised words that are neither stop-words nor places already found:
// a text with none (most comments) costs nothing, and a long one costs its
// candidates, not its length. Segmentation is off: it would reload the
// sentence model per call, and the tagger does not need sentences.
func (a *Analyzer) appendNERPlaces(dst []string, s string) []string {
	for _, w := range nerWindows(s, dst) {
		doc, err := prose.NewDocument(s[w[0]:w[1]],
			prose.UsingModel(a.model),
			prose.WithSegmentation(false))
		if err != nil {
			continue
		}
		for _, e := range doc.Entities() {
			if e.Label != "GPE" {
				continue
			}
			name := strings.TrimSpace(e.Text)
			if name == "" || containsNormalized(dst, name) {
				continue
			}
			dst = append(dst, name)
		}
	}
	return dst
}

// nerContext is how many words either side of a candidate prose sees: its
// tagger and entity features look two words back and forward.
const nerContext = 2

// nerWindows returns byte ranges of s, merged where they overlap, around
// the words that could start a place name.
func nerWindows(s string, known []string) [][2]int {
	type word struct{ start, end int }
	var ws []word
	var cands []int
	it := words.FromString(s)
	for it.Next() {
		tok := it.Value()
		if !isWord(tok) {
			continue
		}
		ws = append(ws, word{it.Start(), it.End()})
		r, _ := utf8.DecodeRuneInString(tok)
		if !unicode.IsUpper(r) {
			continue
		}
		low := foldToken(tok)
		if lexicon[low] != 0 || containsNormalized(known, low) {
			continue
		}
		cands = append(cands, len(ws)-1)
	}
	var out [][2]int
	for _, c := range cands {
		lo, hi := max(c-nerContext, 0), min(c+nerContext, len(ws)-1)
		// The window runs to the next word, keeping punctuation such as a
		// final full stop, which the tagger reads as context.
		start, end := ws[lo].start, len(s)
		if hi+1 < len(ws) {
			end = ws[hi+1].start
		}
		if n := len(out); n > 0 && start <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], end)
			continue
		}
		out = append(out, [2]int{start, end})
	}
	return out
}

func containsNormalized(list []string, s string) bool {
	n := Normalize(s)
	for _, x := range list {
		if Normalize(x) == n {
			return true
		}
	}
	return false
}
