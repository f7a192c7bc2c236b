package demo

import (
	"math"
	"math/rand/v2"
	"sort"

	"github.com/civicpulse/civicpulse/participation"
)

// channel is where a visitor came from, as the web layer records it:
// referrer host and UTM parameters, and the device mix of that audience.
type channel struct {
	Name     string
	Referrer string
	Source   string
	Medium   string
	Campaign string
	Mobile   float64 // share on phones; Tablet of the rest go to tablets, others to desktops
	Tablet   float64
	Share    float64 // of organic traffic
}

var organic = []channel{
	{Name: "direct", Mobile: 0.62, Tablet: 0.04, Share: 0.27},
	{Name: "google", Referrer: "google.com", Mobile: 0.66, Tablet: 0.04, Share: 0.2},
	{Name: "facebook", Referrer: "m.facebook.com", Mobile: 0.88, Tablet: 0.03, Share: 0.17},
	{Name: "x", Referrer: "t.co", Mobile: 0.76, Tablet: 0.04, Share: 0.07},
	{Name: "treasury", Referrer: "treasury.go.ke", Mobile: 0.4, Tablet: 0.03, Share: 0.1},
	{Name: "nation", Referrer: "nation.africa", Mobile: 0.72, Tablet: 0.05, Share: 0.07},
	{Name: "star", Referrer: "the-star.co.ke", Mobile: 0.72, Tablet: 0.05, Share: 0.04},
	{Name: "newsletter", Source: "newsletter", Medium: "email", Campaign: "bps-2027-launch", Mobile: 0.45, Tablet: 0.05, Share: 0.04},
	{Name: "kenyalaw", Referrer: "new.kenyalaw.org", Mobile: 0.3, Tablet: 0.02, Share: 0.04},
}

var (
	radioChannel = channel{Name: "radio", Source: "radio", Medium: "offline", Campaign: "radio-week2", Mobile: 0.84, Tablet: 0.02}
	smsChannel   = channel{Name: "sms", Source: "sms", Medium: "sms", Campaign: "sms-week3", Mobile: 0.97, Tablet: 0.01}
	// Form letters travel by messaging apps, which send no referrer.
	forwardChannel = channel{Name: "forward", Mobile: 0.93, Tablet: 0.01}
	returnChannel  = channel{Name: "direct", Mobile: 0.62, Tablet: 0.04}
)

func (c *channel) device(r *rand.Rand) string {
	x := r.Float64()
	switch {
	case x < c.Mobile:
		return "mobile"
	case x < c.Mobile+c.Tablet:
		return "tablet"
	}
	return "desktop"
}

// person is one visitor, and a participant once they write. The latent
// traits (age, where they live, opinion group, trust) drive every answer
// and vote, so the analyses find structure that is really there.
type person struct {
	n          int64 // generator's number, for the visitor hash
	id         int64 // participant id once joined
	county     int
	declared   bool // tells the process its county
	age        int  // index in ageBands
	loc        int
	group      int // latent opinion group, 0..2
	trust      float64
	conviction float64 // how closely their votes follow their group
	ch         *channel
	device     string
	prios      []int // survey priorities, once drawn
	formal     bool  // sends the form letter
	secret     string
	lastPage   int
	supports   map[int64]bool
	voted      map[int]bool // indexes in sectionTop
	voice      *voice       // how they write, once they have written
}

// Opinion groups. Pref says how much each group favours what each section
// of the draft proposes (+ for, − against); the groups differ on most
// sections, as Pol.is conversations' groups do.
var groupPref = [3][8]float64{
	{+1, -0.5, -1, 0, +1, -1, -1, -1},    // market-minded: smaller state, fewer subsidies
	{-1, +1, +1, +1, -0.5, +1, +1, +1},   // social: public investment and regulation
	{-1, +1, -1, 0.3, -1.5, -1, +1, 0.3}, // youth, jobs first: against keeping officers past 60
}

// groupByAge: the youth lean to group 2, older people to groups 0 and 1.
var groupByAge = [6][3]float64{
	{0.2, 0.25, 0.55}, {0.22, 0.28, 0.5}, {0.35, 0.45, 0.2}, {0.38, 0.47, 0.15}, {0.55, 0.4, 0.05}, {0.55, 0.4, 0.05},
}

// Online participants are younger than the adult population.
var ageShare = []float64{0.22, 0.35, 0.2, 0.12, 0.07, 0.04}

func pick(r *rand.Rand, w []float64) int {
	var s float64
	for _, x := range w {
		s += x
	}
	x := r.Float64() * s
	for i, v := range w {
		x -= v
		if x < 0 {
			return i
		}
	}
	return len(w) - 1
}

func sigmoid(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func gumbel(r *rand.Rand) float64 { return -math.Log(-math.Log(r.Float64()*0.999999 + 1e-9)) }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

func (g *generator) newPerson(ch *channel) *person {
	r := g.rng
	g.people++
	p := &person{n: g.people, ch: ch}
	p.county = g.countyPick.pick(r)
	p.declared = r.Float64() < 0.85
	p.age = pick(r, ageShare)
	c := g.counties[p.county]
	switch {
	case r.Float64() < c.Urban:
		p.loc = locUrban
	case r.Float64() < 0.3:
		p.loc = locPeri
	default:
		p.loc = locRural
	}
	p.group = pick(r, groupByAge[p.age][:])
	mu := [3]float64{0.3, -0.2, -0.6}[p.group]
	if p.age >= 3 {
		mu += 0.2
	}
	p.trust = mu + r.NormFloat64()
	p.conviction = 0.5 + r.Float64()
	p.device = ch.device(r)
	return p
}

// concernOf is what p writes a proposal or an answer about: mostly their
// first spending priority, sometimes their second.
func (g *generator) concernOf(p *person) int {
	pr := g.priorities(p)
	k := pr[0]
	if g.rng.Float64() < 0.3 {
		k = pr[1]
	}
	cs := priorityConcern[k]
	return cs[g.rng.IntN(len(cs))]
}

// priorities ranks the spending areas for p: age, place and group shift a
// common base, and noise makes people differ.
func (g *generator) priorities(p *person) []int {
	if p.prios != nil {
		return p.prios
	}
	r := g.rng
	u := []float64{1.0, 0.9, 0.6, 0.6, 0.6, 0.3, 0.4, 0.3, 0.7, 0.4}
	if p.age <= 1 {
		u[prYouth] += 1.0
		u[prEducation] += 0.4
		u[prHousing] += 0.2
	}
	if p.age >= 4 {
		u[prHealth] += 0.8
		u[prSocial] += 0.9
	}
	switch p.loc {
	case locRural:
		u[prAgriculture] += 0.8
		u[prWater] += 0.6
		u[prRoads] += 0.5
	case locUrban:
		u[prHousing] += 0.7
		u[prSecurity] += 0.5
		u[prRoads] += 0.2
	}
	if g.counties[p.county].Arid {
		u[prWater] += 1.2
		u[prAgriculture] += 0.3
	}
	switch p.group {
	case 0:
		u[prRoads] += 0.3
		u[prSecurity] += 0.3
	case 1:
		u[prSocial] += 0.4
		u[prEnvironment] += 0.4
	case 2:
		u[prYouth] += 0.5
	}
	idx := make([]int, len(u))
	score := make([]float64, len(u))
	for i := range u {
		idx[i] = i
		score[i] = u[i] + 0.8*gumbel(r)
	}
	sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
	p.prios = idx
	return idx
}

func likert(x float64) float64 { return clamp(math.Round(3+x), 1, 5) }

// surveyPage answers one page of the main survey the way p would.
func (g *generator) surveyPage(p *person, page int) []participation.Answer {
	r := g.rng
	q := g.questions
	var out []participation.Answer
	choice := func(i int, c ...int) {
		out = append(out, participation.Answer{QuestionID: q[i], Choices: c})
	}
	number := func(i int, v float64) {
		out = append(out, participation.Answer{QuestionID: q[i], Number: &v})
	}
	switch page {
	case 1:
		choice(qAge, p.age)
		loc := p.loc
		if r.Float64() < 0.08 { // people describe where they live loosely
			loc = r.IntN(3)
		}
		choice(qLocation, loc)
		k := []int{1, 2, 3, 3, 3}[r.IntN(5)]
		pr := g.priorities(p)
		choice(qPriorities, append([]int(nil), pr[:k]...)...)
		u := []float64{0.5, 0.2, 1.0, 0.4, -0.3}
		switch p.group {
		case 0:
			u[0] += 0.9
			u[4] += 0.8
		case 1:
			u[1] += 0.9
			u[2] += 0.3
		case 2:
			u[2] += 0.6
			u[3] += 0.7
		}
		idx := []int{0, 1, 2, 3, 4}
		score := make([]float64, 5)
		for i := range score {
			score[i] = u[i] + gumbel(r)
		}
		sort.SliceStable(idx, func(a, b int) bool { return score[idx[a]] > score[idx[b]] })
		choice(qDeficit, idx...)
	case 2:
		number(qSpentWell, likert(0.9*p.trust+0.8*r.NormFloat64()))
		number(qListens, likert(0.9*p.trust-0.3+0.8*r.NormFloat64()))
		tax := 0.6*p.trust + 0.8*r.NormFloat64()
		switch p.group {
		case 0:
			tax -= 0.3
		case 1:
			tax += 0.6
		}
		number(qPayTax, likert(tax))
		if r.Float64() < 0.85 {
			median := []float64{4, 15, 25}[p.loc]
			if g.counties[p.county].Arid {
				median *= 2.5
			}
			if p.loc == locUrban && r.Float64() < 0.45 {
				number(qWaterMinutes, 0) // water at home
			} else {
				number(qWaterMinutes, clamp(math.Round(median*math.Exp(0.7*r.NormFloat64())), 0, 300))
			}
		}
		choice(qHeard, g.heard(p))
	case 3:
		real := 0.5*p.trust + 0.8*r.NormFloat64()
		switch p.group {
		case 0:
			real += 0.8
		case 2:
			real -= 0.5
		}
		number(qRealistic, likert(real))
		share := []float64{18, 35, 28}[p.group] + 10*r.NormFloat64()
		if p.loc == locRural {
			share += 5
		}
		number(qCountyShare, clamp(math.Round(share), 0, 100))
		if r.Float64() < 0.45 {
			out = append(out, participation.Answer{QuestionID: q[qChange], Text: g.writeOpenAnswer(p, g.concernOf(p))})
		}
		if r.Float64() < 0.9 {
			yes := sigmoid(1 + 0.6*p.trust)
			switch x := r.Float64(); {
			case x < yes:
				choice(qAgain, 0)
			case x < yes+(1-yes)*0.6:
				choice(qAgain, 1)
			default:
				choice(qAgain, 2)
			}
		}
	}
	return out
}

// heard answers "how did you hear": mostly the channel they came by.
func (g *generator) heard(p *person) int {
	r := g.rng
	switch p.ch.Name {
	case "radio":
		if r.Float64() < 0.85 {
			return heardRadio
		}
	case "sms":
		if r.Float64() < 0.85 {
			return heardSMS
		}
	case "facebook", "x":
		if r.Float64() < 0.8 {
			return heardSocial
		}
	case "nation", "star", "google":
		if r.Float64() < 0.45 {
			return heardPress
		}
	case "forward":
		if r.Float64() < 0.7 {
			return heardFriends
		}
	}
	return pick(r, []float64{0.15, 0.05, 0.25, 0.3, 0.1, 0.1, 0.05})
}
