package ingest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/warehouse"
)

// The payloads the store writes, as the ingester reads them.
type proposalPayload struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	BudgetMinor int64    `json:"budget_minor"`
	Tags        []string `json:"tags"`
	RegionCode  string   `json:"region_code"`
	Lat         *float64 `json:"lat"`
	Lng         *float64 `json:"lng"`
}

type commentPayload struct {
	TargetKind   string `json:"target_kind"`
	TargetID     int64  `json:"target_id"`
	ParentID     *int64 `json:"parent_id"`
	Kind         string `json:"kind"`
	Body         string `json:"body"`
	ProposedText string `json:"proposed_text"`
}

type votePayload struct {
	Vote     string `json:"vote"`
	Previous string `json:"previous"`
}

type surveyPayload struct {
	Page      int                    `json:"page"`
	Answers   []participation.Answer `json:"answers"`
	StartedAt *time.Time             `json:"started_at"`
}

type registrationPayload struct {
	Fields []string `json:"fields"`
}

type consentPayload struct {
	NoticeVersion int    `json:"notice_version"`
	Purpose       string `json:"purpose"`
}

type visitPayload struct {
	VisitorHash string `json:"visitor_hash"`
	Path        string `json:"path"`
	Referrer    string `json:"referrer"`
	UTMSource   string `json:"utm_source"`
	UTMMedium   string `json:"utm_medium"`
	UTMCampaign string `json:"utm_campaign"`
	Device      string `json:"device"`
}

type hiddenPayload struct {
	Kind   string `json:"kind"`
	Status string `json:"status"`
}

// phasePayload is a phase boundary's (the job queue's AdvancePhases): only
// the events ledger keeps it, where the monitor marks it on its time axis.
type phasePayload struct {
	PhaseID int64  `json:"phase_id"`
	Name    string `json:"name"`
}

type emptyPayload struct{}

// Officials' decisions (participation/decisions.go).
type alertRulePayload struct {
	Kind        string  `json:"kind"`
	Threshold   float64 `json:"threshold"`
	WindowHours int     `json:"window_hours"`
}

type alertRuleDeleted struct{}

type panelPayload struct {
	Panel    string `json:"panel"`
	Position int    `json:"position"`
}

type themeEditPayload struct {
	Scope   string `json:"scope"`
	ScopeID int64  `json:"scope_id"`
	Kind    string `json:"kind"`
	ThemeID int64  `json:"theme_id"`
	OtherID int64  `json:"other_id"`
	Label   string `json:"label"`
	StaffID int64  `json:"staff_id"`
}

type countingPayload struct {
	CountOnce bool `json:"count_once"`
}

// decidedPayload is a proposal's assessment state changing
// (participation/assessment.go).
type decidedPayload struct {
	From   participation.AssessmentState `json:"from"`
	To     participation.AssessmentState `json:"to"`
	Reason string                        `json:"reason"`
}

// answeredPayload is the institution answering a comment
// (participation/sqlstore/moderation.go). The payload also names the staff
// member who answered; the warehouse has no use for it and never decodes it.
type answeredPayload struct {
	ParentID int64 `json:"parent_id"`
}

// item is one event travelling through the steps: the decoded payload, the
// reason it was dropped (if it was) and its participant's pseudonym.
type item struct {
	ev          participation.Event
	payload     any
	drop        string
	participant string
}

// dropError says why an event cannot enter the warehouse.
type dropError struct {
	reason string
	msg    string
}

func (e *dropError) Error() string { return e.reason + ": " + e.msg }

func invalid(format string, args ...any) error {
	return &dropError{warehouse.ReasonInvalid, fmt.Sprintf(format, args...)}
}

func spam(format string, args ...any) error {
	return &dropError{warehouse.ReasonSpam, fmt.Sprintf(format, args...)}
}

// maxLinks is how many links a contribution may carry before it counts as
// spam: citizens cite a source or two, link farms paste dozens.
const maxLinks = 8

// Validate decodes an event's payload and checks what the warehouse relies
// on. It returns the decoded payload, or a *dropError (reason invalid or
// spam) for an event that must not enter the warehouse.
func Validate(e participation.Event) (any, error) {
	if e.Seq <= 0 {
		return nil, invalid("seq %d", e.Seq)
	}
	if e.OccurredAt.IsZero() {
		return nil, invalid("no occurred_at")
	}
	switch e.Type {
	case participation.EvProposalCreated:
		var p proposalPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.EntityID <= 0 || e.ProcessID <= 0 || strings.TrimSpace(p.Title) == "" {
			return nil, invalid("proposal without id, process or title")
		}
		if links(p.Title)+links(p.Description) > maxLinks {
			return nil, spam("proposal with too many links")
		}
		return p, nil
	case participation.EvCommentCreated:
		var p commentPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.EntityID <= 0 || strings.TrimSpace(p.Body) == "" {
			return nil, invalid("comment without id or body")
		}
		if p.TargetKind != string(participation.TargetProposal) && p.TargetKind != string(participation.TargetSection) {
			return nil, invalid("comment target kind %q", p.TargetKind)
		}
		if links(p.Body)+links(p.ProposedText) > maxLinks {
			return nil, spam("comment with too many links")
		}
		return p, nil
	case participation.EvCommentVoted:
		var p votePayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.EntityID <= 0 || !isVote(p.Vote) || (p.Previous != "" && !isVote(p.Previous)) {
			return nil, invalid("vote %q on comment %d", p.Vote, e.EntityID)
		}
		return p, nil
	case participation.EvSupportAdded, participation.EvSupportRemoved:
		if e.EntityID <= 0 {
			return nil, invalid("support without proposal")
		}
		return emptyPayload{}, nil
	case participation.EvSurveyAnswered, participation.EvSurveyCompleted:
		var p surveyPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.EntityID <= 0 || p.Page < 1 {
			return nil, invalid("survey page %d of response %d", p.Page, e.EntityID)
		}
		for _, a := range p.Answers {
			if a.QuestionID <= 0 {
				return nil, invalid("answer without question")
			}
		}
		return p, nil
	case participation.EvRegistration:
		var p registrationPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		for _, f := range p.Fields {
			if !isPersonalField(f) {
				return nil, invalid("registration field %q", f)
			}
		}
		return p, nil
	case participation.EvConsentGiven, participation.EvConsentWithdrawn:
		var p consentPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		return p, nil
	case participation.EvVisit:
		var p visitPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if p.VisitorHash == "" {
			return nil, invalid("visit without visitor hash")
		}
		if p.Device == "bot" {
			return nil, spam("visit by a bot")
		}
		// A query string may carry a token or an email typed into a form;
		// analytics needs the page, not its parameters.
		p.Path, _, _ = strings.Cut(p.Path, "?")
		p.Path, _, _ = strings.Cut(p.Path, "#")
		return p, nil
	case participation.EvContributionHidden, participation.EvContributionRestored:
		var p hiddenPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.EntityID <= 0 || p.Kind == "" {
			return nil, invalid("moderation without entity")
		}
		// The warehouse asks one thing of a moderation: do citizens see
		// the item? Pending and rejected ones (pre-moderation) are out of
		// the counts and themes exactly as hidden ones are.
		if p.Status == string(participation.StatusPending) || p.Status == string(participation.StatusRejected) {
			p.Status = string(participation.StatusHidden)
		}
		return p, nil
	case participation.EvContributionReported:
		// A report is not a decision: the events ledger keeps it, no
		// count changes until a moderator (or the auto-hide) decides.
		if !json.Valid(payloadOrEmpty(e.Payload)) {
			return nil, invalid("payload is not JSON")
		}
		return emptyPayload{}, nil
	case participation.EvPhaseOpened, participation.EvPhaseClosed:
		var p phasePayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.ProcessID <= 0 || e.EntityID <= 0 || p.PhaseID != e.EntityID {
			return nil, invalid("phase change without its process or phase")
		}
		return p, nil
	case participation.EvAlertRuleAdded, participation.EvAlertRuleDeleted, participation.EvPanelPublished,
		participation.EvPanelUnpublished, participation.EvThemeEdited, participation.EvCampaignCountingSet:
		return validateDecision(e)
	case participation.EvOfficialAnswer:
		// An official answer is not a citizen's input: no count, no theme;
		// only which comment it answers, for the feedback-loop figures.
		var p answeredPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.ProcessID <= 0 || e.EntityID <= 0 || p.ParentID <= 0 {
			return nil, invalid("official answer without its process, id or comment")
		}
		return p, nil
	case participation.EvProposalDecided:
		var p decidedPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.ProcessID <= 0 || e.EntityID <= 0 {
			return nil, invalid("decision without its process or proposal")
		}
		if !participation.CanMove(p.From, p.To) {
			return nil, invalid("decision %s → %s", p.From, p.To)
		}
		if participation.NeedsReason(p.To) && strings.TrimSpace(p.Reason) == "" {
			return nil, invalid("decision %s without its reason", p.To)
		}
		p.Reason = strings.TrimSpace(p.Reason)
		return p, nil
	// The rest of the assessment (criteria, scores, responses, takeaways)
	// stays in the store until a warehouse table needs it.
	case participation.EvCriterionSet, participation.EvCriterionDeleted, participation.EvProposalScored,
		participation.EvSectionResponded, participation.EvSurveyTakeawaySet,
		participation.EvResultsSaved, participation.EvResultsPublished, participation.EvCampaignLinkCreated,
		participation.EvWidgetOriginsSet,
		// Inquiries: the questions and the addresses stay in the store.
		participation.EvInquiryAsked, participation.EvInquiryAssigned, participation.EvInquiryAnswered,
		participation.EvInquiryClosed, participation.EvInquiryPublished, participation.EvInquiryHidden,
		participation.EvProcessChanged, participation.EvSurveyChanged, participation.EvDocumentPublished,
		participation.EvParticipantJoined, participation.EvParticipantErased,
		participation.EvProcessState:
		if !json.Valid(payloadOrEmpty(e.Payload)) {
			return nil, invalid("payload is not JSON")
		}
		return emptyPayload{}, nil
	}
	return nil, invalid("unknown event type %q", e.Type)
}

// validateDecision checks an official's decision as the warehouse tables
// need it; the store has checked it in full before writing it.
func validateDecision(e participation.Event) (any, error) {
	if e.ProcessID <= 0 {
		return nil, invalid("%s without process", e.Type)
	}
	switch e.Type {
	case participation.EvAlertRuleAdded:
		var p alertRulePayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if e.EntityID <= 0 || (p.Kind != participation.AlertInputsBelow && p.Kind != participation.AlertRegionRateBelow) {
			return nil, invalid("alert rule %d of kind %q", e.EntityID, p.Kind)
		}
		return p, nil
	case participation.EvAlertRuleDeleted:
		if e.EntityID <= 0 {
			return nil, invalid("alert rule deleted without id")
		}
		return alertRuleDeleted{}, nil
	case participation.EvPanelPublished, participation.EvPanelUnpublished:
		var p panelPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		if participation.CheckPanelName(p.Panel) != nil {
			return nil, invalid("%s of panel %q", e.Type, p.Panel)
		}
		return p, nil
	case participation.EvThemeEdited:
		var p themeEditPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		edit := participation.ThemeEdit{ProcessID: e.ProcessID, Scope: p.Scope, ScopeID: p.ScopeID, Kind: p.Kind, ThemeID: p.ThemeID, OtherID: p.OtherID, Label: p.Label}
		if _, err := edit.Normalize(); err != nil || e.EntityID <= 0 {
			return nil, invalid("theme edit %d: %v", e.EntityID, err)
		}
		return p, nil
	case participation.EvCampaignCountingSet:
		var p countingPayload
		if err := decode(e, &p); err != nil {
			return nil, err
		}
		return p, nil
	}
	return nil, invalid("unknown decision %q", e.Type)
}

func decode(e participation.Event, dst any) error {
	if err := json.Unmarshal(payloadOrEmpty(e.Payload), dst); err != nil {
		return invalid("%s payload: %v", e.Type, err)
	}
	return nil
}

func payloadOrEmpty(p json.RawMessage) []byte {
	if len(bytes.TrimSpace(p)) == 0 || bytes.Equal(bytes.TrimSpace(p), []byte("null")) {
		return []byte("{}")
	}
	return p
}

func isVote(v string) bool {
	switch participation.Vote(v) {
	case participation.VoteAgree, participation.VoteDisagree, participation.VotePass:
		return true
	}
	return false
}

func isPersonalField(f string) bool {
	for _, p := range participation.AllPersonalFields {
		if string(p) == f {
			return true
		}
	}
	return false
}

func links(s string) int {
	return strings.Count(s, "http://") + strings.Count(s, "https://") + strings.Count(s, "www.")
}
