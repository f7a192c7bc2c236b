package participation

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Bulk intake: comments the institution received outside the platform —
// emails, letters, other portals — loaded from a file so that they are
// analysed with everything else (sqlstore/intake.go writes them).
//
// An imported comment is the institution's intake, not a citizen account.
// Its author gets a pseudonymous participant of kind ParticipantIntake: one
// per organisation and process (its letters count as one participant's, as
// an agency counting submitters would), and one per row when no
// organisation is named, since each unsigned letter is a different sender
// as far as anyone can tell. Collapsing them all into one "intake"
// participant would make every engagement figure count a million letters as
// one person.

// ParticipantIntake is the participant behind imported comments.
const ParticipantIntake ParticipantKind = "intake"

const (
	ExternalIDMax   = 200
	ChannelMax      = 32
	OrganisationMax = 300
)

// IntakeComment is one row of an intake file.
type IntakeComment struct {
	Line         int // where the row starts in the file (1 is the header)
	ExternalID   string
	Body         string
	ReceivedAt   time.Time
	Channel      string // email, paper, portal, … (lower case)
	Region       string // a region code or name of the process's region set
	Organisation string
	Section      int // position of the section in the current version; 0 is the first
}

// IntakeProblem is a row that was not loaded, with why.
type IntakeProblem struct {
	Line  int
	Field string
	Key   string // catalogue id, like Error.Key
	Msg   string
}

func (p IntakeProblem) Error() string {
	if p.Field == "" {
		return fmt.Sprintf("line %d: %s", p.Line, p.Msg)
	}
	return fmt.Sprintf("line %d: %s: %s", p.Line, p.Field, p.Msg)
}

// IntakeOptions say where an import goes and how.
type IntakeOptions struct {
	ProcessID, ComponentID int64
	// Strict loads nothing when any row is broken.
	Strict bool
	// Chunk is how many rows share one transaction when not Strict
	// (default 50,000).
	Chunk int
	// Progress, when set, is called after each chunk.
	Progress func(IntakeResult)
}

// MaxIntakeProblems is how many problems an IntakeResult keeps; the rest
// are only counted.
const MaxIntakeProblems = 1000

// IntakeResult counts what an import did.
type IntakeResult struct {
	Rows         int // rows read, broken ones included
	Imported     int // comments written
	Duplicates   int // rows whose external id the component already holds
	Participants int // participants created
	Broken       int
	Problems     []IntakeProblem // the first MaxIntakeProblems broken rows
}

// AddProblem records a broken row.
func (r *IntakeResult) AddProblem(p IntakeProblem) {
	r.Broken++
	if len(r.Problems) < MaxIntakeProblems {
		r.Problems = append(r.Problems, p)
	}
}

var channelRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Normalize trims c's fields and checks what can be checked without the
// store; nil means the row may be written.
func (c *IntakeComment) Normalize() *IntakeProblem {
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	c.Body = strings.TrimSpace(c.Body)
	c.Channel = strings.ToLower(strings.TrimSpace(c.Channel))
	c.Region = strings.TrimSpace(c.Region)
	c.Organisation = strings.Join(strings.Fields(c.Organisation), " ")
	bad := func(field, key, format string, args ...any) *IntakeProblem {
		return &IntakeProblem{Line: c.Line, Field: field, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case c.ExternalID == "":
		return bad("external_id", "err.required", "is required")
	case utf8.RuneCountInString(c.ExternalID) > ExternalIDMax:
		return bad("external_id", "err.too_long", "must be at most %d characters", ExternalIDMax)
	case !utf8.ValidString(c.Body) || !utf8.ValidString(c.Organisation):
		return bad("text", "err.intake_encoding", "is not UTF-8")
	case c.Channel != "" && (len(c.Channel) > ChannelMax || !channelRE.MatchString(c.Channel)):
		return bad("channel", "err.intake_channel", "must be one word (email, paper, portal, …) of at most %d characters", ChannelMax)
	case utf8.RuneCountInString(c.Organisation) > OrganisationMax:
		return bad("organisation", "err.too_long", "must be at most %d characters", OrganisationMax)
	case c.ReceivedAt.IsZero():
		return bad("received_at", "err.required", "is required")
	case c.Section < 0:
		return bad("section", "err.bad_choice", "must be a section number")
	}
	if v := ValidateComment(Comment{TargetKind: TargetSection, Kind: CommentPlain, Body: c.Body}); len(v) > 0 {
		return bad("text", v[0].Key, "%s", v[0].Msg)
	}
	c.ReceivedAt = c.ReceivedAt.UTC().Truncate(time.Microsecond)
	return nil
}

// AuthorKey is what identifies the participant behind c within a process:
// its organisation, case and spacing aside, or the row itself.
func (c IntakeComment) AuthorKey() string {
	if c.Organisation == "" {
		return ""
	}
	return "org:" + strings.ToLower(c.Organisation)
}

// Intake loads an intake file's rows into the store. next yields the rows
// in file order, a broken one as a *IntakeProblem, and io.EOF at the end;
// the workspace's upload and `civicpulse import comments` share it.
type Intake interface {
	ImportComments(ctx context.Context, opt IntakeOptions, next func() (IntakeComment, error)) (IntakeResult, error)
}
