package participation

import (
	"context"
	"time"
)

// Store is the participation store. The implementation in sqlstore runs on
// Postgres (production) and SQLite (embedded default) with the same
// behaviour, which one test suite checks against both.
//
// Rules live behind this interface, inside the write's transaction: a write
// to a component checks that its process is published and that a phase open
// at Now() lists the component; registered-only processes refuse anonymous
// participants; uniqueness (one support, one vote, one response per
// participant) is enforced by constraints. Every write that changes what
// citizens contributed appends its outbox Event in the same transaction
// (invariant 1). Errors are *Error or ValidationErrors with a Code; anything
// else is an internal failure.
type Store interface {
	// Setup is what officials use to set up and run a process.
	Setup
	// CampaignLinks are the short links of the outreach kit.
	CampaignLinks
	// WidgetOrigins may frame the process's widget.
	WidgetOrigins

	// Region sets.
	CreateRegionSet(ctx context.Context, rs RegionSet) (int64, error)
	GetRegionSet(ctx context.Context, id int64) (RegionSet, error)

	// Processes. CreateProcess stores the strategy fields of p (not its
	// phases, components or notice). Drafts are invisible to citizens:
	// citizen-facing reads pass onlyPublished=true and get CodeNotFound.
	CreateProcess(ctx context.Context, p Process) (int64, error)
	UpdateProcess(ctx context.Context, p Process) error
	SetPublished(ctx context.Context, processID int64, published bool) error
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (Process, error)
	GetProcessBySlug(ctx context.Context, slug string, onlyPublished bool) (Process, error)
	ListProcesses(ctx context.Context, onlyPublished bool) ([]Process, error)
	// PublishPrivacyNotice adds the next version of the notice.
	PublishPrivacyNotice(ctx context.Context, processID int64, text string) (PrivacyNotice, error)
	AddPhase(ctx context.Context, ph Phase) (int64, error)
	AddComponent(ctx context.Context, c Component) (int64, error)
	GetComponent(ctx context.Context, id int64) (Component, error)

	// Proposals.
	CreateProposal(ctx context.Context, p Proposal) (int64, error) // with p.Images (already processed)
	GetProposal(ctx context.Context, id int64) (Proposal, error)   // hidden ones are CodeNotFound
	ListProposals(ctx context.Context, f ProposalFilter) ([]Proposal, int, error)
	GetImage(ctx context.Context, proposalID int64, position int) (Image, error)
	// Support adds (on=true) or revokes (on=false) the participant's support;
	// a second support is CodeDuplicate, revoking none is CodeNotFound.
	Support(ctx context.Context, proposalID, participantID int64, on bool) error
	HasSupported(ctx context.Context, proposalID, participantID int64) (bool, error)
	// SetProposalStatus hides, withdraws or republishes a proposal
	// (moderation hides without deleting; hidden ones read as CodeNotFound).
	SetProposalStatus(ctx context.Context, proposalID int64, s Status) error
	Follow(ctx context.Context, proposalID, participantID int64, on bool) error
	IsFollowing(ctx context.Context, proposalID, participantID int64) (bool, error)

	// Comments on proposals and document sections. A reply's parent must be a
	// top-level comment on the same target.
	CreateComment(ctx context.Context, c Comment) (int64, error)
	GetComment(ctx context.Context, id int64) (Comment, error)
	// ListComments returns top-level comments with their Replies, oldest first.
	ListComments(ctx context.Context, target TargetKind, targetID int64) ([]Comment, error)
	// ListSectionComments returns one page of a section's published
	// top-level comments (those of its whole lineage, as ListComments), each
	// with its published replies, and how many top-level comments it has in
	// all: a document page shows a page per section however many there are.
	ListSectionComments(ctx context.Context, sectionID int64, q CommentQuery) ([]Comment, int, error)
	// SectionCommentOffset returns how many top-level comments come before
	// the top-level comment commentID of the section's lineage, newest first
	// (so a link to a comment opens the page that shows it).
	SectionCommentOffset(ctx context.Context, sectionID, commentID int64) (int, error)
	// VoteComment records or changes the participant's vote on a section
	// comment (proposal comments take no votes: CodeInvalid).
	VoteComment(ctx context.Context, commentID, participantID int64, v Vote) error
	MyVotes(ctx context.Context, participantID int64, commentIDs []int64) (map[int64]Vote, error)
	SetCommentStatus(ctx context.Context, commentID int64, s Status) error

	// Document consultation.
	PublishDocument(ctx context.Context, d Document) (version int, err error) // next version with its sections
	GetDocument(ctx context.Context, componentID int64) (Document, error)     // latest version, with comment counts
	GetSection(ctx context.Context, id int64) (Section, error)

	// Surveys.
	SetSurvey(ctx context.Context, s Survey) error // replaces the questions; refused once responses exist
	GetSurvey(ctx context.Context, componentID int64) (Survey, error)
	// SaveSurveyPage validates and stores the answers to one page. Answers to
	// questions of another survey or page, out-of-range values and missing
	// required answers are ValidationErrors. A response whose CompletedAt is
	// set cannot be changed: CodeDuplicate. Saving the last page completes it.
	SaveSurveyPage(ctx context.Context, componentID, participantID int64, page int, answers []Answer) (Response, error)
	GetResponse(ctx context.Context, componentID, participantID int64) (Response, error)

	// Participants.
	CreateParticipant(ctx context.Context, regionCode string) (Participant, error) // anonymous, fresh token
	// RenewToken gives a participant a new secret token, returned once;
	// the old one stops working. The pages call it when a participant
	// proves a contact, so that a session planted before cannot ride on
	// the verified one (session fixation). No such participant:
	// CodeNotFound.
	RenewToken(ctx context.Context, participantID int64) (string, error)
	ParticipantByToken(ctx context.Context, id int64, token string) (Participant, error)
	SetParticipantRegion(ctx context.Context, participantID int64, regionCode string) error
	// Register records consent first, then the profile (only the fields the
	// process asks for; others given are CodeInvalid), and returns the
	// verification secret to send (link token or 6-digit code). An email or
	// phone that cannot be real is refused before anything is stored; both
	// are stored normalised (NormalizeContact, in the process's country),
	// with p.Lang, the language the participant registered in.
	Register(ctx context.Context, processID, participantID int64, c Consent, p Profile) (secret string, err error)
	// Verify checks the secret. Five wrong tries lock it (CodeLocked, with
	// the minutes to wait) for a minute, each further lock twice as long;
	// during a lock even the right secret is refused, and registering again
	// does not lift it.
	Verify(ctx context.Context, processID, participantID int64, secret string) error
	IsRegistered(ctx context.Context, processID, participantID int64) (bool, error) // verified and consent not withdrawn
	WithdrawConsent(ctx context.Context, processID, participantID int64) error
	// EraseParticipant removes personal data (profile) and keeps the
	// contributions and their aggregates.
	EraseParticipant(ctx context.Context, participantID int64) error
	MySubmissions(ctx context.Context, participantID int64) (Submissions, error)
	// Download and erasure (datarights.go).
	DataRights
	// Data agreements, consent records and retention (consent.go).
	Consents

	// Officials' dashboard decisions (decisions.go).
	Decisions

	// Reports and moderators' decisions (moderation.go).
	Moderation
	// Criteria, scores, proposal decisions, section responses and survey
	// takeaways (assessment.go).
	Assessment
	// "What we heard, what we did" (results.go).
	Results
	// Questions to a process's team and its FAQ (inquiries.go).
	Inquiries

	// Visits are appended to the outbox only.
	RecordVisit(ctx context.Context, v Visit) error

	// Outbox, read by the ingester.
	Outbox() Outbox

	// Batch runs fn with a Store whose writes all share one transaction:
	// fn's error (or a panic) rolls every one of them back. The demo
	// generator and importers use it to load millions of rows quickly.
	Batch(ctx context.Context, fn func(tx Store) error) error

	Close() error
}

// Recipients is what messages need from the store: who hears of an event,
// and where. notify reads it; sqlstore implements it.
//
// A recipient has a verified profile in the process, a consent to it not
// withdrawn, and an email or a phone. Anonymous and erased participants
// (no profile) never are.
type Recipients interface {
	// ForEachRecipient calls fn for each recipient of a, once each, in
	// increasing ParticipantID from a.AfterParticipantID on, so that a
	// caller that stopped can resume after the last one it handled. It
	// reads them a page at a time: memory stays flat however many there
	// are. fn's error stops the walk and is returned. An audience whose
	// proposal, comment or component does not exist has no recipients.
	ForEachRecipient(ctx context.Context, a Audience, fn func(Recipient) error) error
	// ParticipantContact returns the participant as a recipient of the
	// process, for a message to one person; CodeNotFound when they are not
	// one (unverified, consent withdrawn, no contact, erased, anonymous).
	ParticipantContact(ctx context.Context, processID, participantID int64) (Recipient, error)
}

// Recipient is one participant a message goes to, with the contact they
// gave the process: email, phone or both (the sender picks the channel).
type Recipient struct {
	ParticipantID int64  `db:"participant_id"`
	ProcessID     int64  `db:"process_id"`
	Email         string `db:"email"`
	Phone         string `db:"phone"` // E.164
	Lang          string `db:"lang"`  // the language they registered in; else the process's first
}

// AudienceKind names who hears of an event.
type AudienceKind string

const (
	// AudienceProposalAuthor is the author of ProposalID (a decision or a
	// moderation outcome on it).
	AudienceProposalAuthor AudienceKind = "proposal_author"
	// AudienceProposalFollowers is the author, the followers and the
	// supporters of ProposalID, each once (a decision on it).
	AudienceProposalFollowers AudienceKind = "proposal_followers"
	// AudienceCommentAuthor is the author of CommentID (a moderation
	// outcome on it).
	AudienceCommentAuthor AudienceKind = "comment_author"
	// AudienceRepliedTo is the author of what CommentID answers: its parent
	// comment for a reply, the proposal for a top-level comment on one
	// (none for a top-level section comment), and never the commenter
	// themselves.
	AudienceRepliedTo AudienceKind = "replied_to"
	// AudienceDocumentCommenters is everyone with a published comment on
	// any version of document ComponentID (a new version of it).
	AudienceDocumentCommenters AudienceKind = "document_commenters"
	// AudienceProcess is every registered participant of ProcessID (a phase
	// opened or closed, results published).
	AudienceProcess AudienceKind = "process"
)

// Audience picks the recipients of one message. Only the id its Kind names
// is read; the process is the one of that proposal, comment or component.
type Audience struct {
	Kind        AudienceKind
	ProcessID   int64
	ProposalID  int64
	CommentID   int64
	ComponentID int64
	// AfterParticipantID resumes a walk after the last recipient handled.
	AfterParticipantID int64
}

// ProposalFilter narrows ListProposals.
type ProposalFilter struct {
	ComponentID int64
	Tag         string
	RegionCode  string
	Query       string // words in title or description
	Order       string // "recent" (default), "supports", "comments"
	Limit       int    // default 20, at most 100
	Offset      int
}

// CommentOrder sorts a page of comments. Ties fall to the newer comment
// (then the higher id), so the order is total and pages never overlap.
type CommentOrder string

const (
	CommentsNewest    CommentOrder = "newest" // newest first (default)
	CommentsMostVoted CommentOrder = "votes"  // most votes (agree + disagree + pass) first
)

// CommentQuery picks a page of comments.
type CommentQuery struct {
	Order  CommentOrder
	Limit  int // default 20, at most 100
	Offset int
}

// Submissions is what a participant contributed, for "my submissions".
type Submissions struct {
	Proposals []Proposal `json:"proposals"`
	Comments  []Comment  `json:"comments"`
	Responses []Response `json:"responses"`
	Supports  []int64    `json:"supports"` // proposal ids
}

// Outbox is the ordered stream of events for the ingester.
//
// Sequence numbers are handed out before commit, so a transaction holding seq
// 100 can commit after one holding 101; a reader that remembered "last seen =
// 101" would skip 100 forever. So readers do not page by Seq alone but by a
// Cursor (writing transaction, Seq):
//
//   - Postgres: each row records its writer's xid8 (pg_current_xact_id()).
//     Read returns only rows whose xid is older than the oldest transaction
//     still in flight that might be this database's, ordered by (xid, seq).
//     Every transaction that can still commit here has an xid at or above
//     that horizon, so no row can later appear before the cursor; one in
//     another database of the server (pg_stat_activity says whose) does
//     not hold it back.
//   - SQLite has one writer at a time, so commit order is sequence order;
//     Tx is always 0 and the cursor is the sequence.
//
// Seq stays unique per event, which makes it the key for exactly-once writes.
type Outbox interface {
	// Read returns up to limit events after the cursor, in cursor order.
	Read(ctx context.Context, after Cursor, limit int) ([]Event, error)
	// Wait blocks until new events may be readable, ctx ends or timeout
	// passes. Postgres wakes on LISTEN/NOTIFY; SQLite polls.
	Wait(ctx context.Context, timeout time.Duration) error
	// Count returns how many events the outbox holds (for lag and tests).
	Count(ctx context.Context) (int64, error)
}

// Cursor is a position in the outbox: the writing transaction's id (0 on
// SQLite) and the event's sequence.
type Cursor struct {
	Tx  int64 `json:"tx"`
	Seq int64 `json:"seq"`
}

// Less orders cursors the way Read does.
func (c Cursor) Less(o Cursor) bool {
	if c.Tx != o.Tx {
		return c.Tx < o.Tx
	}
	return c.Seq < o.Seq
}

// Clock lets tests fix Now for phase checks.
type Clock func() time.Time

type asOfKey struct{}

// AsOf returns a context under which the store treats t as the current time:
// phase checks, created_at and the event's occurred_at all use t. Only
// trusted callers (the demo generator, importers, tests) set it; the web
// layer never does.
func AsOf(ctx context.Context, t time.Time) context.Context {
	return context.WithValue(ctx, asOfKey{}, t.UTC())
}

// Now returns the time a write should use: AsOf's time if ctx carries one,
// else clock() (or time.Now when clock is nil), in UTC.
func Now(ctx context.Context, clock Clock) time.Time {
	if t, ok := ctx.Value(asOfKey{}).(time.Time); ok {
		return t
	}
	if clock != nil {
		return clock().UTC()
	}
	return time.Now().UTC()
}
