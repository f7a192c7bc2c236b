package demo

import (
	"container/heap"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	civicpulse "github.com/civicpulse/civicpulse"
	"github.com/civicpulse/civicpulse/participation"
)

type kind uint8

const (
	kVisit kind = iota
	kVisitProposal
	kSurveyPage
	kSectionComment
	kSectionReply
	kVotes
	kCreateProposal
	kSupports
	kProposalComment
	kProposalReply
	kRegister
	kVerify
	kPanelSurvey
	kPanelProposal
	kFormLetter
)

// action is one step of someone's visit, executed in time order.
type action struct {
	at    time.Time
	seq   uint64
	kind  kind
	p     *person
	n     int // page, count or section
	path  string
	proc  int64
	comp  int64
	first bool     // a visit's landing page: carries referrer and UTM
	via   *channel // a landing page's channel, when not the person's first one
}

type queue []*action

func (q queue) Len() int { return len(q) }
func (q queue) Less(i, j int) bool {
	if !q[i].at.Equal(q[j].at) {
		return q[i].at.Before(q[j].at)
	}
	return q[i].seq < q[j].seq
}
func (q queue) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *queue) Push(x any)   { *q = append(*q, x.(*action)) }
func (q *queue) Pop() any {
	old := *q
	a := old[len(old)-1]
	*q = old[:len(old)-1]
	return a
}

type proposalMeta struct {
	id      int64
	concern int // index in concerns
	author  int64
}

type commentMeta struct {
	id      int64
	section int
	stance  int8
	quality float64
}

type generator struct {
	opts Options
	rng  *rand.Rand
	// trng writes the texts: a stream of its own, so that rewording a
	// phrase pool changes no one's votes, visits or answers.
	trng     *rand.Rand
	seedKey  [8]byte
	day0     time.Time // local midnight of the first day
	start    time.Time
	end      time.Time
	counties []county
	shapes   []participation.Shape // the county map, so that points land on land

	countyPick cumPick
	sectionW   []float64

	// ids created by setup
	sectionIDs     [8]int64
	questions      []int64
	panelSurvey    int64
	panelProposals int64
	panelQuestions []int64

	// the schedule
	q     queue
	seq   uint64
	slot  int
	slots int
	// arrivals per slot
	regular, visitors, formal []int
	regularW, visitorW        []float64
	campaignJoin              [][]float64 // per slot, per campaign: share of arrivals it brought
	campaignVisit             [][]float64

	people int64

	// what exists so far, for choices made at execution time
	proposals      []proposalMeta
	popularity     fenwick
	propTop        []int64 // top-level proposal comments
	propTopTarget  []int64
	propTopConcern []int
	sectionTop     []commentMeta
	bySection      [8][]int

	// what has been written, for the texts (see finish and draw)
	written map[uint64]int
	used    map[string]int

	res     Result
	lastAt  time.Time
	pending int // writes in the current transaction
}

func newGenerator(opts Options) (*generator, error) {
	cs, err := loadCounties()
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(cs))
	for i, c := range cs {
		codes[i] = c.Code
	}
	// The map as the store keeps it (one feature per code), as it checks
	// points against it.
	geo, err := participation.CheckGeoJSON(civicpulse.KenyaCountiesGeoJSON, codes, 0)
	if err != nil {
		return nil, fmt.Errorf("demo: the built-in county map: %w", err)
	}
	shapes, err := participation.ParseShapes(geo)
	if err != nil {
		return nil, fmt.Errorf("demo: the built-in county map: %w", err)
	}
	g := &generator{
		shapes:   shapes,
		opts:     opts,
		rng:      rand.New(rand.NewPCG(opts.Seed, 0x5eedc1c1)),
		trng:     rand.New(rand.NewPCG(opts.Seed, 0x7e575)),
		counties: cs,
		written:  map[uint64]int{},
		used:     map[string]int{},
		start:    opts.Start,
		end:      opts.Start.Add(time.Duration(opts.Days) * day),
	}
	binary.LittleEndian.PutUint64(g.seedKey[:], opts.Seed)
	l := opts.Start.In(nairobi)
	g.day0 = time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, nairobi).UTC()
	g.res.Start, g.res.End = g.start, g.end
	w := make([]float64, len(cs))
	for i, c := range cs {
		w[i] = float64(c.Population) * c.Reach
	}
	g.countyPick = newCumPick(w)
	// The retirement age and the skills sections draw the most comments.
	g.sectionW = []float64{1.0, 1.2, 1.0, 1.1, 1.4, 0.6, 0.7, 0.8}
	g.plan()
	return g, nil
}

// countyShare is the expected share of participants living in a county.
func (g *generator) countyShare(code string) float64 {
	prev := 0.0
	for i, c := range g.counties {
		if c.Code == code {
			return (g.countyPick[i] - prev) / g.countyPick[len(g.countyPick)-1]
		}
		prev = g.countyPick[i]
	}
	return 0
}

// plan spreads arrivals over the hours of the period: organic rhythm times
// campaign boosts, different for mere visitors and for participants.
func (g *generator) plan() {
	g.slots = int(g.end.Sub(g.start) / time.Hour)
	n := g.opts.Participants
	formal := n / 10
	regular := n - formal
	visitors := int(math.Round(float64(n) * (g.opts.VisitorsPerParticipant - 1)))
	g.regularW = make([]float64, g.slots)
	g.visitorW = make([]float64, g.slots)
	fw := make([]float64, g.slots)
	g.campaignJoin = make([][]float64, g.slots)
	g.campaignVisit = make([][]float64, g.slots)
	for i := range g.slots {
		t := g.start.Add(time.Duration(i)*time.Hour + 30*time.Minute)
		b := base(g.day0, t)
		jw, vw := b, b
		g.campaignJoin[i] = make([]float64, len(campaigns))
		g.campaignVisit[i] = make([]float64, len(campaigns))
		for c, cp := range campaigns {
			in := cp.intensity(g.day0, t)
			g.campaignJoin[i][c] = b * cp.Joiners * in
			g.campaignVisit[i][c] = b * cp.Visitors * in
			jw += g.campaignJoin[i][c]
			vw += g.campaignVisit[i][c]
		}
		for c := range campaigns {
			g.campaignJoin[i][c] /= jw
			g.campaignVisit[i][c] /= vw
		}
		g.regularW[i], g.visitorW[i] = jw, vw
		fw[i] = formLetterPeak.intensity(g.day0, t) * (0.3 + hourly[t.In(nairobi).Hour()])
	}
	g.regular = spread(regular, g.regularW)
	g.visitors = spread(visitors, g.visitorW)
	g.formal = spread(formal, fw)
}

func (g *generator) push(a *action) {
	if !a.at.Before(g.end) {
		return // after the period: it has not happened yet
	}
	g.seq++
	a.seq = g.seq
	heap.Push(&g.q, a)
}

// next returns the next action in time order, planning the arrivals of the
// following hours as the clock reaches them; nil at the end.
func (g *generator) next() *action {
	for {
		horizon := g.start.Add(time.Duration(g.slot) * time.Hour)
		if len(g.q) > 0 && (g.q[0].at.Before(horizon) || g.slot >= g.slots) {
			return heap.Pop(&g.q).(*action)
		}
		if g.slot >= g.slots {
			return nil
		}
		g.arrive(g.slot)
		g.slot++
	}
}

func (g *generator) arrive(slot int) {
	from := g.start.Add(time.Duration(slot) * time.Hour)
	at := func() time.Time { return from.Add(time.Duration(g.rng.Int64N(int64(time.Hour)))).Truncate(time.Second) }
	for range g.regular[slot] {
		g.planParticipant(at(), g.channelFor(g.campaignJoin[slot]))
	}
	for range g.visitors[slot] {
		g.planVisitor(at(), g.channelFor(g.campaignVisit[slot]))
	}
	for range g.formal[slot] {
		g.planFormLetter(at())
	}
}

func (g *generator) channelFor(shares []float64) *channel {
	x := g.rng.Float64()
	for c, s := range shares {
		if x < s {
			if campaigns[c].Name == radioChannel.Campaign {
				return &radioChannel
			}
			return &smsChannel
		}
		x -= s
	}
	w := make([]float64, len(organic))
	for i, c := range organic {
		w[i] = c.Share
	}
	return &organic[pick(g.rng, w)]
}

// session builds one person's visit step by step.
type session struct {
	g *generator
	p *person
	t time.Time
}

// wait advances the clock by a log-normal pause around median seconds.
func (s *session) wait(median float64) {
	d := median * math.Exp(0.6*s.g.rng.NormFloat64())
	s.t = s.t.Add(time.Duration(d * float64(time.Second))).Truncate(time.Second)
}

func (s *session) do(k kind, n int) {
	s.g.push(&action{at: s.t, kind: k, p: s.p, n: n, proc: s.g.res.ProcessID})
}

func (s *session) visit(path string, comp int64, first bool) {
	s.g.push(&action{at: s.t, kind: kVisit, p: s.p, path: path, proc: s.g.res.ProcessID, comp: comp, first: first})
}

// Paths as the web layer records them (see web's routes).
func mainPath(suffix string) string { return "/p/" + mainSlug + suffix }

func compPath(comp int64) string { return fmt.Sprintf("/p/%s/c/%d", mainSlug, comp) }

func (g *generator) planVisitor(t time.Time, ch *channel) {
	p := g.newPerson(ch)
	s := &session{g, p, t}
	landing, comp := mainPath(""), int64(0)
	if ch == &smsChannel {
		landing, comp = compPath(g.res.SurveyComponent), g.res.SurveyComponent
	}
	s.visit(landing, comp, true)
	for pages := 0; pages < 3 && g.rng.Float64() < []float64{0.45, 0.35, 0.3}[pages]; pages++ {
		s.wait(40)
		switch g.rng.IntN(4) {
		case 0:
			s.visit(compPath(g.res.ProposalsComponent), g.res.ProposalsComponent, false)
		case 1:
			g.push(&action{at: s.t, kind: kVisitProposal, p: p, proc: g.res.ProcessID, comp: g.res.ProposalsComponent})
		case 2:
			s.visit(compPath(g.res.DocumentComponent), g.res.DocumentComponent, false)
		default:
			s.visit(compPath(g.res.SurveyComponent), g.res.SurveyComponent, false)
		}
	}
}

// planParticipant plans a person who takes part: which tools they use, in
// which order, with pauses, and whether they come back another day.
func (g *generator) planParticipant(t time.Time, ch *channel) {
	r := g.rng
	p := g.newPerson(ch)
	s := &session{g, p, t}
	surveyP, docP, propP := 0.6, 0.42, 0.55
	landing, comp := mainPath(""), int64(0)
	switch ch {
	case &smsChannel:
		surveyP, docP, propP = 0.9, 0.2, 0.3
		landing, comp = compPath(g.res.SurveyComponent), g.res.SurveyComponent
	case &radioChannel:
		surveyP, propP = 0.7, 0.65
	}
	s.visit(landing, comp, true)
	s.wait(45)
	tools := []int{}
	if r.Float64() < surveyP {
		tools = append(tools, 0)
	}
	if r.Float64() < docP {
		tools = append(tools, 1)
	}
	if r.Float64() < propP {
		tools = append(tools, 2)
	}
	r.Shuffle(len(tools), func(i, j int) { tools[i], tools[j] = tools[j], tools[i] })
	wrote := false
	docReader := false
	for _, tool := range tools {
		switch tool {
		case 0:
			g.planSurvey(s)
			wrote = true
		case 1:
			docReader = true
			wrote = g.planDocument(s) || wrote
		case 2:
			wrote = g.planProposals(s) || wrote
		}
		s.wait(30)
	}
	if !wrote { // a participant is someone who wrote something
		g.planSurvey(s)
	}
	if r.Float64() < 0.02 && s.t.After(g.day0.Add(panelOpens)) {
		g.planPanel(s)
	}
	if r.Float64() < 0.3 {
		g.planReturn(p, t, docReader)
	}
}

func (g *generator) planSurvey(s *session) {
	s.visit(compPath(g.res.SurveyComponent), g.res.SurveyComponent, false)
	for page := 1; page <= 3; page++ {
		s.wait([]float64{0, 75, 60, 100}[page])
		s.do(kSurveyPage, page)
		if page < 3 && g.rng.Float64() > []float64{0, 0.82, 0.88}[page] {
			return // drops off; may resume on a later visit
		}
	}
}

func (g *generator) planDocument(s *session) bool {
	r := g.rng
	s.visit(compPath(g.res.DocumentComponent), g.res.DocumentComponent, false)
	s.wait(90)
	wrote := false
	if r.Float64() < 0.8 {
		s.do(kVotes, 3+int(r.ExpFloat64()*9))
		wrote = true
		s.wait(40)
	}
	if r.Float64() < 0.33 {
		s.wait(120)
		s.do(kSectionComment, 0)
		wrote = true
	}
	if r.Float64() < 0.12 {
		s.wait(90)
		s.do(kSectionReply, 0)
		wrote = true
	}
	return wrote
}

func (g *generator) planProposals(s *session) bool {
	r := g.rng
	s.visit(compPath(g.res.ProposalsComponent), g.res.ProposalsComponent, false)
	for range 1 + r.IntN(3) {
		s.wait(30)
		g.push(&action{at: s.t, kind: kVisitProposal, p: s.p, proc: g.res.ProcessID, comp: g.res.ProposalsComponent})
	}
	wrote := false
	if r.Float64() < 0.6 {
		s.wait(20)
		s.do(kSupports, 1+min(int(r.ExpFloat64()*1.5), 7))
		wrote = true
	}
	if r.Float64() < 0.1 {
		s.wait(100)
		if r.Float64() < 0.3 {
			s.do(kProposalReply, 0)
		} else {
			s.do(kProposalComment, 0)
		}
		wrote = true
	}
	if r.Float64() < 0.06 {
		s.visit(compPath(g.res.ProposalsComponent)+"/new", g.res.ProposalsComponent, false)
		s.wait(300)
		s.do(kCreateProposal, 0)
		wrote = true
	}
	return wrote
}

// planPanel: the person also joins the registered-mode water panel.
func (g *generator) planPanel(s *session) {
	s.wait(60)
	g.push(&action{at: s.t, kind: kVisit, p: s.p, path: "/p/" + registeredSlug, proc: g.res.RegisteredProcessID})
	s.wait(30)
	g.push(&action{at: s.t, kind: kVisit, p: s.p, path: "/p/" + registeredSlug + "/register", proc: g.res.RegisteredProcessID})
	s.wait(90)
	g.push(&action{at: s.t, kind: kRegister, p: s.p})
	s.wait(240) // opens the email and follows the link
	g.push(&action{at: s.t, kind: kVerify, p: s.p})
	s.wait(100)
	g.push(&action{at: s.t, kind: kPanelSurvey, p: s.p})
	if g.rng.Float64() < 0.3 {
		s.wait(200)
		g.push(&action{at: s.t, kind: kPanelProposal, p: s.p})
	}
}

// planReturn: a later visit, some days on, in a busy hour of that day.
func (g *generator) planReturn(p *person, first time.Time, docReader bool) {
	r := g.rng
	d := first.In(nairobi).AddDate(0, 0, 1+r.IntN(6))
	hour := pick(r, hourly[:])
	t := time.Date(d.Year(), d.Month(), d.Day(), hour, r.IntN(60), r.IntN(60), 0, nairobi).UTC()
	s := &session{g, p, t}
	s.g.push(&action{at: t, kind: kVisit, p: p, path: mainPath(""), proc: g.res.ProcessID, first: true, via: &returnChannel})
	s.wait(40)
	s.do(kSurveyPage, -1) // resumes an unfinished survey, if any
	if docReader || r.Float64() < 0.3 {
		s.wait(60)
		s.visit(compPath(g.res.DocumentComponent), g.res.DocumentComponent, false)
		s.wait(60)
		s.do(kVotes, 2+int(r.ExpFloat64()*6))
	}
	if r.Float64() < 0.4 {
		s.wait(60)
		s.visit(compPath(g.res.ProposalsComponent), g.res.ProposalsComponent, false)
		s.wait(40)
		s.do(kSupports, 1+r.IntN(3))
	}
}

func (g *generator) planFormLetter(t time.Time) {
	p := g.newPerson(&forwardChannel)
	p.formal = true
	if g.rng.Float64() < 0.7 { // the campaign comes from young graduates
		p.age = g.rng.IntN(2)
		p.group = 2
	}
	s := &session{g, p, t}
	s.visit(compPath(g.res.DocumentComponent), g.res.DocumentComponent, true)
	s.wait(150)
	s.do(kFormLetter, 0)
	if g.rng.Float64() < 0.3 {
		s.wait(40)
		s.do(kVotes, 3+g.rng.IntN(6))
	}
}

// run executes the schedule in transactions of about ChunkWrites writes.
func (g *generator) run(ctx context.Context, st participation.Store, began time.Time) error {
	for done := false; !done; {
		if err := ctx.Err(); err != nil {
			return err
		}
		err := st.Batch(ctx, func(tx participation.Store) error {
			g.pending = 0
			for g.pending < g.opts.ChunkWrites {
				a := g.next()
				if a == nil {
					done = true
					return nil
				}
				if err := g.exec(ctx, tx, a); err != nil {
					return fmt.Errorf("%s at %s: %w", a.kind, a.at.Format(time.RFC3339), err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if g.opts.Progress != nil {
			g.opts.Progress(Progress{Simulated: g.lastAt, Until: g.end, Participants: g.res.Participants, Writes: g.res.Writes, Elapsed: time.Since(began)})
		}
	}
	return nil
}

func (k kind) String() string {
	return [...]string{"visit", "visit proposal", "survey page", "section comment", "section reply", "votes",
		"create proposal", "supports", "proposal comment", "proposal reply", "register", "verify",
		"panel survey", "panel proposal", "form letter"}[k]
}

// visitorHash stands in for the web layer's salted daily hash: the same
// person gets a new one each UTC day, as with a rotating salt.
func (g *generator) visitorHash(p *person, t time.Time) string {
	var b [24]byte
	copy(b[:8], g.seedKey[:])
	binary.LittleEndian.PutUint64(b[8:], uint64(p.n))
	binary.LittleEndian.PutUint64(b[16:], uint64(t.Unix()/86400))
	sum := sha256.Sum256(b[:])
	return hex.EncodeToString(sum[:])
}

func (g *generator) wrote(n int) {
	g.pending += n
	g.res.Writes += int64(n)
}

func asOf(ctx context.Context, t time.Time) context.Context { return participation.AsOf(ctx, t) }
