package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

type registerData struct {
	processCtx
	Fields  []participation.PersonalField
	Regions []participation.Region
	Form    url.Values
	Errors  map[string]string
	Already bool
	// Consented says the participant agreed to the current data agreement
	// (or is posting the fields with their consent): only then are the
	// personal fields asked. Before, the page shows the agreement alone.
	Consented bool
}

// Agreement is what the participant is asked to agree to, field by field:
// the version's snapshot, or (for a version published before snapshots)
// the fields the process asks now.
func (d registerData) Agreement() []participation.AgreementField {
	if n := d.P.PrivacyNotice; n != nil && len(n.Fields) > 0 {
		return n.Fields
	}
	return participation.AgreementFields(d.P)
}

func (d registerData) Asks(f string) bool {
	for _, x := range d.Fields {
		if string(x) == f {
			return true
		}
	}
	return false
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := registerData{processCtx: pc, Fields: pc.P.PersonalFields, Regions: s.regions(r, pc.P), Form: url.Values{}, Errors: map[string]string{}}
	if me, err := s.participant(r); err != nil {
		s.fail(w, r, err)
		return
	} else if me != nil {
		if d.Already, err = s.store.IsRegistered(r.Context(), pc.P.ID, me.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Consented, err = s.store.HasConsent(r.Context(), pc.P.ID, me.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "register", state(r).loc.T("register.title"), d)
}

// consentForm reads a posted consent (and fields) for a registered
// process: the page's data with the consent's problem, if any, and the
// agreement version consented to. ok false: the answer was sent.
func (s *Server) consentForm(w http.ResponseWriter, r *http.Request) (processCtx, registerData, int, bool) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return pc, registerData{}, 0, false
	}
	if pc.P.Mode != participation.ModeRegistered || pc.P.PrivacyNotice == nil {
		s.fail(w, r, errNotFound)
		return pc, registerData{}, 0, false
	}
	f := r.PostForm
	d := registerData{processCtx: pc, Fields: pc.P.PersonalFields, Regions: s.regions(r, pc.P), Form: f, Errors: map[string]string{}}
	loc := state(r).loc
	version, _ := strconv.Atoi(f.Get("notice_version"))
	if f.Get("consent") != "yes" {
		d.Errors["consent"] = loc.T("err.consent_required")
	} else if version != pc.P.PrivacyNotice.Version {
		d.Errors["consent"] = loc.T("err.notice_changed")
	}
	return pc, d, version, true
}

// consentSubmit records consent to the data agreement the page showed and
// goes on to the fields. A version that changed meanwhile is refused with
// the current one shown.
func (s *Server) consentSubmit(w http.ResponseWriter, r *http.Request) {
	pc, d, version, ok := s.consentForm(w, r)
	if !ok {
		return
	}
	loc := state(r).loc
	if len(d.Errors) == 0 {
		_, err := s.store.GiveConsent(r.Context(), pc.P.ID, state(r).participant.ID, version)
		if participation.ErrorCode(err) == participation.CodeConsent {
			d.Errors["consent"] = loc.T("err.notice_changed")
		} else if err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if len(d.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "register", loc.T("register.title"), d)
		return
	}
	redirect(w, r, fmt.Sprintf("/p/%s/register#h-details", pc.P.Slug))
}

func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request) {
	pc, d, version, ok := s.consentForm(w, r)
	if !ok {
		return
	}
	f, loc := d.Form, state(r).loc
	if len(d.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "register", loc.T("register.title"), d)
		return
	}
	// The fields were posted with consent to the current version: a
	// refusal shows them again, what was typed kept.
	d.Consented = true
	me := state(r).participant
	profile := participation.Profile{
		ProcessID: pc.P.ID, Name: strings.TrimSpace(f.Get("name")), Email: strings.TrimSpace(f.Get("email")),
		Phone: strings.TrimSpace(f.Get("phone")), RegionCode: f.Get("region"), AgeBand: f.Get("age_band"), Gender: f.Get("gender"),
	}
	consent := participation.Consent{ProcessID: pc.P.ID, ParticipantID: me.ID, NoticeVersion: version, Purpose: "participation"}
	if err := s.register(r, pc.P, me.ID, consent, profile); err != nil {
		if isFormError(err) {
			d.Errors = s.fieldMessages(r, err)
			s.render(w, r, http.StatusUnprocessableEntity, "register", loc.T("register.title"), d)
			return
		}
		s.fail(w, r, err)
		return
	}
	redirect(w, r, fmt.Sprintf("/p/%s/verify", pc.P.Slug))
}

// register stores consent and profile, then hands the secret to the
// messenger; shared by the page and the API. The profile keeps the language
// of the page, and the secret goes to the contact as the store keeps it
// (normalised the same way).
func (s *Server) register(r *http.Request, p participation.Process, participantID int64, c participation.Consent, pr participation.Profile) error {
	if pr.Lang == "" {
		pr.Lang = state(r).loc.Lang()
	}
	pr = participation.NormalizeContact(pr, p.TimeZone)
	secret, err := s.store.Register(r.Context(), p.ID, participantID, c, pr)
	if err != nil {
		return err
	}
	msg := VerificationMessage{ProcessID: p.ID, ParticipantID: participantID, Secret: secret, Lang: state(r).loc.Lang()}
	if pr.Email != "" {
		msg.Channel, msg.To = "email", pr.Email
		msg.Link = fmt.Sprintf("%s/p/%s/verify?token=%s", s.cfg.BaseURL, p.Slug, url.QueryEscape(secret))
	} else if pr.Phone != "" {
		msg.Channel, msg.To = "phone", pr.Phone
	} else {
		return nil // nothing to verify through
	}
	if s.cfg.SendVerification == nil {
		s.log.Warn("web: verification issued but no messenger configured", "request_id", state(r).id, "channel", msg.Channel)
		return nil
	}
	if err := s.cfg.SendVerification(r.Context(), msg); err != nil {
		return fmt.Errorf("web: unable to send verification: %w", err)
	}
	return nil
}

type verifyData struct {
	processCtx
	Secret string
	Error  string
	Done   bool
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.participant(r)
	// The link only fills the form: a GET must not change anything (mail
	// scanners follow links), the citizen confirms with a button.
	s.render(w, r, http.StatusOK, "verify", state(r).loc.T("verify.title"), verifyData{processCtx: pc, Secret: r.URL.Query().Get("token")})
}

func (s *Server) verifySubmit(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	secret := strings.TrimSpace(r.PostFormValue("secret"))
	err = s.store.Verify(r.Context(), pc.P.ID, state(r).participant.ID, secret)
	if err != nil {
		var locked *participation.Error
		if errors.As(err, &locked) && locked.Code == participation.CodeLocked {
			retryAfter(w, locked)
			s.render(w, r, http.StatusTooManyRequests, "verify", state(r).loc.T("verify.title"),
				verifyData{processCtx: pc, Secret: secret, Error: translate(state(r).loc, locked)})
			return
		}
		if code := participation.ErrorCode(err); isFormError(err) || code == participation.CodeNotFound {
			s.render(w, r, http.StatusUnprocessableEntity, "verify", state(r).loc.T("verify.title"),
				verifyData{processCtx: pc, Secret: secret, Error: state(r).loc.T("err.verify_failed")})
			return
		}
		s.fail(w, r, err)
		return
	}
	if err := s.renewSession(w, r, state(r).participant.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "verify", state(r).loc.T("verify.title"), verifyData{processCtx: pc, Done: true})
}

// retryAfter tells a client that was locked out when to come back
// (CodeLocked carries the minutes to wait).
func retryAfter(w http.ResponseWriter, e *participation.Error) {
	if len(e.Args) > 0 {
		if minutes, ok := e.Args[0].(int); ok {
			w.Header().Set("Retry-After", strconv.Itoa(minutes*60))
		}
	}
}

type meData struct {
	Subs  participation.Submissions
	Slugs map[int64]string // process id → slug
	// Titles names the components (surveys, documents) the citizen took
	// part in, so that a survey reads as its title, not as its number.
	Titles    map[int64]string
	Supported []supportedView
	// Messages are the registered participant's choices per kind of
	// message (messages.go); Saved says they were just stored.
	Messages []messagePref
	Saved    bool
	// Data is "My data" (datarights.go); Erased says the erasure just ran,
	// Withdrawn that a consent was just withdrawn.
	Data      dataView
	Erased    bool
	Withdrawn bool
	// Mod holds the moderation state of the citizen's proposals and
	// comments that were reported or decided on ("proposal:12" → …), so
	// the author reads why one is not shown (moderation.go).
	Mod map[string]participation.Moderated
	// Inquiries are the questions the citizen asked a team, with the
	// answers: the only place an anonymous asker without an address
	// reads them (inquiries.go). Hidden ones are left out.
	Inquiries []participation.Inquiry
}

// supportedView is a proposal the citizen supports, with whether the
// support can still be withdrawn (only while its component is open).
type supportedView struct {
	Proposal participation.Proposal
	Slug     string
	Open     bool
}

func (s *Server) mePage(w http.ResponseWriter, r *http.Request) {
	me, err := s.participant(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := meData{Slugs: map[int64]string{}, Titles: map[int64]string{}}
	if me != nil {
		if d, err = s.meData(r, me.ID); err != nil {
			s.fail(w, r, err)
			return
		}
		if d.Messages, err = s.messagePrefs(r, me); err != nil {
			s.fail(w, r, err)
			return
		}
		d.Saved = r.URL.Query().Get("saved") == "messages"
		if d.Data, err = s.dataView(r, me); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	d.Erased = me == nil && r.URL.Query().Get("erased") == "1"
	d.Withdrawn = me != nil && r.URL.Query().Get("withdrawn") == "1"
	s.render(w, r, http.StatusOK, "me", state(r).loc.T("me.title"), d)
}

func (s *Server) meData(r *http.Request, participantID int64) (meData, error) {
	d := meData{Slugs: map[int64]string{}, Titles: map[int64]string{}}
	var err error
	if d.Subs, err = s.store.MySubmissions(r.Context(), participantID); err != nil {
		return d, err
	}
	if d.Mod, err = s.myModeration(r, d.Subs); err != nil {
		return d, err
	}
	// The processes the citizen took part in, once each; a process that is
	// no longer published drops out of the links.
	procs := map[int64]*processCtx{}
	process := func(id int64) (*processCtx, error) {
		if pc, seen := procs[id]; seen {
			return pc, nil
		}
		p, err := s.store.GetProcess(r.Context(), id, true)
		if participation.IsNotFound(err) {
			procs[id] = nil
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		pc := s.newProcessCtx(p)
		procs[id], d.Slugs[id] = &pc, p.Slug
		for _, c := range p.Components {
			d.Titles[c.ID] = c.Title
		}
		return &pc, nil
	}
	for _, id := range processIDs(d.Subs) {
		if _, err := process(id); err != nil {
			return d, err
		}
	}
	asked, err := s.store.MyInquiries(r.Context(), participantID)
	if err != nil {
		return d, err
	}
	for _, q := range asked {
		if pc, err := process(q.ProcessID); err != nil {
			return d, err
		} else if pc != nil && !q.Hidden {
			d.Inquiries = append(d.Inquiries, q)
		}
	}
	for _, id := range d.Subs.Supports {
		p, err := s.store.GetProposal(r.Context(), id)
		if participation.IsNotFound(err) { // hidden by moderation since
			continue
		}
		if err != nil {
			return d, err
		}
		pc, err := process(p.ProcessID)
		if err != nil {
			return d, err
		}
		if pc == nil {
			continue
		}
		d.Supported = append(d.Supported, supportedView{Proposal: p, Slug: pc.P.Slug, Open: pc.Open(p.ComponentID)})
	}
	return d, nil
}

// processIDs lists the processes a citizen's submissions belong to.
func processIDs(sub participation.Submissions) []int64 {
	var ids []int64
	for _, p := range sub.Proposals {
		ids = append(ids, p.ProcessID)
	}
	for _, c := range sub.Comments {
		ids = append(ids, c.ProcessID)
	}
	for _, rs := range sub.Responses {
		ids = append(ids, rs.ProcessID)
	}
	return ids
}
