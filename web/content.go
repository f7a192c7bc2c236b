package web

import (
	"net/http"
	"strconv"

	"github.com/civicpulse/civicpulse/participation"
)

// content is the language a process page shows its officials' texts in: the
// page's language when the process has it, else the process's first
// language. Fallback is set when any text on the page had to be shown in the
// first language, so the page says so instead of mixing languages silently.
type content struct {
	Lang     string // the language asked for
	First    string // the process's first language (its base texts)
	Fallback bool
	Preview  bool // a staff member is looking at a process citizens cannot see yet
	texts    participation.Texts
}

// text returns one field in the page's language and notes a fallback.
func (c *content) text(e participation.EntityKind, id int64, field, base string) string {
	if base == "" {
		return base
	}
	s, fb := c.texts.Get(e, id, field, c.Lang, base)
	if fb {
		c.Fallback = true
	}
	return s
}

// processBySlug finds a process citizens may see, or one in draft or preview
// for the staff the workspace lets preview it (Config.PreviewAllowed).
func (s *Server) processBySlug(r *http.Request, slug string) (participation.Process, bool, error) {
	p, err := s.store.GetProcessBySlug(r.Context(), slug, true)
	if err == nil || !participation.IsNotFound(err) || s.cfg.PreviewAllowed == nil {
		return p, false, err
	}
	q, err2 := s.store.GetProcessBySlug(r.Context(), slug, false)
	if err2 != nil || q.State.CitizenVisible() || q.IsTemplate || !s.cfg.PreviewAllowed(r, q.ID) {
		// Answer as if it did not exist: a draft's slug is nobody's business.
		return p, false, err
	}
	return q, true, nil
}

// localise puts the process's texts into the page's language.
func (s *Server) localise(r *http.Request, pc *processCtx) error {
	p := &pc.P
	lang := state(r).loc.Lang()
	if len(p.Languages) == 0 {
		return nil
	}
	pc.Lang, pc.First = lang, p.Languages[0]
	if lang == pc.First {
		return nil
	}
	known := false
	for _, l := range p.Languages {
		known = known || l == lang
	}
	if !known {
		// The process is not written in this language at all: everything
		// is in the first language, and the page says so.
		pc.Fallback = true
		return nil
	}
	tr, err := s.store.Translations(r.Context(), p.ID)
	if err != nil {
		return err
	}
	pc.texts = participation.NewTexts(pc.First, tr)
	c := &pc.content
	P := participation.EntityProcess
	p.Title = c.text(P, p.ID, "title", p.Title)
	p.Summary = c.text(P, p.ID, "summary", p.Summary)
	p.Sector = c.text(P, p.ID, "sector", p.Sector)
	p.Objective = c.text(P, p.ID, "objective", p.Objective)
	p.ExpectedOutcome = c.text(P, p.ID, "expected_outcome", p.ExpectedOutcome)
	p.FeedbackMethod = c.text(P, p.ID, "feedback_method", p.FeedbackMethod)
	if p.PrivacyNotice != nil {
		n := *p.PrivacyNotice
		n.Text = c.text(P, p.ID, "privacy_notice", n.Text)
		n.Purpose = c.text(P, p.ID, "agreement_purpose", n.Purpose)
		n.Access = c.text(P, p.ID, "agreement_access", n.Access)
		p.PrivacyNotice = &n
	}
	// Copy the slices: the process may be shared with a cache.
	p.Phases = append([]participation.Phase(nil), p.Phases...)
	for i := range p.Phases {
		ph := &p.Phases[i]
		ph.Name = c.text(participation.EntityPhase, ph.ID, "name", ph.Name)
		ph.Description = c.text(participation.EntityPhase, ph.ID, "description", ph.Description)
	}
	p.Components = append([]participation.Component(nil), p.Components...)
	for i := range p.Components {
		co := &p.Components[i]
		co.Title = c.text(participation.EntityComponent, co.ID, "title", co.Title)
		co.Description = c.text(participation.EntityComponent, co.ID, "description", co.Description)
	}
	p.Criteria = append([]participation.Criterion(nil), p.Criteria...)
	for i := range p.Criteria {
		cr := &p.Criteria[i]
		cr.Name = c.text(participation.EntityCriterion, cr.ID, "name", cr.Name)
		cr.Description = c.text(participation.EntityCriterion, cr.ID, "description", cr.Description)
	}
	return nil
}

// localDocument puts a document's sections into the page's language.
func (c *content) localDocument(d participation.Document) participation.Document {
	d.Title = c.text(participation.EntityComponent, d.ComponentID, "document_title", d.Title)
	d.Sections = append([]participation.Section(nil), d.Sections...)
	for i := range d.Sections {
		sec := &d.Sections[i]
		sec.Heading = c.text(participation.EntitySection, sec.ID, "heading", sec.Heading)
		sec.Body = c.text(participation.EntitySection, sec.ID, "body", sec.Body)
	}
	return d
}

// localSurvey puts a survey's questions and options into the page's
// language.
func (c *content) localSurvey(sv participation.Survey) participation.Survey {
	sv.Questions = append([]participation.Question(nil), sv.Questions...)
	for i := range sv.Questions {
		q := &sv.Questions[i]
		q.Prompt = c.text(participation.EntityQuestion, q.ID, "prompt", q.Prompt)
		q.Help = c.text(participation.EntityQuestion, q.ID, "help", q.Help)
		q.Options = append([]string(nil), q.Options...)
		for j := range q.Options {
			q.Options[j] = c.text(participation.EntityQuestion, q.ID, "option."+strconv.Itoa(j), q.Options[j])
		}
	}
	return sv
}
