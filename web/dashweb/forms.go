package dashweb

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
)

// The officials' alert and publish forms: each a decision the store keeps
// (see decisions.go).

func (h *Handlers) addAlert(w http.ResponseWriter, r *http.Request) {
	staffID, ok := h.official(w, r)
	if !ok {
		return
	}
	th, err1 := strconv.ParseFloat(r.FormValue("threshold"), 64)
	hours, err2 := strconv.Atoi(r.FormValue("window_hours"))
	if err1 != nil {
		refuse(w, r, http.StatusUnprocessableEntity, "dash.err.threshold")
		return
	}
	if err2 != nil && r.FormValue("window_hours") != "" {
		refuse(w, r, http.StatusUnprocessableEntity, "dash.err.window")
		return
	}
	process := processID(r)
	if _, err := h.cfg.Dash.Process(r.Context(), process); err != nil {
		h.fail(w, r, err)
		return
	}
	rule := participation.AlertRule{ProcessID: process, Kind: r.FormValue("kind"), Threshold: th, WindowHours: hours, StaffID: staffID}
	done, err := h.cfg.Decisions.AddAlertRule(r.Context(), rule)
	if err != nil {
		h.failDecision(w, r, err)
		return
	}
	rule, _ = rule.Normalize()
	rule.ID = done.ID
	h.decided(r, done.Seq, staff.Entry{ActorID: staffID, Action: "alert_rule.add", ProcessID: process, Target: fmt.Sprintf("alert_rule:%d", done.ID), After: rule})
	http.Redirect(w, r, fmt.Sprintf("/staff/p/%d/dashboards/monitor", process), http.StatusSeeOther)
}

func (h *Handlers) deleteAlert(w http.ResponseWriter, r *http.Request) {
	staffID, ok := h.official(w, r)
	if !ok {
		return
	}
	rule := formID(r, "rule")
	if rule == 0 {
		refuse(w, r, http.StatusUnprocessableEntity, "dash.err.choose_rule")
		return
	}
	process := processID(r)
	if _, err := h.cfg.Dash.Process(r.Context(), process); err != nil {
		h.fail(w, r, err)
		return
	}
	before, done, err := h.cfg.Decisions.DeleteAlertRule(r.Context(), process, rule, staffID)
	if participation.IsNotFound(err) {
		// Most likely deleted a moment ago, in another tab or by a colleague.
		refuse(w, r, http.StatusNotFound, "dash.err.no_rule")
		return
	}
	if err != nil {
		h.failDecision(w, r, err)
		return
	}
	h.decided(r, done.Seq, staff.Entry{ActorID: staffID, Action: "alert_rule.delete", ProcessID: process, Target: fmt.Sprintf("alert_rule:%d", rule), Before: before})
	http.Redirect(w, r, fmt.Sprintf("/staff/p/%d/dashboards/monitor", process), http.StatusSeeOther)
}

// publication is a panel's place on the public page, for the audit log.
type publication struct {
	Panel     string `json:"panel"`
	Published bool   `json:"published"`
}

func (h *Handlers) publish(w http.ResponseWriter, r *http.Request) {
	staffID, ok := h.official(w, r)
	if !ok {
		return
	}
	process, panel, on := processID(r), r.FormValue("panel"), r.FormValue("publish") != "0"
	if _, err := h.cfg.Dash.Process(r.Context(), process); err != nil {
		h.fail(w, r, err)
		return
	}
	var done participation.Written
	var err error
	action := "panel.unpublish"
	if on {
		action = "panel.publish"
		if err := dashboards.CanPublish(panel); err != nil {
			h.failEdit(w, r, err)
			return
		}
		done, err = h.cfg.Decisions.PublishPanel(r.Context(), process, panel, staffID)
	} else {
		done, err = h.cfg.Decisions.UnpublishPanel(r.Context(), process, panel, staffID)
	}
	if err != nil {
		h.failDecision(w, r, err)
		return
	}
	h.decided(r, done.Seq, staff.Entry{ActorID: staffID, Action: action, ProcessID: process, Target: "panel:" + panel,
		Before: publication{panel, !on}, After: publication{panel, on}})
	http.Redirect(w, r, fmt.Sprintf("/results/%d", process), http.StatusSeeOther)
}
