package dashweb

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// The decision forms' texts and refusals, English and Kiswahili, are the
// dashboards' catalogue (one catalogue for the pages and their forms). The
// store's refusals carry web/i18n keys (err.*), read from its catalogue.
var formTexts, storeTexts = func() (*i18n.Bundle, *i18n.Bundle) {
	forms, err := i18n.LoadFS(dashboards.Catalog(), "en")
	if err != nil {
		panic(err) // a broken embedded catalogue: caught by any test
	}
	store, err := i18n.Load("en")
	if err != nil {
		panic(err)
	}
	return forms, store
}()

// pick chooses a bundle's language as the staff and citizen pages do:
// ?lang=, the lang cookie (the choice a person made on any page), then
// Accept-Language.
func pick(b *i18n.Bundle, r *http.Request) *i18n.Localizer {
	var cookie string
	if c, err := r.Cookie("lang"); err == nil {
		cookie = c.Value
	}
	return b.Pick(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"))
}

// refuse answers a bad decision form in the viewer's language.
func refuse(w http.ResponseWriter, r *http.Request, status int, key string, args ...any) {
	l := pick(formTexts, r)
	w.Header().Set("Content-Language", l.Lang())
	http.Error(w, l.T(key, args...), status)
}

// Decisions is what the officials' forms write: their decisions are store
// writes with outbox events (participation.Decisions, which the store
// implements); the ingester carries them to the warehouse the pages read.
type Decisions interface {
	AddAlertRule(ctx context.Context, a participation.AlertRule) (participation.Written, error)
	DeleteAlertRule(ctx context.Context, processID, ruleID int64, staffID int64) (participation.AlertRule, participation.Written, error)
	PublishPanel(ctx context.Context, processID int64, panel string, staffID int64) (participation.Written, error)
	UnpublishPanel(ctx context.Context, processID int64, panel string, staffID int64) (participation.Written, error)
	AddThemeEdit(ctx context.Context, e participation.ThemeEdit) (participation.Written, error)
	SetCampaignCounting(ctx context.Context, c participation.CampaignCounting) (participation.CampaignCounting, participation.Written, error)
}

// Auditor records a staff write in the audit log (*staff.Service).
type Auditor interface {
	Audit(ctx context.Context, e staff.Entry) error
}

// defaultSettle bounds the wait for the warehouse to reach a decision.
const defaultSettle = 2 * time.Second

// official is the signed-in account a decision is made by; the staff guard
// has already checked its role on the route's process.
func (h *Handlers) official(w http.ResponseWriter, r *http.Request) (int64, bool) {
	if h.cfg.Decisions == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return 0, false
	}
	u, ok := staffweb.UserFrom(r.Context())
	if !ok {
		http.Error(w, "Forbidden", http.StatusForbidden)
		return 0, false
	}
	return u.ID, true
}

// decided finishes a decision the store has taken: it records it in the
// staff audit log and waits (bounded) for the warehouse to reach its event,
// so that the page the official lands on shows it. A decision that changed
// nothing (seq 0) is neither audited nor waited for.
func (h *Handlers) decided(r *http.Request, seq int64, e staff.Entry) {
	if seq == 0 {
		return
	}
	if h.cfg.Audit != nil {
		if err := h.cfg.Audit.Audit(r.Context(), e); err != nil {
			// The decision is stored; failing the request would invite a
			// second one.
			h.cfg.Logger.Error("dashweb: unable to audit a decision", "request_id", web.RequestID(r), "action", e.Action, "err", err)
		}
	}
	if h.cfg.Live == nil {
		return
	}
	if !dashboards.WaitFor(r.Context(), h.cfg.Live, seq, h.cfg.Settle) {
		h.cfg.Logger.Warn("dashweb: the warehouse has not reached a decision yet", "request_id", web.RequestID(r),
			"action", e.Action, "seq", seq, "waited", h.cfg.Settle)
	}
}

// failDecision answers a refused decision: 422 with the store's reasons
// (in the viewer's language), 404 for what is not there, 500 (logged) for
// the rest.
func (h *Handlers) failDecision(w http.ResponseWriter, r *http.Request, err error) {
	var v participation.ValidationErrors
	switch {
	case errors.As(err, &v):
		l, sl := pick(formTexts, r), pick(storeTexts, r)
		msgs := []string{l.T("dash.err.refused")}
		for _, e := range v {
			msgs = append(msgs, e.Field+": "+sl.T(e.Key, e.Args...))
		}
		w.Header().Set("Content-Language", l.Lang())
		http.Error(w, strings.Join(msgs, "\n"), http.StatusUnprocessableEntity)
	case participation.IsNotFound(err):
		h.fail(w, r, dashboards.ErrNotFound)
	case participation.ErrorCode(err) != "":
		http.Error(w, err.Error(), http.StatusConflict)
	default:
		h.fail(w, r, fmt.Errorf("dashweb: unable to store a decision: %w", err))
	}
}
