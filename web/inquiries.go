package web

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/civicpulse/civicpulse/participation"
)

// "Ask the team" (issue 19): every process page ends with the team's
// published answers to frequent questions and a form to ask one. The
// question lands in the process's inbox in the workspace; the answer goes
// to the address given, and is on "my submissions" either way, so an
// anonymous participant without an address reads it there (their cookie
// is who they are).

func (s *Server) registerInquiries(reg Registrar) {
	// A write like a comment: the site's write limits apply (per address,
	// and per participant once known), and the first write of a visitor
	// without a cookie creates their anonymous participant.
	reg.HandleFunc("inquiry.ask", "POST", "/p/{slug}/inquiries", Participant, s.askTeam)
}

// processPageData is what the process page shows.
type processPageData struct {
	processCtx
	Results bool // "what we heard, what we did" is published
	FAQ     []participation.Inquiry
	// The ask form: what was typed and why it was refused, or Asked after
	// a question was stored (post-redirect-get).
	Form   url.Values
	Errors map[string]string
	Asked  bool
}

func (s *Server) processData(r *http.Request, pc processCtx) (processPageData, error) {
	d := processPageData{processCtx: pc, Form: url.Values{}, Errors: map[string]string{}}
	var err error
	if d.Results, err = s.resultsPublished(r, pc.P.ID); err != nil {
		return d, err
	}
	if d.FAQ, err = s.store.FAQ(r.Context(), pc.P.ID); err != nil {
		return d, err
	}
	return d, nil
}

// askTeam stores a question; a refused one shows the page again with the
// text kept and the reasons beside the fields.
func (s *Server) askTeam(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if pc.Preview {
		// Staff previewing a draft: the store takes questions on
		// published processes only.
		s.fail(w, r, errNotFound)
		return
	}
	me := state(r).participant
	_, werr := s.store.Ask(r.Context(), participation.Inquiry{ProcessID: pc.P.ID, ParticipantID: me.ID,
		Question: r.PostFormValue("question"), Email: r.PostFormValue("email"), Lang: pc.Lang})
	if werr != nil && !isFormError(werr) {
		s.fail(w, r, werr)
		return
	}
	if werr == nil {
		redirect(w, r, fmt.Sprintf("/p/%s?asked=1#ask", pc.P.Slug))
		return
	}
	d, err := s.processData(r, pc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Form, d.Errors = r.PostForm, s.fieldMessages(r, werr)
	s.render(w, r, http.StatusUnprocessableEntity, "process", pc.P.Title, d)
}
