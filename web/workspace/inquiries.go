package workspace

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// The team's inbox (issue 19, "Ask the team"): the questions citizens sent
// from the process page, filtered by status, each assigned to someone with
// a role on the process, answered (by email to the address the asker gave,
// and on their "my submissions" in any case), closed, published as an FAQ
// entry in words the official edits, or hidden by moderation. Officials
// (edit_process) decide; every decision is a store write with its event,
// then an audit entry. The contact address never reaches the page nor the
// audit log: the page says only whether there is one.

// Inquiries is the part of the store that keeps the questions.
type Inquiries = participation.Inquiries

// StaffDirectory names who may be assigned an inquiry: the role holders of
// the process (*staff.Service).
type StaffDirectory interface {
	StaffOf(ctx context.Context, processID int64) ([]staff.StaffMember, error)
	GetUser(ctx context.Context, id int64) (staff.User, error)
}

// InquiryAnswer is one answer to send to the address an asker gave.
type InquiryAnswer struct {
	InquiryID int64
	To        string
	Lang      string
	Process   string // the process's title in Lang
	Link      string // the process page, after the site's base address
	Question  string
	Answer    string
}

// InboxPath is a process's inbox, for the staff pages' links.
func InboxPath(processID int64) string { return processPath(processID) + "/inquiries" }

func (ws *Workspace) inquiryRoutes(reg web.Registrar) {
	const get, post = http.MethodGet, http.MethodPost
	edit := staffweb.Rule(staff.EditProcess)
	const I = "/staff/processes/{process:[0-9]+}/inquiries"
	reg.HandleFunc("ws.inquiries", get, I, edit, ws.inboxPage)
	reg.HandleFunc("ws.inquiry.assign", post, I+"/{inquiry:[0-9]+}/assign", edit, ws.assignInquiry)
	reg.HandleFunc("ws.inquiry.answer", post, I+"/{inquiry:[0-9]+}/answer", edit, ws.answerInquiry)
	reg.HandleFunc("ws.inquiry.close", post, I+"/{inquiry:[0-9]+}/close", edit, ws.closeInquiry)
	reg.HandleFunc("ws.inquiry.faq", post, I+"/{inquiry:[0-9]+}/faq", edit, ws.publishFAQ)
	reg.HandleFunc("ws.inquiry.hide", post, I+"/{inquiry:[0-9]+}/hide", edit, ws.hideInquiry)
}

type assignee struct {
	ID   int64
	Name string
}

type inboxData struct {
	P         participation.Process
	Loc       *time.Location
	Items     []participation.Inquiry
	Total     int
	Status    participation.InquiryStatus // the filter; "" for all
	Statuses  []participation.InquiryStatus
	Counts    map[participation.InquiryStatus]int
	All       int
	Assignees []assignee
	Names     map[int64]string
	F         *form // the refused decision, if any
	FailedOn  int64 // the inquiry it was about
}

// Value is a field of an inquiry's forms: what was typed when its form was
// refused, else what is stored.
func (d inboxData) Value(q participation.Inquiry, field string) string {
	if d.F != nil && d.FailedOn == q.ID {
		return d.F.Get(field)
	}
	switch field {
	case "answer":
		return q.Answer
	case "faq_question":
		if q.FAQQuestion != "" {
			return q.FAQQuestion
		}
		return q.Question
	case "faq_answer":
		if q.FAQAnswer != "" {
			return q.FAQAnswer
		}
		return q.Answer
	case "reason":
		return q.HiddenReason
	}
	return ""
}

// Err is the message beside an inquiry's field after a refusal.
func (d inboxData) Err(q participation.Inquiry, field string) string {
	if d.F == nil || d.FailedOn != q.ID {
		return ""
	}
	return d.F.Err(field)
}

func (ws *Workspace) inboxPage(w http.ResponseWriter, r *http.Request) {
	ws.renderInbox(w, r, http.StatusOK, nil, 0)
}

func (ws *Workspace) renderInbox(w http.ResponseWriter, r *http.Request, status int, f *form, failedOn int64) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := inboxData{P: p, Loc: zone(p.TimeZone), Statuses: participation.InquiryStatuses, F: f, FailedOn: failedOn,
		Status: participation.InquiryStatus(r.URL.Query().Get("status"))}
	if !slices.Contains(d.Statuses, d.Status) {
		d.Status = ""
	}
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	if d.Items, d.Total, err = ws.store.ListInquiries(r.Context(), participation.InquiryFilter{ProcessID: p.ID, Status: d.Status, Offset: offset}); err != nil {
		ws.fail(w, r, err)
		return
	}
	if d.Counts, err = ws.store.InquiryCounts(r.Context(), p.ID); err != nil {
		ws.fail(w, r, err)
		return
	}
	for _, n := range d.Counts {
		d.All += n
	}
	if d.Assignees, err = ws.assignees(r.Context(), p.ID); err != nil {
		ws.fail(w, r, err)
		return
	}
	d.Names = map[int64]string{}
	for _, a := range d.Assignees {
		d.Names[a.ID] = a.Name
	}
	if f == nil {
		f = newForm(nil)
	}
	d.F = f
	ws.render(w, r, status, "inquiries", ws.loc(r).T("inquiries.title"), d)
}

// assignees are the process's role holders, once each, by name.
func (ws *Workspace) assignees(ctx context.Context, processID int64) ([]assignee, error) {
	if ws.cfg.Staff == nil {
		return nil, nil
	}
	members, err := ws.cfg.Staff.StaffOf(ctx, processID)
	if err != nil {
		return nil, err
	}
	var out []assignee
	for _, m := range members {
		if slices.ContainsFunc(out, func(a assignee) bool { return a.ID == m.UserID }) {
			continue
		}
		u, err := ws.cfg.Staff.GetUser(ctx, m.UserID)
		if err != nil {
			return nil, err
		}
		if u.Disabled {
			continue
		}
		name := u.Name
		if name == "" {
			name = u.Email
		}
		out = append(out, assignee{ID: u.ID, Name: name})
	}
	return out, nil
}

// inquiryDecision runs one decision on the route's inquiry: the inquiry
// must be the process's (else 404), write is the store call, and what it
// returns is audited with the inquiry as it was before; after, when not
// nil, follows the audit and names the done flash. A refusal shows the
// inbox again with the typed text beside the inquiry's form.
func (ws *Workspace) inquiryDecision(w http.ResponseWriter, r *http.Request, action string,
	write func(p participation.Process, q participation.Inquiry, f *form) (participation.Inquiry, error),
	after func(r *http.Request, p participation.Process, q participation.Inquiry) string) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	before, err := ws.store.GetInquiry(r.Context(), p.ID, varID(r, "inquiry"))
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	changed, err := write(p, before, f)
	if err != nil {
		if participation.IsNotFound(err) || !ws.absorb(r, f, err) {
			ws.fail(w, r, err)
			return
		}
		ws.renderInbox(w, r, statusFor(f), f, before.ID)
		return
	}
	if err := ws.audit(r, action, p.ID, "inquiry:"+itoa(before.ID), auditView(before), auditView(changed)); err != nil {
		ws.fail(w, r, err)
		return
	}
	done := "saved"
	if after != nil {
		done = after(r, p, changed)
	}
	to := InboxPath(p.ID)
	if st := participation.InquiryStatus(f.Get("filter")); slices.Contains(participation.InquiryStatuses, st) {
		to += "?status=" + string(st)
	}
	redirect(w, r, to, done)
}

// auditView is an inquiry as the audit log keeps it: the decision's
// fields, never the contact address.
func auditView(q participation.Inquiry) map[string]any {
	return map[string]any{"status": q.Status, "assignee_id": q.AssigneeID, "answer": q.Answer, "faq": q.FAQ,
		"faq_question": q.FAQQuestion, "faq_answer": q.FAQAnswer, "hidden": q.Hidden, "hidden_reason": q.HiddenReason}
}

func (ws *Workspace) assignInquiry(w http.ResponseWriter, r *http.Request) {
	ws.inquiryDecision(w, r, "inquiry.assign", func(p participation.Process, q participation.Inquiry, f *form) (participation.Inquiry, error) {
		id, _ := strconv.ParseInt(f.Get("assignee"), 10, 64)
		if id != 0 {
			list, err := ws.assignees(r.Context(), p.ID)
			if err != nil {
				return q, err
			}
			if !slices.ContainsFunc(list, func(a assignee) bool { return a.ID == id }) {
				return q, participation.ValidationErrors{participation.Errorf(participation.CodeInvalid, "assignee",
					"inquiries.not_on_process", "holds no role on this process")}
			}
		}
		return ws.store.AssignInquiry(r.Context(), p.ID, q.ID, id, staffID(r))
	}, nil)
}

func (ws *Workspace) answerInquiry(w http.ResponseWriter, r *http.Request) {
	ws.inquiryDecision(w, r, "inquiry.answer", func(p participation.Process, q participation.Inquiry, f *form) (participation.Inquiry, error) {
		return ws.store.AnswerInquiry(r.Context(), p.ID, q.ID, f.Get("answer"), staffID(r))
	}, ws.sendAnswer)
}

// sendAnswer queues the answer for the address the asker gave. The answer
// is stored and on their "my submissions" whatever happens here, so a
// failure to queue is logged (never the address) and said on the page.
func (ws *Workspace) sendAnswer(r *http.Request, p participation.Process, q participation.Inquiry) string {
	if q.Email == "" {
		return "inquiry_answered_me"
	}
	if ws.cfg.SendInquiryAnswer == nil {
		return "inquiry_answered_unsent"
	}
	title := p.Title
	if tr, err := ws.store.Translations(r.Context(), p.ID); err == nil && len(p.Languages) > 0 {
		title, _ = participation.NewTexts(p.Languages[0], tr).Get(participation.EntityProcess, p.ID, "title", q.Lang, p.Title)
	}
	if err := ws.cfg.SendInquiryAnswer(r.Context(), InquiryAnswer{InquiryID: q.ID, To: q.Email, Lang: q.Lang, Process: title,
		Link: "/p/" + p.Slug + "#ask", Question: q.Question, Answer: q.Answer}); err != nil {
		ws.log.Error("workspace: unable to queue an inquiry's answer", "request_id", web.RequestID(r), "inquiry", q.ID, "err", err)
		return "inquiry_answered_unsent"
	}
	return "inquiry_answered_sent"
}

func (ws *Workspace) closeInquiry(w http.ResponseWriter, r *http.Request) {
	ws.inquiryDecision(w, r, "inquiry.close", func(p participation.Process, q participation.Inquiry, f *form) (participation.Inquiry, error) {
		return ws.store.CloseInquiry(r.Context(), p.ID, q.ID, staffID(r))
	}, nil)
}

func (ws *Workspace) publishFAQ(w http.ResponseWriter, r *http.Request) {
	ws.inquiryDecision(w, r, "inquiry.faq", func(p participation.Process, q participation.Inquiry, f *form) (participation.Inquiry, error) {
		return ws.store.PublishFAQ(r.Context(), p.ID, q.ID, f.Get("publish") == "1", f.Get("faq_question"), f.Get("faq_answer"), staffID(r))
	}, nil)
}

func (ws *Workspace) hideInquiry(w http.ResponseWriter, r *http.Request) {
	ws.inquiryDecision(w, r, "inquiry.hide", func(p participation.Process, q participation.Inquiry, f *form) (participation.Inquiry, error) {
		return ws.store.HideInquiry(r.Context(), p.ID, q.ID, f.Get("hide") == "1", f.Get("reason"), staffID(r))
	}, nil)
}
