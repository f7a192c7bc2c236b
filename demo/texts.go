package demo

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/analysis/text"
)

// The texts the synthetic participants write are composed from the phrase
// pools (phrases_concerns.go, phrases_sections.go): a concern, the writer's
// county and towns, what the county farms, a request and a reason, joined in
// the writer's register and then roughened by the writer's habits (SMS
// spelling, capitals, typos). Every choice comes from the generator's random
// stream, so the same seed writes the same texts.

// voice is how one person writes, fixed on their first text.
type voice struct {
	lang  string // langEn, langSw or langMix
	sms   bool   // lower case, few full stops, "pls"
	caps  bool   // ALL CAPITALS
	typos float64
	terse bool // drops commas
}

// Kiswahili is the first language of writing on the coast and in the north
// east; Nairobi and the towns mix it with English.
var swCounties = map[string]float64{
	"01": 0.5, "02": 0.55, "03": 0.5, "04": 0.45, "05": 0.55, "06": 0.4,
	"07": 0.4, "08": 0.4, "09": 0.4, "11": 0.35, "10": 0.35,
}

func (g *generator) voice(p *person) *voice {
	if p.voice != nil {
		return p.voice
	}
	r := g.trng
	c := g.counties[p.county]
	sw, mix := 0.26, 0.14
	if s, ok := swCounties[c.Code]; ok {
		sw = s
	}
	if p.loc == locUrban || c.Code == "47" {
		mix += 0.14
	}
	if p.age <= 1 {
		mix += 0.1
	} else if p.age >= 4 {
		mix = 0.03
	}
	v := &voice{lang: langEn}
	switch x := r.Float64(); {
	case x < sw:
		v.lang = langSw
	case x < sw+mix:
		v.lang = langMix
	}
	smsP := 0.15
	if p.device == "mobile" {
		smsP = 0.25
	}
	if v.lang == langMix {
		smsP += 0.25
	}
	v.sms = r.Float64() < smsP
	v.caps = !v.sms && r.Float64() < 0.04
	if r.Float64() < 0.35 {
		v.typos = 0.02 + 0.05*r.Float64()
	}
	v.terse = r.Float64() < 0.2
	p.voice = v
	return v
}

// fill is what one text's placeholders stand for: a text keeps its towns
// and its crop from the first sentence to the last.
type fill struct {
	lang        string
	county      string
	town, town2 string
	crop, plant string
}

func (g *generator) fillFor(p *person, lang string) *fill {
	r := g.trng
	c := g.counties[p.county]
	towns := countyTowns[c.Code]
	f := &fill{lang: lang, county: shortCounty(c.Name)}
	// Any of the county's towns alike: one town named in every other text
	// of a county would become a theme of its own.
	i := r.IntN(len(towns))
	j := (i + 1 + r.IntN(len(towns)-1)) % len(towns)
	f.town, f.town2 = towns[i], towns[j]
	crops := countyLivelihoods[c.Code]
	cr := crops[r.IntN(len(crops))]
	plants := plantsOf(c.Code)
	pl := plants[r.IntN(len(plants))]
	f.crop, f.plant = cr.En, pl.En
	if lang == langSw || (lang == langMix && r.Float64() < 0.5) {
		f.crop, f.plant = cr.Sw, pl.Sw
	}
	return f
}

// expand resolves a template: [a|b|c] picks one alternative, then {town},
// {town2}, {county}, {crop}, {plant}, {n} (2–9) and {km} (3–40) are filled in.
func (g *generator) expand(tmpl string, f *fill) string {
	return capFirst(g.fillIn(tmpl, f))
}

// fillIn is expand without the capital: an alternative in the middle of a
// sentence stays as written.
func (g *generator) fillIn(tmpl string, f *fill) string {
	r := g.trng
	var b strings.Builder
	for s := tmpl; s != ""; {
		i := strings.IndexAny(s, "[{")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		closer := "]"
		if s[0] == '{' {
			closer = "}"
		}
		end := strings.Index(s, closer)
		if end < 0 {
			b.WriteString(s)
			break
		}
		body := s[1:end]
		s = s[end+1:]
		if closer == "]" {
			alts := strings.Split(body, "|")
			// An alternative may hold placeholders: expand it in turn.
			b.WriteString(g.fillIn(alts[r.IntN(len(alts))], f))
			continue
		}
		switch body {
		case "town":
			b.WriteString(f.town)
		case "town2":
			b.WriteString(f.town2)
		case "county":
			b.WriteString(f.county)
		case "crop":
			b.WriteString(f.crop)
		case "plant":
			b.WriteString(f.plant)
		case "n":
			b.WriteString(strconv.Itoa(2 + r.IntN(8)))
		case "km":
			b.WriteString(strconv.Itoa(3 + r.IntN(38)))
		default:
			b.WriteString("{" + body + "}")
		}
	}
	return b.String()
}

// one draws a template from a pool in lang and expands it.
func (g *generator) one(pool byLang, f *fill) string {
	lang := f.lang
	if lang == langMix { // code-switching: some sentences wholly in one language
		switch x := g.trng.Float64(); {
		case x < 0.2:
			lang = langEn
		case x < 0.45:
			lang = langSw
		}
	}
	return g.expand(g.draw(pool.of(lang)), f)
}

// draw picks a template, the less used of two random ones: every line of a
// pool then comes back about equally often, instead of a few lines
// clustering by chance into what looks like a form letter.
func (g *generator) draw(ts []string) string {
	a, b := ts[g.trng.IntN(len(ts))], ts[g.trng.IntN(len(ts))]
	if g.used[b] < g.used[a] {
		a = b
	}
	g.used[a]++
	return a
}

// another draws from pool a sentence other than prev (a writer who makes
// a second point does not repeat the first).
func (g *generator) another(pool byLang, f *fill, prev string) string {
	for range 4 {
		if s := g.one(pool, f); s != prev {
			return s
		}
	}
	return ""
}

func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsLower(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// sentences joins parts, skipping empty ones; long texts break into
// paragraphs now and then, as people do when they write more than a line.
func (g *generator) sentences(parts ...string) string {
	var b strings.Builder
	for _, s := range parts {
		if s == "" {
			continue
		}
		if b.Len() > 0 {
			if b.Len() > 160 && g.trng.Float64() < 0.25 {
				b.WriteString("\n\n")
			} else {
				b.WriteByte(' ')
			}
		}
		b.WriteString(s)
	}
	return b.String()
}

// maybe returns s with probability p, else "".
func (g *generator) maybe(p float64, s func() string) string {
	if g.trng.Float64() < p {
		return s()
	}
	return ""
}

// ask is a request about c, often with the reason it matters.
func (g *generator) ask(c *concern, f *fill) string {
	a := g.one(c.Ask, f)
	if g.trng.Float64() < 0.4 {
		a = g.frame(a, f)
	}
	if g.trng.Float64() < 0.45 && strings.HasSuffix(a, ".") {
		a = strings.TrimSuffix(a, ".") + ", " + g.fillIn(g.pick(reasons, f), f) + "."
	}
	return a
}

// frame puts a request the way a letter would: "We ask the Government to
// build…", "Ombi letu: …". English requests are imperatives and take a
// "to" frame; any request takes a heading.
func (g *generator) frame(a string, f *fill) string {
	r, n := utf8.DecodeRuneInString(a)
	if f.lang == langEn && g.trng.Float64() < 0.6 && unicode.IsUpper(r) {
		a = strings.TrimPrefix(a, "Please ")
		r, n = utf8.DecodeRuneInString(a)
		return g.draw(toFrames) + " " + string(unicode.ToLower(r)) + a[n:]
	}
	return g.one(askHeadings, f) + " " + a
}

// pick draws a template from pool in the writer's register, unexpanded.
func (g *generator) pick(pool byLang, f *fill) string {
	return g.draw(pool.of(f.lang))
}

// finish signs a text now and then and types it the writer's way.
func (g *generator) finish(v *voice, f *fill, s string) string {
	if g.trng.Float64() < 0.12 {
		s = g.sentences(s, g.one(signOffs, f))
	}
	out := g.roughen(v, s, v.typos)
	// Many people write the same few words, but a dozen identical copies
	// are what the campaign detector (and an official) takes for a form
	// letter: past two, a writer says who they are or where they write from.
	for try := 0; try < 3 && g.written[text.Hash(out)] >= 2; try++ {
		switch try {
		case 0:
			s = g.sentences(g.one(whoIAm, f), s)
		case 1:
			s = g.sentences(s, g.one(signOffs, f))
		default:
			s = g.sentences(s, g.one(closers, f))
		}
		out = g.roughen(v, s, v.typos)
	}
	g.written[text.Hash(out)]++
	return out
}

// concernText is the body of a proposal or a longer answer about c: a
// greeting sometimes, the problem (once or twice), the request, sometimes a
// complaint about past promises and a closing.
func (g *generator) concernText(c *concern, f *fill, long bool) string {
	opener, second, repeat, closer := 0.3, 0.2, 0.15, 0.35
	if long {
		opener, second, repeat, closer = 0.6, 0.6, 0.4, 0.6
	}
	who := 0.3
	if long {
		who = 0.6
	}
	core := g.one(c.Core, f)
	return g.sentences(
		g.maybe(opener, func() string { return g.one(openers, f) }),
		g.maybe(who, func() string { return g.one(whoIAm, f) }),
		core,
		g.maybe(second, func() string { return g.another(c.Core, f, core) }),
		g.ask(c, f),
		g.maybe(repeat, func() string { return g.one(repeats, f) }),
		g.maybe(closer, func() string { return g.one(closers, f) }),
	)
}

// writeProposal writes a proposal's title and body about concern ci.
func (g *generator) writeProposal(p *person, ci int) (title, body string) {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	c := &concerns[ci]
	title = g.one(c.Title, f)
	body = g.concernText(c, f, g.trng.Float64() < 0.4)
	// Titles are typed with more care than bodies: capitals and SMS
	// spelling, but no typos.
	return g.roughen(v, title, 0), g.finish(v, f, body)
}

// writeOpenAnswer answers "What one change would you make to this budget?":
// mostly a few words or one request, sometimes a paragraph.
func (g *generator) writeOpenAnswer(p *person, ci int) string {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	c := &concerns[ci]
	var s string
	switch x := g.trng.Float64(); {
	case x < 0.35:
		s = g.one(c.Short, f)
		if g.trng.Float64() < 0.4 { // a second thought, as SMS answers often have
			s = g.sentences(s, g.another(c.Short, f, s))
		}
	case x < 0.65:
		s = g.sentences(g.ask(c, f), g.maybe(0.5, func() string { return g.one(whoIAm, f) }))
	case x < 0.85:
		s = g.sentences(g.maybe(0.3, func() string { return g.one(whoIAm, f) }), g.one(c.Core, f), g.ask(c, f))
	default:
		s = g.concernText(c, f, true)
	}
	return g.finish(v, f, s)
}

// writeProposalComment reacts to a proposal about concern ci: support or doubt,
// often with the writer's own version of the problem where they live.
func (g *generator) writeProposalComment(p *person, ci int) string {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	c := &concerns[ci]
	r := g.trng
	s := g.maybe(0.2, func() string { return g.one(whoIAm, f) })
	switch x := r.Float64(); {
	case x < 0.45:
		s = g.sentences(s, g.one(reactSupport, f), g.maybe(0.5, func() string { return g.one(sameHere, f) + " " + g.one(c.Core, f) }))
	case x < 0.7:
		s = g.sentences(s, g.one(reactDoubt, f), g.maybe(0.5, func() string { return g.ask(c, f) }))
	default:
		s = g.sentences(s, g.one(sameHere, f)+" "+g.one(c.Core, f), g.maybe(0.5, func() string { return g.ask(c, f) }))
	}
	return g.finish(v, f, s)
}

// roughen writes s the way the writer types: SMS spelling in lower case
// without full stops, or capitals, dropped commas, and typos at rate typos.
func (g *generator) roughen(v *voice, s string, typos float64) string {
	r := g.trng
	s = g.paraphrase(s, v.lang, 0.4)
	if v.terse {
		s = strings.ReplaceAll(s, ", ", " ")
	}
	if typos > 0 {
		s = g.typo(s, typos)
	}
	switch {
	case v.sms:
		s = smsSpelling.Replace(strings.ToLower(s))
		s = strings.TrimRight(s, ".")
		if r.Float64() < 0.5 {
			s = strings.ReplaceAll(s, ". ", " ")
		}
	case v.caps:
		s = strings.ToUpper(s)
		if r.Float64() < 0.5 {
			s = strings.TrimRight(s, ".") + "!!"
		}
	}
	return s
}

// paraphrase swaps about rate of the words that have synonyms in the
// writer's registers for one of them, keeping a capital where there was one.
func (g *generator) paraphrase(s, lang string, rate float64) string {
	maps := []map[string][]string{synonyms[lang]}
	if lang == langMix {
		maps = []map[string][]string{synonyms[langMix], synonyms[langEn], synonyms[langSw]}
	}
	words := strings.Split(s, " ")
	for i, w := range words {
		lo, hi := 0, len(w)
		for lo < hi && !isLetter(w[lo]) {
			lo++
		}
		for hi > lo && !isLetter(w[hi-1]) {
			hi--
		}
		if lo == hi {
			continue
		}
		core := w[lo:hi]
		key := strings.ToLower(core)
		for _, m := range maps {
			alts, ok := m[key]
			if !ok {
				continue
			}
			if g.trng.Float64() < rate {
				rep := alts[g.trng.IntN(len(alts))]
				if core[0] >= 'A' && core[0] <= 'Z' {
					rep = capFirst(rep)
				}
				words[i] = w[:lo] + rep + w[hi:]
			}
			break
		}
	}
	return strings.Join(words, " ")
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

var smsSpelling = strings.NewReplacer(
	"please", "pls", "because", "coz", " you ", " u ", "thanks", "thnx", "people", "ppl",
	" are ", " r ", "kwa sababu", "juu", "shillings", "bob", "thank you", "thnx",
)

// typo misspells about rate of the words: a swapped, dropped or doubled
// letter, as thumbs on a small keyboard do.
func (g *generator) typo(s string, rate float64) string {
	r := g.trng
	words := strings.Split(s, " ")
	for i, w := range words {
		if len(w) < 4 || r.Float64() >= rate || !isASCIIWord(w) {
			continue
		}
		k := 1 + r.IntN(len(w)-2)
		switch r.IntN(3) {
		case 0:
			words[i] = w[:k] + string(w[k+1]) + string(w[k]) + w[k+2:]
		case 1:
			words[i] = w[:k] + w[k+1:]
		default:
			words[i] = w[:k] + string(w[k]) + w[k:]
		}
	}
	return strings.Join(words, " ")
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// Reactions to someone else's proposal.
var (
	reactSupport = byLang{
		En: []string{"I support this proposal.", "Fully support this.", "This is long overdue.", "Yes! We need the same in {town}.",
			"Good idea, but make sure the money reaches the ground.", "Strongly agree.", "Please fund this one first.", "I support. {county} has waited too long."},
		Sw: []string{"Naunga mkono.", "Hili ni wazo zuri sana.", "Tunahitaji hii pia {town}.", "Ni kweli kabisa.", "Naunga mkono pendekezo hili kwa asilimia mia.",
			"Hili lifanyike mwaka huu.", "Mradi huu ni muhimu kwa [wananchi|wakazi|akina mama] wa {county}.", "Hongera kwa wazo hili.", "Tunaunga mkono kwa dhati."},
		Mix: []string{"Hii ni poa sana, support!", "Tunahitaji hii pia huku {town}.", "100% naunga mkono.", "Hii iko sawa, wafanye haraka.", "Support kabisa bana."},
	}
	reactDoubt = byLang{
		En: []string{"Who will maintain it after the contractor leaves?", "The cost is too high for what it is.", "This is the county's job, why is it in the national budget?",
			"Publish the tender so that we can follow the money.", "Good idea but the last one in {town2} was never finished.", "How many people will this really serve?"},
		Sw: []string{"Nani atatunza mradi huu baada ya mkandarasi kuondoka?", "Gharama hii ni kubwa mno.", "Hii ni kazi ya serikali ya kaunti.", "Mradi kama huu wa {town2} haukukamilika.",
			"Zabuni itangazwe ili tujue pesa zinaenda wapi.", "Mradi huu utawasaidia watu wangapi kweli?", "Wazo zuri, lakini [MCA|mbunge|kaunti] atauiba."},
		Mix: []string{"Hii budget iko juu sana, kuna mtu anataka kukula.", "Nani ata-maintain hii kitu?", "Tender ipublishiwe tuone pesa inaenda wapi.",
			"Poa lakini ile ya {town2} haikuisha.", "Hii ni ya county, si Treasury."},
	}
	sameHere = byLang{
		En:  []string{"Same problem here in {town}:", "It is the same in {town}.", "In {town} too.", "We face this in {county} as well."},
		Sw:  []string{"Hata huku {town} ni hivyo hivyo.", "Tatizo hili liko pia {town}:", "Sisi wa {town} pia tunateseka."},
		Mix: []string{"Hata sisi wa {town} tuko na hii shida.", "Same story huku {town}:"},
	}
)
