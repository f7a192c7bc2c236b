package dashweb

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// "What we heard, what we did": the officials' report on the public results
// page, read from the participation store (the decisions and texts are
// store writes; the warehouse has only the figures). Every text a page
// shows is in the reader's language where the officials translated it.

// ResultsStore reads the report and what it tells of (the participation
// store).
type ResultsStore interface {
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	Translations(ctx context.Context, processID int64) ([]participation.Translation, error)
	ResultsReport(ctx context.Context, processID int64) (participation.ResultsReport, error)
	Criteria(ctx context.Context, processID int64) ([]participation.Criterion, error)
	Scores(ctx context.Context, processID int64) ([]participation.Score, error)
	ProposalDecisions(ctx context.Context, processID int64) ([]participation.ProposalDecision, error)
	GetProposal(ctx context.Context, id int64) (participation.Proposal, error)
	GetDocument(ctx context.Context, componentID int64) (participation.Document, error)
	DocumentVersion(ctx context.Context, componentID int64, version int) (participation.Document, error)
	SectionResponses(ctx context.Context, componentID int64) ([]participation.SectionResponse, error)
	GetSurvey(ctx context.Context, componentID int64) (participation.Survey, error)
	Takeaways(ctx context.Context, componentID int64) ([]participation.SurveyTakeaway, error)
}

// maxDecisions bounds the proposals listed with their decision; past it
// the page says how many more there are.
const maxDecisions = 500

type reportView struct {
	Slug        string
	Summary     []string // paragraphs
	Fallback    bool     // the summary is shown in another language
	PublishedAt string
	Criteria    []criterionView
	Decisions   []decisionGroup
	More        int // decided proposals beyond maxDecisions
	Documents   []documentView
	Surveys     []surveyView
	NextSteps   []stepView
}

type criterionView struct {
	Name, Description string
	Weight            string
	Scale             string
}

type decisionGroup struct {
	State string // its key, for the badge's class
	Label string
	Items []decisionItem
}

type decisionItem struct {
	Title, URL, Reason string
	Score              string // weighted, out of 100 ("" when unscored)
	Scores             []criterionScore
}

type criterionScore struct{ Name, Value string }

type documentView struct {
	Title string
	Items []sectionView
}

type sectionView struct {
	Heading, Comments, Changed, Why string
	NewURL, NewHeading              string
}

type surveyView struct {
	Title string
	Items []takeawayView
}

type takeawayView struct{ About, Text string }

type stepView struct{ ISO, Date, Text string }

// decisionOrder is the order decisions are told in: what is done first,
// what was turned down last.
var decisionOrder = []participation.AssessmentState{participation.AssessImplemented, participation.AssessInImplementation,
	participation.AssessSelected, participation.AssessNeedsMoreStudy, participation.AssessNotSelected}

// report gathers the report of a process in the reader's language. l is
// the dashboards' catalogue, dl the site's (dates).
func report(ctx context.Context, st ResultsStore, processID int64, l, dl *i18n.Localizer) (participation.ResultsReport, reportView, error) {
	var v reportView
	p, err := st.GetProcess(ctx, processID, false)
	if err != nil {
		return participation.ResultsReport{}, v, err
	}
	rep, err := st.ResultsReport(ctx, processID)
	if err != nil {
		return rep, v, err
	}
	tr, err := st.Translations(ctx, processID)
	if err != nil {
		return rep, v, err
	}
	lang, first := l.Lang(), ""
	if len(p.Languages) > 0 {
		first = p.Languages[0]
	}
	texts := participation.NewTexts(first, tr)
	text := func(e participation.EntityKind, id int64, field, base string) string {
		s, _ := texts.Get(e, id, field, lang, base)
		return s
	}
	loc, err := time.LoadLocation(p.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	v.Slug = p.Slug
	summary, fallback := rep.SummaryIn(lang, p.Languages)
	v.Summary, v.Fallback = paragraphs(summary), fallback
	if rep.PublishedAt != nil {
		v.PublishedAt = dl.Date(*rep.PublishedAt, loc)
	}
	for _, s := range rep.NextSteps {
		t, _ := s.TextIn(lang, p.Languages)
		day, err := time.ParseInLocation(time.DateOnly, s.Due, loc)
		date := s.Due
		if err == nil {
			date = dl.Date(day, loc)
		}
		v.NextSteps = append(v.NextSteps, stepView{ISO: s.Due, Date: date, Text: t})
	}

	criteria, err := st.Criteria(ctx, processID)
	if err != nil {
		return rep, v, err
	}
	for _, c := range criteria {
		v.Criteria = append(v.Criteria, criterionView{Name: text(participation.EntityCriterion, c.ID, "name", c.Name),
			Description: text(participation.EntityCriterion, c.ID, "description", c.Description),
			Weight:      trimFloat(c.Weight), Scale: fmt.Sprintf("%d–%d", c.ScaleMin, c.ScaleMax)})
	}
	if err := decisions(ctx, st, p, criteria, text, l, &v); err != nil {
		return rep, v, err
	}
	for _, c := range p.Components {
		title := text(participation.EntityComponent, c.ID, "title", c.Title)
		switch c.Kind {
		case participation.KindDocument:
			d, err := documentResponses(ctx, st, p, c.ID, text, l)
			if err != nil {
				return rep, v, err
			}
			if len(d) > 0 {
				v.Documents = append(v.Documents, documentView{Title: title, Items: d})
			}
		case participation.KindSurvey:
			s, err := surveyTakeaways(ctx, st, c.ID, text, l)
			if err != nil {
				return rep, v, err
			}
			if len(s) > 0 {
				v.Surveys = append(v.Surveys, surveyView{Title: title, Items: s})
			}
		}
	}
	return rep, v, nil
}

type textFunc func(e participation.EntityKind, id int64, field, base string) string

// decisions lists every decided proposal citizens can still read, grouped
// by state, with its public reason and its scores.
func decisions(ctx context.Context, st ResultsStore, p participation.Process, criteria []participation.Criterion, text textFunc, l *i18n.Localizer, v *reportView) error {
	ds, err := st.ProposalDecisions(ctx, p.ID)
	if err != nil {
		return err
	}
	scores, err := st.Scores(ctx, p.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, d := range ds {
		if participation.IsDecided(d.State) {
			ids = append(ids, d.ProposalID)
		}
	}
	ranked := map[int64]participation.Ranked{}
	for _, r := range participation.Rank(criteria, scores, ids) {
		ranked[r.ProposalID] = r
	}
	perCriterion := meanScores(scores)
	groups := map[participation.AssessmentState]*decisionGroup{}
	shown := 0
	for _, d := range ds {
		if !participation.IsDecided(d.State) {
			continue
		}
		if shown == maxDecisions {
			v.More++
			continue
		}
		pr, err := st.GetProposal(ctx, d.ProposalID)
		if participation.IsNotFound(err) {
			continue // hidden by the moderators: not on any public page
		}
		if err != nil {
			return err
		}
		shown++
		it := decisionItem{Title: pr.Title, URL: fmt.Sprintf("/p/%s/proposals/%d", p.Slug, pr.ID), Reason: d.Reason}
		if r := ranked[pr.ID]; r.Assessors > 0 {
			it.Score = l.T("res.score", math.Round(r.Score))
			for _, c := range criteria {
				if m, ok := perCriterion[[2]int64{pr.ID, c.ID}]; ok {
					it.Scores = append(it.Scores, criterionScore{Name: text(participation.EntityCriterion, c.ID, "name", c.Name),
						Value: l.T("res.score_of", trimFloat(math.Round(m*10)/10), c.ScaleMax)})
				}
			}
		}
		g := groups[d.State]
		if g == nil {
			g = &decisionGroup{State: string(d.State), Label: l.T("res.state." + string(d.State))}
			groups[d.State] = g
		}
		g.Items = append(g.Items, it)
	}
	for _, s := range decisionOrder {
		if g := groups[s]; g != nil {
			v.Decisions = append(v.Decisions, *g)
		}
	}
	return nil
}

// meanScores is each proposal's mean score on each criterion, over its
// assessors, on the criterion's own scale.
func meanScores(scores []participation.Score) map[[2]int64]float64 {
	sum, n := map[[2]int64]float64{}, map[[2]int64]float64{}
	for _, s := range scores {
		k := [2]int64{s.ProposalID, s.CriterionID}
		sum[k] += float64(s.Score)
		n[k]++
	}
	for k := range sum {
		sum[k] /= n[k]
	}
	return sum
}

// documentResponses is "you said / we did" for each answered section of
// every version of the document, oldest version first.
func documentResponses(ctx context.Context, st ResultsStore, p participation.Process, componentID int64, text textFunc, l *i18n.Localizer) ([]sectionView, error) {
	resp, err := st.SectionResponses(ctx, componentID)
	if err != nil || len(resp) == 0 {
		return nil, err
	}
	latest, err := st.GetDocument(ctx, componentID)
	if err != nil {
		if participation.IsNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	sections := map[int64]participation.Section{}
	var order []int64
	for ver := 1; ver <= latest.Version; ver++ {
		d := latest
		if ver != latest.Version {
			if d, err = st.DocumentVersion(ctx, componentID, ver); err != nil {
				return nil, err
			}
		}
		for _, s := range d.Sections {
			sections[s.ID] = s
			order = append(order, s.ID)
		}
	}
	byID := map[int64]participation.SectionResponse{}
	for _, r := range resp {
		byID[r.SectionID] = r
	}
	var out []sectionView
	for _, id := range order {
		r, ok := byID[id]
		if !ok {
			continue
		}
		s := sections[id]
		sv := sectionView{Heading: text(participation.EntitySection, s.ID, "heading", s.Heading),
			Comments: l.T("res.comments", suppressed(int64(s.CommentCount))), Changed: r.Changed, Why: r.Why}
		if ns, ok := sections[r.NewSectionID]; ok && r.NewSectionID != 0 {
			sv.NewURL = fmt.Sprintf("/p/%s/c/%d#section-%d", p.Slug, componentID, ns.ID)
			sv.NewHeading = text(participation.EntitySection, ns.ID, "heading", ns.Heading)
		}
		out = append(out, sv)
	}
	return out, nil
}

// surveyTakeaways is "what we take from this" per page, then per question,
// in the survey's order.
func surveyTakeaways(ctx context.Context, st ResultsStore, componentID int64, text textFunc, l *i18n.Localizer) ([]takeawayView, error) {
	tks, err := st.Takeaways(ctx, componentID)
	if err != nil || len(tks) == 0 {
		return nil, err
	}
	sv, err := st.GetSurvey(ctx, componentID)
	if err != nil && !participation.IsNotFound(err) {
		return nil, err
	}
	byPage, byQuestion := map[int]string{}, map[int64]string{}
	for _, t := range tks {
		if t.QuestionID != 0 {
			byQuestion[t.QuestionID] = t.Text
		} else {
			byPage[t.Page] = t.Text
		}
	}
	var out []takeawayView
	for pg := 1; pg <= sv.Pages; pg++ {
		if t := byPage[pg]; t != "" {
			out = append(out, takeawayView{About: l.T("res.page", pg), Text: t})
		}
		for _, q := range sv.Questions {
			if t := byQuestion[q.ID]; t != "" && q.Page == pg {
				out = append(out, takeawayView{About: text(participation.EntityQuestion, q.ID, "prompt", q.Prompt), Text: t})
			}
		}
	}
	return out, nil
}

// suppressed is a count as public pages show it: under five, "<5".
func suppressed(n int64) string {
	if n < 5 {
		return "<5"
	}
	return fmt.Sprint(n)
}

// paragraphs splits a text at blank lines.
func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}
