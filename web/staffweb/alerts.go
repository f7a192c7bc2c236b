package staffweb

import (
	"context"
	"net/http"
)

// AlertChoices keeps which alerts reach a staff member by email (issue 12:
// "officials choose which alerts reach them"). The message service holds
// the choices; cmd adapts it.
type AlertChoices interface {
	// AlertKinds lists the kinds of alert staff can choose, in page order.
	AlertKinds() []string
	// StaffAlerts returns staff member's choices, kind → wanted; a kind
	// never chosen is absent (wanted).
	StaffAlerts(ctx context.Context, staffID int64) (map[string]bool, error)
	SetStaffAlerts(ctx context.Context, staffID int64, wanted map[string]bool) error
}

// alertChoice is one line of the account page's checklist.
type alertChoice struct {
	Kind   string
	Wanted bool
}

func (a *Area) alertChoices(r *http.Request) ([]alertChoice, error) {
	if a.opts.Alerts == nil {
		return nil, nil
	}
	chosen, err := a.opts.Alerts.StaffAlerts(r.Context(), callerOf(r).user.ID)
	if err != nil {
		return nil, err
	}
	var out []alertChoice
	for _, k := range a.opts.Alerts.AlertKinds() {
		wanted, set := chosen[k]
		out = append(out, alertChoice{Kind: k, Wanted: wanted || !set})
	}
	return out, nil
}

// saveAlerts stores the checklist: a box left unticked is an alert the
// staff member does not want by email (the monitor still shows it).
func (a *Area) saveAlerts(w http.ResponseWriter, r *http.Request) {
	wanted := map[string]bool{}
	for _, k := range a.opts.Alerts.AlertKinds() {
		wanted[k] = r.PostFormValue("alert."+k) == "on"
	}
	if err := a.opts.Alerts.SetStaffAlerts(r.Context(), callerOf(r).user.ID, wanted); err != nil {
		a.fail(w, r, err)
		return
	}
	redirect(w, r, "/staff/account?done=alerts#h-alerts")
}
