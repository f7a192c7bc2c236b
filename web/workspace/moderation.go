package workspace

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// Moderation (issue 13): a process's queue of reported and pending
// contributions, and the moderators' decisions on them. The queue and the
// decisions need the moderate permission (moderators, officials, admins);
// the process's moderation settings (auto-hide number, pre-moderation per
// component) are set-up and need edit_process. Every decision is a store
// write with its outbox event, then an audit entry.

// moderationRoutes registers the moderation pages and API.
func (ws *Workspace) moderationRoutes(reg web.Registrar) {
	const get, post = http.MethodGet, http.MethodPost
	moderate := staffweb.Rule(staff.Moderate)
	edit := staffweb.Rule(staff.EditProcess)
	const P = "/staff/processes/{process:[0-9]+}"
	reg.HandleFunc("ws.moderate.queue", get, P+"/moderation", moderate, ws.queuePage)
	reg.HandleFunc("ws.moderate.decide", post, P+"/moderation", moderate, ws.moderateItem)
	reg.HandleFunc("ws.moderation.settings", post, P+"/moderation/settings", edit, ws.saveModerationSettings)

	const A = "/api/v1/staff/processes/{process:[0-9]+}"
	reg.HandleFunc("api.ws.moderate.queue", get, A+"/moderation", moderate, ws.apiQueue)
	reg.HandleFunc("api.ws.moderate.decide", post, A+"/moderation", moderate, ws.apiModerateItem)
	ws.answerRoutes(reg)
}

// QueuePath is a process's moderation queue, for the staff pages' links.
func QueuePath(processID int64) string { return processPath(processID) + "/moderation" }

type queueData struct {
	P       participation.Process
	Items   []participation.Moderated
	Total   int
	Filter  participation.QueueFilter
	Comps   map[int64]string // component titles
	Reasons []participation.ReportReason
	Kinds   []participation.ContributionKind
	// The campaigns the filter offers (none without the warehouse) and
	// the one chosen.
	Campaigns []dashboards.CampaignChoice
	Campaign  int64
	AutoHide  int
	Premod    map[int64]bool
	CanEdit   bool
	F         *form // the refused decision, if any
	FailedOn  participation.ContributionRef
	Loc       *time.Location
}

// Actions lists what a moderator may do to an item in its status (the
// state machine's legal moves).
func (queueData) Actions(st participation.Status) []participation.ModerationAction {
	var out []participation.ModerationAction
	for _, a := range []participation.ModerationAction{participation.ActHide, participation.ActRestore, participation.ActApprove, participation.ActReject} {
		if _, err := participation.Transition(st, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// Campaigns are the warehouse's campaigns (form letters) of a process and
// their copies (*dashboards.Dashboards); the queue narrows to one
// campaign's copies.
type Campaigns interface {
	CampaignChoices(ctx context.Context, processID int64) ([]dashboards.CampaignChoice, error)
	CampaignMembers(ctx context.Context, processID, campaignID int64) ([]dashboards.CampaignMember, error)
}

// queue reads the queue the request asks for, narrowed to a campaign's
// copies when it names one.
func (ws *Workspace) queue(r *http.Request, processID int64) (participation.QueueFilter, []participation.Moderated, int, error) {
	f := queueFilter(r.URL.Query(), processID)
	if c, err := strconv.ParseInt(r.URL.Query().Get("campaign"), 10, 64); err == nil && c > 0 && ws.cfg.Campaigns != nil {
		members, err := ws.cfg.Campaigns.CampaignMembers(r.Context(), processID, c)
		if err != nil {
			return f, nil, 0, err
		}
		f.Among = make([]participation.ContributionRef, len(members))
		for i, m := range members {
			f.Among[i] = participation.ContributionRef{Kind: participation.ContributionKind(m.Kind), ID: m.ID, QuestionID: m.QuestionID}
		}
	}
	items, total, err := ws.store.ModerationQueue(r.Context(), f)
	return f, items, total, err
}

func queueFilter(q url.Values, processID int64) participation.QueueFilter {
	f := participation.QueueFilter{ProcessID: processID, Kind: participation.ContributionKind(q.Get("kind")),
		Reason: participation.ReportReason(q.Get("reason"))}
	f.ComponentID, _ = strconv.ParseInt(q.Get("component"), 10, 64)
	f.Offset, _ = strconv.Atoi(q.Get("offset"))
	return f
}

func (ws *Workspace) queuePage(w http.ResponseWriter, r *http.Request) {
	ws.renderQueue(w, r, http.StatusOK, nil, participation.ContributionRef{})
}

func (ws *Workspace) renderQueue(w http.ResponseWriter, r *http.Request, status int, f *form, failedOn participation.ContributionRef) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	d := queueData{P: p, Comps: map[int64]string{}, Premod: map[int64]bool{},
		Reasons: participation.ReportReasons, F: f, FailedOn: failedOn, Loc: zone(p.TimeZone),
		Kinds: []participation.ContributionKind{participation.ContribProposal, participation.ContribComment, participation.ContribAnswer}}
	ctx := r.Context()
	if d.Filter, d.Items, d.Total, err = ws.queue(r, p.ID); err != nil {
		ws.fail(w, r, err)
		return
	}
	if ws.cfg.Campaigns != nil {
		if d.Campaigns, err = ws.cfg.Campaigns.CampaignChoices(ctx, p.ID); err != nil {
			ws.fail(w, r, err)
			return
		}
		d.Campaign, _ = strconv.ParseInt(r.URL.Query().Get("campaign"), 10, 64)
	}
	for _, c := range p.Components {
		d.Comps[c.ID] = c.Title
		if d.Premod[c.ID], err = ws.store.IsPremoderated(ctx, c.ID); err != nil {
			ws.fail(w, r, err)
			return
		}
	}
	if d.AutoHide, err = ws.store.AutoHideAfter(ctx, p.ID); err != nil {
		ws.fail(w, r, err)
		return
	}
	if ws.cfg.Guard != nil {
		d.CanEdit = ws.allowed(r, staff.EditProcess, p.ID)
	}
	ws.render(w, r, status, "moderation", ws.loc(r).T("mod.title"), d)
}

// allowed asks the staff guard whether the caller holds perm on the process
// (to offer the settings form only to those who may save it).
func (ws *Workspace) allowed(r *http.Request, perm staff.Permission, processID int64) bool {
	ok := false
	h := ws.cfg.Guard(web.Staff{Role: string(perm)}, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { ok = true }))
	h.ServeHTTP(discard{}, withVars(r, map[string]string{"process": itoa(processID)}))
	return ok
}

// decisionInput is a decision as a form or the API sends it.
type decisionInput struct {
	Kind       participation.ContributionKind `json:"kind"`
	ID         int64                          `json:"id"`
	QuestionID int64                          `json:"question_id,omitempty"`
	Action     participation.ModerationAction `json:"action"`
	Reason     string                         `json:"reason"`
}

func (in decisionInput) ref() participation.ContributionRef {
	return participation.ContributionRef{Kind: in.Kind, ID: in.ID, QuestionID: in.QuestionID}
}

// applyDecision checks that the item belongs to the process of the route
// (else it is not found: a moderator of one process cannot learn of
// another's items), decides, and audits.
func (ws *Workspace) applyDecision(r *http.Request, p participation.Process, in decisionInput) (participation.Moderated, error) {
	ref := in.ref()
	before, err := ws.store.GetModeration(r.Context(), ref)
	if err != nil {
		return before, err
	}
	if before.ProcessID != p.ID {
		return before, participation.Errorf(participation.CodeNotFound, "id", "err.not_found", "no such contribution")
	}
	d := participation.ModerationDecision{Ref: ref, Action: in.Action, Reason: in.Reason}
	if u, ok := userFrom(r); ok {
		d.StaffID = u.ID
	}
	after, err := ws.store.Moderate(r.Context(), d)
	if err != nil {
		return after, err
	}
	target := string(ref.Kind) + ":" + itoa(ref.ID)
	if ref.QuestionID != 0 {
		target += ":" + itoa(ref.QuestionID)
	}
	if err := ws.audit(r, "moderation."+string(in.Action), p.ID, target,
		map[string]any{"status": before.Status, "reason": before.Reason},
		map[string]any{"status": after.Status, "reason": after.Reason}); err != nil {
		return after, err
	}
	return after, nil
}

func (ws *Workspace) moderateItem(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	in := decisionInput{Kind: participation.ContributionKind(f.Get("kind")), Action: participation.ModerationAction(f.Get("action")),
		Reason: strings.TrimSpace(f.Get("reason"))}
	in.ID, _ = strconv.ParseInt(f.Get("id"), 10, 64)
	in.QuestionID, _ = strconv.ParseInt(f.Get("question_id"), 10, 64)
	back := QueuePath(p.ID)
	if q := r.URL.Query().Encode(); q != "" {
		back += "?" + q
	}
	// applyDecision audits the decision itself (the API's too).
	ws.formWrite(w, r, f, func() error {
		_, err := ws.applyDecision(r, p, in)
		return err
	}, nil, func(status int) {
		for k, msg := range f.Errors {
			f.Other = append(f.Other, msg)
			delete(f.Errors, k)
		}
		ws.renderQueue(w, r, status, f, in.ref())
	}, back, "moderated")
}

func (ws *Workspace) saveModerationSettings(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	f := newForm(r.PostForm)
	ctx := r.Context()
	n, err := strconv.Atoi(strings.TrimSpace(f.Get("auto_hide_after")))
	if err != nil {
		f.Errors["auto_hide_after"] = ws.loc(r).T("mod.err_auto_hide")
		ws.renderQueue(w, r, http.StatusUnprocessableEntity, f, participation.ContributionRef{})
		return
	}
	before := map[string]any{}
	after := map[string]any{"auto_hide_after": n}
	if before["auto_hide_after"], err = ws.store.AutoHideAfter(ctx, p.ID); err != nil {
		ws.fail(w, r, err)
		return
	}
	if err := ws.store.SetAutoHideAfter(ctx, p.ID, n); err != nil {
		if !ws.absorb(r, f, err) {
			ws.fail(w, r, err)
			return
		}
		ws.renderQueue(w, r, http.StatusUnprocessableEntity, f, participation.ContributionRef{})
		return
	}
	for _, c := range p.Components {
		on := f.Has("premoderated", itoa(c.ID))
		was, err := ws.store.IsPremoderated(ctx, c.ID)
		if err != nil {
			ws.fail(w, r, err)
			return
		}
		before["premoderated:"+itoa(c.ID)], after["premoderated:"+itoa(c.ID)] = was, on
		if was != on {
			if err := ws.store.SetPremoderated(ctx, c.ID, on); err != nil {
				ws.fail(w, r, err)
				return
			}
		}
	}
	if err := ws.audit(r, "moderation.settings", p.ID, "process:"+itoa(p.ID), before, after); err != nil {
		ws.fail(w, r, err)
		return
	}
	redirect(w, r, QueuePath(p.ID), "saved")
}

// queueJSON is the API's answer for a queue.
type queueJSON struct {
	Items []participation.Moderated `json:"items"`
	Total int                       `json:"total"`
}

func (ws *Workspace) apiQueue(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	_, items, total, err := ws.queue(r, p.ID)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	if items == nil {
		items = []participation.Moderated{}
	}
	writeJSON(w, http.StatusOK, "application/json", queueJSON{Items: items, Total: total})
}

func (ws *Workspace) apiModerateItem(w http.ResponseWriter, r *http.Request) {
	p, err := ws.process(r)
	if err != nil {
		ws.fail(w, r, err)
		return
	}
	var in decisionInput
	if !ws.decode(w, r, &in) {
		return
	}
	m, err := ws.applyDecision(r, p, in)
	if err != nil {
		if participation.IsNotFound(err) {
			ws.fail(w, r, err)
			return
		}
		ws.apiFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, "application/json", m)
}
