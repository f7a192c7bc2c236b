package staffweb

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/staff"
)

func isInvalid(err error) bool {
	return errors.Is(err, staff.ErrInvalid) || errors.Is(err, staff.ErrWeakPassword)
}
func isExists(err error) bool   { return errors.Is(err, staff.ErrExists) }
func isConflict(err error) bool { return errors.Is(err, staff.ErrConflict) }

// contextWithoutCancel keeps the request's values for work that outlives
// the response (sending a mail).
func contextWithoutCancel(r *http.Request) context.Context {
	return context.WithoutCancel(r.Context())
}

type apiGrant struct {
	ProcessID int64      `json:"process_id,omitempty"`
	Role      staff.Role `json:"role"`
}

func (a *Area) apiMe(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	grants, err := a.svc.RolesOf(r.Context(), c.user.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	roles := make([]apiGrant, 0, len(grants))
	for _, g := range grants {
		roles = append(roles, apiGrant{ProcessID: g.ProcessID, Role: g.Role})
	}
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"id": c.user.ID, "email": c.user.Email, "name": c.user.Name, "admin": c.user.Admin,
		"totp_enabled": c.user.TOTPEnabled, "roles": roles, "session_expires_at": c.session.ExpiresAt,
	})
}

func (a *Area) apiProcess(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	p, err := a.opts.Store.GetProcess(r.Context(), id, false)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	c := callerOf(r)
	grants, err := a.svc.RolesOf(r.Context(), c.user.ID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	roles := []staff.Role{}
	for _, g := range grants {
		if g.ProcessID == id || g.Role == staff.RoleAdmin {
			roles = append(roles, g.Role)
		}
	}
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"id": p.ID, "slug": p.Slug, "title": p.Title, "published": p.Published, "roles": roles,
	})
}

type apiRecord struct {
	ID        int64           `json:"id"`
	At        time.Time       `json:"at"`
	ActorID   int64           `json:"actor_id"`
	Action    string          `json:"action"`
	ProcessID int64           `json:"process_id,omitempty"`
	Target    string          `json:"target,omitempty"`
	Before    json.RawMessage `json:"before,omitempty"`
	After     json.RawMessage `json:"after,omitempty"`
	// Changes is the readable form of Before → After: one entry per changed
	// key (staff.Diff), values whole.
	Changes []staff.Change `json:"changes"`
}

func (a *Area) apiAudit(w http.ResponseWriter, r *http.Request) {
	f, _, ok := a.auditFilter(r)
	if !ok {
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.invalid")
		return
	}
	recs, next, err := a.svc.ListAudit(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := make([]apiRecord, 0, len(recs))
	for _, rec := range recs {
		out = append(out, apiRecord{ID: rec.ID, At: rec.At, ActorID: rec.ActorID, Action: rec.Action,
			ProcessID: rec.ProcessID, Target: rec.Target, Before: rec.Before, After: rec.After,
			Changes: append([]staff.Change{}, staff.Diff(rec.Before, rec.After)...)})
	}
	body := map[string]any{"records": out}
	if next != 0 {
		body["next_before"] = next
	}
	writeJSON(w, http.StatusOK, "application/json", body)
}
