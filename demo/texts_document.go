package demo

import (
	"fmt"
	"strings"
)

// The texts written on the draft statement: comments for and against a
// section, amendments, questions, replies, and the planted form letter.

// writeSectionComment argues for (stance 1) or against (-1) section s.
func (g *generator) writeSectionComment(p *person, s int, stance int8) string {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	sv := &sectionVoices[s]
	arg := sv.Pro
	if stance < 0 {
		arg = sv.Con
	}
	local := sv.Local[g.trng.IntN(len(sv.Local))]
	intro := g.maybe(0.5, func() string { return g.one(stanceIntro[stance], f) })
	who := g.maybe(0.3, func() string { return g.one(whoIAm, f) })
	home := g.maybe(0.45, func() string { return g.one(concerns[local].Core, f) })
	if intro == "" && who == "" && home == "" {
		// An argument alone is the sentence everyone on that side writes.
		home = g.one(concerns[local].Core, f)
	}
	point := g.one(arg, f)
	if g.trng.Float64() < 0.35 {
		// Many answer a budget line with what it means at home: the problem
		// there and what they want done about it.
		point, home = g.one(concerns[local].Core, f), g.ask(&concerns[local], f)
	}
	txt := g.sentences(intro, who, point, home, g.maybe(0.25, func() string { return g.one(closers, f) }))
	return g.finish(v, f, txt)
}

// writeAmendment is the reason given with a proposed new wording.
func (g *generator) writeAmendment(p *person, s int) string {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	sv := &sectionVoices[s]
	local := sv.Local[g.trng.IntN(len(sv.Local))]
	txt := g.sentences(
		g.maybe(0.3, func() string { return g.one(whoIAm, f) }),
		g.one(sv.Con, f),
		g.maybe(0.3, func() string { return g.one(concerns[local].Core, f) }),
		g.one(amendIntro, f),
	)
	return g.finish(v, f, txt)
}

// writeQuestion asks one of the questions people have about section s.
func (g *generator) writeQuestion(p *person, s int) string {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	qs := sections[s].Questions
	if v.lang != langEn {
		qs = sectionVoices[s].Questions.Sw
	}
	txt := g.sentences(
		g.maybe(0.35, func() string { return g.one(whoIAm, f) }),
		g.one(askPrefix, f)+qs[g.trng.IntN(len(qs))],
		g.maybe(0.2, func() string { return g.one(closers, f) }),
	)
	return g.finish(v, f, txt)
}

// writeSectionReply answers a comment: agreeing or not, then the writer's own
// argument for stance.
func (g *generator) writeSectionReply(p *person, s int, stance int8, agrees bool) string {
	v := g.voice(p)
	f := g.fillFor(p, v.lang)
	lead := replyDisagree
	if agrees {
		lead = replyAgree
	}
	sv := &sectionVoices[s]
	arg := sv.Pro
	if stance < 0 {
		arg = sv.Con
	}
	local := sv.Local[g.trng.IntN(len(sv.Local))]
	point := g.maybe(0.75, func() string { return g.one(arg, f) })
	if point != "" && g.trng.Float64() < 0.35 {
		point = g.one(concerns[local].Core, f)
	}
	txt := g.sentences(
		g.one(lead, f),
		g.maybe(0.3, func() string { return g.one(whoIAm, f) }),
		point,
		g.maybe(0.3, func() string { return g.another(concerns[local].Core, f, point) }),
	)
	return g.finish(v, f, txt)
}

// writeFormLetter writes one copy of the campaign's template: most words as
// sent, some swapped for the alternatives, sometimes a line of one's own.
func (g *generator) writeFormLetter(p *person) string {
	r := g.trng
	var b strings.Builder
	for _, part := range formLetter {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		switch v := part.(type) {
		case string:
			b.WriteString(v)
		case []string:
			w := v[0]
			if r.Float64() < 0.25 {
				w = v[1+r.IntN(len(v)-1)]
			}
			b.WriteString(w)
		}
	}
	if r.Float64() < 0.3 {
		fmt.Fprintf(&b, " "+formLetterSignoffs[r.IntN(len(formLetterSignoffs))], shortCounty(g.counties[p.county].Name))
	}
	return b.String()
}
