package participation

import (
	"context"
)

// State is where a process is in its life: officials set it up as a draft,
// look at it as citizens would in preview, publish it, close it (read-only)
// and finally archive it.
type State string

const (
	StateDraft     State = "draft"
	StatePreview   State = "preview"
	StatePublished State = "published"
	StateClosed    State = "closed"
	StateArchived  State = "archived"
)

// AllStates lists the states in life order.
var AllStates = []State{StateDraft, StatePreview, StatePublished, StateClosed, StateArchived}

// transitions is the only way a process may move; anything else is refused,
// so a published process cannot silently return to draft and lose its
// citizens' view of it.
var transitions = map[State][]State{
	StateDraft:     {StatePreview},
	StatePreview:   {StateDraft, StatePublished},
	StatePublished: {StateClosed},
	StateClosed:    {StateArchived},
}

// Valid reports whether s is one of the five states.
func (s State) Valid() bool {
	for _, x := range AllStates {
		if s == x {
			return true
		}
	}
	return false
}

// CitizenVisible reports whether citizens may read a process in state s.
func (s State) CitizenVisible() bool {
	return s == StatePublished || s == StateClosed || s == StateArchived
}

// ReadOnly reports whether writes to the process's components are refused
// (CodeClosed) in state s.
func (s State) ReadOnly() bool { return s == StateClosed || s == StateArchived }

// CheckTransition returns nil when a process may move from one state to the
// other, else a CodeConflict *Error naming both states.
func CheckTransition(from, to State) error {
	for _, t := range transitions[from] {
		if t == to {
			return nil
		}
	}
	return Errorf(CodeConflict, "state", "process.transition",
		"a process cannot go from %s to %s", from, to)
}

// ProposalSettings are the options of a proposals component. The store
// enforces them on CreateProposal and Support.
type ProposalSettings struct {
	Budget           bool  `json:"budget"`            // proposals may carry a budget
	MaxBudgetMinor   int64 `json:"max_budget_minor"`  // 0 = no maximum
	Pictures         bool  `json:"pictures"`          // proposals may carry pictures
	MapPoint         bool  `json:"map_point"`         // proposals may carry a map point
	SupportLimit     int   `json:"support_limit"`     // supports per participant in the component; 0 = none
	SupportThreshold int   `json:"support_threshold"` // supports a proposal needs for assessment
}

// Condition shows a survey question only when an earlier question's answer
// contains one of Choices.
type Condition struct {
	QuestionPosition int   `json:"question_position"` // 1-based position of an earlier question, in page order
	Choices          []int `json:"choices"`           // option indexes
}

// EntityKind names what a translation belongs to.
type EntityKind string

const (
	EntityProcess   EntityKind = "process"
	EntityPhase     EntityKind = "phase"
	EntityComponent EntityKind = "component"
	EntitySection   EntityKind = "section"
	EntityQuestion  EntityKind = "question"
)

// Translation is one field of one entity in a language other than the
// process's first: base columns hold the first language. Field is the json
// name of the translated field ("title", "prompt", "option.0", …).
type Translation struct {
	Entity   EntityKind `db:"entity" json:"entity"`
	EntityID int64      `db:"entity_id" json:"entity_id"`
	Field    string     `db:"field" json:"field"`
	Lang     string     `db:"lang" json:"lang"`
	Text     string     `db:"text" json:"text"`
}

// Missing is a field not translated yet into a language of the process.
type Missing struct {
	Entity   EntityKind `json:"entity"`
	EntityID int64      `json:"entity_id"`
	Field    string     `json:"field"`
	Lang     string     `json:"lang"`
}

type textKey struct {
	e     EntityKind
	id    int64
	field string
	lang  string
}

// Texts looks up translations for pages. The zero value has no
// translations: every Get returns the base text.
type Texts struct {
	first string
	m     map[textKey]string
}

// NewTexts indexes tr; firstLang is the process's first language, whose
// texts are the base columns.
func NewTexts(firstLang string, tr []Translation) Texts {
	t := Texts{first: firstLang, m: make(map[textKey]string, len(tr))}
	for _, x := range tr {
		if x.Text != "" {
			t.m[textKey{x.Entity, x.EntityID, x.Field, x.Lang}] = x.Text
		}
	}
	return t
}

// Get returns the text of field in lang. For the first language (or an
// empty lang) it is base; otherwise the translation, or base with
// fallback=true when there is none, so pages can mark the text as shown in
// another language.
func (t Texts) Get(e EntityKind, id int64, field, lang, base string) (text string, fallback bool) {
	if lang == "" || lang == t.first {
		return base, false
	}
	if s, ok := t.m[textKey{e, id, field, lang}]; ok {
		return s, false
	}
	return base, true
}

// MaxGeoJSONBytes bounds an uploaded GeoJSON file of a region set.
const MaxGeoJSONBytes = 5 << 20

// Setup is what officials use to set up, edit and run a process (issue 10).
// *sqlstore.Store implements it; Store embeds it.
type Setup interface {
	// Region sets. CreateRegionSet stores parent codes and GeoJSON too;
	// ListRegionSets leaves GeoJSON out, GetRegionSet includes it.
	CreateRegionSet(ctx context.Context, rs RegionSet) (int64, error)
	ListRegionSets(ctx context.Context) ([]RegionSet, error)
	GetRegionSet(ctx context.Context, id int64) (RegionSet, error)

	// Processes. ListProcesses leaves templates out; ListTemplates lists them.
	CreateProcess(ctx context.Context, p Process) (int64, error)
	UpdateProcess(ctx context.Context, p Process) error
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (Process, error)
	ListProcesses(ctx context.Context, onlyPublished bool) ([]Process, error)
	ListTemplates(ctx context.Context) ([]Process, error)
	PublishPrivacyNotice(ctx context.Context, processID int64, text string) (PrivacyNotice, error)
	// PublishDataAgreement publishes the notice with its terms (consent.go).
	PublishDataAgreement(ctx context.Context, processID int64, n PrivacyNotice) (PrivacyNotice, error)
	// Transition moves the process to another state (CheckTransition; for
	// published, ValidateForPublish must pass; closing a process before its
	// last phase ends needs a reason) and appends EvProcessState.
	Transition(ctx context.Context, processID int64, to State, reason string) error
	// ValidateForPublish lists every problem that keeps the process from
	// being published, as ValidationErrors.
	ValidateForPublish(ctx context.Context, processID int64) error
	// CopyProcess copies the set-up (not the participation) into a new draft.
	CopyProcess(ctx context.Context, fromID int64, slug, title string, asTemplate bool) (int64, error)

	// Phases may not overlap nor end before they start.
	AddPhase(ctx context.Context, ph Phase) (int64, error)
	UpdatePhase(ctx context.Context, ph Phase) error
	DeletePhase(ctx context.Context, id int64) error

	// Components. DeleteComponent is CodeConflict once it has contributions.
	AddComponent(ctx context.Context, c Component) (int64, error)
	GetComponent(ctx context.Context, id int64) (Component, error)
	UpdateComponent(ctx context.Context, c Component) error
	DeleteComponent(ctx context.Context, id int64) error
	MoveComponent(ctx context.Context, id int64, delta int) error

	// Documents and surveys.
	PublishDocument(ctx context.Context, d Document) (version int, err error)
	GetDocument(ctx context.Context, componentID int64) (Document, error)
	SetSurvey(ctx context.Context, s Survey) error
	GetSurvey(ctx context.Context, componentID int64) (Survey, error)
	MoveQuestion(ctx context.Context, questionID int64, delta int) error

	// Translations: SetTranslations upserts, an empty Text deletes.
	SetTranslations(ctx context.Context, processID int64, tr []Translation) error
	Translations(ctx context.Context, processID int64) ([]Translation, error)
}
