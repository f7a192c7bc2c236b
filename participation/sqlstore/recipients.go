package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

var _ participation.Recipients = (*Store)(nil)

// audienceStatements are the statements of sql/recipients.sql that name
// an audience's candidates; each ends in recipients-reachable, joined on
// at load time, which says who of them a message may go to.
var audienceStatements = []string{
	"participant-contact",
	"recipients-comment-author",
	"recipients-document-commenters",
	"recipients-process",
	"recipients-proposal-author",
	"recipients-proposal-followers",
	"recipients-replied-to",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "recipients.sql")
	statementNames = append(statementNames, "process-languages", "recipients-reachable")
	statementNames = append(statementNames, audienceStatements...)
	for _, name := range audienceStatements {
		statementTails[name] = "recipients-reachable"
	}
}

// defaultRecipientPage is how many candidates one query reads: large enough
// that a results announcement to 200,000 takes a few hundred round trips,
// small enough that a page is a few hundred kilobytes.
const defaultRecipientPage = 1000

type recipientRow struct {
	participation.Recipient
	Reachable int `db:"reachable"`
}

// ForEachRecipient walks a's recipients a page at a time (see
// recipients.sql). Each page is read whole before fn sees its first
// recipient, so fn may use the store (or the same SQLite connection)
// without waiting on an open cursor.
func (s *Store) ForEachRecipient(ctx context.Context, a participation.Audience, fn func(participation.Recipient) error) error {
	page := s.recipientPage
	if page <= 0 {
		page = defaultRecipientPage
	}
	args, err := audienceArgs(a)
	if err != nil {
		return err
	}
	langs := map[int64]string{} // process → its first language
	after := a.AfterParticipantID
	for {
		var rows []recipientRow
		if err := s.sel(ctx, &rows, args.stmt, args.bind(after, page)...); err != nil {
			return fmt.Errorf("store: unable to read recipients (%s): %w", a.Kind, err)
		}
		for _, r := range rows {
			after = r.ParticipantID
			if r.Reachable == 0 {
				continue
			}
			rec, err := s.withLang(ctx, r.Recipient, langs)
			if err != nil {
				return err
			}
			if err := fn(rec); err != nil {
				return err
			}
		}
		if len(rows) < page {
			return nil
		}
	}
}

// ParticipantContact returns one participant as a recipient of the process.
func (s *Store) ParticipantContact(ctx context.Context, processID, participantID int64) (participation.Recipient, error) {
	var r recipientRow
	err := s.get(ctx, &r, "participant-contact", processID, participantID)
	if noRows(err) || (err == nil && r.Reachable == 0) {
		return participation.Recipient{}, notFound("participant_id", "recipient")
	}
	if err != nil {
		return participation.Recipient{}, fmt.Errorf("store: unable to read a participant's contact: %w", err)
	}
	return s.withLang(ctx, r.Recipient, map[int64]string{})
}

// withLang fills a profile without a language (one from before languages
// were kept) with its process's first.
func (s *Store) withLang(ctx context.Context, r participation.Recipient, langs map[int64]string) (participation.Recipient, error) {
	if r.Lang != "" {
		return r, nil
	}
	lang, seen := langs[r.ProcessID]
	if !seen {
		var text string
		if err := s.get(ctx, &text, "process-languages", r.ProcessID); err != nil && !noRows(err) {
			return r, fmt.Errorf("store: unable to read a process's languages: %w", err)
		}
		var all []string
		if text != "" {
			if err := jsonInto(text, &all); err != nil {
				return r, err
			}
		}
		lang = participation.ProfileLang("", all)
		langs[r.ProcessID] = lang
	}
	r.Lang = lang
	return r, nil
}

// audienceQuery is an audience's statement and how it binds a page.
type audienceQuery struct {
	stmt string
	bind func(after int64, page int) []any
}

func audienceArgs(a participation.Audience) (audienceQuery, error) {
	need := func(field string, id int64) error {
		if id <= 0 {
			return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, field, "err.required",
				"audience %s needs %s", string(a.Kind), field)}
		}
		return nil
	}
	one := func(stmt, field string, id int64) (audienceQuery, error) {
		return audienceQuery{stmt, func(after int64, page int) []any { return []any{id, after, page} }}, need(field, id)
	}
	switch a.Kind {
	case participation.AudienceProcess:
		return one("recipients-process", "process_id", a.ProcessID)
	case participation.AudienceProposalAuthor:
		return one("recipients-proposal-author", "proposal_id", a.ProposalID)
	case participation.AudienceCommentAuthor:
		return one("recipients-comment-author", "comment_id", a.CommentID)
	case participation.AudienceProposalFollowers:
		id := a.ProposalID
		return audienceQuery{"recipients-proposal-followers", func(after int64, page int) []any {
			return []any{id, after, id, after, page, id, after, page, page}
		}}, need("proposal_id", id)
	case participation.AudienceRepliedTo:
		return one("recipients-replied-to", "comment_id", a.CommentID)
	case participation.AudienceDocumentCommenters:
		id := a.ComponentID
		return audienceQuery{"recipients-document-commenters", func(after int64, page int) []any {
			return []any{id, after, page, id}
		}}, need("component_id", id)
	}
	return audienceQuery{}, participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "kind", "err.bad_choice",
		"unknown audience %q", string(a.Kind))}
}
