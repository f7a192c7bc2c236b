package ingest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

// facts turns each kept event into its warehouse rows and collects the
// texts for the text-features step.
func (in *Ingester) facts(ctx context.Context, b *batch) error {
	out := b.out
	if out.Events == nil {
		out.Events = make([]warehouse.Event, 0, len(b.items))
	}
	for i := range b.items {
		it := &b.items[i]
		if it.drop != "" {
			continue
		}
		e := it.ev
		at := e.OccurredAt.UTC()
		pt := it.participant
		out.Events = append(out.Events, warehouse.Event{Seq: e.Seq, Tx: e.Tx, Type: string(e.Type), ProcessID: e.ProcessID, ComponentID: e.ComponentID, EntityID: e.EntityID, Participant: pt, RegionCode: e.RegionCode, OccurredAt: at})
		switch p := it.payload.(type) {
		case proposalPayload:
			out.Proposals = append(out.Proposals, warehouse.Proposal{Seq: e.Seq, ProposalID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: pt, RegionCode: firstNonEmpty(p.RegionCode, e.RegionCode), Title: p.Title, Description: p.Description, BudgetMinor: p.BudgetMinor, Tags: p.Tags, Lat: p.Lat, Lng: p.Lng, OccurredAt: at})
			b.addText(warehouse.TextFeatures{Seq: e.Seq, EntityKind: "proposal", EntityID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID}, strings.TrimSpace(p.Title+"\n"+p.Description))
		case commentPayload:
			out.Comments = append(out.Comments, warehouse.Comment{Seq: e.Seq, CommentID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, TargetKind: p.TargetKind, TargetID: p.TargetID, ParentID: p.ParentID, Kind: firstNonEmpty(p.Kind, string(participation.CommentPlain)), Body: p.Body, ProposedText: p.ProposedText, Participant: pt, RegionCode: e.RegionCode, OccurredAt: at})
			b.addText(warehouse.TextFeatures{Seq: e.Seq, EntityKind: "comment", EntityID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID}, strings.TrimSpace(p.Body+"\n"+p.ProposedText))
		case votePayload:
			out.Votes = append(out.Votes, warehouse.Vote{Seq: e.Seq, CommentID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: pt, RegionCode: e.RegionCode, Vote: p.Vote, Previous: p.Previous, OccurredAt: at})
		case surveyPayload:
			completed := e.Type == participation.EvSurveyCompleted
			var started *time.Time
			if p.StartedAt != nil {
				s := p.StartedAt.UTC()
				started = &s
			}
			out.SurveyPages = append(out.SurveyPages, warehouse.SurveyPage{Seq: e.Seq, ResponseID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: pt, RegionCode: e.RegionCode, Page: p.Page, Completed: completed, StartedAt: started, OccurredAt: at})
			for _, a := range p.Answers {
				if err := in.answerRows(ctx, b, e, pt, at, a); err != nil {
					return err
				}
			}
		case registrationPayload:
			out.Registrations = append(out.Registrations, warehouse.Registration{Seq: e.Seq, ProcessID: e.ProcessID, Participant: pt, RegionCode: e.RegionCode, Fields: p.Fields, OccurredAt: at})
		case consentPayload:
			out.Consents = append(out.Consents, warehouse.Consent{Seq: e.Seq, ProcessID: e.ProcessID, Participant: pt, RegionCode: e.RegionCode, NoticeVersion: p.NoticeVersion, Purpose: p.Purpose, Given: e.Type == participation.EvConsentGiven, OccurredAt: at})
		case visitPayload:
			out.Visits = append(out.Visits, warehouse.Visit{Seq: e.Seq, ProcessID: e.ProcessID, ComponentID: e.ComponentID, VisitorHash: p.VisitorHash, Path: p.Path, Referrer: p.Referrer, UTMSource: p.UTMSource, UTMMedium: p.UTMMedium, UTMCampaign: p.UTMCampaign, Device: p.Device, OccurredAt: at})
		case hiddenPayload:
			out.Moderation = append(out.Moderation, warehouse.Moderation{Seq: e.Seq, ProcessID: e.ProcessID, ComponentID: e.ComponentID, EntityKind: p.Kind, EntityID: e.EntityID, Status: p.Status, OccurredAt: at})
		case alertRulePayload:
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: warehouse.AddAlertRule, ProcessID: e.ProcessID, ID: e.EntityID, At: at, Kind: p.Kind, Threshold: p.Threshold, WindowHours: p.WindowHours})
		case alertRuleDeleted:
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: warehouse.DeleteAlertRule, ProcessID: e.ProcessID, ID: e.EntityID, At: at})
		case panelPayload:
			op := warehouse.PublishPanel
			if e.Type == participation.EvPanelUnpublished {
				op = warehouse.UnpublishPanel
			}
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: op, ProcessID: e.ProcessID, At: at, Panel: p.Panel, Position: p.Position})
		case themeEditPayload:
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: warehouse.EditTheme, ProcessID: e.ProcessID, ID: e.EntityID, At: at, Kind: p.Kind, Scope: p.Scope, ScopeID: p.ScopeID, ThemeID: p.ThemeID, OtherID: p.OtherID, Label: strings.TrimSpace(p.Label), StaffID: p.StaffID})
		case countingPayload:
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: warehouse.SetCounting, ProcessID: e.ProcessID, At: at, CountOnce: p.CountOnce})
		case decidedPayload:
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: warehouse.DecideProposal, ProcessID: e.ProcessID, ID: e.EntityID, At: at,
				State: string(p.To), Reason: p.Reason, Decided: participation.IsDecided(p.To)})
		case answeredPayload:
			out.Decisions = append(out.Decisions, warehouse.Decision{Seq: e.Seq, Op: warehouse.AnswerComment, ProcessID: e.ProcessID, ID: e.EntityID, At: at, ParentID: p.ParentID})
		case emptyPayload:
			switch e.Type {
			case participation.EvSupportAdded:
				out.Supports = append(out.Supports, warehouse.Support{Seq: e.Seq, ProposalID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: pt, RegionCode: e.RegionCode, Delta: 1, OccurredAt: at})
			case participation.EvSupportRemoved:
				out.Supports = append(out.Supports, warehouse.Support{Seq: e.Seq, ProposalID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: pt, RegionCode: e.RegionCode, Delta: -1, OccurredAt: at})
			}
		}
	}
	return nil
}

func (b *batch) addText(t warehouse.TextFeatures, s string) {
	b.out.Texts = append(b.out.Texts, t)
	b.texts = append(b.texts, s)
}

// answerRows writes one row per answer, exploding multi and ranking choices
// into one row per option so that distributions are plain GROUP BYs.
func (in *Ingester) answerRows(ctx context.Context, b *batch, e participation.Event, pt string, at time.Time, a participation.Answer) error {
	row := warehouse.SurveyAnswer{Seq: e.Seq, ResponseID: e.EntityID, ProcessID: e.ProcessID, ComponentID: e.ComponentID, Participant: pt, RegionCode: e.RegionCode, QuestionID: a.QuestionID, Number: a.Number, OccurredAt: at}
	switch {
	case len(a.Choices) > 0:
		qt, err := in.questionType(ctx, e.ComponentID, a.QuestionID)
		if err != nil {
			return err
		}
		for i, c := range a.Choices {
			r := row
			c := c
			r.Choice = &c
			if qt == participation.QRanking {
				rank := i + 1
				r.Rank = &rank
			}
			b.out.SurveyAnswers = append(b.out.SurveyAnswers, r)
		}
	case a.Text != "":
		s := a.Text
		row.Text = &s
		b.out.SurveyAnswers = append(b.out.SurveyAnswers, row)
		b.addText(warehouse.TextFeatures{Seq: e.Seq, EntityKind: "answer", EntityID: e.EntityID, QuestionID: a.QuestionID, ProcessID: e.ProcessID, ComponentID: e.ComponentID}, s)
	default:
		b.out.SurveyAnswers = append(b.out.SurveyAnswers, row)
	}
	return nil
}

// questionType tells ranking answers (whose order matters) from multi ones,
// reading each survey from the store once.
func (in *Ingester) questionType(ctx context.Context, componentID, questionID int64) (participation.QuestionType, error) {
	qs, ok := in.questionTypes[componentID]
	if !ok || qs[questionID] == "" {
		s, err := in.store.GetSurvey(ctx, componentID)
		if err != nil && !participation.IsNotFound(err) {
			return "", fmt.Errorf("ingest: unable to read survey %d: %w", componentID, err)
		}
		qs = map[int64]participation.QuestionType{}
		for _, q := range s.Questions {
			qs[q.ID] = q.Type
		}
		in.questionTypes[componentID] = qs
	}
	return qs[questionID], nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// processDim is a process as the warehouse keeps it. Published there means
// citizens may read the process, closed or archived too: a process's results
// page matters most once it has closed.
func processDim(p participation.Process) warehouse.ProcessDim {
	published := p.Published || (p.State.CitizenVisible() && !p.IsTemplate)
	d := warehouse.ProcessDim{ProcessID: p.ID, Slug: p.Slug, Title: p.Title, Level: string(p.Level), Sector: p.Sector, Scope: string(p.Scope), Mode: string(p.Mode), TimeZone: p.TimeZone, RegionSetID: p.RegionSetID, TargetParticipants: p.TargetParticipants, BudgetMinor: p.BudgetMinor, Currency: p.Currency, Published: published, StartsAt: timePtr(p.StartsAt), EndsAt: timePtr(p.EndsAt)}
	for _, ph := range p.Phases {
		d.Phases = append(d.Phases, warehouse.PhaseDim{PhaseID: ph.ID, Position: ph.Position, Name: ph.Name, StartsAt: timePtr(ph.StartsAt), EndsAt: timePtr(ph.EndsAt), OpenComponents: ph.OpenComponents})
	}
	for _, c := range p.Components {
		d.Components = append(d.Components, warehouse.ComponentDim{ComponentID: c.ID, Kind: string(c.Kind), Position: c.Position, Title: c.Title})
	}
	return d
}

func regionSetDim(rs participation.RegionSet) warehouse.RegionSetDim {
	d := warehouse.RegionSetDim{RegionSetID: rs.ID}
	for _, r := range rs.Regions {
		d.Regions = append(d.Regions, warehouse.RegionDim{Code: r.Code, Name: r.Name, Population: r.Population})
	}
	return d
}

func documentDim(doc participation.Document) warehouse.DocumentDim {
	d := warehouse.DocumentDim{ComponentID: doc.ComponentID}
	for _, s := range doc.Sections {
		d.Sections = append(d.Sections, warehouse.SectionDim{SectionID: s.ID, Version: s.Version, Position: s.Position, Heading: s.Heading})
	}
	return d
}

func surveyDim(s participation.Survey) warehouse.SurveyDim {
	d := warehouse.SurveyDim{ComponentID: s.ComponentID}
	for _, q := range s.Questions {
		d.Questions = append(d.Questions, warehouse.QuestionDim{QuestionID: q.ID, Page: q.Page, Position: q.Position, Type: string(q.Type), Prompt: q.Prompt, Required: q.Required, Options: q.Options, MaxChoices: q.MaxChoices, Min: q.Min, Max: q.Max})
	}
	return d
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}
