package demo

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	formletter "github.com/civicpulse/civicpulse/analysis/campaign"
	"github.com/civicpulse/civicpulse/analysis/cluster"
	"github.com/civicpulse/civicpulse/analysis/text"
	"github.com/civicpulse/civicpulse/participation"
)

// newTextGenerator is a generator without a store: enough to write texts.
func newTextGenerator(t testing.TB, seed uint64) *generator {
	t.Helper()
	g, err := newGenerator(Options{Participants: 100, Seed: seed}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// sampleText is one text a synthetic participant wrote, with what it is.
type sampleText struct {
	kind    string
	concern int // -1 for section texts
	body    string
}

// sampleTexts writes n texts, one new person each, in about the mix of
// the demo: most are survey answers and section comments.
func sampleTexts(g *generator, n int) []sampleText {
	out := make([]sampleText, 0, n)
	for i := 0; len(out) < n; i++ {
		p := g.newPerson(&organic[i%len(organic)])
		ci := g.concernOf(p)
		s := pick(g.rng, g.sectionW)
		switch k := i % 100; {
		case k < 7:
			title, body := g.writeProposal(p, ci)
			out = append(out, sampleText{"proposal", ci, title + "\n" + body})
		case k < 51:
			out = append(out, sampleText{"open answer", ci, g.writeOpenAnswer(p, ci)})
		case k < 62:
			out = append(out, sampleText{"proposal comment", ci, g.writeProposalComment(p, ci)})
		case k < 83:
			out = append(out, sampleText{"section comment", -1, g.writeSectionComment(p, s, g.stanceFor(p, s))})
		case k < 86:
			out = append(out, sampleText{"amendment", -1, g.writeAmendment(p, s)})
		case k < 90:
			out = append(out, sampleText{"question", -1, g.writeQuestion(p, s)})
		default:
			out = append(out, sampleText{"section reply", -1, g.writeSectionReply(p, s, g.stanceFor(p, s), k%2 == 0)})
		}
	}
	return out
}

// The same seed writes the same texts; another seed other texts.
func TestTextsDeterministicPerSeed(t *testing.T) {
	a := sampleTexts(newTextGenerator(t, 1), 3000)
	b := sampleTexts(newTextGenerator(t, 1), 3000)
	c := sampleTexts(newTextGenerator(t, 2), 3000)
	same := 0
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("text %d differs with the same seed:\n%q\n%q", i, a[i].body, b[i].body)
		}
		if a[i].body == c[i].body {
			same++
		}
	}
	if same > len(a)/5 {
		t.Errorf("seeds 1 and 2 wrote %d of %d texts alike", same, len(a))
	}
}

// languageShares counts the texts analysis/text reads as English,
// Kiswahili, and the mixed ones: Kiswahili stop-words and English ones side
// by side.
func languageShares(bodies []string) (en, sw, mixed float64) {
	for _, b := range bodies {
		toks := text.Tokenize(b)
		switch text.DetectLanguage(toks) {
		case "en":
			en++
		case "sw":
			sw++
		}
		var e, s int
		for _, tok := range toks {
			if text.StopWord("en", tok) && !text.StopWord("sw", tok) {
				e++
			}
			if text.StopWord("sw", tok) && !text.StopWord("en", tok) {
				s++
			}
		}
		if e >= 1 && s >= 2 && englishWord.MatchString(b) {
			mixed++
		}
	}
	n := float64(len(bodies))
	return en / n, sw / n, mixed / n
}

// englishWord: content words of the mixed register ("tap", "once a week",
// "borehole") that a Kiswahili-only text would not have.
var englishWord = regexp.MustCompile(`(?i)\b(once|week|borehole|road|fix|support|youth|fees|bursary|job|rent|market|budget|police|nurses|fertiliser|ambulance|dispensary|please|pls|tap|classrooms|houses|river)\b`)

func bodies(ts []sampleText) []string {
	out := make([]string, len(ts))
	for i, s := range ts {
		out[i] = s.body
	}
	return out
}

// A Kenyan consultation is written in English, in Kiswahili and in both at
// once.
func TestTextsSpeakEnglishAndKiswahili(t *testing.T) {
	en, sw, mixed := languageShares(bodies(sampleTexts(newTextGenerator(t, 1), 6000)))
	t.Logf("English %.2f, Kiswahili %.2f, mixed %.2f", en, sw, mixed)
	if sw < 0.2 || en < 0.3 || mixed < 0.05 {
		t.Errorf("English %.2f (want ≥ 0.30), Kiswahili %.2f (≥ 0.20), mixed %.2f (≥ 0.05)", en, sw, mixed)
	}
}

// debateWords are words of the debate corpora (ArgKP motions, the Pol.is
// New Zealand biodiversity conversation) that have no place in a Kenyan
// county budget consultation.
var debateWords = regexp.MustCompile(`(?i)libertarian|waitangi|zealand|aotearoa|m[aā]ori|pakeha|space exploration|urbanization|subsidize|possum|hivemind|predator free`)

func TestTextsHoldNoDebateCorpus(t *testing.T) {
	for _, s := range sampleTexts(newTextGenerator(t, 3), 20000) {
		if w := debateWords.FindString(s.body); w != "" {
			t.Fatalf("%s %q: debate corpus word %q", s.kind, s.body, w)
		}
		if strings.Contains(s.body, "{") || strings.Contains(s.body, "[") || strings.Contains(s.body, "|") {
			t.Fatalf("%s %q: a template placeholder is left", s.kind, s.body)
		}
	}
}

// Thousands of writers write thousands of different texts, short and long,
// careful and not, from every part of the country.
func TestTextsVary(t *testing.T) {
	g := newTextGenerator(t, 1)
	ts := sampleTexts(g, 6000)
	distinct := map[string]bool{}
	var short, long, caps, sms int
	lens := make([]int, 0, len(ts))
	for _, s := range ts {
		distinct[s.body] = true
		n := len([]rune(s.body))
		lens = append(lens, n)
		if n < 40 {
			short++
		}
		if n > 250 {
			long++
		}
		if strings.ToUpper(s.body) == s.body && strings.ToLower(s.body) != s.body {
			caps++
		}
		if strings.ToLower(s.body) == s.body && !strings.HasSuffix(s.body, ".") {
			sms++
		}
	}
	sort.Ints(lens)
	share := func(k int) float64 { return float64(k) / float64(len(ts)) }
	t.Logf("%d distinct of %d; length p5 %d, median %d, p95 %d, max %d; short %.2f, long %.2f, capitals %.3f, sms %.2f",
		len(distinct), len(ts), lens[len(lens)/20], lens[len(lens)/2], lens[len(lens)*19/20], lens[len(lens)-1],
		share(short), share(long), share(caps), share(sms))
	if share(len(distinct)) < 0.9 {
		t.Errorf("only %d distinct texts of %d", len(distinct), len(ts))
	}
	if share(short) < 0.1 || share(long) < 0.04 || lens[len(lens)-1] < 400 {
		t.Errorf("lengths barely spread: %.2f under 40 characters, %.2f over 250, longest %d", share(short), share(long), lens[len(lens)-1])
	}
	if caps == 0 || share(sms) < 0.05 {
		t.Errorf("%d texts in capitals, %.2f in SMS style", caps, share(sms))
	}
	// Places: the texts name towns of nearly every county.
	named := 0
	all := strings.ToLower(strings.Join(bodies(ts), "\n"))
	for _, towns := range countyTowns {
		for _, town := range towns {
			if strings.Contains(all, strings.ToLower(town)) {
				named++
				break
			}
		}
	}
	if named < 40 {
		t.Errorf("towns of %d counties named, want ≥ 40", named)
	}
}

// falseCampaignTexts is about what 5,000 participants write, well above
// the default demo's 3,000: from about 8,000 participants on, the pools'
// most used sentences come back often enough (ten near copies) to look
// planted.
var falseCampaignTexts = 3000

// The campaign detector must find the planted form letter and nothing in
// the texts people wrote on their own, though these come from shared
// templates: a false campaign on "water for Kibera" would mislead an
// official as much as a missed one.
func TestTextsMakeNoFalseCampaigns(t *testing.T) {
	g := newTextGenerator(t, 1)
	t0 := time.Date(2027, 1, 20, 6, 0, 0, 0, time.UTC)
	var items []formletter.Item
	for i, s := range sampleTexts(g, falseCampaignTexts) {
		items = append(items, formletter.Item{ID: fmt.Sprint("o", i), Text: s.body, Time: t0.Add(time.Duration(i) * 5 * time.Minute)})
	}
	for i := range 60 {
		p := g.newPerson(&forwardChannel)
		items = append(items, formletter.Item{ID: fmt.Sprint("f", i), Text: g.writeFormLetter(p), Time: t0.Add(time.Duration(i) * 7 * time.Minute)})
	}
	found := formletter.Detect(items, formletter.Options{})
	for _, c := range found {
		t.Logf("campaign of %d: %q", c.Copies, c.Template)
	}
	if len(found) != 1 || !strings.HasPrefix(found[0].Template, "I am writing to") || found[0].Copies < 55 {
		t.Errorf("%d campaigns found, want the one form letter", len(found))
	}
}

// Clustering what people wrote about their county finds the concerns they
// wrote about: each theme is mostly one concern, and most concerns lead a
// theme, so an official reads "water", "roads", "health".
func TestTextsMakeRecognisableThemes(t *testing.T) {
	g := newTextGenerator(t, 1)
	var texts []string
	var truth []int
	for _, s := range sampleTexts(g, 9000) {
		if s.concern >= 0 {
			texts = append(texts, s.body)
			truth = append(truth, s.concern)
		}
	}
	model, assign, err := cluster.Fit(texts, cluster.Options{})
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]map[int]int, len(model.Themes))
	for i := range counts {
		counts[i] = map[int]int{}
	}
	for i, th := range assign {
		if th >= 0 {
			counts[th][truth[i]]++
		}
	}
	led := map[int]bool{}
	var major, total int
	for i, th := range model.Themes {
		best, bestN, n := 0, 0, 0
		for c, k := range counts[i] {
			n += k
			if k > bestN || (k == bestN && c < best) {
				best, bestN = c, k
			}
		}
		major += bestN
		total += n
		led[best] = true
		t.Logf("theme %d (%d texts, %.0f%% %s): %s", th.ID, n, 100*float64(bestN)/math.Max(1, float64(n)), concerns[best].Key, strings.Join(th.Label, ", "))
	}
	purity := float64(major) / float64(total)
	if purity < 0.6 || len(led) < 7 {
		t.Errorf("themes %.2f pure, %d of %d concerns lead a theme", purity, len(led), len(concerns))
	}
}

// writtenTexts collects what people wrote in the main process, as the
// outbox carries it: proposal titles and descriptions, comment bodies and
// survey text answers.
func writtenTexts(t *testing.T, res Result, evs []participation.Event) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if s, ok := e.(string); ok && s != "" {
					switch k {
					case "title", "description", "body", "text":
						out = append(out, s)
					}
					continue
				}
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	for _, e := range evs {
		if e.ProcessID != res.ProcessID {
			continue
		}
		switch e.Type {
		case participation.EvProposalCreated, participation.EvCommentCreated, participation.EvSurveyAnswered, participation.EvSurveyCompleted:
			var v any
			if err := json.Unmarshal(e.Payload, &v); err != nil {
				t.Fatal(err)
			}
			walk(v)
		}
	}
	return out
}

// checkTexts: the demo as stored is a Kenyan consultation — no debate
// corpus, English and Kiswahili, texts that differ from one another.
func checkTexts(t *testing.T, res Result, evs []participation.Event) {
	all := writtenTexts(t, res, evs)
	var own []string
	for _, s := range all {
		if w := debateWords.FindString(s); w != "" {
			t.Errorf("stored text %q has the debate corpus word %q", s, w)
		}
		if !strings.Contains(s, "mandatory retirement age for specialists") {
			own = append(own, s)
		}
	}
	if len(own) < 80 {
		t.Fatalf("%d texts written besides the form letters", len(own))
	}
	en, sw, mixed := languageShares(own)
	distinct := map[string]bool{}
	for _, s := range own {
		distinct[s] = true
	}
	t.Logf("%d texts: English %.2f, Kiswahili %.2f, mixed %.2f, %d distinct", len(own), en, sw, mixed, len(distinct))
	if sw < 0.15 || en < 0.3 {
		t.Errorf("English %.2f, Kiswahili %.2f of the stored texts", en, sw)
	}
	if float64(len(distinct)) < 0.9*float64(len(own)) {
		t.Errorf("%d distinct of %d stored texts", len(distinct), len(own))
	}
}
