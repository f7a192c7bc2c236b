// Package participation is the domain citizens touch: engagement processes,
// their phases and components (proposals, document consultation, surveys),
// participants and their consent, and the outbox through which every write
// reaches the analytics warehouse.
//
// Times are UTC everywhere in this package; pages convert to the process's
// time zone when they show them.
package participation

import (
	"encoding/json"
	"time"
)

// Level is how far a process involves the public.
type Level string

const (
	LevelInform   Level = "inform"
	LevelConsult  Level = "consult"
	LevelCoCreate Level = "co-create"
)

// Scope is the territory a process covers.
type Scope string

const (
	ScopeLocal      Scope = "local"
	ScopeProvincial Scope = "provincial"
	ScopeNational   Scope = "national"
	ScopeRegional   Scope = "regional"
)

// Mode says whether citizens take part anonymously or after registering.
type Mode string

const (
	ModeOpen       Mode = "open"
	ModeRegistered Mode = "registered"
)

// PersonalField is one piece of personal data a registered-mode process may
// ask for. A process asks for exactly the fields it lists and nothing else.
type PersonalField string

const (
	FieldName    PersonalField = "name"
	FieldEmail   PersonalField = "email"
	FieldPhone   PersonalField = "phone"
	FieldRegion  PersonalField = "region"
	FieldAgeBand PersonalField = "age_band"
	FieldGender  PersonalField = "gender"
)

// AllPersonalFields lists every field a process can ask for, in form order.
var AllPersonalFields = []PersonalField{FieldName, FieldEmail, FieldPhone, FieldRegion, FieldAgeBand, FieldGender}

// Process is an engagement process and its participation strategy
// (GovStack INST-3 step 1).
type Process struct {
	ID                 int64           `db:"id" json:"id"`
	Slug               string          `db:"slug" json:"slug"`
	Title              string          `db:"title" json:"title"`
	Summary            string          `db:"summary" json:"summary"`
	Objective          string          `db:"objective" json:"objective"`
	Level              Level           `db:"level" json:"level"`
	Sector             string          `db:"sector" json:"sector"`
	Scope              Scope           `db:"scope" json:"scope"`
	BudgetMinor        int64           `db:"budget_minor" json:"budget_minor"` // in the currency's minor unit
	Currency           string          `db:"currency" json:"currency"`
	StartsAt           time.Time       `db:"starts_at" json:"starts_at"`
	EndsAt             time.Time       `db:"ends_at" json:"ends_at"`
	Officials          []string        `db:"-" json:"responsible_officials"` // names and roles of the officials answerable for it
	ExpectedOutcome    string          `db:"expected_outcome" json:"expected_outcome"`
	FeedbackMethod     string          `db:"feedback_method" json:"feedback_method"` // how participants will hear what became of their input
	Languages          []string        `db:"-" json:"languages"`                     // BCP 47 tags, first is the default
	TimeZone           string          `db:"time_zone" json:"time_zone"`             // IANA name, e.g. Africa/Nairobi
	Mode               Mode            `db:"mode" json:"mode"`
	PersonalFields     []PersonalField `db:"-" json:"personal_fields"` // registered mode only
	RegionSetID        int64           `db:"region_set_id" json:"region_set_id"`
	TargetParticipants int             `db:"target_participants" json:"target_participants"`
	Published          bool            `db:"published" json:"published"` // derived: State == StatePublished
	State              State           `db:"state" json:"state"`
	ClosedReason       string          `db:"closed_reason" json:"closed_reason,omitempty"`
	ClosedAt           *time.Time      `db:"closed_at" json:"closed_at,omitempty"`
	// FaceToFace names the offline formats (meetings, barazas, …) the online
	// process complements.
	FaceToFace []string `db:"-" json:"face_to_face"`
	// FieldReasons gives, per asked personal field, why it is asked; citizens
	// see it beside the field.
	FieldReasons map[PersonalField]string `db:"-" json:"field_reasons"`
	// IsTemplate marks a set-up kept for copying: never leaves draft, never
	// listed to citizens.
	IsTemplate bool      `db:"is_template" json:"is_template"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`

	// Filled by GetProcess; ignored by CreateProcess (use the dedicated calls).
	PrivacyNotice *PrivacyNotice `db:"-" json:"privacy_notice,omitempty"`
	Phases        []Phase        `db:"-" json:"phases,omitempty"`
	Components    []Component    `db:"-" json:"components,omitempty"`
	// Criteria are what its proposals are assessed against (assessment.go).
	Criteria []Criterion `db:"-" json:"criteria,omitempty"`
}

// PrivacyNotice is one version of a process's privacy notice, which is also
// its data agreement (the GovStack Consent BB's DataAgreement with its
// Policy, consent.go): the plain-language text citizens read, and the terms
// behind it. Publishing adds a version; consent records name the version
// the participant agreed to.
type PrivacyNotice struct {
	ProcessID   int64     `db:"process_id" json:"process_id"`
	Version     int       `db:"version" json:"version"`
	Text        string    `db:"text" json:"text"`
	PublishedAt time.Time `db:"published_at" json:"published_at"`
	AgreementTerms
	// Fields are the personal fields the process asked, and why, when this
	// version was published (a snapshot: the set-up may change later).
	Fields []AgreementField `db:"-" json:"personal_data"`
	// Hash is the SHA-256 (hex) of the version's canonical JSON
	// (AgreementHash), the Consent BB's dataAgreementRevisionHash.
	Hash string `db:"hash" json:"hash"`
}

// Phase is a dated stage of a process; it lists the components open in it.
type Phase struct {
	ID             int64     `db:"id" json:"id"`
	ProcessID      int64     `db:"process_id" json:"process_id"`
	Position       int       `db:"position" json:"position"`
	Name           string    `db:"name" json:"name"`
	Description    string    `db:"description" json:"description"`
	StartsAt       time.Time `db:"starts_at" json:"starts_at"`
	EndsAt         time.Time `db:"ends_at" json:"ends_at"`
	OpenComponents []int64   `db:"-" json:"open_components"`
}

// IsOpenAt reports whether the phase runs at t (start inclusive, end exclusive).
func (p Phase) IsOpenAt(t time.Time) bool { return !t.Before(p.StartsAt) && t.Before(p.EndsAt) }

// ComponentKind is the participation tool a component offers.
type ComponentKind string

const (
	KindProposals ComponentKind = "proposals"
	KindDocument  ComponentKind = "document"
	KindSurvey    ComponentKind = "survey"
)

// Component is one participation tool inside a process.
type Component struct {
	ID          int64         `db:"id" json:"id"`
	ProcessID   int64         `db:"process_id" json:"process_id"`
	Kind        ComponentKind `db:"kind" json:"kind"`
	Position    int           `db:"position" json:"position"`
	Title       string        `db:"title" json:"title"`
	Description string        `db:"description" json:"description"`
	// Proposals holds the settings of a proposals component (nil for the
	// other kinds, and for proposals components it means the defaults).
	Proposals *ProposalSettings `db:"-" json:"proposals,omitempty"`
}

// Region is one area of a region set with its resident population, the
// denominator of engagement rates.
type Region struct {
	Code       string `db:"code" json:"code"`
	Name       string `db:"name" json:"name"`
	Population int64  `db:"population" json:"population"`
	ParentCode string `db:"parent_code" json:"parent_code,omitempty"` // e.g. a sub-county's county
}

// RegionSet is a named list of regions (the demo: Kenya's 47 counties).
type RegionSet struct {
	ID      int64    `db:"id" json:"id"`
	Name    string   `db:"name" json:"name"`
	Source  string   `db:"source" json:"source"` // where the population figures come from
	Regions []Region `db:"-" json:"regions"`
	// GeoJSON is the FeatureCollection of the regions' shapes (property
	// "code"), as normalised by CheckGeoJSON; empty when none was given.
	GeoJSON json.RawMessage `db:"-" json:"geojson,omitempty"`
}

// Status of a citizen contribution; moderation hides without deleting.
type Status string

const (
	StatusPublished Status = "published"
	StatusHidden    Status = "hidden"
	StatusWithdrawn Status = "withdrawn"
)

// Proposal is a citizen's idea in a proposals component.
type Proposal struct {
	ID            int64     `db:"id" json:"id"`
	ProcessID     int64     `db:"process_id" json:"process_id"`
	ComponentID   int64     `db:"component_id" json:"component_id"`
	ParticipantID int64     `db:"participant_id" json:"-"`
	Title         string    `db:"title" json:"title"`
	Description   string    `db:"description" json:"description"` // plain text; pages escape it
	BudgetMinor   int64     `db:"budget_minor" json:"budget_minor"`
	Tags          []string  `db:"-" json:"tags"`
	RegionCode    string    `db:"region_code" json:"region_code,omitempty"`
	Lat           *float64  `db:"lat" json:"lat,omitempty"`
	Lng           *float64  `db:"lng" json:"lng,omitempty"`
	Status        Status    `db:"status" json:"status"`
	SupportCount  int       `db:"support_count" json:"support_count"`
	CommentCount  int       `db:"comment_count" json:"comment_count"`
	CreatedAt     time.Time `db:"created_at" json:"created_at"`
	Images        []Image   `db:"-" json:"images,omitempty"`
}

// Image is a picture attached to a proposal, already checked by content,
// re-encoded (which drops EXIF and other metadata) and thumbnailed.
type Image struct {
	ID          int64  `db:"id" json:"id"`
	ProposalID  int64  `db:"proposal_id" json:"proposal_id"`
	Position    int    `db:"position" json:"position"`
	ContentType string `db:"content_type" json:"content_type"`
	Width       int    `db:"width" json:"width"`
	Height      int    `db:"height" json:"height"`
	Data        []byte `db:"data" json:"-"`
	Thumb       []byte `db:"thumb" json:"-"`
}

// MaxImagesPerProposal is how many pictures a proposal may carry.
const MaxImagesPerProposal = 5

// TargetKind is what a comment is about.
type TargetKind string

const (
	TargetProposal TargetKind = "proposal"
	TargetSection  TargetKind = "section"
)

// CommentKind distinguishes plain comments from amendments and questions on
// document sections; proposal comments are always CommentPlain.
type CommentKind string

const (
	CommentPlain     CommentKind = "comment"
	CommentAmendment CommentKind = "amendment"
	CommentQuestion  CommentKind = "question"
)

// Comment is a comment on a proposal or a document section. Replies go one
// level deep: a reply's ParentID names a top-level comment.
type Comment struct {
	ID            int64       `db:"id" json:"id"`
	ProcessID     int64       `db:"process_id" json:"process_id"`
	ComponentID   int64       `db:"component_id" json:"component_id"`
	TargetKind    TargetKind  `db:"target_kind" json:"target_kind"`
	TargetID      int64       `db:"target_id" json:"target_id"`
	ParentID      *int64      `db:"parent_id" json:"parent_id,omitempty"`
	ParticipantID int64       `db:"participant_id" json:"-"`
	Kind          CommentKind `db:"kind" json:"kind"`
	Body          string      `db:"body" json:"body"`
	ProposedText  string      `db:"proposed_text" json:"proposed_text,omitempty"` // amendments only
	Status        Status      `db:"status" json:"status"`
	Agree         int         `db:"agree" json:"agree"`
	Disagree      int         `db:"disagree" json:"disagree"`
	Pass          int         `db:"pass" json:"pass"`
	CreatedAt     time.Time   `db:"created_at" json:"created_at"`
	// Official marks an answer the institution gave (AnswerAsInstitution):
	// pages show it apart, as the institution's.
	Official bool `db:"official" json:"official,omitempty"`
	// OnEarlierVersion marks a section comment written on a version of the
	// section whose text has changed since (ListComments sets it).
	OnEarlierVersion bool      `db:"-" json:"on_earlier_version,omitempty"`
	Replies          []Comment `db:"-" json:"replies,omitempty"`
}

// Vote is a participant's stance on a document comment (Pol.is style).
type Vote string

const (
	VoteAgree    Vote = "agree"
	VoteDisagree Vote = "disagree"
	VotePass     Vote = "pass"
)

// Document is one version of a consultation text, split into ordered sections.
type Document struct {
	ComponentID int64     `db:"component_id" json:"component_id"`
	Version     int       `db:"version" json:"version"`
	Title       string    `db:"title" json:"title"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	Sections    []Section `db:"-" json:"sections"`
}

// Section is one ordered part of a document version.
type Section struct {
	ID           int64  `db:"id" json:"id"`
	ComponentID  int64  `db:"component_id" json:"component_id"`
	Version      int    `db:"version" json:"version"`
	Position     int    `db:"position" json:"position"`
	Heading      string `db:"heading" json:"heading"`
	Body         string `db:"body" json:"body"`
	CommentCount int    `db:"comment_count" json:"comment_count"`
	// LineageID is the id of the first version's section this one descends
	// from (its own id for a new section); comments follow the lineage.
	LineageID int64 `db:"lineage_id" json:"lineage_id"`
	// Changed says its text differs from the section it descends from.
	Changed bool `db:"changed" json:"changed"`
}

// QuestionType is the kind of answer a survey question takes.
type QuestionType string

const (
	QSingle  QuestionType = "single"  // one option
	QMulti   QuestionType = "multi"   // up to MaxChoices options
	QLikert  QuestionType = "likert"  // 1–5
	QNumeric QuestionType = "numeric" // a number in [Min, Max]
	QRanking QuestionType = "ranking" // every option, in order of preference
	QText    QuestionType = "text"    // open text
)

// Question is one survey question. Options are the choices for single, multi
// and ranking questions; answers refer to them by index.
type Question struct {
	ID          int64        `db:"id" json:"id"`
	ComponentID int64        `db:"component_id" json:"component_id"`
	Page        int          `db:"page" json:"page"` // 1-based
	Position    int          `db:"position" json:"position"`
	Type        QuestionType `db:"type" json:"type"`
	Prompt      string       `db:"prompt" json:"prompt"`
	Help        string       `db:"help" json:"help,omitempty"`
	Required    bool         `db:"required" json:"required"`
	Options     []string     `db:"-" json:"options,omitempty"`
	MaxChoices  int          `db:"max_choices" json:"max_choices,omitempty"`
	Min         *float64     `db:"min_value" json:"min,omitempty"`
	Max         *float64     `db:"max_value" json:"max,omitempty"`
	ShowIf      *Condition   `db:"-" json:"show_if,omitempty"`
}

// Survey is a survey component's questions, ordered by page and position.
type Survey struct {
	ComponentID int64      `json:"component_id"`
	Pages       int        `json:"pages"`
	Questions   []Question `json:"questions"`
}

// Answer is one participant's answer to one question. Exactly the field that
// fits the question's type is set: Choices (option indexes; for ranking, all
// indexes in order of preference), Number, or Text.
type Answer struct {
	QuestionID int64    `db:"question_id" json:"question_id"`
	Choices    []int    `db:"-" json:"choices,omitempty"`
	Number     *float64 `db:"number_value" json:"number,omitempty"`
	Text       string   `db:"text_value" json:"text,omitempty"`
}

// Response is a participant's (possibly partial) response to a survey. It is
// saved page by page so drop-off can be measured; CompletedAt is set when the
// last page is submitted.
type Response struct {
	ID            int64      `db:"id" json:"id"`
	ProcessID     int64      `db:"process_id" json:"process_id"`
	ComponentID   int64      `db:"component_id" json:"component_id"`
	ParticipantID int64      `db:"participant_id" json:"-"`
	LastPage      int        `db:"last_page" json:"last_page"`
	StartedAt     time.Time  `db:"started_at" json:"started_at"`
	UpdatedAt     time.Time  `db:"updated_at" json:"updated_at"`
	CompletedAt   *time.Time `db:"completed_at" json:"completed_at,omitempty"`
	Answers       []Answer   `db:"-" json:"answers"`
}

// ParticipantKind says how a participant is known.
type ParticipantKind string

const (
	ParticipantAnonymous  ParticipantKind = "anonymous"
	ParticipantRegistered ParticipantKind = "registered"
)

// Participant is a citizen taking part. Anonymous participants are bound to a
// signed cookie holding their ID (and a random token); registered ones also
// have a Profile for the process they registered with.
type Participant struct {
	ID         int64           `db:"id" json:"id"`
	Kind       ParticipantKind `db:"kind" json:"kind"`
	Token      string          `db:"token" json:"-"`                           // random, secret; the cookie carries it
	RegionCode string          `db:"region_code" json:"region_code,omitempty"` // self-declared
	CreatedAt  time.Time       `db:"created_at" json:"created_at"`
}

// Profile is the personal data a registered participant gave one process:
// only the fields that process asks for. It never leaves the store.
type Profile struct {
	ParticipantID int64      `db:"participant_id" json:"-"`
	ProcessID     int64      `db:"process_id" json:"process_id"`
	Name          string     `db:"name" json:"name,omitempty"`
	Email         string     `db:"email" json:"email,omitempty"`
	Phone         string     `db:"phone" json:"phone,omitempty"`
	RegionCode    string     `db:"region_code" json:"region_code,omitempty"`
	AgeBand       string     `db:"age_band" json:"age_band,omitempty"`
	Gender        string     `db:"gender" json:"gender,omitempty"`
	Lang          string     `db:"lang" json:"lang,omitempty"` // the language they registered in (BCP 47): their messages are in it
	VerifiedAt    *time.Time `db:"verified_at" json:"verified_at,omitempty"`
	CreatedAt     time.Time  `db:"created_at" json:"created_at"`
}

// Consent is a participant's consent to a process's privacy notice. It is
// stored before any personal field; withdrawing sets WithdrawnAt.
type Consent struct {
	ID            int64      `db:"id" json:"id"`
	ParticipantID int64      `db:"participant_id" json:"-"`
	ProcessID     int64      `db:"process_id" json:"process_id"`
	NoticeVersion int        `db:"notice_version" json:"notice_version"`
	Purpose       string     `db:"purpose" json:"purpose"`
	GivenAt       time.Time  `db:"given_at" json:"given_at"`
	WithdrawnAt   *time.Time `db:"withdrawn_at" json:"withdrawn_at,omitempty"`
}

// Verification is a pending email link or phone code for a registration.
type Verification struct {
	ParticipantID int64     `db:"participant_id"`
	ProcessID     int64     `db:"process_id"`
	Channel       string    `db:"channel"` // "email" or "phone"
	CodeHash      string    `db:"code_hash"`
	ExpiresAt     time.Time `db:"expires_at"`
}

// Visit is a privacy-friendly page view: no cookie, no IP — a hash salted with
// a key that rotates daily stands in for the visitor.
type Visit struct {
	ProcessID   int64     `json:"process_id"`
	ComponentID int64     `json:"component_id,omitempty"`
	VisitorHash string    `json:"visitor_hash"`
	Path        string    `json:"path"`
	Referrer    string    `json:"referrer,omitempty"` // host only
	UTMSource   string    `json:"utm_source,omitempty"`
	UTMMedium   string    `json:"utm_medium,omitempty"`
	UTMCampaign string    `json:"utm_campaign,omitempty"`
	Device      string    `json:"device"` // mobile, tablet, desktop, bot
	OccurredAt  time.Time `json:"occurred_at"`
}

// EventType names an outbox event.
type EventType string

const (
	EvProposalCreated    EventType = "proposal.created"
	EvCommentCreated     EventType = "comment.created"
	EvCommentVoted       EventType = "comment.voted" // payload: vote, previous vote
	EvSupportAdded       EventType = "support.added"
	EvSupportRemoved     EventType = "support.removed"
	EvSurveyAnswered     EventType = "survey.answered"  // one page of answers
	EvSurveyCompleted    EventType = "survey.completed" // the last page
	EvParticipantJoined  EventType = "participant.joined"
	EvRegistration       EventType = "registration" // a registered participant verified
	EvConsentGiven       EventType = "consent.given"
	EvConsentWithdrawn   EventType = "consent.withdrawn"
	EvVisit              EventType = "visit"
	EvProcessChanged     EventType = "process.changed" // dimensions: process, phases, components, regions
	EvDocumentPublished  EventType = "document.published"
	EvSurveyChanged      EventType = "survey.changed"
	EvContributionHidden EventType = "contribution.hidden"
	EvProcessState       EventType = "process.state" // payload: from, to, reason
	// EvProposalDecided is a proposal's assessment state changing
	// (submitted → under assessment → selected / not selected / needs more
	// study → in implementation → implemented); payload: from, to, reason.
	EvProposalDecided EventType = "proposal.decided"
)

// Cursor returns the event's position in the outbox.
func (e Event) Cursor() Cursor { return Cursor{Tx: e.Tx, Seq: e.Seq} }

// Event is one outbox row. It carries no personal field: the participant is
// an internal id that the ingester turns into a keyed pseudonym, and the
// payload holds only what analytics needs (texts of contributions, answers,
// votes — never names, emails, phones or IPs).
type Event struct {
	Seq           int64           `db:"seq" json:"seq"`
	Tx            int64           `db:"tx" json:"tx"` // writing transaction's xid on Postgres, 0 on SQLite
	Type          EventType       `db:"type" json:"type"`
	ProcessID     int64           `db:"process_id" json:"process_id"`
	ComponentID   int64           `db:"component_id" json:"component_id"`
	EntityID      int64           `db:"entity_id" json:"entity_id"`
	ParticipantID int64           `db:"participant_id" json:"participant_id"`
	RegionCode    string          `db:"region_code" json:"region_code"`
	OccurredAt    time.Time       `db:"occurred_at" json:"occurred_at"`
	Payload       json.RawMessage `db:"payload" json:"payload"`
}
