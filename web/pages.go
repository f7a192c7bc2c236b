package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
)

func (s *Server) registerPages(reg Registrar) {
	reg.HandleFunc("home", "GET", "/", Public, s.home)
	reg.HandleFunc("process", "GET", "/p/{slug}", Public, s.processPage)
	reg.HandleFunc("component", "GET", "/p/{slug}/c/{cid:[0-9]+}", Public, s.componentPage)
	reg.HandleFunc("proposal.new", "GET", "/p/{slug}/c/{cid:[0-9]+}/new", Public, s.newProposalPage)
	reg.HandleFunc("proposal.create", "POST", "/p/{slug}/c/{cid:[0-9]+}/proposals", Participant, s.createProposal, MaxBody(maxUploadBody))
	reg.HandleFunc("proposal", "GET", "/p/{slug}/proposals/{id:[0-9]+}", Public, s.proposalPage)
	reg.HandleFunc("proposal.image", "GET", "/p/{slug}/proposals/{id:[0-9]+}/images/{pos:[0-9]+}", Public, s.proposalImage)
	reg.HandleFunc("proposal.thumb", "GET", "/p/{slug}/proposals/{id:[0-9]+}/thumbs/{pos:[0-9]+}", Public, s.proposalImage)
	reg.HandleFunc("proposal.comment", "POST", "/p/{slug}/proposals/{id:[0-9]+}/comments", Participant, s.commentProposal)
	reg.HandleFunc("proposal.support", "POST", "/p/{slug}/proposals/{id:[0-9]+}/support", Participant, s.supportProposal)
	reg.HandleFunc("proposal.follow", "POST", "/p/{slug}/proposals/{id:[0-9]+}/follow", Participant, s.followProposal)
	reg.HandleFunc("section.comment", "POST", "/p/{slug}/sections/{id:[0-9]+}/comments", Participant, s.commentSection)
	reg.HandleFunc("comment.vote", "POST", "/p/{slug}/comments/{id:[0-9]+}/vote", Participant, s.voteComment)
	reg.HandleFunc("section.vote", "POST", "/p/{slug}/sections/{id:[0-9]+}/votes", Participant, s.voteSection)
	reg.HandleFunc("survey.answer", "POST", "/p/{slug}/c/{cid:[0-9]+}/answers", Participant, s.answerSurvey)
	reg.HandleFunc("register", "GET", "/p/{slug}/register", Public, s.registerPage)
	reg.HandleFunc("register.submit", "POST", "/p/{slug}/register", Participant, s.registerSubmit)
	reg.HandleFunc("register.consent", "POST", "/p/{slug}/consent", Participant, s.consentSubmit)
	reg.HandleFunc("verify", "GET", "/p/{slug}/verify", Public, s.verifyPage)
	reg.HandleFunc("verify.submit", "POST", "/p/{slug}/verify", Participant, s.verifySubmit)
	reg.HandleFunc("me", "GET", "/me", Participant, s.mePage)
	s.registerModeration(reg)
	s.registerDataRights(reg)
	s.registerInquiries(reg)
	s.registerCampaignLinks(reg)
	s.registerShare(reg)
	s.registerConsentAPI(reg)
	s.registerWidget(reg)
}

// maxUploadBody fits five pictures at the per-file limit plus the text.
const maxUploadBody = participation.MaxImagesPerProposal*imageMaxBytes + 1<<20

// processCtx is what every page inside a process needs.
type processCtx struct {
	P       participation.Process
	Loc     *time.Location
	Now     time.Time
	Phase   *participation.Phase // the phase running now, if any
	content                      // the language of the texts (content.go)
}

func (pc processCtx) Open(componentID int64) bool {
	if pc.Phase == nil {
		return false
	}
	for _, id := range pc.Phase.OpenComponents {
		if id == componentID {
			return true
		}
	}
	return false
}

func (pc processCtx) Component(id int64) (participation.Component, bool) {
	for _, c := range pc.P.Components {
		if c.ID == id {
			return c, true
		}
	}
	return participation.Component{}, false
}

// PhaseState says whether a phase is past, current or upcoming.
func (pc processCtx) PhaseState(ph participation.Phase) string {
	switch {
	case ph.IsOpenAt(pc.Now):
		return "current"
	case pc.Now.Before(ph.StartsAt):
		return "upcoming"
	}
	return "past"
}

func (s *Server) loadProcess(r *http.Request) (processCtx, error) {
	p, preview, err := s.processBySlug(r, mux.Vars(r)["slug"])
	if err != nil {
		return processCtx{}, err
	}
	pc := s.newProcessCtx(p)
	pc.Preview = preview
	if err := s.localise(r, &pc); err != nil {
		return processCtx{}, err
	}
	return pc, nil
}

func (s *Server) newProcessCtx(p participation.Process) processCtx {
	pc := processCtx{P: p, Loc: zone(p.TimeZone), Now: s.now().UTC()}
	for i := range p.Phases {
		if p.Phases[i].IsOpenAt(pc.Now) {
			pc.Phase = &p.Phases[i]
			break
		}
	}
	return pc
}

func varID(r *http.Request, name string) int64 {
	id, _ := strconv.ParseInt(mux.Vars(r)[name], 10, 64)
	return id
}

var errNotFound = &statusError{status: http.StatusNotFound, key: "err.not_found"}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.ListProcesses(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.participant(r)
	results, err := s.store.PublishedResults(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", state(r).loc.T("home.title"), struct {
		Processes []participation.Process
		Results   map[int64]bool // "what we heard, what we did" is published
		Now       time.Time
	}{list, results, s.now()})
}

// resultsPublished reports whether the process's results report
// ("what we heard, what we did") is public: the pages then link it.
func (s *Server) resultsPublished(r *http.Request, processID int64) (bool, error) {
	rep, err := s.store.ResultsReport(r.Context(), processID)
	return rep.Published(), err
}

func (s *Server) processPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.participant(r)
	s.recordVisit(r, pc.P.ID, 0)
	d, err := s.processData(r, pc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Asked = r.URL.Query().Get("asked") == "1"
	s.render(w, r, http.StatusOK, "process", pc.P.Title, d)
}

// componentPage shows the tool a component offers.
func (s *Server) componentPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, ok := pc.Component(varID(r, "cid"))
	if !ok {
		s.fail(w, r, errNotFound)
		return
	}
	if _, err := s.participant(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.recordVisit(r, pc.P.ID, c.ID)
	switch c.Kind {
	case participation.KindProposals:
		s.proposalsPage(w, r, pc, c)
	case participation.KindDocument:
		s.documentPage(w, r, pc, c, http.StatusOK, nil)
	case participation.KindSurvey:
		s.surveyPage(w, r, pc, c, 0, http.StatusOK, nil, nil)
	default:
		s.fail(w, r, errNotFound)
	}
}

// ---- proposals ----

type proposalsData struct {
	processCtx
	C         participation.Component
	Proposals []participation.Proposal
	Total     int
	Filter    participation.ProposalFilter
	Page      int
	Pages     int
	Regions   []participation.Region
	PrevURL   string
	NextURL   string
	// RegionError says the ?region= asked for is none of the process's
	// regions (a hand-edited or stale link), rather than showing nothing.
	RegionError string
}

const proposalsPerPage = 12

func (s *Server) regions(r *http.Request, p participation.Process) []participation.Region {
	if p.RegionSetID == 0 {
		return nil
	}
	rs, err := s.store.GetRegionSet(r.Context(), p.RegionSetID)
	if err != nil {
		s.log.Warn("web: unable to load region set", "request_id", state(r).id, "err", err)
		return nil
	}
	return rs.Regions
}

func (s *Server) proposalsPage(w http.ResponseWriter, r *http.Request, pc processCtx, c participation.Component) {
	q := r.URL.Query()
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f := participation.ProposalFilter{
		ComponentID: c.ID,
		Tag:         clip(strings.TrimSpace(q.Get("tag")), 60),
		RegionCode:  clip(q.Get("region"), 32),
		Query:       clip(strings.TrimSpace(q.Get("q")), 200),
		Order:       q.Get("order"),
		Limit:       proposalsPerPage,
		Offset:      (page - 1) * proposalsPerPage,
	}
	switch f.Order {
	case "recent", "supports", "comments":
	default:
		f.Order = "recent"
	}
	regions := s.regions(r, pc.P)
	status, regionErr := http.StatusOK, ""
	if f.RegionCode != "" && !hasRegion(regions, f.RegionCode) {
		// Filtering by a code the process does not have would list
		// nothing and not say why: say it, and list without that filter.
		status, regionErr = http.StatusUnprocessableEntity, state(r).loc.T("filter.unknown_region", f.RegionCode)
		f.RegionCode = ""
	}
	list, total, err := s.store.ListProposals(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := proposalsData{processCtx: pc, C: c, Proposals: list, Total: total, Filter: f, Page: page,
		Pages: max(1, (total+proposalsPerPage-1)/proposalsPerPage), Regions: regions, RegionError: regionErr}
	link := func(p int) string {
		v := url.Values{}
		for k, val := range map[string]string{"tag": f.Tag, "region": f.RegionCode, "q": f.Query, "order": f.Order} {
			if val != "" {
				v.Set(k, val)
			}
		}
		v.Set("page", strconv.Itoa(p))
		return r.URL.Path + "?" + v.Encode()
	}
	if page > 1 {
		d.PrevURL = link(page - 1)
	}
	if page < d.Pages {
		d.NextURL = link(page + 1)
	}
	s.render(w, r, status, "proposals", c.Title, d)
}

func hasRegion(regions []participation.Region, code string) bool {
	for _, rg := range regions {
		if rg.Code == code {
			return true
		}
	}
	return false
}

type proposalData struct {
	processCtx
	C         participation.Component
	Proposal  participation.Proposal
	Comments  []participation.Comment
	Supported bool
	Following bool
	// Posted: the viewer is the author, just arrived from sending it.
	Posted  bool
	Form    url.Values
	Errors  map[string]string
	ReplyTo int64
	Region  string     // name of the proposal's region
	Map     *regionMap // the region set's map, when the proposal has a point
	Point   *mapPoint  // the proposal's point, or nil
	// Hidden are the comments moderators hid, shown as their reason.
	Hidden []participation.Moderated
	// Decision is where the proposal stands in its assessment, with the
	// officials' public reason.
	Decision participation.ProposalDecision
}

func (s *Server) loadProposal(r *http.Request, pc processCtx) (participation.Proposal, participation.Component, error) {
	p, err := s.store.GetProposal(r.Context(), varID(r, "id"))
	if err != nil {
		return p, participation.Component{}, err
	}
	c, ok := pc.Component(p.ComponentID)
	if p.ProcessID != pc.P.ID || !ok {
		return p, c, errNotFound
	}
	return p, c, nil
}

func (s *Server) proposalData(r *http.Request, pc processCtx) (proposalData, error) {
	p, c, err := s.loadProposal(r, pc)
	if err != nil {
		return proposalData{}, err
	}
	d := proposalData{processCtx: pc, C: c, Proposal: p, Form: url.Values{}, Errors: map[string]string{}, Region: p.RegionCode}
	if p.RegionCode != "" || p.Lat != nil {
		var regions []participation.Region
		regions, d.Map = s.regionSet(r, pc.P)
		for _, rg := range regions {
			if rg.Code == p.RegionCode {
				d.Region = rg.Name
			}
		}
		d.Point = d.Map.point(p.Lat, p.Lng)
	}
	if d.Comments, err = s.store.ListComments(r.Context(), participation.TargetProposal, p.ID); err != nil {
		return d, err
	}
	if d.Hidden, err = s.store.HiddenComments(r.Context(), participation.TargetProposal, p.ID); err != nil {
		return d, err
	}
	if d.Decision, err = s.store.Decision(r.Context(), p.ID); err != nil {
		return d, err
	}
	me, err := s.participant(r)
	if err != nil {
		return d, err
	}
	if me != nil {
		d.Posted = r.URL.Query().Get("posted") == "1" && me.ID == p.ParticipantID
		if d.Supported, err = s.store.HasSupported(r.Context(), p.ID, me.ID); err != nil {
			return d, err
		}
		if d.Following, err = s.store.IsFollowing(r.Context(), p.ID, me.ID); err != nil {
			return d, err
		}
	}
	return d, nil
}

func (s *Server) proposalPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.proposalData(r, pc)
	if participation.IsNotFound(err) && s.hiddenProposal(w, r, pc) {
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.recordVisit(r, pc.P.ID, d.C.ID)
	s.render(w, r, http.StatusOK, "proposal", d.Proposal.Title, d)
}

func (s *Server) proposalImage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, _, err := s.loadProposal(r, pc); err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveImage(w, r)
}

func (s *Server) serveImage(w http.ResponseWriter, r *http.Request) {
	pos, _ := strconv.Atoi(mux.Vars(r)["pos"])
	img, err := s.store.GetImage(r.Context(), varID(r, "id"), pos)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := img.Data
	if strings.Contains(r.URL.Path, "/thumbs/") {
		body = img.Thumb
	}
	w.Header().Set("Content-Type", img.ContentType)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Header().Set("Content-Disposition", "inline")
	w.Write(body)
}

// commentProposal posts a comment or a reply. htmx gets the comments block
// back; without JavaScript the browser is sent back to the proposal.
func (s *Server) commentProposal(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, _, err := s.loadProposal(r, pc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	me := state(r).participant
	c := participation.Comment{
		ProcessID: pc.P.ID, ComponentID: p.ComponentID, TargetKind: participation.TargetProposal, TargetID: p.ID,
		ParticipantID: me.ID, Kind: participation.CommentPlain, Body: r.PostFormValue("body"),
	}
	if pid, err := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64); err == nil && pid > 0 {
		c.ParentID = &pid
	}
	_, werr := s.store.CreateComment(r.Context(), c)
	if werr != nil && !isFormError(werr) {
		s.failWrite(w, r, pc, werr)
		return
	}
	htmx := r.Header.Get("HX-Request") != ""
	if werr == nil && !htmx {
		redirect(w, r, fmt.Sprintf("/p/%s/proposals/%d#comments", pc.P.Slug, p.ID))
		return
	}
	d, err := s.proposalData(r, pc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	status := http.StatusOK
	if werr != nil {
		status = http.StatusUnprocessableEntity
		d.Form = r.PostForm
		d.Errors = s.fieldMessages(r, werr)
		if c.ParentID != nil {
			d.ReplyTo = *c.ParentID
		}
	}
	if htmx {
		s.renderBlock(w, r, status, "proposal", "comments", "", d)
		return
	}
	s.render(w, r, status, "proposal", d.Proposal.Title, d)
}

// isFormError tells errors the form shows next to its fields apart from
// errors that replace the page.
func isFormError(err error) bool {
	var ve participation.ValidationErrors
	if errors.As(err, &ve) {
		return true
	}
	var de *participation.Error
	return errors.As(err, &de) && de.Code == participation.CodeInvalid
}

// fieldMessages translates a validation failure for a form; errors without
// a field land under "" (shown at the top).
func (s *Server) fieldMessages(r *http.Request, err error) map[string]string {
	out := map[string]string{}
	fe, _ := validationErrors(state(r).loc, err)
	for _, e := range fe {
		if _, dup := out[e.Field]; !dup {
			out[e.Field] = e.Message
		}
	}
	if len(out) == 0 {
		out[""] = state(r).loc.T("err.invalid")
	}
	return out
}

// failWrite answers a refused write: a registered-only process sends the
// citizen to its registration page, everything else is an error page.
func (s *Server) failWrite(w http.ResponseWriter, r *http.Request, pc processCtx, err error) {
	if participation.ErrorCode(err) == participation.CodeRegistered && r.Header.Get("HX-Request") == "" {
		s.render(w, r, http.StatusForbidden, "register_needed", pc.P.Title, pc)
		return
	}
	s.fail(w, r, err)
}

func (s *Server) supportProposal(w http.ResponseWriter, r *http.Request) {
	s.toggle(w, r, "support")
}

func (s *Server) followProposal(w http.ResponseWriter, r *http.Request) {
	s.toggle(w, r, "follow")
}

func (s *Server) toggle(w http.ResponseWriter, r *http.Request, what string) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, _, err := s.loadProposal(r, pc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	on := r.PostFormValue("on") != "0"
	me := state(r).participant
	if what == "support" {
		err = s.store.Support(r.Context(), p.ID, me.ID, on)
	} else {
		err = s.store.Follow(r.Context(), p.ID, me.ID, on)
	}
	if err != nil {
		s.failWrite(w, r, pc, err)
		return
	}
	if r.Header.Get("HX-Request") != "" {
		d, err := s.proposalData(r, pc)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.renderBlock(w, r, http.StatusOK, "proposal", "actions", "", d)
		return
	}
	if r.PostFormValue("back") == "me" { // withdrawn from "my submissions"
		redirect(w, r, "/me#h-my-supports")
		return
	}
	redirect(w, r, fmt.Sprintf("/p/%s/proposals/%d", pc.P.Slug, p.ID))
}
