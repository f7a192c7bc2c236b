package workspace

import (
	"net/http"

	"github.com/civicpulse/civicpulse/participation"
)

// The staff API's assessment writes: the same store calls, rules and audit
// entries as the pages (assessment.go).

func (ws *Workspace) apiAddCriterion(w http.ResponseWriter, r *http.Request) {
	var c participation.Criterion
	if !ws.decode(w, r, &c) {
		return
	}
	c.ID, c.ProcessID, c.StaffID = 0, varID(r, "process"), staffID(r)
	if _, err := ws.process(r); err != nil {
		ws.fail(w, r, err)
		return
	}
	ws.apiWrite(w, r, func() (err error) {
		c, err = ws.store.SaveCriterion(r.Context(), c)
		return err
	}, func() error {
		return ws.audit(r, "criterion.add", c.ProcessID, "criterion:"+itoa(c.ID), nil, c)
	}, answerJSON(http.StatusCreated, &c))
}

// scoresIn is one assessor's scores of a proposal.
type scoresIn struct {
	Scores []struct {
		CriterionID int64  `json:"criterion_id"`
		Score       int    `json:"score"`
		Note        string `json:"note"`
	} `json:"scores"`
}

func (ws *Workspace) apiScores(w http.ResponseWriter, r *http.Request) {
	p, pr, err := ws.assessProposal(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var in scoresIn
	if !ws.decode(w, r, &in) {
		return
	}
	byID := map[int64]participation.Criterion{}
	for _, c := range p.Criteria {
		byID[c.ID] = c
	}
	// Every score is checked before any is stored, as on the page.
	var scores []participation.Score
	for _, s := range in.Scores {
		sc := participation.Score{ProposalID: pr.ID, CriterionID: s.CriterionID, StaffID: staffID(r), Score: s.Score, Note: s.Note}
		c, ok := byID[s.CriterionID]
		if !ok {
			ws.fail(w, r, participation.Errorf(participation.CodeNotFound, "criterion_id", "err.not_found", "no such criterion"))
			return
		}
		if err := participation.CheckScore(c, sc); err != nil {
			ws.apiFail(w, r, err)
			return
		}
		scores = append(scores, sc)
	}
	ws.apiWrite(w, r, func() error {
		for _, s := range scores {
			if err := ws.store.SaveScore(r.Context(), s); err != nil {
				return err
			}
		}
		return nil
	}, func() error {
		return ws.audit(r, "proposal.score", p.ID, "proposal:"+itoa(pr.ID), nil, scores)
	}, ws.answerRead(http.StatusOK, func() (any, error) {
		all, err := ws.store.Scores(r.Context(), p.ID)
		out := []participation.Score{}
		for _, s := range all {
			if s.ProposalID == pr.ID {
				out = append(out, s)
			}
		}
		return map[string]any{"scores": out}, err
	}))
}

// decisionIn is a move along the assessment state machine.
type decisionIn struct {
	From   participation.AssessmentState `json:"from"`
	To     participation.AssessmentState `json:"to"`
	Reason string                        `json:"reason"`
}

func (ws *Workspace) apiDecide(w http.ResponseWriter, r *http.Request) {
	p, pr, err := ws.assessProposal(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var in decisionIn
	if !ws.decode(w, r, &in) {
		return
	}
	before, err := ws.store.Decision(r.Context(), pr.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var after participation.ProposalDecision
	ws.apiWrite(w, r, func() (err error) {
		after, err = ws.store.Decide(r.Context(), pr.ID, in.From, in.To, in.Reason, staffID(r))
		return err
	}, func() error {
		return ws.audit(r, "proposal.decide", p.ID, "proposal:"+itoa(pr.ID), before, after)
	}, answerJSON(http.StatusOK, &after))
}
