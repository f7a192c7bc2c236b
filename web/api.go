package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
)

// The API serves the same reads and writes as the pages. It authenticates
// with "Authorization: Bearer <id>.<token>" only — never cookies — so a
// third-party page cannot make a browser call it (no CSRF surface).
func (s *Server) registerAPI(reg Registrar) {
	const v1 = "/api/v1"
	reg.HandleFunc("api.openapi", "GET", v1+"/openapi.json", Public, s.apiOpenAPI)
	reg.HandleFunc("api.schema.process_file", "GET", v1+"/schemas/process-file.json", Public, apiProcessFileSchema)
	reg.HandleFunc("api.participants.create", "POST", v1+"/participants", Public, s.apiCreateParticipant)
	reg.HandleFunc("api.processes", "GET", v1+"/processes", Public, s.apiProcesses)
	reg.HandleFunc("api.process", "GET", v1+"/processes/{id:[0-9]+}", Public, s.apiProcess)
	reg.HandleFunc("api.registration", "POST", v1+"/processes/{id:[0-9]+}/registration", Participant, s.apiRegister)
	reg.HandleFunc("api.verification", "POST", v1+"/processes/{id:[0-9]+}/verification", Participant, s.apiVerify)
	reg.HandleFunc("api.component", "GET", v1+"/components/{id:[0-9]+}", Public, s.apiComponent)
	reg.HandleFunc("api.proposals", "GET", v1+"/components/{id:[0-9]+}/proposals", Public, s.apiProposals)
	reg.HandleFunc("api.proposals.create", "POST", v1+"/components/{id:[0-9]+}/proposals", Participant, s.apiCreateProposal, MaxBody(apiMaxUploadBody))
	reg.HandleFunc("api.document", "GET", v1+"/components/{id:[0-9]+}/document", Public, s.apiDocument)
	reg.HandleFunc("api.survey", "GET", v1+"/components/{id:[0-9]+}/survey", Public, s.apiSurvey)
	reg.HandleFunc("api.response", "GET", v1+"/components/{id:[0-9]+}/response", Participant, s.apiResponse)
	reg.HandleFunc("api.response.page", "POST", v1+"/components/{id:[0-9]+}/response/pages/{page:[0-9]+}", Participant, s.apiSavePage)
	reg.HandleFunc("api.proposal", "GET", v1+"/proposals/{id:[0-9]+}", Public, s.apiProposal)
	reg.HandleFunc("api.proposal.image", "GET", v1+"/proposals/{id:[0-9]+}/images/{pos:[0-9]+}", Public, s.apiImage)
	reg.HandleFunc("api.proposal.support", "POST", v1+"/proposals/{id:[0-9]+}/support", Participant, s.apiToggle("support", true))
	reg.HandleFunc("api.proposal.unsupport", "DELETE", v1+"/proposals/{id:[0-9]+}/support", Participant, s.apiToggle("support", false))
	reg.HandleFunc("api.proposal.follow", "POST", v1+"/proposals/{id:[0-9]+}/follow", Participant, s.apiToggle("follow", true))
	reg.HandleFunc("api.proposal.unfollow", "DELETE", v1+"/proposals/{id:[0-9]+}/follow", Participant, s.apiToggle("follow", false))
	reg.HandleFunc("api.proposal.comments", "GET", v1+"/proposals/{id:[0-9]+}/comments", Public, s.apiComments(participation.TargetProposal))
	reg.HandleFunc("api.proposal.comment", "POST", v1+"/proposals/{id:[0-9]+}/comments", Participant, s.apiCreateComment(participation.TargetProposal))
	reg.HandleFunc("api.section.comments", "GET", v1+"/sections/{id:[0-9]+}/comments", Public, s.apiComments(participation.TargetSection))
	reg.HandleFunc("api.section.comment", "POST", v1+"/sections/{id:[0-9]+}/comments", Participant, s.apiCreateComment(participation.TargetSection))
	reg.HandleFunc("api.comment.vote", "PUT", v1+"/comments/{id:[0-9]+}/vote", Participant, s.apiVote)
	reg.HandleFunc("api.me.submissions", "GET", v1+"/me/submissions", Participant, s.apiMySubmissions)
}

// base64 grows pictures by a third.
const apiMaxUploadBody = participation.MaxImagesPerProposal*imageMaxBytes*4/3 + 1<<20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// decodeJSON reads exactly one JSON object into v; unknown fields, trailing
// data and wrong types are the client's mistake (400), never ours.
func decodeJSON(r *http.Request, v any) error {
	// A body without a Content-Type is refused like a wrong one: taking it
	// as JSON would let a cross-site form (text/plain is a "simple" request)
	// reach the API without a preflight.
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return &statusError{status: http.StatusUnsupportedMediaType, key: "err.json_type"}
	}
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		return &statusError{status: http.StatusBadRequest, key: "err.bad_json", args: []any{jsonProblem(err)}}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &statusError{status: http.StatusBadRequest, key: "err.bad_json", args: []any{"trailing data after the object"}}
	}
	return nil
}

// jsonProblem describes a decoding error without echoing the client's data.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("field %q must be %s", typ.Field, typ.Type.String())
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the body is empty or cut short"
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ")
	}
	return "not a JSON object of the expected shape"
}

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(s.openapi)
}

func (s *Server) apiCreateParticipant(w http.ResponseWriter, r *http.Request) {
	var in struct {
		RegionCode string `json:"region_code"`
	}
	if r.ContentLength != 0 {
		if err := decodeJSON(r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	p, err := s.store.CreateParticipant(r.Context(), clip(in.RegionCode, participation.RegionCodeMax))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{
		"id": p.ID, "kind": p.Kind, "region_code": p.RegionCode,
		"token": fmt.Sprintf("%d.%s", p.ID, p.Token),
	})
}

func (s *Server) apiProcesses(w http.ResponseWriter, r *http.Request) {
	list, err := s.store.ListProcesses(r.Context(), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []participation.Process{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"processes": list})
}

func (s *Server) apiProcess(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.GetProcess(r.Context(), varID(r, "id"), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

// publishedComponent loads a component whose process citizens may see.
func (s *Server) publishedComponent(r *http.Request, id int64) (participation.Component, error) {
	c, err := s.store.GetComponent(r.Context(), id)
	if err != nil {
		return c, err
	}
	if _, err := s.store.GetProcess(r.Context(), c.ProcessID, true); err != nil {
		return c, err
	}
	return c, nil
}

func (s *Server) apiComponent(w http.ResponseWriter, r *http.Request) {
	c, err := s.publishedComponent(r, varID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (s *Server) apiProposals(w http.ResponseWriter, r *http.Request) {
	c, err := s.publishedComponent(r, varID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := participation.ProposalFilter{ComponentID: c.ID, Tag: q.Get("tag"), RegionCode: q.Get("region"), Query: q.Get("q"), Order: q.Get("order")}
	var ve participation.ValidationErrors
	switch f.Order {
	case "", "recent", "supports", "comments":
	default:
		ve.Add("order", "err.bad_choice", "must be recent, supports or comments")
	}
	if v := q.Get("limit"); v != "" {
		if f.Limit, err = strconv.Atoi(v); err != nil || f.Limit < 1 || f.Limit > 100 {
			ve.Add("limit", "err.out_of_range", "must be between %d and %d", 1, 100)
		}
	}
	if v := q.Get("offset"); v != "" {
		if f.Offset, err = strconv.Atoi(v); err != nil || f.Offset < 0 {
			ve.Add("offset", "err.negative", "must not be negative")
		}
	}
	if len(ve) > 0 {
		s.fail(w, r, ve)
		return
	}
	list, total, err := s.store.ListProposals(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if list == nil {
		list = []participation.Proposal{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"proposals": list, "total": total})
}

type apiImageIn struct {
	Data []byte `json:"data"` // base64 in JSON
}

type apiProposalIn struct {
	Title       string       `json:"title"`
	Description string       `json:"description"`
	BudgetMinor int64        `json:"budget_minor"`
	Tags        []string     `json:"tags"`
	RegionCode  string       `json:"region_code"`
	Lat         *float64     `json:"lat"`
	Lng         *float64     `json:"lng"`
	Images      []apiImageIn `json:"images"`
}

func (s *Server) apiCreateProposal(w http.ResponseWriter, r *http.Request) {
	var in apiProposalIn
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.store.GetComponent(r.Context(), varID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := participation.Proposal{
		ProcessID: c.ProcessID, ComponentID: c.ID, ParticipantID: state(r).participant.ID,
		Title: in.Title, Description: in.Description, BudgetMinor: in.BudgetMinor, Tags: in.Tags,
		RegionCode: in.RegionCode, Lat: in.Lat, Lng: in.Lng,
	}
	var ve participation.ValidationErrors
	status := 0
	if len(in.Images) > participation.MaxImagesPerProposal {
		ve.Add("images", "err.too_many_images", "at most %d pictures", participation.MaxImagesPerProposal)
	} else {
		for i, im := range in.Images {
			img, perr, st := checkImage(r.Context(), im.Data, i+1, fmt.Sprintf("images[%d]", i))
			if perr != nil {
				ve = append(ve, perr)
				status = worse(status, st)
				continue
			}
			p.Images = append(p.Images, img)
		}
	}
	if len(ve) > 0 {
		switch status {
		case http.StatusServiceUnavailable:
			fe, _ := validationErrors(state(r).loc, ve)
			w.Header().Set("Retry-After", imageRetryAfter)
			s.problem(w, r, status, state(r).loc.T("err.image_busy_any"), fe)
			return
		case http.StatusRequestEntityTooLarge:
			fe, _ := validationErrors(state(r).loc, ve)
			s.problem(w, r, status, state(r).loc.T("err.image_too_large_any", imageMaxBytes>>20), fe)
			return
		}
		s.fail(w, r, ve)
		return
	}
	id, err := s.store.CreateProposal(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	created, err := s.store.GetProposal(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/proposals/%d", id))
	writeJSON(w, http.StatusCreated, created)
}

// publishedProposal loads a proposal whose process citizens may see.
func (s *Server) publishedProposal(r *http.Request) (participation.Proposal, error) {
	p, err := s.store.GetProposal(r.Context(), varID(r, "id"))
	if err != nil {
		return p, err
	}
	if _, err := s.store.GetProcess(r.Context(), p.ProcessID, true); err != nil {
		return p, err
	}
	return p, nil
}

func (s *Server) apiProposal(w http.ResponseWriter, r *http.Request) {
	p, err := s.publishedProposal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) apiImage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.publishedProposal(r); err != nil {
		s.fail(w, r, err)
		return
	}
	s.serveImage(w, r)
}

func (s *Server) apiToggle(what string, on bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, me := varID(r, "id"), state(r).participant.ID
		var err error
		if what == "support" {
			err = s.store.Support(r.Context(), id, me, on)
		} else {
			err = s.store.Follow(r.Context(), id, me, on)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		p, err := s.store.GetProposal(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if what == "support" {
			writeJSON(w, http.StatusOK, map[string]any{"proposal_id": id, "supported": on, "support_count": p.SupportCount})
		} else {
			writeJSON(w, http.StatusOK, map[string]any{"proposal_id": id, "following": on})
		}
	}
}

// commentTarget checks that the proposal or section exists for citizens and
// returns its process and component.
func (s *Server) commentTarget(r *http.Request, kind participation.TargetKind) (processID, componentID int64, err error) {
	if kind == participation.TargetProposal {
		p, err := s.publishedProposal(r)
		return p.ProcessID, p.ComponentID, err
	}
	sec, err := s.store.GetSection(r.Context(), varID(r, "id"))
	if err != nil {
		return 0, 0, err
	}
	c, err := s.publishedComponent(r, sec.ComponentID)
	return c.ProcessID, c.ID, err
}

func (s *Server) apiComments(kind participation.TargetKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if _, _, err := s.commentTarget(r, kind); err != nil {
			s.fail(w, r, err)
			return
		}
		list, err := s.store.ListComments(r.Context(), kind, varID(r, "id"))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if list == nil {
			list = []participation.Comment{}
		}
		writeJSON(w, http.StatusOK, map[string]any{"comments": list})
	}
}

func (s *Server) apiCreateComment(kind participation.TargetKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Body         string                    `json:"body"`
			ParentID     *int64                    `json:"parent_id"`
			Kind         participation.CommentKind `json:"kind"`
			ProposedText string                    `json:"proposed_text"`
		}
		if err := decodeJSON(r, &in); err != nil {
			s.fail(w, r, err)
			return
		}
		if in.Kind == "" {
			in.Kind = participation.CommentPlain
		}
		// The store finds the target's process and component and checks that
		// it is published and open, in the write's own transaction.
		id, err := s.store.CreateComment(r.Context(), participation.Comment{
			TargetKind: kind, TargetID: varID(r, "id"),
			ParentID: in.ParentID, ParticipantID: state(r).participant.ID, Kind: in.Kind, Body: in.Body, ProposedText: in.ProposedText,
		})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		c, err := s.store.GetComment(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusCreated, c)
	}
}

func (s *Server) apiVote(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Vote participation.Vote `json:"vote"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	id := varID(r, "id")
	if err := s.store.VoteComment(r.Context(), id, state(r).participant.ID, in.Vote); err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.store.GetComment(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"comment": c, "vote": in.Vote})
}

func (s *Server) apiDocument(w http.ResponseWriter, r *http.Request) {
	s.apiComponentRead(w, r, func(ctx context.Context, id int64) (any, error) { return s.store.GetDocument(ctx, id) })
}

func (s *Server) apiSurvey(w http.ResponseWriter, r *http.Request) {
	s.apiComponentRead(w, r, func(ctx context.Context, id int64) (any, error) { return s.store.GetSurvey(ctx, id) })
}

// apiComponentRead answers a read of a published component's content: the
// component must be visible to citizens before read is asked for it.
func (s *Server) apiComponentRead(w http.ResponseWriter, r *http.Request, read func(ctx context.Context, componentID int64) (any, error)) {
	c, err := s.publishedComponent(r, varID(r, "id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v, err := read(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiResponse(w http.ResponseWriter, r *http.Request) {
	resp, err := s.store.GetResponse(r.Context(), varID(r, "id"), state(r).participant.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) apiSavePage(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Answers []participation.Answer `json:"answers"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	page, _ := strconv.Atoi(mux.Vars(r)["page"])
	resp, err := s.store.SaveSurveyPage(r.Context(), varID(r, "id"), state(r).participant.ID, page, in.Answers)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (s *Server) apiMySubmissions(w http.ResponseWriter, r *http.Request) {
	subs, err := s.store.MySubmissions(r.Context(), state(r).participant.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if subs.Proposals == nil {
		subs.Proposals = []participation.Proposal{}
	}
	if subs.Comments == nil {
		subs.Comments = []participation.Comment{}
	}
	if subs.Responses == nil {
		subs.Responses = []participation.Response{}
	}
	if subs.Supports == nil {
		subs.Supports = []int64{}
	}
	writeJSON(w, http.StatusOK, subs)
}

func (s *Server) apiRegister(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Consent       bool   `json:"consent"`
		NoticeVersion int    `json:"notice_version"`
		Name          string `json:"name"`
		Email         string `json:"email"`
		Phone         string `json:"phone"`
		Region        string `json:"region"`
		AgeBand       string `json:"age_band"`
		Gender        string `json:"gender"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.store.GetProcess(r.Context(), varID(r, "id"), true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	loc := state(r).loc
	if p.Mode != participation.ModeRegistered || p.PrivacyNotice == nil {
		s.problem(w, r, http.StatusConflict, loc.T("err.not_registered_mode"), nil)
		return
	}
	if !in.Consent {
		s.problem(w, r, http.StatusForbidden, loc.T("err.consent_required"), []fieldError{{Field: "consent", Message: loc.T("err.consent_required")}})
		return
	}
	if in.NoticeVersion != p.PrivacyNotice.Version {
		s.problem(w, r, http.StatusConflict, loc.T("err.notice_changed"), []fieldError{{Field: "notice_version", Message: loc.T("err.notice_changed")}})
		return
	}
	me := state(r).participant.ID
	err = s.register(r, p, me, participation.Consent{ProcessID: p.ID, ParticipantID: me, NoticeVersion: in.NoticeVersion, Purpose: "participation"},
		participation.Profile{ProcessID: p.ID, Name: in.Name, Email: in.Email, Phone: in.Phone, RegionCode: in.Region, AgeBand: in.AgeBand, Gender: in.Gender})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	channel := ""
	if in.Email != "" {
		channel = "email"
	} else if in.Phone != "" {
		channel = "phone"
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"status": "verification_sent", "channel": channel})
}

func (s *Server) apiVerify(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Secret string `json:"secret"`
	}
	if err := decodeJSON(r, &in); err != nil {
		s.fail(w, r, err)
		return
	}
	id := varID(r, "id")
	if err := s.store.Verify(r.Context(), id, state(r).participant.ID, strings.TrimSpace(in.Secret)); err != nil {
		var locked *participation.Error
		if errors.As(err, &locked) && locked.Code == participation.CodeLocked {
			retryAfter(w, locked)
		}
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"registered": true})
}
