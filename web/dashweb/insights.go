package dashweb

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/csrf"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
)

// themeForms are the officials' edits on the theme drill-down: rename,
// merge into another theme of the list, split.
type themeForms struct {
	CSRF   string
	Action string // "/staff/p/1/themes/" + rename|merge|split
	Back   string // the dashboard's filter, to come back to
	Theme  dashboards.ThemeRef
	Others []dashboards.ThemeRef
	Max    int
}

// countingForm switches the process between counting each campaign once
// and counting every copy.
type countingForm struct {
	CSRF, Action, Back string
	Once               bool
}

// drillQuery is the filter's query without key, ready for "key=<id>".
func drillQuery(f dashboards.Filter, key string) string {
	q := f.Values()
	q.Del(key)
	out := q.Encode()
	if out != "" {
		out += "&"
	}
	return out + key + "="
}

// officialsForms adds the edit forms to a staff fragment. They show to every
// viewer, like the publish form; the POST routes are for officials only.
func (h *Handlers) officialsForms(r *http.Request, rv *resultView, pn *dashboards.Panel, f dashboards.Filter) {
	back := f
	back.Theme = 0
	switch pn.Name {
	case "theme-detail":
		if !h.cfg.Dash.CanEditThemes() || len(rv.R.Themes) == 0 {
			return
		}
		rv.Themes = &themeForms{CSRF: csrf.Token(r), Action: fmt.Sprintf("/staff/p/%d/themes/", f.Process), Back: back.Values().Encode(),
			Theme: rv.R.Themes[0], Others: rv.R.Themes[1:], Max: dashboards.MaxThemeLabel}
	case "campaigns":
		once, err := h.cfg.Dash.CountOnce(r.Context(), f.Process)
		if err != nil {
			h.cfg.Logger.Error("dashweb: unable to read campaign counting", "request_id", web.RequestID(r), "err", err)
			return
		}
		rv.Counting = &countingForm{CSRF: csrf.Token(r), Action: fmt.Sprintf("/staff/p/%d/campaign-counting", f.Process), Back: back.Values().Encode(), Once: once}
	}
}

// insightsURL is the insights dashboard with the filter the form came from
// (re-read, so only filter keys survive) and the theme to show.
func insightsURL(process int64, back string, theme int64) string {
	v, _ := url.ParseQuery(back)
	f := dashboards.ParseFilter(process, v)
	f.Theme = theme
	q := f.Values().Encode()
	if q != "" {
		q = "?" + q
	}
	return fmt.Sprintf("/staff/p/%d/dashboards/insights%s", process, q)
}

func formID(r *http.Request, key string) int64 {
	n, err := strconv.ParseInt(r.FormValue(key), 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// editTheme stores one official's edit (the route's last segment says
// which) once the themes as they stand allow it, waits for the warehouse
// to have it and has the themes job show it. The account comes from the
// staff guard, so an edit is always someone's; theme_edits keeps the id,
// never a name.
func (h *Handlers) editTheme(w http.ResponseWriter, r *http.Request) {
	staffID, ok := h.official(w, r)
	if !ok {
		return
	}
	process, theme := processID(r), formID(r, "theme")
	if theme == 0 {
		refuse(w, r, http.StatusUnprocessableEntity, "dash.err.choose_theme")
		return
	}
	if _, err := h.cfg.Dash.Process(r.Context(), process); err != nil {
		h.fail(w, r, err)
		return
	}
	e := dashboards.ThemeEdit{Kind: r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:], Theme: theme, Label: r.FormValue("label")}
	show := theme
	if e.Kind == dashboards.ThemeMerge {
		if e.Into = formID(r, "into"); e.Into == 0 {
			refuse(w, r, http.StatusUnprocessableEntity, "dash.err.choose_into")
			return
		}
		show = e.Into
	}
	e, scope, err := h.cfg.Dash.CheckThemeEdit(r.Context(), process, e)
	if err != nil {
		h.failEdit(w, r, err)
		return
	}
	// The themes as they stood, for the audit log: the edited one, and for
	// a merge the one it joins.
	var before []dashboards.ThemeState
	for _, id := range []int64{e.Theme, e.Into} {
		if id == 0 {
			continue
		}
		th, err := h.cfg.Dash.ThemeState(r.Context(), process, id)
		if err != nil {
			h.failEdit(w, r, err)
			return
		}
		before = append(before, th)
	}
	stored := participation.ThemeEdit{ProcessID: process, Scope: scope.Kind, ScopeID: scope.ID, Kind: e.Kind, ThemeID: e.Theme,
		OtherID: e.Into, Label: e.Label, StaffID: staffID}
	done, err := h.cfg.Decisions.AddThemeEdit(r.Context(), stored)
	if err != nil {
		h.failDecision(w, r, err)
		return
	}
	stored.ID = done.ID
	h.decided(r, done.Seq, staff.Entry{ActorID: staffID, Action: "theme." + e.Kind, ProcessID: process, Target: fmt.Sprintf("theme:%d", theme), Before: before, After: stored})
	if err := h.cfg.Dash.ApplyThemeEdits(r.Context(), process); err != nil {
		// Stored all the same: the job's next pass shows it.
		h.cfg.Logger.Error("dashweb: unable to apply a theme edit now", "request_id", web.RequestID(r), "err", err)
	}
	http.Redirect(w, r, insightsURL(process, r.FormValue("back"), show), http.StatusSeeOther)
}

// failEdit: 404 for a theme that is not there, 422 with the reason for an
// edit that cannot be made, 500 (logged) for the rest.
func (h *Handlers) failEdit(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, dashboards.ErrInvalid) && !errors.Is(err, dashboards.ErrNotFound) {
		msg := err.Error()
		if i := strings.LastIndex(msg, dashboards.ErrInvalid.Error()+": "); i >= 0 {
			msg = msg[i+len(dashboards.ErrInvalid.Error())+2:]
		}
		http.Error(w, msg, http.StatusUnprocessableEntity)
		return
	}
	h.fail(w, r, err)
}

// counting is a process's campaign counting, for the audit log.
type counting struct {
	CountOnce bool `json:"count_once"`
}

func (h *Handlers) setCounting(w http.ResponseWriter, r *http.Request) {
	staffID, ok := h.official(w, r)
	if !ok {
		return
	}
	var once bool
	switch r.FormValue("count_once") {
	case "1":
		once = true
	case "0":
	default:
		refuse(w, r, http.StatusUnprocessableEntity, "dash.err.choose_counting")
		return
	}
	process := processID(r)
	if _, err := h.cfg.Dash.Process(r.Context(), process); err != nil {
		h.fail(w, r, err)
		return
	}
	before, done, err := h.cfg.Decisions.SetCampaignCounting(r.Context(), participation.CampaignCounting{ProcessID: process, CountOnce: once, StaffID: staffID})
	if err != nil {
		h.failDecision(w, r, err)
		return
	}
	h.decided(r, done.Seq, staff.Entry{ActorID: staffID, Action: "campaign_counting.set", ProcessID: process, Target: "campaign_counting",
		Before: counting{before.CountOnce}, After: counting{once}})
	http.Redirect(w, r, insightsURL(process, r.FormValue("back"), 0), http.StatusSeeOther)
}
