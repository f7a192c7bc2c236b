package web

import (
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

// Data rights (issue 14): every participant, cookie-bound or registered,
// can download what the store holds about them and erase themselves.
func (s *Server) registerDataRights(reg Registrar) {
	// Public, not Participant: a download or an erasure must never create
	// the participant it is about (an erased cookie would otherwise get a
	// fresh one and "succeed"). The handlers refuse a caller with none.
	reg.HandleFunc("me.data", "GET", "/me/data.json", Participant, s.myDataJSON)
	reg.HandleFunc("me.erase", "POST", "/me/erase", Public, s.eraseMe)
	reg.HandleFunc("me.consent.withdraw", "POST", "/me/consent/withdraw", Public, s.withdrawConsent)
	reg.HandleFunc("api.me.data", "GET", "/api/v1/me/data", Participant, s.myDataJSON)
	reg.HandleFunc("api.me.erase", "DELETE", "/api/v1/me", Participant, s.apiEraseMe)
}

// caller is the participant the request carries (cookie on pages, bearer
// token on the API), or a 404 naming why there is nothing.
func (s *Server) caller(w http.ResponseWriter, r *http.Request) *participation.Participant {
	me, err := s.participant(r)
	if err != nil {
		s.fail(w, r, err)
		return nil
	}
	if me == nil {
		s.failStatus(w, r, http.StatusNotFound, "err.no_participant")
	}
	return me
}

// myDataJSON answers participation.MyData (the MyData schema of
// web/openapi.json); pages offer it as a file to save.
func (s *Server) myDataJSON(w http.ResponseWriter, r *http.Request) {
	me := s.caller(w, r)
	if me == nil {
		return
	}
	d, err := s.store.MyData(r.Context(), me.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !state(r).api {
		w.Header().Set("Content-Disposition", `attachment; filename="civicpulse-my-data.json"`)
	}
	writeJSON(w, http.StatusOK, d)
}

// eraseChoice reads "keep" or "remove"; anything else is refused rather
// than guessed, since the two cannot be told apart afterwards.
func eraseChoice(v string) (remove, ok bool) {
	switch strings.TrimSpace(v) {
	case "keep":
		return false, true
	case "remove":
		return true, true
	}
	return false, false
}

func (s *Server) eraseMe(w http.ResponseWriter, r *http.Request) {
	me := s.caller(w, r)
	if me == nil {
		return
	}
	remove, ok := eraseChoice(r.PostFormValue("contributions"))
	if !ok {
		s.failStatus(w, r, http.StatusUnprocessableEntity, "err.erase_choice")
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.failStatus(w, r, http.StatusUnprocessableEntity, "err.erase_confirm")
		return
	}
	if _, err := s.store.Erase(r.Context(), me.ID, remove); err != nil {
		s.fail(w, r, err)
		return
	}
	// The token is already rotated; dropping the cookie too means the
	// next page shows a newcomer, not a broken session.
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.cfg.Secure, SameSite: http.SameSiteLaxMode})
	redirect(w, r, "/me?erased=1")
}

// withdrawConsent withdraws the caller's consent to one process's data
// agreement: the personal fields given to it are deleted, the contributions
// stay (anonymously), and the consent record keeps its withdrawn-at. A
// process the caller never consented to is a 404 and changes nothing.
func (s *Server) withdrawConsent(w http.ResponseWriter, r *http.Request) {
	me := s.caller(w, r)
	if me == nil {
		return
	}
	if r.PostFormValue("confirm") != "yes" {
		s.failStatus(w, r, http.StatusUnprocessableEntity, "err.withdraw_confirm")
		return
	}
	p, err := s.store.GetProcessBySlug(r.Context(), r.PostFormValue("process"), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.WithdrawConsent(r.Context(), p.ID, me.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/me?withdrawn=1#h-my-data")
}

// eraseRequest is DELETE /api/v1/me's optional body; ?contributions= does
// the same for clients that send no body with DELETE.
type eraseRequest struct {
	Contributions string `json:"contributions"`
}

func (s *Server) apiEraseMe(w http.ResponseWriter, r *http.Request) {
	choice := r.URL.Query().Get("contributions")
	if r.ContentLength != 0 && choice == "" {
		var in eraseRequest
		if err := decodeJSON(r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		choice = in.Contributions
	}
	remove, ok := eraseChoice(choice)
	if !ok {
		s.failStatus(w, r, http.StatusUnprocessableEntity, "err.erase_choice")
		return
	}
	e, err := s.store.Erase(r.Context(), state(r).participant.ID, remove)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// dataView is the "My data" section of /me: per process the participant
// registered with, the fields they gave and why each is asked, the notice
// and their consents.
type dataView struct {
	Processes []*dataProcess
}

type dataProcess struct {
	Slug, Title string
	Fields      []dataField
	Notice      int // the current notice version, 0 when none
	// Agreement is the current data agreement, in the page's language
	// where the process has it.
	Agreement *participation.PrivacyNotice
	Consents  []dataConsent
	// Active says consent is in force, so it can be withdrawn.
	Active bool
}

type dataField struct {
	Key, Value, Reason string
}

type dataConsent struct {
	Version          int
	Given, Withdrawn string // dates, YYYY-MM-DD (UTC)
}

func (s *Server) dataView(r *http.Request, me *participation.Participant) (dataView, error) {
	var v dataView
	d, err := s.store.MyData(r.Context(), me.ID)
	if err != nil {
		return v, err
	}
	byProcess := map[int64]*dataProcess{}
	get := func(id int64) (*dataProcess, error) {
		if dp := byProcess[id]; dp != nil {
			return dp, nil
		}
		p, err := s.store.GetProcess(r.Context(), id, false)
		if err != nil {
			return nil, err
		}
		pc := s.newProcessCtx(p)
		if err := s.localise(r, &pc); err != nil {
			return nil, err
		}
		p = pc.P
		dp := &dataProcess{Slug: p.Slug, Title: p.Title, Agreement: p.PrivacyNotice}
		if p.PrivacyNotice != nil {
			dp.Notice = p.PrivacyNotice.Version
		}
		byProcess[id] = dp
		for _, pr := range d.Profiles {
			if pr.ProcessID != id {
				continue
			}
			given := map[participation.PersonalField]string{participation.FieldName: pr.Name, participation.FieldEmail: pr.Email,
				participation.FieldPhone: pr.Phone, participation.FieldRegion: pr.RegionCode, participation.FieldAgeBand: pr.AgeBand,
				participation.FieldGender: pr.Gender}
			for _, f := range participation.AllPersonalFields {
				if given[f] != "" {
					dp.Fields = append(dp.Fields, dataField{Key: string(f), Value: given[f], Reason: p.FieldReasons[f]})
				}
			}
		}
		v.Processes = append(v.Processes, dp)
		return dp, nil
	}
	for _, pr := range d.Profiles {
		if _, err := get(pr.ProcessID); err != nil {
			return v, err
		}
	}
	for _, c := range d.Consents {
		dp, err := get(c.ProcessID)
		if err != nil {
			return v, err
		}
		dc := dataConsent{Version: c.NoticeVersion, Given: c.GivenAt.UTC().Format("2006-01-02")}
		if c.WithdrawnAt != nil {
			dc.Withdrawn = c.WithdrawnAt.UTC().Format("2006-01-02")
		} else {
			dp.Active = true
		}
		dp.Consents = append(dp.Consents, dc)
	}
	return v, nil
}
