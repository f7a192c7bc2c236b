package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// consentStatements are the statements of sql/consent.sql.
var consentStatements = []string{
	"list-data-agreements", "consent-active-for-version", "latest-consent", "erase-process-profile",
	"erase-process-verifications", "retention-candidates", "retention-purged", "purge-process-profiles",
	"purge-process-verifications", "insert-retention-purge", "unaudited-purges", "mark-purge-audited",
}

func init() {
	sharedQueryFiles = append(sharedQueryFiles, "consent.sql")
	statementNames = append(statementNames, consentStatements...)
}

var _ participation.Consents = (*Store)(nil)

// noticeRow is a privacy_notices row: the fields' snapshot is JSON.
type noticeRow struct {
	participation.PrivacyNotice
	PersonalData string `db:"personal_data"`
}

func (r noticeRow) notice() (participation.PrivacyNotice, error) {
	n := r.PrivacyNotice
	n.PublishedAt = n.PublishedAt.UTC()
	n.Fields = []participation.AgreementField{}
	if err := jsonInto(r.PersonalData, &n.Fields); err != nil {
		return n, err
	}
	return n, nil
}

// latestNotice returns the process's current agreement, nil when none.
func (s *Store) latestNotice(ctx context.Context, processID int64) (*participation.PrivacyNotice, error) {
	var rows []noticeRow
	if err := s.sel(ctx, &rows, "latest-privacy-notice", processID); err != nil {
		return nil, fmt.Errorf("store: unable to get privacy notice: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	n, err := rows[0].notice()
	return &n, err
}

// PublishDataAgreement adds the next version of the process's data
// agreement (participation.Consents).
func (s *Store) PublishDataAgreement(ctx context.Context, processID int64, n participation.PrivacyNotice) (participation.PrivacyNotice, error) {
	n.Text, n.Purpose, n.PolicyURL, n.Access = strings.TrimSpace(n.Text), strings.TrimSpace(n.Purpose), strings.TrimSpace(n.PolicyURL), strings.TrimSpace(n.Access)
	v := participation.ValidateAgreementTerms(n.AgreementTerms)
	if n.Text == "" {
		v = append(participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "text", "err.required", "is required")}, v...)
	}
	if len(v) > 0 {
		return n, v
	}
	err := s.write(ctx, func(w *Store) error {
		return w.publishNotice(ctx, processID, &n)
	})
	return n, err
}

// publishNotice numbers and stores n with the fields the process asks now.
func (w *Store) publishNotice(ctx context.Context, processID int64, n *participation.PrivacyNotice) error {
	if _, err := w.editable(ctx, processID); err != nil {
		return err
	}
	p, err := w.GetProcess(ctx, processID, false)
	if err != nil {
		return err
	}
	n.ProcessID, n.Fields = processID, participation.AgreementFields(p)
	if err := w.get(ctx, &n.Version, "next-notice-version", processID); err != nil {
		return fmt.Errorf("store: unable to number privacy notice: %w", err)
	}
	n.PublishedAt = w.now(ctx).UTC().Truncate(time.Microsecond)
	n.Hash = participation.AgreementHash(*n)
	fields, err := json.Marshal(n.Fields)
	if err != nil {
		return fmt.Errorf("store: unable to encode the agreement's fields: %w", err)
	}
	if _, err := w.exec(ctx, "insert-privacy-notice", processID, n.Version, n.Text, n.PublishedAt, n.Purpose,
		string(n.LawfulBasis), n.PolicyURL, n.RetentionDays, n.Access, string(fields), n.Hash); err != nil {
		return fmt.Errorf("store: unable to publish privacy notice: %w", err)
	}
	return w.emit(ctx, event{typ: participation.EvProcessChanged, processID: processID, entityID: processID})
}

// DataAgreements returns every version of the process's agreement.
func (s *Store) DataAgreements(ctx context.Context, processID int64) ([]participation.PrivacyNotice, error) {
	if err := s.processExists(ctx, processID); err != nil {
		return nil, err
	}
	var rows []noticeRow
	if err := s.sel(ctx, &rows, "list-data-agreements", processID); err != nil {
		return nil, fmt.Errorf("store: unable to list data agreements: %w", err)
	}
	out := make([]participation.PrivacyNotice, 0, len(rows))
	for _, r := range rows {
		n, err := r.notice()
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// GiveConsent records consent to the current agreement before any field
// is asked (participation.Consents).
func (s *Store) GiveConsent(ctx context.Context, processID, participantID int64, version int) (participation.Consent, error) {
	var c participation.Consent
	err := s.write(ctx, func(w *Store) error {
		pm, err := w.registrationOpen(ctx, processID)
		if err != nil {
			return err
		}
		if pm.Notice == 0 || version != pm.Notice {
			return participation.Errorf(participation.CodeConsent, "notice_version", "err.consent_notice", "consent must be given to the current privacy notice")
		}
		region, err := w.participantRegion(ctx, participantID, processID)
		if err != nil {
			return err
		}
		if err := w.consentOnce(ctx, processID, participantID, region, participation.Consent{NoticeVersion: version}); err != nil {
			return err
		}
		if err := w.get(ctx, &c, "latest-consent", participantID, processID, version); err != nil {
			return fmt.Errorf("store: unable to read consent: %w", err)
		}
		return nil
	})
	c.GivenAt = c.GivenAt.UTC()
	return c, err
}

// consentOnce records consent to c's version unless it is active already.
func (w *Store) consentOnce(ctx context.Context, processID, participantID int64, region string, c participation.Consent) error {
	var n int
	if err := w.get(ctx, &n, "consent-active-for-version", participantID, processID, c.NoticeVersion); err != nil {
		return fmt.Errorf("store: unable to read consent: %w", err)
	}
	if n > 0 {
		return nil
	}
	return w.consent(ctx, processID, participantID, region, c)
}

// HasConsent reports whether consent to the current version is active.
func (s *Store) HasConsent(ctx context.Context, processID, participantID int64) (bool, error) {
	n, err := s.latestNotice(ctx, processID)
	if err != nil || n == nil {
		return false, err
	}
	var count int
	if err := s.get(ctx, &count, "consent-active-for-version", participantID, processID, n.Version); err != nil {
		return false, fmt.Errorf("store: unable to read consent: %w", err)
	}
	return count > 0, nil
}

// retentionCandidate is a closed process whose latest agreement sets a
// retention period.
type retentionCandidate struct {
	participation.RetentionPurge
	ClosedAt time.Time           `db:"closed_at"`
	State    participation.State `db:"state"`
}

// due reports whether the period has ended by now.
func (c retentionCandidate) due(now time.Time) bool {
	return c.State.ReadOnly() && !now.Before(c.ClosedAt.Add(time.Duration(c.RetentionDays)*24*time.Hour))
}

// RetentionDue lists the processes to purge (participation.Consents).
func (s *Store) RetentionDue(ctx context.Context, now time.Time) ([]participation.RetentionPurge, error) {
	var cs []retentionCandidate
	if err := s.sel(ctx, &cs, "retention-candidates"); err != nil {
		return nil, fmt.Errorf("store: unable to list retention candidates: %w", err)
	}
	out := []participation.RetentionPurge{}
	for _, c := range cs {
		if c.due(now) {
			out = append(out, c.RetentionPurge)
		}
	}
	return out, nil
}

// PurgeRetention deletes a due process's personal data once
// (participation.Consents).
func (s *Store) PurgeRetention(ctx context.Context, processID int64, now time.Time) (participation.RetentionPurge, bool, error) {
	var p participation.RetentionPurge
	done := false
	err := s.write(ctx, func(w *Store) error {
		var cs []retentionCandidate
		if err := w.sel(ctx, &cs, "retention-candidates"); err != nil {
			return fmt.Errorf("store: unable to list retention candidates: %w", err)
		}
		for _, c := range cs {
			if c.ProcessID != processID || !c.due(now) {
				continue
			}
			p = c.RetentionPurge
			var err error
			if p.Profiles, err = w.exec(ctx, "purge-process-profiles", processID); err != nil {
				return fmt.Errorf("store: unable to purge profiles: %w", err)
			}
			if _, err := w.exec(ctx, "purge-process-verifications", processID); err != nil {
				return fmt.Errorf("store: unable to purge verifications: %w", err)
			}
			p.PurgedAt = now.UTC().Truncate(time.Microsecond)
			// The primary key makes a purge racing another on a second
			// server fail and roll back rather than be recorded twice.
			if _, err := w.exec(ctx, "insert-retention-purge", processID, p.AgreementVersion, p.RetentionDays, p.Profiles, p.PurgedAt); err != nil {
				return fmt.Errorf("store: unable to record the retention purge: %w", err)
			}
			done = true
		}
		return nil
	})
	return p, done, err
}

// UnauditedPurges lists purges still to be audited.
func (s *Store) UnauditedPurges(ctx context.Context) ([]participation.RetentionPurge, error) {
	out := []participation.RetentionPurge{}
	if err := s.sel(ctx, &out, "unaudited-purges"); err != nil {
		return nil, fmt.Errorf("store: unable to list retention purges: %w", err)
	}
	for i := range out {
		out[i].PurgedAt = out[i].PurgedAt.UTC()
	}
	return out, nil
}

// MarkPurgeAudited records that the purge's audit entry is written.
func (s *Store) MarkPurgeAudited(ctx context.Context, processID int64, at time.Time) error {
	return s.write(ctx, func(w *Store) error {
		if _, err := w.exec(ctx, "mark-purge-audited", at.UTC(), processID); err != nil {
			return fmt.Errorf("store: unable to mark the retention purge audited: %w", err)
		}
		return nil
	})
}
