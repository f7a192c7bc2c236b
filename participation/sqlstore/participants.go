package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/civicpulse/civicpulse/participation"
)

// VerificationTTL is how long an email link or phone code stays valid.
const VerificationTTL = 24 * time.Hour

// maxVerifyAttempts wrong tries lock a code for firstLock, each further
// lock twice as long as the one before (capped at VerificationTTL): a
// 6-digit code then takes far longer to guess than it lives.
const (
	maxVerifyAttempts = 5
	firstLock         = time.Minute
)

// lockFor is how long the n-th lock of a code lasts.
func lockFor(n int) time.Duration {
	if n < 1 {
		n = 1
	}
	if n > 20 {
		return VerificationTTL
	}
	return min(firstLock<<(n-1), VerificationTTL)
}

// lockedError tells when the code can be tried again, in whole minutes
// (rounded up, so "1 min" never means "now").
func lockedError(wait time.Duration) error {
	minutes := int((wait + time.Minute - 1) / time.Minute)
	return participation.Errorf(participation.CodeLocked, "code", "err.code_locked",
		"too many wrong codes: try again in %d min", max(minutes, 1))
}

type registration struct {
	Fields []string `json:"fields"`
}

type consentChanged struct {
	NoticeVersion int    `json:"notice_version"`
	Purpose       string `json:"purpose"`
}

type visit struct {
	VisitorHash string `json:"visitor_hash"`
	Path        string `json:"path"`
	Referrer    string `json:"referrer"`
	UTMSource   string `json:"utm_source"`
	UTMMedium   string `json:"utm_medium"`
	UTMCampaign string `json:"utm_campaign"`
	Device      string `json:"device"`
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret binds a secret to what it unlocks, so a stored hash is useless
// for another participant or process.
func hashSecret(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:])
}

// checkRegionCode refuses a region code no region set knows: a code is
// shown on staff and public pages and counted in the engagement rates, so
// an invented one ("zz", or a line of text) must not get in.
func (s *Store) checkRegionCode(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	if utf8.RuneCountInString(code) > participation.RegionCodeMax {
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "region_code", "err.too_long", "must be at most %d characters", participation.RegionCodeMax)}
	}
	var n int
	if err := s.get(ctx, &n, "region-code-known", code); err != nil {
		return fmt.Errorf("store: unable to check a region code: %w", err)
	}
	if n == 0 {
		return participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "region_code", "err.unknown_region", "is not a region of any region set")}
	}
	return nil
}

// CreateParticipant creates an anonymous participant. The token is returned
// once, here; the store keeps only its hash.
func (s *Store) CreateParticipant(ctx context.Context, regionCode string) (participation.Participant, error) {
	regionCode = strings.TrimSpace(regionCode)
	if err := s.checkRegionCode(ctx, regionCode); err != nil {
		return participation.Participant{}, err
	}
	p := participation.Participant{Kind: participation.ParticipantAnonymous, Token: randomToken(), RegionCode: regionCode}
	err := s.write(ctx, func(w *Store) error {
		p.CreatedAt = w.now(ctx)
		var err error
		if p.ID, err = w.insertID(ctx, "insert-participant", string(p.Kind), hashSecret("participant", p.Token), regionCode, p.CreatedAt); err != nil {
			return fmt.Errorf("store: unable to create participant: %w", err)
		}
		return w.emit(ctx, event{typ: participation.EvParticipantJoined, entityID: p.ID, participantID: p.ID, region: regionCode})
	})
	return p, err
}

// RenewToken replaces a participant's token with a fresh one.
func (s *Store) RenewToken(ctx context.Context, participantID int64) (string, error) {
	token := randomToken()
	err := s.write(ctx, func(w *Store) error {
		n, err := w.exec(ctx, "renew-participant-token", hashSecret("participant", token), participantID)
		if err != nil {
			return fmt.Errorf("store: unable to renew the participant's token: %w", err)
		}
		if n == 0 {
			return participation.Errorf(participation.CodeNotFound, "participant", "err.not_found", "no such participant")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return token, nil
}

// ParticipantByToken returns the participant whose id and token match; the
// returned Token is empty (the store does not know it).
func (s *Store) ParticipantByToken(ctx context.Context, id int64, token string) (participation.Participant, error) {
	var row struct {
		participation.Participant
		Hash string `db:"token"`
	}
	if err := s.get(ctx, &row, "get-participant", id); err != nil {
		if noRows(err) {
			return participation.Participant{}, notFound("participant_id", "participant")
		}
		return participation.Participant{}, fmt.Errorf("store: unable to get participant: %w", err)
	}
	if subtle.ConstantTimeCompare([]byte(row.Hash), []byte(hashSecret("participant", token))) != 1 {
		return participation.Participant{}, notFound("participant_id", "participant")
	}
	p := row.Participant
	p.Token, p.CreatedAt = "", p.CreatedAt.UTC()
	return p, nil
}

// SetParticipantRegion records the participant's self-declared region.
func (s *Store) SetParticipantRegion(ctx context.Context, participantID int64, regionCode string) error {
	regionCode = strings.TrimSpace(regionCode)
	if err := s.checkRegionCode(ctx, regionCode); err != nil {
		return err
	}
	return s.write(ctx, func(w *Store) error {
		n, err := w.exec(ctx, "set-participant-region", regionCode, participantID)
		if err != nil {
			return fmt.Errorf("store: unable to set region: %w", err)
		}
		if n == 0 {
			return notFound("participant_id", "participant")
		}
		return nil
	})
}

type processMode struct {
	Published          bool                `db:"published"`
	State              participation.State `db:"state"`
	Mode               participation.Mode  `db:"mode"`
	PersonalFieldsJSON string              `db:"personal_fields"`
	LanguagesJSON      string              `db:"languages"`
	TimeZone           string              `db:"time_zone"`
	Notice             int                 `db:"notice_version"`
}

// registrationOpen reads the process a registration or a consent is for
// and refuses one that is closed, unpublished or open to all.
func (w *Store) registrationOpen(ctx context.Context, processID int64) (processMode, error) {
	var pm processMode
	if err := w.get(ctx, &pm, "process-registration", processID); err != nil {
		if noRows(err) {
			return pm, notFound("process_id", "process")
		}
		return pm, fmt.Errorf("store: unable to read process: %w", err)
	}
	if pm.State.ReadOnly() {
		return pm, participation.Errorf(participation.CodeClosed, "", "err.process_closed", "this process is %s; it takes no more registrations", string(pm.State))
	}
	if !pm.Published {
		return pm, participation.Errorf(participation.CodeUnpublished, "", "err.unpublished", "this process is not published")
	}
	if pm.Mode != participation.ModeRegistered {
		return pm, participation.Errorf(participation.CodeConflict, "", "err.open_process", "this process does not take registrations")
	}
	return pm, nil
}

// Register records the participant's consent to the process's current
// privacy notice, then the profile fields the process asks for, and returns
// the secret to send: a link token when email is asked, else a 6-digit code
// for the phone. A process that asks for neither verifies at once and
// returns "". Email and phone are stored normalised (NormalizeContact, in
// the process's country) and the profile keeps p.Lang, the language the
// participant registered in (else the process's first).
func (s *Store) Register(ctx context.Context, processID, participantID int64, c participation.Consent, p participation.Profile) (string, error) {
	var secret string
	err := s.write(ctx, func(w *Store) error {
		pm, err := w.registrationOpen(ctx, processID)
		if err != nil {
			return err
		}
		region, err := w.participantRegion(ctx, participantID, processID)
		if err != nil {
			return err
		}
		var asked []participation.PersonalField
		if err := jsonInto(pm.PersonalFieldsJSON, &asked); err != nil {
			return err
		}
		if pm.Notice == 0 || c.NoticeVersion != pm.Notice {
			return participation.Errorf(participation.CodeConsent, "notice_version", "err.consent_notice", "consent must be given to the current privacy notice")
		}
		var verified int
		if err := w.get(ctx, &verified, "profile-verified", participantID, processID); err != nil {
			return fmt.Errorf("store: unable to read profile: %w", err)
		}
		if verified > 0 {
			// A new version of the notice asks registered participants to
			// confirm again; their profile stays as verified.
			var active []participation.Consent
			if err := w.sel(ctx, &active, "active-consents", participantID, processID); err != nil {
				return fmt.Errorf("store: unable to read consent: %w", err)
			}
			for _, a := range active {
				if a.NoticeVersion == pm.Notice {
					return participation.Errorf(participation.CodeDuplicate, "", "err.already_registered", "you are already registered for this process")
				}
			}
			return w.consent(ctx, processID, participantID, region, c)
		}
		p = participation.NormalizeContact(trimProfile(p), pm.TimeZone)
		regions, err := w.knownRegion(ctx, processID, p.RegionCode)
		if err != nil {
			return err
		}
		if v := participation.ValidateProfile(p, asked, regions, pm.TimeZone); len(v) > 0 {
			return v
		}
		var languages []string
		if err := jsonInto(pm.LanguagesJSON, &languages); err != nil {
			return err
		}
		p.Lang = participation.ProfileLang(p.Lang, languages)
		now := w.now(ctx)
		// Consent first: no personal field is stored without it. Consent
		// given on the page before the fields (GiveConsent) is not
		// recorded twice.
		if err := w.consentOnce(ctx, processID, participantID, region, c); err != nil {
			return err
		}
		if _, err := w.exec(ctx, "upsert-profile", participantID, processID, p.Name, p.Email, p.Phone, p.RegionCode, p.AgeBand, p.Gender, p.Lang, now); err != nil {
			return fmt.Errorf("store: unable to store profile: %w", err)
		}
		var channel string
		switch {
		case p.Email != "":
			channel, secret = "email", randomToken()
		case p.Phone != "":
			n, _ := rand.Int(rand.Reader, big.NewInt(1_000_000))
			channel, secret = "phone", fmt.Sprintf("%06d", n.Int64())
		default:
			return w.verified(ctx, processID, participantID, p, now)
		}
		if _, err := w.exec(ctx, "upsert-verification", participantID, processID, channel,
			hashSecret("verify", strconv.FormatInt(processID, 10), strconv.FormatInt(participantID, 10), secret), now.Add(VerificationTTL)); err != nil {
			return fmt.Errorf("store: unable to store verification: %w", err)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return secret, nil
}

// consent records a participant's consent to a notice version.
func (w *Store) consent(ctx context.Context, processID, participantID int64, region string, c participation.Consent) error {
	purpose := strings.TrimSpace(c.Purpose)
	if purpose == "" {
		purpose = "participation"
	}
	if _, err := w.insertID(ctx, "insert-consent", participantID, processID, c.NoticeVersion, purpose, w.now(ctx)); err != nil {
		return fmt.Errorf("store: unable to record consent: %w", err)
	}
	return w.emit(ctx, event{typ: participation.EvConsentGiven, processID: processID, entityID: participantID,
		participantID: participantID, region: region, payload: consentChanged{c.NoticeVersion, purpose}})
}

func trimProfile(p participation.Profile) participation.Profile {
	for _, f := range []*string{&p.Name, &p.Email, &p.Phone, &p.RegionCode, &p.AgeBand, &p.Gender} {
		*f = strings.TrimSpace(*f)
	}
	return p
}

// verified marks the profile verified, makes the participant registered and
// emits the registration event naming (never holding) the fields given.
func (w *Store) verified(ctx context.Context, processID, participantID int64, p participation.Profile, now time.Time) error {
	if _, err := w.exec(ctx, "verify-profile", now, participantID, processID); err != nil {
		return fmt.Errorf("store: unable to verify profile: %w", err)
	}
	if _, err := w.exec(ctx, "set-participant-kind", string(participation.ParticipantRegistered), participantID); err != nil {
		return fmt.Errorf("store: unable to register participant: %w", err)
	}
	fields := []string{}
	given := map[participation.PersonalField]string{participation.FieldName: p.Name, participation.FieldEmail: p.Email,
		participation.FieldPhone: p.Phone, participation.FieldRegion: p.RegionCode, participation.FieldAgeBand: p.AgeBand,
		participation.FieldGender: p.Gender}
	for _, f := range participation.AllPersonalFields {
		if given[f] != "" {
			fields = append(fields, string(f))
		}
	}
	region, err := w.participantRegion(ctx, participantID, processID)
	if err != nil {
		return err
	}
	return w.emit(ctx, event{typ: participation.EvRegistration, processID: processID, entityID: participantID,
		participantID: participantID, region: region, payload: registration{fields}})
}

// Verify checks the secret sent by Register. It works once, within
// VerificationTTL; maxVerifyAttempts wrong tries lock it (see lockFor), and
// a locked code refuses every try, the right one too, without counting it.
func (s *Store) Verify(ctx context.Context, processID, participantID int64, secret string) error {
	var failed error
	err := s.write(ctx, func(w *Store) error {
		var v participation.Verification
		var attempts int
		var row struct {
			participation.Verification
			Attempts    int        `db:"attempts"`
			Locks       int        `db:"locks"`
			LockedUntil *time.Time `db:"locked_until"`
		}
		if err := w.get(ctx, &row, "get-verification", participantID, processID); err != nil {
			if noRows(err) {
				return participation.Errorf(participation.CodeNotFound, "code", "err.no_verification", "nothing to verify: register again")
			}
			return fmt.Errorf("store: unable to read verification: %w", err)
		}
		v, attempts = row.Verification, row.Attempts
		now := w.now(ctx)
		if !now.Before(v.ExpiresAt) {
			if _, err := w.exec(ctx, "delete-verification", participantID, processID); err != nil {
				return fmt.Errorf("store: unable to drop verification: %w", err)
			}
			failed = participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "code", "err.code_expired", "this code has expired: register again")}
			return nil
		}
		if row.LockedUntil != nil && now.Before(*row.LockedUntil) {
			failed = lockedError(row.LockedUntil.Sub(now))
			return nil
		}
		want := hashSecret("verify", strconv.FormatInt(processID, 10), strconv.FormatInt(participantID, 10), strings.TrimSpace(secret))
		if subtle.ConstantTimeCompare([]byte(want), []byte(v.CodeHash)) != 1 {
			// The attempt is committed while the caller still hears "wrong".
			if attempts+1 >= maxVerifyAttempts {
				until := now.Add(lockFor(row.Locks + 1))
				if _, err := w.exec(ctx, "verification-lock", until, participantID, processID); err != nil {
					return fmt.Errorf("store: unable to lock verification: %w", err)
				}
				failed = lockedError(until.Sub(now))
				return nil
			}
			if _, err := w.exec(ctx, "count-verify-attempt", participantID, processID); err != nil {
				return fmt.Errorf("store: unable to count attempt: %w", err)
			}
			failed = participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "code", "err.bad_code", "this code is not right")}
			return nil
		}
		if _, err := w.exec(ctx, "delete-verification", participantID, processID); err != nil {
			return fmt.Errorf("store: unable to drop verification: %w", err)
		}
		var p participation.Profile
		if err := w.get(ctx, &p, "get-profile", participantID, processID); err != nil {
			return fmt.Errorf("store: unable to read profile: %w", err)
		}
		return w.verified(ctx, processID, participantID, p, now)
	})
	if err != nil {
		return err
	}
	return failed
}

// IsRegistered reports whether the participant has a verified profile for
// the process and has not withdrawn consent.
func (s *Store) IsRegistered(ctx context.Context, processID, participantID int64) (bool, error) {
	var n int
	if err := s.get(ctx, &n, "is-registered", participantID, processID, participantID, processID); err != nil {
		return false, fmt.Errorf("store: unable to read registration: %w", err)
	}
	return n > 0, nil
}

// WithdrawConsent withdraws the participant's active consents for the
// process (each record keeps its withdrawn-at) and deletes the personal
// fields given to it; their contributions stay, attached to a participant
// with nothing personal left for this process. Without consent they are no
// longer registered.
func (s *Store) WithdrawConsent(ctx context.Context, processID, participantID int64) error {
	return s.write(ctx, func(w *Store) error {
		var active []participation.Consent
		if err := w.sel(ctx, &active, "active-consents", participantID, processID); err != nil {
			return fmt.Errorf("store: unable to read consent: %w", err)
		}
		if len(active) == 0 {
			return participation.Errorf(participation.CodeNotFound, "", "err.no_consent", "there is no consent to withdraw")
		}
		if _, err := w.exec(ctx, "withdraw-consents", w.now(ctx), participantID, processID); err != nil {
			return fmt.Errorf("store: unable to withdraw consent: %w", err)
		}
		// Before the profile goes: the events carry the region it gave.
		region, err := w.participantRegion(ctx, participantID, processID)
		if err != nil {
			return err
		}
		for _, stmt := range []string{"erase-process-profile", "erase-process-verifications"} {
			if _, err := w.exec(ctx, stmt, participantID, processID); err != nil {
				return fmt.Errorf("store: unable to delete the personal data given (%s): %w", stmt, err)
			}
		}
		for _, c := range active {
			if err := w.emit(ctx, event{typ: participation.EvConsentWithdrawn, processID: processID, entityID: participantID,
				participantID: participantID, region: region, payload: consentChanged{c.NoticeVersion, c.Purpose}}); err != nil {
				return err
			}
		}
		return nil
	})
}

// EraseParticipant erases the participant and keeps their contributions
// (Erase without remove).
func (s *Store) EraseParticipant(ctx context.Context, participantID int64) error {
	_, err := s.Erase(ctx, participantID, false)
	return err
}

// MySubmissions returns everything the participant contributed, whatever its
// moderation status.
func (s *Store) MySubmissions(ctx context.Context, participantID int64) (participation.Submissions, error) {
	sub := participation.Submissions{Proposals: []participation.Proposal{}, Comments: []participation.Comment{}, Responses: []participation.Response{}, Supports: []int64{}}
	if err := s.sel(ctx, &sub.Proposals, "my-proposals", participantID); err != nil {
		return sub, fmt.Errorf("store: unable to list proposals: %w", err)
	}
	if err := s.fillTags(ctx, sub.Proposals); err != nil {
		return sub, err
	}
	if err := s.sel(ctx, &sub.Comments, "my-comments", participantID); err != nil {
		return sub, fmt.Errorf("store: unable to list comments: %w", err)
	}
	for i := range sub.Comments {
		sub.Comments[i].CreatedAt = sub.Comments[i].CreatedAt.UTC()
	}
	if err := s.sel(ctx, &sub.Responses, "my-responses", participantID); err != nil {
		return sub, fmt.Errorf("store: unable to list responses: %w", err)
	}
	for i := range sub.Responses {
		if err := s.fillAnswers(ctx, &sub.Responses[i]); err != nil {
			return sub, err
		}
	}
	if err := s.sel(ctx, &sub.Supports, "my-supports", participantID); err != nil {
		return sub, fmt.Errorf("store: unable to list supports: %w", err)
	}
	return sub, nil
}

// RecordVisit appends a page-visit event; nothing else is stored. The event
// occurs at v.OccurredAt when set, else now.
func (s *Store) RecordVisit(ctx context.Context, v participation.Visit) error {
	if errs := participation.ValidateVisit(v); len(errs) > 0 {
		return errs
	}
	// A query string can carry what a form was given (an email, a token):
	// the page is enough for analytics.
	v.Path, _, _ = strings.Cut(v.Path, "?")
	v.Path, _, _ = strings.Cut(v.Path, "#")
	if !v.OccurredAt.IsZero() {
		ctx = participation.AsOf(ctx, v.OccurredAt)
	}
	return s.write(ctx, func(w *Store) error {
		return w.emit(ctx, event{typ: participation.EvVisit, processID: v.ProcessID, componentID: v.ComponentID,
			payload: visit{v.VisitorHash, v.Path, v.Referrer, v.UTMSource, v.UTMMedium, v.UTMCampaign, v.Device}})
	})
}
