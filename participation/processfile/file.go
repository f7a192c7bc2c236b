// Package processfile is a process's whole set-up as one JSON document: the
// strategy, languages and translations, region set, components with their
// settings, document sections, survey questions and phases. Export writes it
// from the store, Decode reads it strictly (every problem listed with its
// JSON path) and Apply creates or updates the process it names by slug,
// writing nothing when the process already matches.
//
// It is how a technical team rolls one consultation out to many counties and
// how a process moves between installations. Database ids never appear in a
// file: phases name the components they open by a key local to the file, and
// translations sit on the text they translate.
package processfile

import (
	"encoding/json"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// Version is the format version Export writes and Decode reads.
const Version = 1

// MaxFileBytes bounds a process file (region shapes make up most of it).
const MaxFileBytes = 16 << 20

// File is one process file.
type File struct {
	// Schema lets editors find the JSON Schema; Decode ignores it.
	Schema     string      `json:"$schema,omitempty"`
	Version    int         `json:"version"`
	Process    Process     `json:"process"`
	RegionSet  *RegionSet  `json:"region_set,omitempty"`
	Components []Component `json:"components"`
	Phases     []Phase     `json:"phases"`
}

// Texts holds translations: language → field → text, for the languages of
// the process after the first (whose texts are the base fields).
type Texts map[string]map[string]string

// Process is the participation strategy (participation.Process without its
// ids, state and timestamps) and the privacy notice.
type Process struct {
	Slug               string                                 `json:"slug"`
	Title              string                                 `json:"title"`
	Summary            string                                 `json:"summary,omitempty"`
	Objective          string                                 `json:"objective,omitempty"`
	Level              participation.Level                    `json:"level"`
	Sector             string                                 `json:"sector,omitempty"`
	Scope              participation.Scope                    `json:"scope"`
	BudgetMinor        int64                                  `json:"budget_minor,omitempty"`
	Currency           string                                 `json:"currency,omitempty"`
	StartsAt           time.Time                              `json:"starts_at"`
	EndsAt             time.Time                              `json:"ends_at"`
	Officials          []string                               `json:"responsible_officials,omitempty"`
	ExpectedOutcome    string                                 `json:"expected_outcome,omitempty"`
	FeedbackMethod     string                                 `json:"feedback_method,omitempty"`
	Languages          []string                               `json:"languages"`
	TimeZone           string                                 `json:"time_zone,omitempty"`
	Mode               participation.Mode                     `json:"mode"`
	PersonalFields     []participation.PersonalField          `json:"personal_fields,omitempty"`
	FieldReasons       map[participation.PersonalField]string `json:"field_reasons,omitempty"`
	FaceToFace         []string                               `json:"face_to_face,omitempty"`
	TargetParticipants int                                    `json:"target_participants,omitempty"`
	IsTemplate         bool                                   `json:"is_template,omitempty"`
	PrivacyNotice      string                                 `json:"privacy_notice,omitempty"`
	// DataAgreement is the latest notice's terms (participation.Consents);
	// with the notice text they make its next version when either differs.
	DataAgreement *participation.AgreementTerms `json:"data_agreement,omitempty"`
	Translations  Texts                         `json:"translations,omitempty"`
}

// RegionSet is the process's region set with its shapes. Apply reuses a set
// of the installation with exactly this content, or creates one.
type RegionSet struct {
	Name    string                 `json:"name"`
	Source  string                 `json:"source,omitempty"`
	Regions []participation.Region `json:"regions"`
	GeoJSON json.RawMessage        `json:"geojson,omitempty"`
}

// Component is a participation tool; only the block of its kind is set.
type Component struct {
	Key          string                          `json:"key"`
	Kind         participation.ComponentKind     `json:"kind"`
	Title        string                          `json:"title"`
	Description  string                          `json:"description,omitempty"`
	Translations Texts                           `json:"translations,omitempty"`
	Proposals    *participation.ProposalSettings `json:"proposals,omitempty"`
	Document     *Document                       `json:"document,omitempty"`
	Survey       *Survey                         `json:"survey,omitempty"`
}

// Document is the latest version of a document component's text.
type Document struct {
	Title    string    `json:"title"`
	Sections []Section `json:"sections"`
}

// Section is one ordered part of a document.
type Section struct {
	Heading      string `json:"heading,omitempty"`
	Body         string `json:"body"`
	Translations Texts  `json:"translations,omitempty"`
}

// Survey is a survey component's questions, in page order.
type Survey struct {
	Pages     int        `json:"pages,omitempty"`
	Questions []Question `json:"questions"`
}

// Question is one survey question. ShowIf.QuestionPosition is the 1-based
// position of an earlier question in Survey.Questions.
type Question struct {
	Page         int                        `json:"page,omitempty"`
	Type         participation.QuestionType `json:"type"`
	Prompt       string                     `json:"prompt"`
	Help         string                     `json:"help,omitempty"`
	Required     bool                       `json:"required,omitempty"`
	Options      []string                   `json:"options,omitempty"`
	MaxChoices   int                        `json:"max_choices,omitempty"`
	Min          *float64                   `json:"min,omitempty"`
	Max          *float64                   `json:"max,omitempty"`
	ShowIf       *participation.Condition   `json:"show_if,omitempty"`
	Translations Texts                      `json:"translations,omitempty"`
}

// Phase is a dated stage; Opens lists the keys of the components open in it.
type Phase struct {
	Name         string    `json:"name"`
	Description  string    `json:"description,omitempty"`
	StartsAt     time.Time `json:"starts_at"`
	EndsAt       time.Time `json:"ends_at"`
	Opens        []string  `json:"opens,omitempty"`
	Translations Texts     `json:"translations,omitempty"`
}
