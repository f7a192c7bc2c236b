package staffweb

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// Deliveries is what the staff pages read of the message service (package
// notify; cmd adapts it): the deliveries table and the templates' gaps.
type Deliveries interface {
	// Counts is how many deliveries are in each state.
	Counts(ctx context.Context) (map[string]int, error)
	// List returns deliveries newest first; State "" is every state,
	// Before (a delivery id) pages back. An unknown state is ErrUnknownState.
	List(ctx context.Context, f DeliveryFilter) ([]Delivery, error)
	// MissingTemplates lists the kinds each language lacks (sent in English).
	MissingTemplates(langs ...string) []TemplateGap
}

// ErrUnknownState is Deliveries.List's answer for a state it does not know.
var ErrUnknownState = errors.New("staffweb: unknown delivery state")

// DeliveryFilter selects deliveries.
type DeliveryFilter struct {
	State  string
	Before int64
	Limit  int
}

// Delivery is one message as staff may see it: the address masked, never
// the text.
type Delivery struct {
	ID            int64     `json:"id"`
	Kind          string    `json:"kind"`
	Channel       string    `json:"channel"`
	To            string    `json:"to"` // masked: a***@example.org
	Lang          string    `json:"lang"`
	State         string    `json:"state"` // queued, sending, sent, failed
	Attempts      int       `json:"attempts"`
	LastError     string    `json:"last_error,omitempty"`
	CreatedAt     time.Time `json:"created_at"`
	NextAttemptAt time.Time `json:"next_attempt_at"`
	SentAt        time.Time `json:"sent_at,omitzero"`
}

// TemplateGap is a kind of message a language has no template for.
type TemplateGap struct{ Kind, Lang string }

// deliveryStates are the states, in the order the counts show them.
var deliveryStates = []string{"failed", "queued", "sending", "sent"}

// deliveryKinds are the kinds the filter offers.
var deliveryKinds = []string{"verification", "staff_invitation", "staff_reset", "reply", "decision",
	"document_version", "phase_opened", "phase_closed", "results", "moderation", "low_engagement"}

const deliveriesPerPage = 50

type deliveriesData struct {
	Configured bool
	Counts     map[string]int
	States     []string
	Kinds      []string
	State      string
	Kind       string
	Rows       []Delivery
	Next       int64 // the "older" link's before; 0: no older page
	Gaps       []processGap
}

// processGap is a process whose messages are partly sent in English.
type processGap struct {
	Process string
	Gaps    []TemplateGap
}

// deliveryPage reads one page of deliveries for a filter. The message
// service filters by state; the kind is filtered here, reading further back
// a bounded number of rows, so the page may hold fewer than a full page
// (the "older" link goes on from where the reading stopped).
func (a *Area) deliveryPage(ctx context.Context, state, kind string, before int64) ([]Delivery, int64, error) {
	const batch, maxBatches = 200, 20
	var out []Delivery
	for range maxBatches {
		rows, err := a.opts.Deliveries.List(ctx, DeliveryFilter{State: state, Before: before, Limit: batch})
		if err != nil {
			return nil, 0, err
		}
		for i, d := range rows {
			if kind != "" && d.Kind != kind {
				continue
			}
			out = append(out, d)
			if len(out) == deliveriesPerPage {
				if i == len(rows)-1 && len(rows) < batch {
					return out, 0, nil
				}
				return out, d.ID, nil
			}
		}
		if len(rows) < batch {
			return out, 0, nil
		}
		before = rows[len(rows)-1].ID
	}
	return out, before, nil
}

// deliveryQuery reads and checks the filters of the page and the API.
func deliveryQuery(r *http.Request) (state, kind string, before int64, ok bool) {
	q := r.URL.Query()
	state, kind = q.Get("state"), q.Get("kind")
	if state != "" && !slices.Contains(deliveryStates, state) {
		return "", "", 0, false
	}
	if kind != "" && !slices.Contains(deliveryKinds, kind) {
		return "", "", 0, false
	}
	if b := q.Get("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			return "", "", 0, false
		}
		before = n
	}
	return state, kind, before, true
}

// deliveries is the admin's view of the deliveries table. Admins only: a
// delivery does not record its process, so an official's own share of it
// cannot be told apart.
func (a *Area) deliveries(w http.ResponseWriter, r *http.Request) {
	d := deliveriesData{States: deliveryStates, Kinds: deliveryKinds, Configured: a.opts.Deliveries != nil}
	if !d.Configured {
		a.render(w, r, http.StatusOK, "deliveries", "deliveries.title", d)
		return
	}
	state, kind, before, ok := deliveryQuery(r)
	if !ok {
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.deliveries_filter")
		return
	}
	d.State, d.Kind = state, kind
	var err error
	if d.Counts, err = a.opts.Deliveries.Counts(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Rows, d.Next, err = a.deliveryPage(r.Context(), state, kind, before); err != nil {
		a.fail(w, r, err)
		return
	}
	if d.Gaps, err = a.templateGaps(r.Context()); err != nil {
		a.fail(w, r, err)
		return
	}
	a.render(w, r, http.StatusOK, "deliveries", "deliveries.title", d)
}

// templateGaps lists, per process, the kinds of message one of its
// languages has no template for (issue 12: "the workspace says so").
func (a *Area) templateGaps(ctx context.Context) ([]processGap, error) {
	procs, err := a.opts.Store.ListProcesses(ctx, false)
	if err != nil {
		return nil, err
	}
	var out []processGap
	for _, p := range procs {
		if gaps := a.opts.Deliveries.MissingTemplates(processLanguages(p)...); len(gaps) > 0 {
			out = append(out, processGap{Process: p.Title, Gaps: gaps})
		}
	}
	return out, nil
}

func processLanguages(p participation.Process) []string {
	if len(p.Languages) == 0 {
		return []string{"en"}
	}
	return p.Languages
}

func (a *Area) apiDeliveries(w http.ResponseWriter, r *http.Request) {
	if a.opts.Deliveries == nil {
		a.failStatus(w, r, http.StatusNotFound, "err.not_found")
		return
	}
	state, kind, before, ok := deliveryQuery(r)
	if !ok {
		a.failStatus(w, r, http.StatusUnprocessableEntity, "err.deliveries_filter")
		return
	}
	counts, err := a.opts.Deliveries.Counts(r.Context())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rows, next, err := a.deliveryPage(r.Context(), state, kind, before)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []Delivery{}
	}
	body := map[string]any{"counts": counts, "deliveries": rows}
	if next != 0 {
		body["next_before"] = next
	}
	writeJSON(w, http.StatusOK, "application/json", body)
}
