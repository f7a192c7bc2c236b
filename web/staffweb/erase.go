package staffweb

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
)

// Erasing a participant on their request (issue 14), the staff page of
// `civicpulse participant erase`: admins only (ManageStaff), since a
// participant's data spans processes. Each erasure is an audit entry that
// names the participant by id only: the email is what was just erased, and
// it is never logged.
func (a *Area) eraseRoutes(reg web.Registrar) {
	reg.HandleFunc("staff.admin.erase", http.MethodGet, "/staff/admin/participants/erase", Rule(staff.ManageStaff), a.erasePage)
	reg.HandleFunc("staff.admin.erase.submit", http.MethodPost, "/staff/admin/participants/erase", Rule(staff.ManageStaff), a.eraseParticipant)
}

type eraseData struct {
	Email   string
	Remove  bool
	Errors  map[string]string
	Message string // a catalogue key
	Erased  int    // participants erased by the request just made
}

func (a *Area) erasePage(w http.ResponseWriter, r *http.Request) {
	d := eraseData{Errors: map[string]string{}}
	d.Erased, _ = strconv.Atoi(r.URL.Query().Get("erased"))
	a.render(w, r, http.StatusOK, "erase", "erase.title", d)
}

func (a *Area) eraseParticipant(w http.ResponseWriter, r *http.Request) {
	loc := a.loc(r)
	d := eraseData{Email: strings.TrimSpace(r.PostFormValue("email")), Errors: map[string]string{}}
	switch r.PostFormValue("contributions") {
	case "keep":
	case "remove":
		d.Remove = true
	default:
		d.Errors["contributions"] = loc.T("erase.err_choice")
	}
	if r.PostFormValue("confirm") != "yes" {
		d.Errors["confirm"] = loc.T("erase.err_confirm")
	}
	var ids []int64
	if d.Email == "" {
		d.Errors["email"] = loc.T("erase.err_email")
	} else if found, err := a.opts.Store.ParticipantsByEmail(r.Context(), d.Email); participation.ErrorCode(err) == participation.CodeInvalid {
		d.Errors["email"] = loc.T("erase.err_email")
	} else if err != nil {
		a.fail(w, r, err)
		return
	} else if len(found) == 0 {
		// Also the answer to a request made twice: after the first,
		// nothing holds the email any more.
		d.Errors["email"] = loc.T("erase.err_nobody")
	} else {
		ids = found
	}
	if len(d.Errors) > 0 {
		a.render(w, r, http.StatusUnprocessableEntity, "erase", "erase.title", d)
		return
	}
	by := callerOf(r).user.ID
	for _, id := range ids {
		e, err := a.opts.Store.Erase(r.Context(), id, d.Remove)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		if err := a.svc.Audit(r.Context(), staff.Entry{ActorID: by, Action: "participant.erase",
			Target: "participant " + strconv.FormatInt(id, 10) + " (staff page, on request)", After: e}); err != nil {
			a.fail(w, r, err)
			return
		}
	}
	redirect(w, r, "/staff/admin/participants/erase?erased="+strconv.Itoa(len(ids)))
}
