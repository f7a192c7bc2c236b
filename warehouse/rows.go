package warehouse

import "time"

// Cursor is the outbox position of the last event a batch consumed: the
// writing transaction (0 on SQLite) and the sequence. It mirrors
// participation.Cursor without importing it (the warehouse knows nothing of
// the store).
type Cursor struct {
	Tx  int64 `json:"tx"`
	Seq int64 `json:"seq"`
}

// Batch is what one transaction adds: the facts of a run of outbox events,
// the dimensions they changed, the events dropped, and the cursor after the
// last of them. Write commits all of it, or none.
type Batch struct {
	To       Cursor
	Consumed int64 // events read from the outbox for this batch, accepted or dropped

	Events        []Event
	Proposals     []Proposal
	Comments      []Comment
	Votes         []Vote
	Supports      []Support
	SurveyPages   []SurveyPage
	SurveyAnswers []SurveyAnswer
	Visits        []Visit
	Registrations []Registration
	Consents      []Consent
	Moderation    []Moderation
	Texts         []TextFeatures
	Dropped       []Dropped
	Decisions     []Decision // officials' decisions, applied in outbox order

	Dimensions Dimensions
}

// Event is the ledger row every accepted event leaves, whatever its type.
// It also feeds the rollups: Type is the rollup's kind.
type Event struct {
	Seq         int64
	Tx          int64
	Type        string
	ProcessID   int64
	ComponentID int64
	EntityID    int64
	Participant string // pseudonym, "" when the event has none (visits)
	RegionCode  string
	OccurredAt  time.Time
}

type Proposal struct {
	Seq         int64
	ProposalID  int64
	ProcessID   int64
	ComponentID int64
	Participant string
	RegionCode  string
	Title       string
	Description string
	BudgetMinor int64
	Tags        []string
	Lat, Lng    *float64
	OccurredAt  time.Time
}

type Comment struct {
	Seq          int64
	CommentID    int64
	ProcessID    int64
	ComponentID  int64
	TargetKind   string
	TargetID     int64
	ParentID     *int64
	Kind         string
	Body         string
	ProposedText string
	Participant  string
	RegionCode   string
	OccurredAt   time.Time
}

type Vote struct {
	Seq         int64
	CommentID   int64
	ProcessID   int64
	ComponentID int64
	Participant string
	RegionCode  string
	Vote        string
	Previous    string
	OccurredAt  time.Time
}

type Support struct {
	Seq         int64
	ProposalID  int64
	ProcessID   int64
	ComponentID int64
	Participant string
	RegionCode  string
	Delta       int8
	OccurredAt  time.Time
}

type SurveyPage struct {
	Seq         int64
	ResponseID  int64
	ProcessID   int64
	ComponentID int64
	Participant string
	RegionCode  string
	Page        int
	Completed   bool
	StartedAt   *time.Time
	OccurredAt  time.Time
}

type SurveyAnswer struct {
	Seq         int64
	ResponseID  int64
	ProcessID   int64
	ComponentID int64
	Participant string
	RegionCode  string
	QuestionID  int64
	Choice      *int
	Rank        *int
	Number      *float64
	Text        *string
	OccurredAt  time.Time
}

type Visit struct {
	Seq         int64
	ProcessID   int64
	ComponentID int64
	VisitorHash string
	Path        string
	Referrer    string
	UTMSource   string
	UTMMedium   string
	UTMCampaign string
	Device      string
	OccurredAt  time.Time
}

type Registration struct {
	Seq         int64
	ProcessID   int64
	Participant string
	RegionCode  string
	Fields      []string
	OccurredAt  time.Time
}

type Consent struct {
	Seq           int64
	ProcessID     int64
	Participant   string
	RegionCode    string
	NoticeVersion int
	Purpose       string
	Given         bool
	OccurredAt    time.Time
}

type Moderation struct {
	Seq         int64
	ProcessID   int64
	ComponentID int64
	EntityKind  string
	EntityID    int64
	Status      string
	OccurredAt  time.Time
}

// TextFeatures are computed by the ingester for each text entity.
type TextFeatures struct {
	Seq         int64
	EntityKind  string // proposal, comment, answer
	EntityID    int64
	QuestionID  int64 // answers only
	ProcessID   int64
	ComponentID int64
	Lang        string
	Tokens      int
	Stems       []string
	Keywords    []string
	Hash        uint64
	MinHash     []uint32
	Places      []string
}

// Drop reasons.
const (
	ReasonInvalid   = "invalid"
	ReasonDuplicate = "duplicate"
	ReasonSpam      = "spam"
)

type Dropped struct {
	Seq        int64
	Tx         int64
	Type       string
	ProcessID  int64
	Reason     string
	OccurredAt time.Time
}

// Dimensions replace what the warehouse holds for each process, region set,
// document component and survey component they name.
type Dimensions struct {
	Processes  []ProcessDim
	RegionSets []RegionSetDim
	Documents  []DocumentDim
	Surveys    []SurveyDim
}

func (d Dimensions) empty() bool {
	return len(d.Processes)+len(d.RegionSets)+len(d.Documents)+len(d.Surveys) == 0
}

type ProcessDim struct {
	ProcessID          int64
	Slug               string
	Title              string
	Level              string
	Sector             string
	Scope              string
	Mode               string
	TimeZone           string
	RegionSetID        int64
	TargetParticipants int
	BudgetMinor        int64
	Currency           string
	Published          bool
	StartsAt, EndsAt   *time.Time
	Phases             []PhaseDim
	Components         []ComponentDim
}

type PhaseDim struct {
	PhaseID          int64
	Position         int
	Name             string
	StartsAt, EndsAt *time.Time
	OpenComponents   []int64
}

type ComponentDim struct {
	ComponentID int64
	Kind        string
	Position    int
	Title       string
}

type RegionSetDim struct {
	RegionSetID int64
	Regions     []RegionDim
}

type RegionDim struct {
	Code       string
	Name       string
	Population int64
}

// DocumentDim is the latest version of a document component's sections.
type DocumentDim struct {
	ComponentID int64
	Sections    []SectionDim
}

type SectionDim struct {
	SectionID int64
	Version   int
	Position  int
	Heading   string
}

type SurveyDim struct {
	ComponentID int64
	Questions   []QuestionDim
}

type QuestionDim struct {
	QuestionID int64
	Page       int
	Position   int
	Type       string
	Prompt     string
	Required   bool
	Options    []string
	MaxChoices int
	Min, Max   *float64
}

// Advance is published after each committed batch.
type Advance struct {
	Cursor Cursor    `json:"cursor"`
	Seq    int64     `json:"seq"`    // highest seq committed so far
	Events int64     `json:"events"` // events consumed in total
	Batch  int       `json:"batch"`  // events in this batch
	At     time.Time `json:"at"`
}

// DropCount is how many events of a process were dropped for a reason.
type DropCount struct {
	ProcessID int64  `json:"process_id"`
	Reason    string `json:"reason"`
	N         int64  `json:"n"`
}
