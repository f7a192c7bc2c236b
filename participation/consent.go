package participation

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"strings"
	"time"
)

// Data agreements and consent (issue 14), shaped after the GovStack Consent
// building block: a process's PrivacyNotice versions are its DataAgreement
// revisions (purpose, lawful basis, Policy with URL, version and retention
// period, the personal fields asked as DataAgreementAttributes), the
// participant is the Individual, and Consent rows are its ConsentRecords
// (opt-in while WithdrawnAt is nil).

// LawfulBasis is the legal ground for processing, with the Consent BB's
// values.
type LawfulBasis string

const (
	BasisConsent            LawfulBasis = "consent"
	BasisLegalObligation    LawfulBasis = "legal_obligation"
	BasisContract           LawfulBasis = "contract"
	BasisVitalInterest      LawfulBasis = "vital_interest"
	BasisPublicTask         LawfulBasis = "public_task"
	BasisLegitimateInterest LawfulBasis = "legitimate_interest"
)

// LawfulBases lists the lawful bases in the order forms offer them.
var LawfulBases = []LawfulBasis{BasisConsent, BasisPublicTask, BasisLegalObligation, BasisContract, BasisVitalInterest, BasisLegitimateInterest}

// AgreementTerms are what a data agreement says besides its text and its
// fields.
type AgreementTerms struct {
	Purpose     string      `db:"purpose" json:"purpose"`
	LawfulBasis LawfulBasis `db:"lawful_basis" json:"lawful_basis"`
	PolicyURL   string      `db:"policy_url" json:"policy_url"`
	// RetentionDays is how long after the process closes its participants'
	// personal data is kept; 0 means until they erase it themselves.
	RetentionDays int `db:"retention_days" json:"retention_days"`
	// Access says in plain words who can read the personal data.
	Access string `db:"access" json:"access"`
}

// AgreementField is one personal field a data agreement covers, with why it
// is asked.
type AgreementField struct {
	Field  PersonalField `json:"field"`
	Reason string        `json:"reason"`
}

// ValidateAgreementTerms checks terms an official is about to publish.
func ValidateAgreementTerms(t AgreementTerms) ValidationErrors {
	var v ValidationErrors
	if strings.TrimSpace(t.Purpose) == "" {
		v.Add("purpose", "err.required", "is required")
	}
	known := false
	for _, b := range LawfulBases {
		known = known || b == t.LawfulBasis
	}
	if !known {
		v.Add("lawful_basis", "err.choose", "choose one")
	}
	if t.PolicyURL != "" {
		u, err := url.Parse(t.PolicyURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			v.Add("policy_url", "err.url", "is not a web address")
		}
	}
	if t.RetentionDays < 0 || t.RetentionDays > 36500 {
		v.Add("retention_days", "err.retention_days", "must be between 0 and 36500 days")
	}
	if strings.TrimSpace(t.Access) == "" {
		v.Add("access", "err.required", "is required")
	}
	return v
}

// AgreementHash is the SHA-256 of the version's content (everything but the
// hash itself), so that a consent record names exactly what was agreed.
func AgreementHash(n PrivacyNotice) string {
	n.Hash = ""
	b, _ := json.Marshal(n) // a struct of strings, ints and a time: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// AgreementFields is the snapshot of the fields p asks and why.
func AgreementFields(p Process) []AgreementField {
	out := []AgreementField{}
	if p.Mode != ModeRegistered {
		return out
	}
	for _, f := range p.PersonalFields {
		out = append(out, AgreementField{Field: f, Reason: p.FieldReasons[f]})
	}
	return out
}

// RetentionPurge is a closed process whose retention period ended, and what
// purging it did.
type RetentionPurge struct {
	ProcessID        int64      `db:"process_id" json:"process_id"`
	AgreementVersion int        `db:"agreement_version" json:"agreement_version"`
	RetentionDays    int        `db:"retention_days" json:"retention_days"`
	Profiles         int64      `db:"profiles" json:"profiles"` // deleted
	PurgedAt         time.Time  `db:"purged_at" json:"purged_at"`
	AuditedAt        *time.Time `db:"audited_at" json:"-"`
}

// Consents is the store's side of data agreements and consent records.
type Consents interface {
	// PublishDataAgreement adds the next version of the process's data
	// agreement: n's text and terms, with the fields the process asks
	// now. CodeInvalid (per field) when the terms are incomplete.
	PublishDataAgreement(ctx context.Context, processID int64, n PrivacyNotice) (PrivacyNotice, error)
	// DataAgreements returns every version, oldest first.
	DataAgreements(ctx context.Context, processID int64) ([]PrivacyNotice, error)
	// GiveConsent records the participant's consent to the current
	// version, before any personal field is asked. A version that is not
	// the current one is CodeConsent; consent already given to it is kept
	// (no second record).
	GiveConsent(ctx context.Context, processID, participantID int64, version int) (Consent, error)
	// HasConsent reports whether the participant's consent to the current
	// version is active.
	HasConsent(ctx context.Context, processID, participantID int64) (bool, error)
	// RetentionDue lists the closed processes whose retention period has
	// ended by now and which were not purged yet.
	RetentionDue(ctx context.Context, now time.Time) ([]RetentionPurge, error)
	// PurgeRetention deletes the personal data (profiles, pending
	// verifications) of every participant of a due process; contributions
	// stay, anonymously, and consent records stay (they prove what was
	// agreed). A process purged already, or not due, changes nothing and
	// returns false.
	PurgeRetention(ctx context.Context, processID int64, now time.Time) (RetentionPurge, bool, error)
	// UnauditedPurges lists purges whose audit entry is not written yet;
	// MarkPurgeAudited records that it is.
	UnauditedPurges(ctx context.Context) ([]RetentionPurge, error)
	MarkPurgeAudited(ctx context.Context, processID int64, at time.Time) error
}
