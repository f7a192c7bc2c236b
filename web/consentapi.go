package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// GovStack-shaped reads of data agreements and consent records (issue 14):
// the objects of the Consent building block's OpenAPI file (DataAgreement
// with its Policy and DataAgreementAttributes, Individual, ConsentRecord),
// in the list envelopes of its LIST operations (configDataAgreementList
// answers {"dataAgreement": [...]}, singular as the file has it;
// serviceIndividualConsentRecordList {"consentRecords": [...]}), so that a
// Consent BB client reads them as it reads the building block. Fields the
// building block does not define (givenAt, withdrawnAt, …) are added
// beside its own; the file allows them.
func (s *Server) registerConsentAPI(reg Registrar) {
	reg.HandleFunc("api.process.data_agreements", "GET", "/api/v1/processes/{id:[0-9]+}/data-agreements", Public, s.apiDataAgreements)
	reg.HandleFunc("api.me.consent_records", "GET", "/api/v1/me/consent-records", Participant, s.apiConsentRecords)
}

type gsPolicy struct {
	ID                      string `json:"id"`
	Name                    string `json:"name"`
	Version                 string `json:"version"`
	URL                     string `json:"url"`
	DataRetentionPeriodDays int    `json:"dataRetentionPeriodDays"`
}

type gsAttribute struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"` // why it is asked
	Sensitivity string `json:"sensitivity"`
	Category    string `json:"category"`
}

type gsDataAgreement struct {
	ID          string   `json:"id"`
	Version     string   `json:"version"`
	Policy      gsPolicy `json:"policy"`
	Purpose     string   `json:"purpose"`
	LawfulBasis string   `json:"lawfulBasis"`
	DPIA        string   `json:"dpia"`
	Active      bool     `json:"active"`
	// Forgettable is false: a withdrawn consent record stays, holding
	// nothing personal, to prove what was agreed and when.
	Forgettable    bool          `json:"forgettable"`
	DataAttributes []gsAttribute `json:"dataAttributes"`
	Access         string        `json:"access"`
	RevisionHash   string        `json:"revisionHash"`
	PublishedAt    time.Time     `json:"publishedAt"`
}

type gsIndividual struct {
	ID string `json:"id"`
}

type gsConsentRecord struct {
	ID                        string          `json:"id"`
	DataAgreement             gsDataAgreement `json:"dataAgreement"`
	DataAgreementRevisionHash string          `json:"dataAgreementRevisionHash"`
	Individual                gsIndividual    `json:"individual"`
	OptIn                     bool            `json:"optIn"`
	State                     string          `json:"state"`
	GivenAt                   time.Time       `json:"givenAt"`
	WithdrawnAt               *time.Time      `json:"withdrawnAt,omitempty"`
}

// fieldCategory groups the personal fields as the Consent BB's attribute
// category.
var fieldCategory = map[participation.PersonalField]string{
	participation.FieldName: "identity", participation.FieldEmail: "contact", participation.FieldPhone: "contact",
	participation.FieldRegion: "location", participation.FieldAgeBand: "demographic", participation.FieldGender: "demographic",
}

func agreementID(processID int64) string {
	return "civicpulse:process:" + strconv.FormatInt(processID, 10)
}

// gsAgreement shapes one version; current says whether it is the one new
// consent is given to.
func (s *Server) gsAgreement(p participation.Process, n participation.PrivacyNotice, current bool) gsDataAgreement {
	id := agreementID(p.ID)
	version := strconv.Itoa(n.Version)
	url := n.PolicyURL
	if url == "" {
		url = s.cfg.BaseURL + "/p/" + p.Slug + "#h-privacy"
	}
	a := gsDataAgreement{ID: id, Version: version, Purpose: n.Purpose, LawfulBasis: string(n.LawfulBasis), Active: current,
		Policy:         gsPolicy{ID: id + ":policy", Name: p.Title, Version: version, URL: url, DataRetentionPeriodDays: n.RetentionDays},
		DataAttributes: []gsAttribute{}, Access: n.Access, RevisionHash: n.Hash, PublishedAt: n.PublishedAt}
	for _, f := range n.Fields {
		a.DataAttributes = append(a.DataAttributes, gsAttribute{ID: id + ":" + string(f.Field), Name: string(f.Field), Description: f.Reason,
			Sensitivity: "personal", Category: fieldCategory[f.Field]})
	}
	return a
}

// apiDataAgreements lists every version of a citizen-visible process's
// data agreement, newest first.
func (s *Server) apiDataAgreements(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.GetProcess(r.Context(), varID(r, "id"), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ns, err := s.store.DataAgreements(r.Context(), p.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := []gsDataAgreement{}
	for i := len(ns) - 1; i >= 0; i-- {
		out = append(out, s.gsAgreement(p, ns[i], i == len(ns)-1))
	}
	writeJSON(w, http.StatusOK, map[string]any{"dataAgreement": out})
}

// apiConsentRecords lists the caller's consent records, each with the
// agreement version it names.
func (s *Server) apiConsentRecords(w http.ResponseWriter, r *http.Request) {
	me := state(r).participant
	d, err := s.store.MyData(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	type versions struct {
		p  participation.Process
		ns []participation.PrivacyNotice
	}
	byProcess := map[int64]*versions{}
	out := []gsConsentRecord{}
	for _, c := range d.Consents {
		v := byProcess[c.ProcessID]
		if v == nil {
			p, err := s.store.GetProcess(r.Context(), c.ProcessID, false)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			ns, err := s.store.DataAgreements(r.Context(), c.ProcessID)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			v = &versions{p, ns}
			byProcess[c.ProcessID] = v
		}
		var n participation.PrivacyNotice
		for _, x := range v.ns {
			if x.Version == c.NoticeVersion {
				n = x
			}
		}
		rec := gsConsentRecord{ID: fmt.Sprintf("civicpulse:consent:%d", c.ID), DataAgreement: s.gsAgreement(v.p, n, n.Version == len(v.ns)),
			DataAgreementRevisionHash: n.Hash, Individual: gsIndividual{ID: fmt.Sprintf("civicpulse:participant:%d", me.ID)},
			OptIn: c.WithdrawnAt == nil, State: "unsigned", GivenAt: c.GivenAt.UTC(), WithdrawnAt: c.WithdrawnAt}
		out = append(out, rec)
	}
	writeJSON(w, http.StatusOK, map[string]any{"consentRecords": out})
}
