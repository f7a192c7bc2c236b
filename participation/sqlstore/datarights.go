package sqlstore

import (
	"context"
	"fmt"

	"github.com/civicpulse/civicpulse/participation"
)

// dataRightsStatements are the statements of sql/datarights.sql.
var dataRightsStatements = []string{
	"my-profiles", "my-consents", "my-follows", "my-comment-votes", "participants-by-email",
	"erase-follows", "blank-my-proposals", "erase-my-proposal-images", "blank-my-comments",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "datarights.sql")
	statementNames = append(statementNames, dataRightsStatements...)
}

var _ participation.DataRights = (*Store)(nil)

// erased is the payload of participant.erased: what was done, never who.
type erased struct {
	Contributions string `json:"contributions"` // "kept" or "removed"
	Proposals     int    `json:"proposals"`
	Comments      int    `json:"comments"`
	Supports      int    `json:"supports"`
}

// MyData returns everything the store holds about the participant, read in
// one transaction so that a download racing an erasure sees one or the
// other, never half of each.
func (s *Store) MyData(ctx context.Context, participantID int64) (participation.MyData, error) {
	d := participation.MyData{Profiles: []participation.Profile{}, Consents: []participation.Consent{},
		Agreements: []participation.PrivacyNotice{}, Follows: []int64{}, Votes: []participation.MyVote{}}
	err := s.write(ctx, func(w *Store) error {
		if err := w.get(ctx, &d.Participant, "get-participant", participantID); err != nil {
			if noRows(err) {
				return notFound("participant_id", "participant")
			}
			return fmt.Errorf("store: unable to get participant: %w", err)
		}
		d.Participant.Token, d.Participant.CreatedAt = "", d.Participant.CreatedAt.UTC()
		sub, err := w.MySubmissions(ctx, participantID)
		if err != nil {
			return err
		}
		d.Proposals, d.Comments, d.Responses, d.Supports = sub.Proposals, sub.Comments, sub.Responses, sub.Supports
		for _, q := range []struct {
			name string
			dest any
		}{{"my-profiles", &d.Profiles}, {"my-consents", &d.Consents}, {"my-follows", &d.Follows}, {"my-comment-votes", &d.Votes}} {
			if err := w.sel(ctx, q.dest, q.name, participantID); err != nil {
				return fmt.Errorf("store: unable to read %s: %w", q.name, err)
			}
		}
		if d.Inquiries, err = w.MyInquiries(ctx, participantID); err != nil {
			return err
		}
		if d.Agreements, err = w.agreementsOf(ctx, d.Consents); err != nil {
			return err
		}
		d.ExportedAt = w.now(ctx)
		return nil
	})
	return d, err
}

// agreementsOf returns the agreement versions the consents name, once
// each, in the consents' order.
func (w *Store) agreementsOf(ctx context.Context, consents []participation.Consent) ([]participation.PrivacyNotice, error) {
	out := []participation.PrivacyNotice{}
	versions := map[int64][]participation.PrivacyNotice{}
	seen := map[[2]int64]bool{}
	for _, c := range consents {
		key := [2]int64{c.ProcessID, int64(c.NoticeVersion)}
		if seen[key] {
			continue
		}
		seen[key] = true
		ns, ok := versions[c.ProcessID]
		if !ok {
			var err error
			if ns, err = w.DataAgreements(ctx, c.ProcessID); err != nil {
				return nil, err
			}
			versions[c.ProcessID] = ns
		}
		for _, n := range ns {
			if n.Version == c.NoticeVersion {
				out = append(out, n)
			}
		}
	}
	return out, nil
}

// Erase erases the participant (see participation.DataRights). Removed
// contributions go through the moderation path (SetProposalStatus,
// SetCommentStatus): the same counts change and the same events reach the
// warehouse as when a moderator hides them.
func (s *Store) Erase(ctx context.Context, participantID int64, remove bool) (participation.Erasure, error) {
	e := participation.Erasure{ParticipantID: participantID, Removed: remove}
	err := s.write(ctx, func(w *Store) error {
		e = participation.Erasure{ParticipantID: participantID, Removed: remove}
		n, err := w.exec(ctx, "erase-participant", hashSecret("participant", randomToken()), string(participation.ParticipantAnonymous), participantID)
		if err != nil {
			return fmt.Errorf("store: unable to erase participant: %w", err)
		}
		if n == 0 {
			return notFound("participant_id", "participant")
		}
		payload := erased{Contributions: "kept"}
		if remove {
			payload.Contributions = "removed"
			// Before the profiles go: the events carry the region they gave.
			if err := w.removeContributions(ctx, participantID, &e); err != nil {
				return err
			}
			payload.Proposals, payload.Comments, payload.Supports = e.Proposals, e.Comments, e.Supports
		}
		if e.Profiles, err = w.exec(ctx, "erase-profiles", participantID); err != nil {
			return fmt.Errorf("store: unable to erase profiles: %w", err)
		}
		for _, stmt := range []string{"erase-verifications", "erase-follows", "erase-inquiry-emails"} {
			if _, err := w.exec(ctx, stmt, participantID); err != nil {
				return fmt.Errorf("store: unable to erase participant (%s): %w", stmt, err)
			}
		}
		return w.emit(ctx, event{typ: participation.EvParticipantErased, entityID: participantID, participantID: participantID, payload: payload})
	})
	return e, err
}

// removeContributions hides the participant's proposals and comments, blanks
// their text and pictures, and revokes their supports.
func (w *Store) removeContributions(ctx context.Context, participantID int64, e *participation.Erasure) error {
	sub, err := w.MySubmissions(ctx, participantID)
	if err != nil {
		return err
	}
	for _, p := range sub.Proposals {
		if p.Status == participation.StatusHidden {
			continue
		}
		if err := w.SetProposalStatus(ctx, p.ID, participation.StatusHidden); err != nil {
			return err
		}
		e.Proposals++
	}
	for _, c := range sub.Comments {
		if c.Status == participation.StatusHidden {
			continue
		}
		if err := w.SetCommentStatus(ctx, c.ID, participation.StatusHidden); err != nil {
			return err
		}
		e.Comments++
	}
	for _, stmt := range []string{"blank-my-proposals", "erase-my-proposal-images", "blank-my-comments", "blank-my-inquiries"} {
		if _, err := w.exec(ctx, stmt, participantID); err != nil {
			return fmt.Errorf("store: unable to remove contributions (%s): %w", stmt, err)
		}
	}
	for _, pid := range sub.Supports {
		var p participation.Proposal
		if err := w.get(ctx, &p, "get-proposal", pid); err != nil {
			return fmt.Errorf("store: unable to find a supported proposal: %w", err)
		}
		if _, err := w.exec(ctx, "delete-support", pid, participantID); err != nil {
			return fmt.Errorf("store: unable to revoke support: %w", err)
		}
		if _, err := w.exec(ctx, "add-support-count", -1, pid); err != nil {
			return fmt.Errorf("store: unable to count support: %w", err)
		}
		region, err := w.participantRegion(ctx, participantID, p.ProcessID)
		if err != nil {
			return err
		}
		if err := w.emit(ctx, event{typ: participation.EvSupportRemoved, processID: p.ProcessID, componentID: p.ComponentID,
			entityID: pid, participantID: participantID, region: region}); err != nil {
			return err
		}
		e.Supports++
	}
	return nil
}

// ParticipantsByEmail finds participants by the email they registered with.
func (s *Store) ParticipantsByEmail(ctx context.Context, email string) ([]int64, error) {
	norm, ok := participation.NormalizeEmail(email)
	if !ok {
		return nil, participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "email", "err.email", "is not an email address")}
	}
	ids := []int64{}
	if err := s.sel(ctx, &ids, "participants-by-email", norm); err != nil {
		return nil, fmt.Errorf("store: unable to find participants by email: %w", err)
	}
	return ids, nil
}
