package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/civicpulse/civicpulse/participation"
)

// Citizens' side of moderation (issue 13): a "Report" link on every
// proposal, comment and open answer leads to a small form (no JavaScript
// needed); a hidden item shows "hidden by the moderators: <reason>" in its
// place, for everyone. Reporting is a participant write like the others:
// CSRF-checked and rate limited by the route's middleware, and anonymous
// participants may report (one is created on the first write).

func (s *Server) registerModeration(reg Registrar) {
	reg.HandleFunc("report", "GET", "/p/{slug}/report", Public, s.reportPage)
	reg.HandleFunc("report.submit", "POST", "/p/{slug}/report", Participant, s.reportSubmit)
}

// ReportPath is the report form of a contribution (the templates' link).
func ReportPath(slug string, kind participation.ContributionKind, id, questionID int64) string {
	path := "/p/" + url.PathEscape(slug) + "/report?kind=" + url.QueryEscape(string(kind)) + "&id=" + strconv.FormatInt(id, 10)
	if questionID > 0 {
		path += "&q=" + strconv.FormatInt(questionID, 10)
	}
	return path
}

type reportData struct {
	processCtx
	Ref     participation.ContributionRef
	Back    string
	Reasons []participation.ReportReason
	Form    url.Values
	Errors  map[string]string
	Done    bool
}

func readRef(v url.Values) participation.ContributionRef {
	ref := participation.ContributionRef{Kind: participation.ContributionKind(v.Get("kind"))}
	ref.ID, _ = strconv.ParseInt(v.Get("id"), 10, 64)
	ref.QuestionID, _ = strconv.ParseInt(v.Get("q"), 10, 64)
	return ref
}

// reportTarget checks the contribution is one of this process and
// reportable, and says where "back" goes.
func (s *Server) reportTarget(r *http.Request, pc processCtx, ref participation.ContributionRef) (string, error) {
	switch ref.Kind {
	case participation.ContribProposal, participation.ContribComment, participation.ContribAnswer:
	default:
		return "", errNotFound
	}
	m, err := s.store.GetModeration(r.Context(), ref)
	if err != nil {
		return "", err
	}
	if m.ProcessID != pc.P.ID {
		return "", errNotFound
	}
	base := "/p/" + pc.P.Slug
	switch ref.Kind {
	case participation.ContribProposal:
		return fmt.Sprintf("%s/proposals/%d", base, ref.ID), nil
	case participation.ContribComment:
		c, err := s.store.GetComment(r.Context(), ref.ID)
		if err != nil {
			return "", err
		}
		if c.TargetKind == participation.TargetProposal {
			return fmt.Sprintf("%s/proposals/%d#comment-%d", base, c.TargetID, c.ID), nil
		}
		return fmt.Sprintf("%s/c/%d?comment=%d", base, c.ComponentID, c.ID), nil
	}
	return fmt.Sprintf("%s/c/%d", base, m.ComponentID), nil
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref := readRef(r.URL.Query())
	back, err := s.reportTarget(r, pc, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := reportData{processCtx: pc, Ref: ref, Back: back, Reasons: participation.ReportReasons, Form: url.Values{}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, "report", state(r).loc.T("report.title"), d)
}

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) {
	pc, err := s.loadProcess(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ref := readRef(r.PostForm)
	back, err := s.reportTarget(r, pc, ref)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	me := state(r).participant
	rep := participation.Report{Ref: ref, ParticipantID: me.ID, Reason: participation.ReportReason(r.PostFormValue("reason")),
		Text: r.PostFormValue("text")}
	d := reportData{processCtx: pc, Ref: ref, Back: back, Reasons: participation.ReportReasons, Form: r.PostForm, Errors: map[string]string{}}
	status := http.StatusOK
	switch _, err := s.store.Report(r.Context(), rep); {
	case err == nil:
		d.Done = true
	case isFormError(err):
		status, d.Errors = http.StatusUnprocessableEntity, s.fieldMessages(r, err)
	case participation.ErrorCode(err) == participation.CodeDuplicate:
		// Counted once already: say so kindly, it is not the citizen's fault.
		d.Done = true
	case participation.ErrorCode(err) == participation.CodeConflict:
		status, d.Errors = http.StatusConflict, map[string]string{"": state(r).loc.T("report.not_published")}
	default:
		s.failWrite(w, r, pc, err)
		return
	}
	s.render(w, r, status, "report", state(r).loc.T("report.title"), d)
}

// hiddenProposal answers the page of a proposal moderators hid or that
// waits for approval: its reason in place of its text (410 Gone for a hidden
// one, 404 for the rest). ok is false when it is simply not there.
func (s *Server) hiddenProposal(w http.ResponseWriter, r *http.Request, pc processCtx) bool {
	ref := participation.ContributionRef{Kind: participation.ContribProposal, ID: varID(r, "id")}
	m, err := s.store.GetModeration(r.Context(), ref)
	if err != nil || m.ProcessID != pc.P.ID {
		return false
	}
	status := http.StatusGone
	switch m.Status {
	case participation.StatusHidden, participation.StatusRejected:
		if m.Reason == "" { // hidden outside moderation (an import): no reason to show
			return false
		}
	case participation.StatusPending:
		status = http.StatusNotFound
	default:
		return false
	}
	s.render(w, r, status, "moderated", state(r).loc.T("moderation.hidden_title"), moderatedData{processCtx: pc, M: m})
	return true
}

type moderatedData struct {
	processCtx
	M participation.Moderated
}

// myModeration reads the moderation states of a citizen's submissions that
// are not shown, keyed "kind:id" for the "my submissions" page.
func (s *Server) myModeration(r *http.Request, sub participation.Submissions) (map[string]participation.Moderated, error) {
	out := map[string]participation.Moderated{}
	var props, comments []int64
	for _, p := range sub.Proposals {
		if p.Status != participation.StatusPublished {
			props = append(props, p.ID)
		}
	}
	for _, c := range sub.Comments {
		if c.Status != participation.StatusPublished {
			comments = append(comments, c.ID)
		}
	}
	for kind, ids := range map[participation.ContributionKind][]int64{participation.ContribProposal: props, participation.ContribComment: comments} {
		states, err := s.store.ModerationStates(r.Context(), kind, ids)
		if err != nil {
			return nil, err
		}
		for id, m := range states {
			out[fmt.Sprintf("%s:%d", kind, id)] = m
		}
	}
	return out, nil
}
