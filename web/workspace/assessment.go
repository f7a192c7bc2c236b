package workspace

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// Assessments is the part of the store that keeps criteria, scores and
// decisions, and the proposals they are about.
type Assessments interface {
	participation.Assessment
	ListProposals(ctx context.Context, f participation.ProposalFilter) ([]participation.Proposal, int, error)
	GetProposal(ctx context.Context, id int64) (participation.Proposal, error)
}

var criterionFields = []string{"name", "description", "weight", "scale_min", "scale_max"}

func criterionValues(c participation.Criterion) url.Values {
	v := url.Values{}
	v.Set("name", c.Name)
	v.Set("description", c.Description)
	v.Set("weight", strconv.FormatFloat(c.Weight, 'f', -1, 64))
	v.Set("scale_min", strconv.Itoa(c.ScaleMin))
	v.Set("scale_max", strconv.Itoa(c.ScaleMax))
	return v
}

// --- criteria (set-up) ---------------------------------------------------

type criteriaData struct {
	P   participation.Process
	F   map[int64]*form
	New *form
}

func (ws *Workspace) criteriaPage(w http.ResponseWriter, r *http.Request) {
	ws.renderCriteria(w, r, http.StatusOK, func(*criteriaData) {})
}

func (ws *Workspace) renderCriteria(w http.ResponseWriter, r *http.Request, status int, edit func(*criteriaData)) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := criteriaData{P: p, F: map[int64]*form{}, New: newForm(url.Values{"weight": {"1"}, "scale_min": {"1"}, "scale_max": {"5"}})}
	for _, c := range p.Criteria {
		d.F[c.ID] = newForm(criterionValues(c))
	}
	edit(&d)
	for _, f := range append([]*form{d.New}, mapForms(d.F)...) {
		for k, msg := range f.Errors {
			if !contains(criterionFields, k) {
				f.Other = append(f.Other, msg)
				delete(f.Errors, k)
			}
		}
	}
	ws.render(w, r, status, "criteria", ws.loc(r).T("criteria.title"), d)
}

func mapForms(m map[int64]*form) []*form {
	out := make([]*form, 0, len(m))
	for _, f := range m {
		out = append(out, f)
	}
	return out
}

// readCriterion reads a criterion's form; numbers that do not parse are
// the form's errors, the rest the store's.
func (ws *Workspace) readCriterion(r *http.Request, f *form, c *participation.Criterion) {
	loc := ws.loc(r)
	c.Name, c.Description = f.Get("name"), f.Get("description")
	var err error
	if c.Weight, err = strconv.ParseFloat(strings.TrimSpace(f.Get("weight")), 64); err != nil {
		f.Errors["weight"] = loc.T("err.number")
	}
	if c.ScaleMin, err = strconv.Atoi(strings.TrimSpace(f.Get("scale_min"))); err != nil {
		f.Errors["scale_min"] = loc.T("err.whole_number")
	}
	if c.ScaleMax, err = strconv.Atoi(strings.TrimSpace(f.Get("scale_max"))); err != nil {
		f.Errors["scale_max"] = loc.T("err.whole_number")
	}
	if u, ok := userFrom(r); ok {
		c.StaffID = u.ID
	}
}

func (ws *Workspace) addCriterion(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	c := participation.Criterion{ProcessID: p.ID}
	ws.readCriterion(r, f, &c)
	ws.formWrite(w, r, f, func() (err error) {
		c, err = ws.store.SaveCriterion(r.Context(), c)
		return err
	}, func() error {
		return ws.audit(r, "criterion.add", p.ID, "criterion:"+itoa(c.ID), nil, c)
	}, func(status int) {
		ws.renderCriteria(w, r, status, func(d *criteriaData) { d.New = f })
	}, processPath(p.ID)+"/criteria", "saved")
}

// criterion is the {criterion} of the route among its {process}'s.
func (ws *Workspace) criterion(r *http.Request) (participation.Process, participation.Criterion, error) {
	p, err := ws.process(r)
	if err != nil {
		return p, participation.Criterion{}, err
	}
	id := varID(r, "criterion")
	for _, c := range p.Criteria {
		if c.ID == id {
			return p, c, nil
		}
	}
	return p, participation.Criterion{}, participation.Errorf(participation.CodeNotFound, "", "err.not_found", "no such criterion")
}

func (ws *Workspace) saveCriterion(w http.ResponseWriter, r *http.Request) {
	p, before, err := ws.criterion(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	c := before
	ws.readCriterion(r, f, &c)
	ws.formWrite(w, r, f, func() (err error) {
		c, err = ws.store.SaveCriterion(r.Context(), c)
		return err
	}, func() error {
		return ws.audit(r, "criterion.update", p.ID, "criterion:"+itoa(c.ID), before, c)
	}, func(status int) {
		ws.renderCriteria(w, r, status, func(d *criteriaData) { d.F[before.ID] = f })
	}, processPath(p.ID)+"/criteria", "saved")
}

func (ws *Workspace) deleteCriterion(w http.ResponseWriter, r *http.Request) {
	p, c, err := ws.criterion(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	if f.Get("confirm") != "yes" {
		f.Errors["confirm"] = ws.loc(r).T("err.confirm")
	}
	ws.formWrite(w, r, f, func() error { return ws.store.DeleteCriterion(r.Context(), p.ID, c.ID, staffID(r)) }, func() error {
		return ws.audit(r, "criterion.delete", p.ID, "criterion:"+itoa(c.ID), c, nil)
	}, func(status int) {
		ws.renderCriteria(w, r, status, func(d *criteriaData) { d.F[c.ID].Errors = f.Errors })
	}, processPath(p.ID)+"/criteria", "deleted")
}

func staffID(r *http.Request) int64 {
	if u, ok := userFrom(r); ok {
		return u.ID
	}
	return 0
}

// --- the assessment page -------------------------------------------------

// assessedProposal is one row of the assessment page.
type assessedProposal struct {
	participation.Ranked
	Proposal participation.Proposal
	State    participation.AssessmentState
}

// Score and Spread as the page shows them, to one decimal.
func (a assessedProposal) ScoreText() string  { return strconv.FormatFloat(a.Score, 'f', 1, 64) }
func (a assessedProposal) SpreadText() string { return strconv.FormatFloat(a.Spread, 'f', 1, 64) }

type assessmentData struct {
	P        participation.Process
	Ranked   []assessedProposal // scored, best first
	Unscored []assessedProposal
}

// proposals lists every published proposal of the process's proposals
// components, page by page.
func (ws *Workspace) proposals(ctx context.Context, p participation.Process) ([]participation.Proposal, error) {
	var out []participation.Proposal
	for _, c := range p.Components {
		if c.Kind != participation.KindProposals {
			continue
		}
		for off := 0; ; off += 100 {
			page, total, err := ws.store.ListProposals(ctx, participation.ProposalFilter{ComponentID: c.ID, Limit: 100, Offset: off})
			if err != nil {
				return nil, err
			}
			out = append(out, page...)
			if len(page) == 0 || off+len(page) >= total {
				break
			}
		}
	}
	return out, nil
}

func (ws *Workspace) assessmentPage(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ctx := r.Context()
	props, err := ws.proposals(ctx, p)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	scores, err := ws.store.Scores(ctx, p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	decisions, err := ws.store.ProposalDecisions(ctx, p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	state := map[int64]participation.AssessmentState{}
	for _, d := range decisions {
		state[d.ProposalID] = d.State
	}
	byID := map[int64]participation.Proposal{}
	ids := make([]int64, 0, len(props))
	for _, pr := range props {
		byID[pr.ID] = pr
		ids = append(ids, pr.ID)
	}
	d := assessmentData{P: p}
	for _, rk := range participation.Rank(p.Criteria, scores, ids) {
		st := state[rk.ProposalID]
		if st == "" {
			st = participation.AssessSubmitted
		}
		row := assessedProposal{Ranked: rk, Proposal: byID[rk.ProposalID], State: st}
		if rk.Assessors == 0 {
			d.Unscored = append(d.Unscored, row)
		} else {
			d.Ranked = append(d.Ranked, row)
		}
	}
	ws.render(w, r, http.StatusOK, "assessment", ws.loc(r).T("assess.title"), d)
}

// --- one proposal: scoring and deciding ----------------------------------

type criterionScore struct {
	C     participation.Criterion
	Score string
	Note  string
	Err   string
}

type assessData struct {
	P        participation.Process
	Proposal participation.Proposal
	Decision participation.ProposalDecision
	Next     []participation.AssessmentState
	Criteria []criterionScore
	Others   []participation.Score // the other assessors' scores
	ScoreF   *form
	DecideF  *form
}

// assessProposal is the {proposal} of the route, which must be one of its
// {process}'s (another process's proposal is not found).
func (ws *Workspace) assessProposal(r *http.Request) (participation.Process, participation.Proposal, error) {
	p, err := ws.process(r)
	if err != nil {
		return p, participation.Proposal{}, err
	}
	pr, err := ws.store.GetProposal(r.Context(), varID(r, "proposal"))
	if err != nil {
		return p, pr, err
	}
	if pr.ProcessID != p.ID {
		return p, participation.Proposal{}, participation.Errorf(participation.CodeNotFound, "", "err.not_found", "no such proposal")
	}
	return p, pr, nil
}

func (ws *Workspace) assessPage(w http.ResponseWriter, r *http.Request) {
	ws.renderAssess(w, r, http.StatusOK, nil, nil)
}

// renderAssess shows the proposal's scoring and decision forms; a refused
// form is shown with what was typed.
func (ws *Workspace) renderAssess(w http.ResponseWriter, r *http.Request, status int, scoreF, decideF *form) {
	p, pr, err := ws.assessProposal(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	ctx := r.Context()
	dec, err := ws.store.Decision(ctx, pr.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	scores, err := ws.store.Scores(ctx, p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	me := staffID(r)
	mine := map[int64]participation.Score{}
	d := assessData{P: p, Proposal: pr, Decision: dec, Next: participation.NextAssessmentStates(dec.State), ScoreF: scoreF, DecideF: decideF}
	for _, s := range scores {
		switch {
		case s.ProposalID != pr.ID:
		case s.StaffID == me:
			mine[s.CriterionID] = s
		default:
			d.Others = append(d.Others, s)
		}
	}
	if d.ScoreF == nil {
		d.ScoreF = newForm(nil)
	}
	if d.DecideF == nil {
		d.DecideF = newForm(nil)
	}
	// The next try starts from the state the proposal is in now.
	d.DecideF.V.Set("from", string(dec.State))
	for _, c := range p.Criteria {
		cs := criterionScore{C: c}
		key := "score." + itoa(c.ID)
		if scoreF != nil {
			cs.Score, cs.Note, cs.Err = scoreF.Get(key), scoreF.Get("note."+itoa(c.ID)), scoreF.Err(key)
		} else if s, ok := mine[c.ID]; ok {
			cs.Score, cs.Note = strconv.Itoa(s.Score), s.Note
		}
		d.Criteria = append(d.Criteria, cs)
	}
	ws.render(w, r, status, "assess", ws.loc(r).T("assess.proposal_title", pr.Title), d)
}

func (ws *Workspace) saveScores(w http.ResponseWriter, r *http.Request) {
	p, pr, err := ws.assessProposal(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	loc := ws.loc(r)
	me := staffID(r)
	// Every score is checked before any is saved, so a refused form saves
	// nothing and shows everything typed.
	var scores []participation.Score
	for _, c := range p.Criteria {
		key := "score." + itoa(c.ID)
		raw := strings.TrimSpace(f.Get(key))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			f.Errors[key] = loc.T("err.whole_number")
			continue
		}
		s := participation.Score{ProposalID: pr.ID, CriterionID: c.ID, StaffID: me, Score: n, Note: strings.TrimSpace(f.Get("note." + itoa(c.ID)))}
		if err := participation.CheckScore(c, s); err != nil {
			if m, ok := ws.fieldErrors(r, err); ok {
				// The score and its note share one message, beside the score.
				for _, msg := range m {
					add(f.Errors, key, msg)
				}
				continue
			}
		}
		scores = append(scores, s)
	}
	if len(scores) == 0 && len(f.Errors) == 0 {
		f.Other = append(f.Other, loc.T("err.no_score"))
	}
	if f.Failed() {
		ws.renderAssess(w, r, http.StatusUnprocessableEntity, f, nil)
		return
	}
	for _, s := range scores {
		if err := ws.store.SaveScore(r.Context(), s); err != nil {
			ws.fail(w, r, err)
			return
		}
	}
	if err := ws.audit(r, "proposal.score", p.ID, "proposal:"+itoa(pr.ID), nil, scores); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("%s/proposals/%d/assess", processPath(p.ID), pr.ID), "saved")
}

func (ws *Workspace) decide(w http.ResponseWriter, r *http.Request) {
	p, pr, err := ws.assessProposal(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	from := participation.AssessmentState(f.Get("from"))
	to := participation.AssessmentState(f.Get("state"))
	reason := strings.TrimSpace(f.Get("reason"))
	before, err := ws.store.Decision(r.Context(), pr.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var after participation.ProposalDecision
	ws.formWrite(w, r, f, func() (err error) {
		after, err = ws.store.Decide(r.Context(), pr.ID, from, to, reason, staffID(r))
		return err
	}, func() error {
		return ws.audit(r, "proposal.decide", p.ID, "proposal:"+itoa(pr.ID), before, after)
	}, func(status int) {
		// A refused move is about the proposal's state, not a field: it
		// goes above the form (which a final state does not even show).
		for k, msg := range f.Errors {
			if k != "reason" {
				delete(f.Errors, k)
				f.Other = append(f.Other, msg)
			}
		}
		ws.renderAssess(w, r, status, nil, f)
	}, fmt.Sprintf("%s/proposals/%d/assess", processPath(p.ID), pr.ID), "decided")
}
