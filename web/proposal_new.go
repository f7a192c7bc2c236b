package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
)

type newProposalData struct {
	processCtx
	C       participation.Component
	Regions []participation.Region
	Map     *regionMap // the region set's map, for the point picker
	Form    url.Values
	Errors  map[string]string
}

// Marker is the point typed so far, for the map (a form sent back with
// errors keeps its point).
func (d newProposalData) Marker() *mapPoint {
	return d.Map.point(formPoint(d.Form.Get))
}

// The form asks only for what the component's settings allow (a component
// without settings, from before they existed, allows everything).
func (d newProposalData) AllowBudget() bool   { return d.C.Proposals == nil || d.C.Proposals.Budget }
func (d newProposalData) AllowPictures() bool { return d.C.Proposals == nil || d.C.Proposals.Pictures }
func (d newProposalData) AllowPoint() bool    { return d.C.Proposals == nil || d.C.Proposals.MapPoint }

// MaxBudget is the budget ceiling as typed (major units, grouped), or "".
func (d newProposalData) MaxBudget() string {
	if d.C.Proposals == nil || d.C.Proposals.MaxBudgetMinor <= 0 {
		return ""
	}
	return participation.GroupedMajor(d.C.Proposals.MaxBudgetMinor)
}

func (s *Server) newProposalPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ok := pc.Component(varID(r, "cid"))
	if !ok || c.Kind != participation.KindProposals {
		s.fail(w, r, errNotFound)
		return
	}
	s.participant(r)
	// The form's page view is what the channels panel counts as "opened a
	// form" (warehouse.StartedForm: a path ending in /new).
	s.recordVisit(r, pc.P.ID, c.ID)
	regions, m := s.regionSet(r, pc.P)
	s.render(w, r, http.StatusOK, "proposal_new", state(r).loc.T("proposal.new"),
		newProposalData{processCtx: pc, C: c, Regions: regions, Map: m, Form: url.Values{}, Errors: map[string]string{}})
}

func (s *Server) createProposal(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ok := pc.Component(varID(r, "cid"))
	if !ok || c.Kind != participation.KindProposals {
		s.fail(w, r, errNotFound)
		return
	}
	if r.MultipartForm == nil {
		if err := r.ParseForm(); err != nil {
			s.failStatus(w, r, http.StatusBadRequest, "err.bad_form")
			return
		}
	}
	me := state(r).participant
	form := r.PostForm
	if r.MultipartForm != nil {
		form = url.Values(r.MultipartForm.Value)
	}
	p := participation.Proposal{
		ProcessID: pc.P.ID, ComponentID: c.ID, ParticipantID: me.ID,
		Title:       form.Get("title"),
		Description: form.Get("description"),
		Tags:        splitTags(form.Get("tags")),
		RegionCode:  form.Get("region_code"),
	}
	var ve participation.ValidationErrors
	if b := strings.TrimSpace(strings.ReplaceAll(form.Get("budget"), ",", "")); b != "" {
		if v, err := strconv.ParseFloat(b, 64); err != nil || v < 0 || v > 1e13 {
			ve.Add("budget_minor", "err.number", "must be a number")
		} else {
			p.BudgetMinor = int64(v*100 + 0.5)
		}
	}
	p.Lat, p.Lng = parseFloatField(&ve, form, "lat"), parseFloatField(&ve, form, "lng")
	status := http.StatusUnprocessableEntity
	if r.MultipartForm != nil {
		files := r.MultipartForm.File["images"]
		imgs, imgErrs, st := readImages(r.Context(), files)
		ve = append(ve, imgErrs...)
		if st != 0 {
			status = st
		}
		if st == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", imageRetryAfter)
		}
		p.Images = imgs
	}
	if len(ve) == 0 {
		var id int64
		id, err = s.store.CreateProposal(r.Context(), p)
		if err == nil {
			// ?posted=1 lets the page thank its author and put the focus there.
			redirect(w, r, fmt.Sprintf("/p/%s/proposals/%d?posted=1", pc.P.Slug, id))
			return
		}
		if !isFormError(err) {
			s.failWrite(w, r, pc, err)
			return
		}
		status = http.StatusUnprocessableEntity
	} else {
		err = ve
	}
	regions, m := s.regionSet(r, pc.P)
	s.render(w, r, status, "proposal_new", state(r).loc.T("proposal.new"),
		newProposalData{processCtx: pc, C: c, Regions: regions, Map: m, Form: form, Errors: s.fieldMessages(r, err)})
}

func splitTags(s string) []string {
	var out []string
	for _, t := range strings.Split(s, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	return out
}

func parseFloatField(ve *participation.ValidationErrors, form url.Values, name string) *float64 {
	v := strings.TrimSpace(form.Get(name))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		ve.Add(name, "err.number", "must be a number")
		return nil
	}
	return &f
}
