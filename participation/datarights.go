package participation

import (
	"context"
	"time"
)

// EvParticipantErased records that a participant asked to be erased. It
// carries no personal field: the warehouse only ever held the participant's
// pseudonym. When the contributions are removed, the store also emits a
// contribution.hidden per proposal and comment and a support.removed per
// support, so the warehouse takes them out of the counts by the path it
// already follows for moderation.
const EvParticipantErased EventType = "participant.erased" // {"contributions":"kept"|"removed", counts}

// DataRights is what a participant (or staff on their request) may ask of
// the store about their own data: a copy of it, and its erasure.
type DataRights interface {
	// MyData returns everything the store holds about the participant.
	// CodeNotFound when there is no such participant.
	MyData(ctx context.Context, participantID int64) (MyData, error)
	// Erase deletes the participant's personal data (profiles, pending
	// verifications, follows) and rotates their token, which signs
	// every cookie and bearer token of theirs out. With remove, their
	// proposals and comments are hidden and their text blanked, and their
	// supports revoked; without, the contributions stay, attached to a
	// participant with nothing personal left. Consent records stay (they
	// prove what was agreed, and hold nothing personal). Erasing again is
	// allowed and changes nothing more (remove then hides what is still
	// visible). CodeNotFound when there is no such participant.
	Erase(ctx context.Context, participantID int64, remove bool) (Erasure, error)
	// ParticipantsByEmail returns the participants whose profile, in any
	// process, has this email (normalised as registration stores it).
	ParticipantsByEmail(ctx context.Context, email string) ([]int64, error)
}

// MyData is the "download my data" document. Its JSON shape is documented in
// web/openapi.json (MyData).
type MyData struct {
	Participant Participant `json:"participant"`
	Profiles    []Profile   `json:"profiles"`
	Consents    []Consent   `json:"consents"`
	// Agreements are the data agreement versions the consents name.
	Agreements []PrivacyNotice `json:"agreements"`
	Proposals  []Proposal      `json:"proposals"`
	Comments   []Comment       `json:"comments"`
	Responses  []Response      `json:"responses"`
	Supports   []int64         `json:"supports"` // proposal ids
	Follows    []int64         `json:"follows"`  // proposal ids
	Votes      []MyVote        `json:"votes"`
	Inquiries  []Inquiry       `json:"inquiries"` // with the contact address they gave
	ExportedAt time.Time       `json:"exported_at"`
}

// MyVote is one of the participant's votes on a section comment.
type MyVote struct {
	CommentID int64     `db:"comment_id" json:"comment_id"`
	Vote      Vote      `db:"vote" json:"vote"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
	UpdatedAt time.Time `db:"updated_at" json:"updated_at"`
}

// Erasure says what an erasure did.
type Erasure struct {
	ParticipantID int64 `json:"participant_id"`
	Removed       bool  `json:"contributions_removed"`
	Profiles      int64 `json:"profiles"`  // deleted
	Proposals     int   `json:"proposals"` // hidden and blanked (remove only)
	Comments      int   `json:"comments"`  // hidden and blanked (remove only)
	Supports      int   `json:"supports"`  // revoked (remove only)
}
