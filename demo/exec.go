package demo

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// exec performs one action against the store, dated at a.at.
func (g *generator) exec(ctx context.Context, tx participation.Store, a *action) error {
	g.lastAt = a.at
	c := asOf(ctx, a.at)
	p := a.p
	switch a.kind {
	case kVisit:
		return g.recordVisit(c, tx, a, a.path)
	case kVisitProposal:
		path := compPath(g.res.ProposalsComponent)
		if i := g.popularity.pick(g.rng); i >= 0 {
			path = fmt.Sprintf("%s/%d", mainPath("/proposals"), g.proposals[i].id)
		}
		return g.recordVisit(c, tx, a, path)
	case kSurveyPage:
		if a.n > 0 {
			return g.saveSurveyPage(ctx, tx, p, a.n, a.at)
		}
		// Coming back to an unfinished survey: some go on to the end.
		if p.lastPage == 0 || p.lastPage == 3 || g.rng.Float64() > 0.4 {
			return nil
		}
		t := a.at
		for page := p.lastPage + 1; page <= 3; page++ {
			if err := g.saveSurveyPage(ctx, tx, p, page, t); err != nil {
				return err
			}
			t = t.Add(time.Duration(40+g.rng.IntN(80)) * time.Second)
		}
	case kSectionComment:
		return g.sectionComment(ctx, tx, a)
	case kSectionReply:
		return g.sectionReply(ctx, tx, a)
	case kFormLetter:
		return g.formLetter(ctx, tx, a)
	case kVotes:
		return g.votes(ctx, tx, a)
	case kCreateProposal:
		return g.createProposal(ctx, tx, a)
	case kSupports:
		return g.supports(ctx, tx, a)
	case kProposalComment, kProposalReply:
		return g.proposalComment(ctx, tx, a)
	case kRegister:
		if err := g.join(ctx, tx, p, a.at); err != nil {
			return err
		}
		secret, err := tx.Register(c, g.res.RegisteredProcessID, p.id,
			participation.Consent{ProcessID: g.res.RegisteredProcessID, NoticeVersion: 1, Purpose: "citizens' panel: surveys and yearly report by email"},
			participation.Profile{ProcessID: g.res.RegisteredProcessID, Email: fmt.Sprintf("panel.member%d@example.org", p.n), RegionCode: g.counties[p.county].Code})
		if err != nil {
			return err
		}
		p.secret = secret
		g.wrote(1)
	case kVerify:
		if p.secret == "" {
			return nil
		}
		if err := tx.Verify(c, g.res.RegisteredProcessID, p.id, p.secret); err != nil {
			return err
		}
		p.secret = ""
		g.res.Registered++
		g.wrote(1)
	case kPanelSurvey:
		if p.id == 0 || p.secret != "" {
			return nil
		}
		return g.panelSurveyPage(c, tx, p)
	case kPanelProposal:
		if p.id == 0 || p.secret != "" {
			return nil
		}
		site := waterPanSites[g.rng.IntN(len(waterPanSites))]
		cn := g.counties[p.county]
		_, err := tx.CreateProposal(c, participation.Proposal{
			ProcessID: g.res.RegisteredProcessID, ComponentID: g.panelProposals, ParticipantID: p.id,
			Title:       "Water pan site in " + cn.Name,
			Description: site, Tags: []string{"water-pan"}, RegionCode: cn.Code,
		})
		if err != nil {
			return err
		}
		g.res.Proposals++
		g.wrote(1)
	}
	return nil
}

func (g *generator) saveSurveyPage(ctx context.Context, tx participation.Store, p *person, page int, at time.Time) error {
	if page != p.lastPage+1 {
		return nil // dropped off earlier in this visit
	}
	if err := g.join(ctx, tx, p, at); err != nil {
		return err
	}
	if _, err := tx.SaveSurveyPage(asOf(ctx, at), g.res.SurveyComponent, p.id, page, g.surveyPage(p, page)); err != nil {
		return err
	}
	g.wrote(1)
	p.lastPage = page
	if page == 1 {
		g.res.Responses++
	}
	if page == 3 {
		g.res.CompletedResponses++
	}
	return nil
}

// join creates the participant on their first write, as the web layer does.
func (g *generator) join(ctx context.Context, tx participation.Store, p *person, at time.Time) error {
	if p.id != 0 {
		return nil
	}
	region := ""
	if p.declared {
		region = g.counties[p.county].Code
	}
	part, err := tx.CreateParticipant(asOf(ctx, at.Add(-time.Second)), region)
	if err != nil {
		return err
	}
	p.id = part.ID
	if tr := g.opts.trace; tr != nil {
		tr.group[p.id] = p.group
	}
	g.res.Participants++
	g.wrote(1)
	return nil
}

func (g *generator) recordVisit(ctx context.Context, tx participation.Store, a *action, path string) error {
	p := a.p
	v := participation.Visit{
		ProcessID: a.proc, ComponentID: a.comp, VisitorHash: g.visitorHash(p, a.at),
		Path: path, Device: p.device, OccurredAt: a.at,
	}
	if a.first {
		ch := p.ch
		if a.via != nil {
			ch = a.via // returning visitors come straight back
		}
		v.Referrer, v.UTMSource, v.UTMMedium, v.UTMCampaign = ch.Referrer, ch.Source, ch.Medium, ch.Campaign
		if a.proc == g.res.ProcessID && p.id == 0 {
			g.res.Visitors++
		}
	}
	if err := tx.RecordVisit(ctx, v); err != nil {
		return err
	}
	g.res.Visits++
	g.wrote(1)
	return nil
}

// stanceFor: people mostly write what their group thinks of the section.
func (g *generator) stanceFor(p *person, section int) int8 {
	if g.rng.Float64() < sigmoid(2*groupPref[p.group][section]) {
		return 1
	}
	return -1
}

func (g *generator) sectionComment(ctx context.Context, tx participation.Store, a *action) error {
	r := g.rng
	p := a.p
	s := pick(r, g.sectionW)
	sec := sections[s]
	cm := participation.Comment{
		ProcessID: g.res.ProcessID, ComponentID: g.res.DocumentComponent,
		TargetKind: participation.TargetSection, TargetID: g.sectionIDs[s], Kind: participation.CommentPlain,
	}
	meta := commentMeta{section: s}
	switch x := r.Float64(); {
	case x < 0.12:
		cm.Kind, cm.Body = participation.CommentAmendment, g.writeAmendment(p, s)
		cm.ProposedText = sec.Amendments[r.IntN(len(sec.Amendments))]
		meta.stance, meta.quality = -1, 0.2*r.NormFloat64()
	case x < 0.22:
		cm.Kind, cm.Body = participation.CommentQuestion, g.writeQuestion(p, s)
		meta.quality = 0.5
	default:
		meta.stance = g.stanceFor(p, s)
		cm.Body = g.writeSectionComment(p, s, meta.stance)
		// Some comments are simply better argued or better timed; a
		// reasoned paragraph goes down better than a shout.
		meta.quality = 0.2 + 0.5*r.NormFloat64()
		if len(cm.Body) > 200 {
			meta.quality += 0.3
		}
		if strings.ToUpper(cm.Body) == cm.Body {
			meta.quality -= 0.4
		}
	}
	return g.addSectionComment(ctx, tx, a, cm, meta)
}

func (g *generator) addSectionComment(ctx context.Context, tx participation.Store, a *action, cm participation.Comment, meta commentMeta) error {
	if err := g.join(ctx, tx, a.p, a.at); err != nil {
		return err
	}
	cm.ParticipantID = a.p.id
	id, err := tx.CreateComment(asOf(ctx, a.at), cm)
	if err != nil {
		return err
	}
	g.wrote(1)
	g.res.Comments++
	switch cm.Kind {
	case participation.CommentAmendment:
		g.res.Amendments++
	case participation.CommentQuestion:
		g.res.Questions++
	}
	meta.id = id
	if tr := g.opts.trace; tr != nil {
		tr.stance[id], tr.sec[id] = meta.stance, meta.section
	}
	g.bySection[meta.section] = append(g.bySection[meta.section], len(g.sectionTop))
	g.sectionTop = append(g.sectionTop, meta)
	return nil
}

func (g *generator) sectionReply(ctx context.Context, tx participation.Store, a *action) error {
	r := g.rng
	if len(g.sectionTop) == 0 {
		return g.sectionComment(ctx, tx, a)
	}
	parent := g.sectionTop[r.IntN(len(g.sectionTop))]
	st := -parent.stance
	if st == 0 || r.Float64() < 0.4 {
		st = g.stanceFor(a.p, parent.section)
	}
	body := g.writeSectionReply(a.p, parent.section, st, st == parent.stance)
	if err := g.join(ctx, tx, a.p, a.at); err != nil {
		return err
	}
	pid := parent.id
	_, err := tx.CreateComment(asOf(ctx, a.at), participation.Comment{
		ProcessID: g.res.ProcessID, ComponentID: g.res.DocumentComponent, TargetKind: participation.TargetSection,
		TargetID: g.sectionIDs[parent.section], ParentID: &pid, ParticipantID: a.p.id, Kind: participation.CommentPlain, Body: body,
	})
	if err != nil {
		return err
	}
	g.wrote(1)
	g.res.Comments++
	g.res.Replies++
	return nil
}

// formLetter posts one copy of the campaign's letter on section 5.
func (g *generator) formLetter(ctx context.Context, tx participation.Store, a *action) error {
	const section = 4 // retirement age
	cm := participation.Comment{
		ProcessID: g.res.ProcessID, ComponentID: g.res.DocumentComponent, TargetKind: participation.TargetSection,
		TargetID: g.sectionIDs[section], Kind: participation.CommentPlain, Body: g.writeFormLetter(a.p),
	}
	if err := g.addSectionComment(ctx, tx, a, cm, commentMeta{section: section, stance: -1, quality: -0.3}); err != nil {
		return err
	}
	g.res.FormLetters++
	return nil
}

// votes: Pol.is shows comments at random; each vote follows the voter's
// opinion group on the comment's section and stance.
func (g *generator) votes(ctx context.Context, tx participation.Store, a *action) error {
	r := g.rng
	pool := len(g.sectionTop)
	section := -1
	if a.p.formal {
		section = 4
		pool = len(g.bySection[section])
	}
	if pool == 0 {
		return nil
	}
	n := min(a.n, pool, 40)
	if a.p.voted == nil {
		a.p.voted = make(map[int]bool, n)
	}
	t := a.at
	for done, tries := 0, 0; done < n && tries < 4*n; tries++ {
		i := r.IntN(pool)
		if section >= 0 {
			i = g.bySection[section][i]
		}
		if a.p.voted[i] {
			continue
		}
		a.p.voted[i] = true
		done++
		c := g.sectionTop[i]
		v := participation.VotePass
		if r.Float64() >= 0.12 {
			if r.Float64() < sigmoid(c.quality+1.6*a.p.conviction*groupPref[a.p.group][c.section]*float64(c.stance)) {
				v = participation.VoteAgree
			} else {
				v = participation.VoteDisagree
			}
		}
		if err := g.join(ctx, tx, a.p, t); err != nil {
			return err
		}
		if err := tx.VoteComment(asOf(ctx, t), c.id, a.p.id, v); err != nil {
			return err
		}
		g.wrote(1)
		g.res.Votes++
		t = t.Add(time.Duration(5+r.IntN(35)) * time.Second)
	}
	return nil
}

func (g *generator) createProposal(ctx context.Context, tx participation.Store, a *action) error {
	r := g.rng
	p := a.p
	ci := g.concernOf(p)
	title, body := g.writeProposal(p, ci)
	cn := g.counties[p.county]
	budget := math.Round(25e6*math.Exp(1.1*r.NormFloat64())/1e4) * 1e4 // KES, to ten thousand
	prop := participation.Proposal{
		ProcessID: g.res.ProcessID, ComponentID: g.res.ProposalsComponent,
		Title: title, Description: body, BudgetMinor: int64(budget) * 100,
		Tags: append([]string(nil), concerns[ci].Tags...),
	}
	if p.age <= 1 && r.Float64() < 0.4 {
		prop.Tags = append(prop.Tags, "youth")
	}
	if r.Float64() < 0.9 {
		prop.RegionCode = cn.Code
		if r.Float64() < 0.45 {
			dLat, dLng := 0.12*r.NormFloat64(), 0.12*r.NormFloat64()
			prop.Lat, prop.Lng = g.inCounty(cn, dLat, dLng)
		}
	}
	if err := g.join(ctx, tx, p, a.at); err != nil {
		return err
	}
	prop.ParticipantID = p.id
	id, err := tx.CreateProposal(asOf(ctx, a.at), prop)
	if err != nil {
		return err
	}
	g.wrote(1)
	g.res.Proposals++
	g.proposals = append(g.proposals, proposalMeta{id: id, concern: ci, author: p.id})
	// Some ideas are simply more appealing; supports then add to it.
	g.popularity.add(math.Exp(r.NormFloat64()))
	return nil
}

// inCounty places a point near the county's centre, drawn nearer (without
// drawing again, so the demo's random stream stays as it was) until the
// map puts it in the county; a county whose centre is off its own map gets
// no point (the store refuses a point outside every region).
func (g *generator) inCounty(cn county, dLat, dLng float64) (*float64, *float64) {
	for _, f := range []float64{1, 0.5, 0.25, 0} {
		lat, lng := cn.Lat+f*dLat, cn.Lng+f*dLng
		if code, ok := participation.RegionAt(g.shapes, lat, lng); ok && code == cn.Code {
			return &lat, &lng
		}
	}
	return nil, nil
}

func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (g *generator) supports(ctx context.Context, tx participation.Store, a *action) error {
	r := g.rng
	p := a.p
	if len(g.proposals) == 0 {
		return nil
	}
	if p.supports == nil {
		p.supports = map[int64]bool{}
	}
	t := a.at
	for done, tries := 0, 0; done < a.n && tries < 4*a.n; tries++ {
		i := g.popularity.pick(r)
		pr := g.proposals[i]
		if p.supports[pr.id] || (p.id != 0 && pr.author == p.id) {
			continue
		}
		if err := g.join(ctx, tx, p, t); err != nil {
			return err
		}
		if err := tx.Support(asOf(ctx, t), pr.id, p.id, true); err != nil {
			return err
		}
		p.supports[pr.id] = true
		g.popularity.update(i, 1)
		g.wrote(1)
		g.res.Supports++
		done++
		t = t.Add(time.Duration(10+r.IntN(50)) * time.Second)
		if r.Float64() < 0.08 {
			if err := tx.Follow(asOf(ctx, t), pr.id, p.id, true); err != nil {
				return err
			}
			g.wrote(1)
			g.res.Follows++
		}
		if r.Float64() < 0.02 { // changed their mind
			t = t.Add(time.Duration(20+r.IntN(100)) * time.Second)
			if err := tx.Support(asOf(ctx, t), pr.id, p.id, false); err != nil {
				return err
			}
			g.popularity.update(i, -1)
			g.wrote(1)
			g.res.SupportsRevoked++
		}
	}
	return nil
}

func (g *generator) proposalComment(ctx context.Context, tx participation.Store, a *action) error {
	r := g.rng
	if len(g.proposals) == 0 {
		return nil
	}
	var target, parent int64
	ci := 0
	if a.kind == kProposalReply && len(g.propTop) > 0 {
		i := r.IntN(len(g.propTop))
		parent, target, ci = g.propTop[i], g.propTopTarget[i], g.propTopConcern[i]
	} else {
		pm := g.proposals[g.popularity.pick(r)]
		target, ci = pm.id, pm.concern
	}
	if err := g.join(ctx, tx, a.p, a.at); err != nil {
		return err
	}
	cm := participation.Comment{
		ProcessID: g.res.ProcessID, ComponentID: g.res.ProposalsComponent, TargetKind: participation.TargetProposal,
		TargetID: target, ParticipantID: a.p.id, Kind: participation.CommentPlain, Body: g.writeProposalComment(a.p, ci),
	}
	if parent != 0 {
		cm.ParentID = &parent
	}
	id, err := tx.CreateComment(asOf(ctx, a.at), cm)
	if err != nil {
		return err
	}
	g.wrote(1)
	g.res.Comments++
	if parent != 0 {
		g.res.Replies++
	} else {
		g.propTop = append(g.propTop, id)
		g.propTopTarget = append(g.propTopTarget, target)
		g.propTopConcern = append(g.propTopConcern, ci)
	}
	return nil
}

func (g *generator) panelSurveyPage(ctx context.Context, tx participation.Store, p *person) error {
	r := g.rng
	q := g.panelQuestions
	c := g.counties[p.county]
	src := []float64{0.25, 0.25, 0.2, 0.1, 0.1, 0.1}
	if c.Arid || p.loc == locRural {
		src = []float64{0.03, 0.15, 0.35, 0.3, 0.1, 0.07}
	}
	s := pick(r, src)
	median := []float64{0, 10, 20, 40, 8, 0}[s]
	if c.Arid {
		median *= 2
	}
	minutes := clamp(math.Round(median*math.Exp(0.6*r.NormFloat64())), 0, 300)
	reliable := likert(0.5*p.trust - 0.4*float64(s/3) + 0.8*r.NormFloat64())
	ans := []participation.Answer{
		{QuestionID: q[0], Choices: []int{s}},
		{QuestionID: q[1], Number: &minutes},
		{QuestionID: q[2], Number: &reliable},
	}
	if r.Float64() < 0.35 {
		ans = append(ans, participation.Answer{QuestionID: q[3], Text: waterPanSites[r.IntN(len(waterPanSites))]})
	}
	if _, err := tx.SaveSurveyPage(ctx, g.panelSurvey, p.id, 1, ans); err != nil {
		return err
	}
	g.wrote(1)
	g.res.Responses++
	g.res.CompletedResponses++
	return nil
}
