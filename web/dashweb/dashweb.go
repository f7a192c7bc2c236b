// Package dashweb serves the dashboards: staff pages (live monitor, survey
// statistics, document and proposal overviews) whose panels load as htmx
// fragments and refresh over server-sent events, and the public results
// page, where every number goes through small-cell suppression.
//
// Mount it on the site:
//
//	site.Mount(dashweb.New(dashweb.Config{Dash: d, Live: wh, Decisions: store, Audit: staffService, Assets: site}).Routes)
package dashweb

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/csrf"
	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Access rules. web.Staff carries the permission the staff guard checks
// for the {process} of the route (see staff.Permission).
var (
	viewRule = web.Staff{Role: "view_dashboard"}
	editRule = web.Staff{Role: "edit_process"}
)

// Config wires the handlers.
type Config struct {
	Dash *dashboards.Dashboards
	Live dashboards.Source // the warehouse; nil: no live updates
	// Decisions keeps what officials decide on these pages (the
	// participation store): alert rules, published panels, theme edits,
	// campaign counting. nil: the forms answer 404.
	Decisions Decisions
	// Audit records each decision in the staff audit log; nil: not recorded.
	Audit Auditor
	// Settle bounds how long a form waits for the warehouse to reach the
	// decision it stored before showing the next page (default 2 s).
	Settle time.Duration
	Assets interface{ AssetURL(string) string }
	Logger *slog.Logger
	// LiveFor ends each live stream after this long (default 10 minutes);
	// the browser reconnects at once. Bounded streams let proxies and load
	// balancers rebalance, and let a route walk read a live answer to its end.
	LiveFor time.Duration
}

// Handlers serves the dashboards.
type Handlers struct {
	cfg    Config
	tpl    *template.Template
	static map[string]asset
}

type asset struct {
	hash, ctype string
	body        []byte
}

// New builds the handlers; it panics on a broken embedded template (a
// build error, caught by any test).
func New(cfg Config) *Handlers {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.LiveFor <= 0 {
		cfg.LiveFor = 10 * time.Minute
	}
	if cfg.Settle <= 0 {
		cfg.Settle = defaultSettle
	}
	h := &Handlers{cfg: cfg, static: map[string]asset{}}
	h.tpl = template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))
	fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := staticFS.ReadFile(p)
		sum := sha256.Sum256(b)
		ct := "application/octet-stream"
		switch {
		case strings.HasSuffix(p, ".js"):
			ct = "text/javascript; charset=utf-8"
		case strings.HasSuffix(p, ".css"):
			ct = "text/css; charset=utf-8"
		case strings.HasSuffix(p, ".geojson"):
			ct = "application/geo+json"
		case strings.HasSuffix(p, ".md"):
			ct = "text/plain; charset=utf-8"
		}
		h.static[strings.TrimPrefix(p, "static/")] = asset{hex.EncodeToString(sum[:6]), ct, b}
		return nil
	})
	return h
}

func (h *Handlers) own(name string) string {
	a, ok := h.static[name]
	if !ok {
		panic("dashweb: no static file " + name)
	}
	return "/dash-static/" + a.hash + "/" + name
}

// Routes registers the pages; pass it to (*web.Server).Mount.
func (h *Handlers) Routes(_ *mux.Router, reg web.Registrar) {
	reg.HandleFunc("dash.static", http.MethodGet, "/dash-static/{hash}/{name}", web.Public, h.serveStatic)
	reg.HandleFunc("dash.page", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}", viewRule, h.page)
	reg.HandleFunc("dash.panel", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/panels/{panel}", viewRule, h.panel)
	reg.HandleFunc("dash.csv", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/panels/{panel}/csv", viewRule, h.csv)
	reg.HandleFunc("dash.xlsx", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/panels/{panel}/xlsx", viewRule, h.xlsx)
	reg.HandleFunc("dash.live", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/live", viewRule, h.live)
	reg.HandleFunc("dash.alert.add", http.MethodPost, "/staff/p/{process:[0-9]+}/alerts", editRule, h.addAlert)
	reg.HandleFunc("dash.alert.delete", http.MethodPost, "/staff/p/{process:[0-9]+}/alerts/delete", editRule, h.deleteAlert)
	reg.HandleFunc("dash.publish", http.MethodPost, "/staff/p/{process:[0-9]+}/publish", editRule, h.publish)
	reg.HandleFunc("dash.theme.rename", http.MethodPost, "/staff/p/{process:[0-9]+}/themes/rename", editRule, h.editTheme)
	reg.HandleFunc("dash.theme.merge", http.MethodPost, "/staff/p/{process:[0-9]+}/themes/merge", editRule, h.editTheme)
	reg.HandleFunc("dash.theme.split", http.MethodPost, "/staff/p/{process:[0-9]+}/themes/split", editRule, h.editTheme)
	reg.HandleFunc("dash.counting", http.MethodPost, "/staff/p/{process:[0-9]+}/campaign-counting", editRule, h.setCounting)
	reg.HandleFunc("dash.results", http.MethodGet, "/results/{process:[0-9]+}", web.Public, h.results)
	reg.HandleFunc("dash.results.panel", http.MethodGet, "/results/{process:[0-9]+}/panels/{panel}", web.Public, h.resultsPanel)
}

func (h *Handlers) serveStatic(w http.ResponseWriter, r *http.Request) {
	v := mux.Vars(r)
	a, ok := h.static[v["name"]]
	if !ok || a.hash != v["hash"] {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", a.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(a.body))
}

func processID(r *http.Request) int64 {
	n, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	return n
}

// fail answers an error once: 404 for what does not exist (or is not
// published), 500 with the cause logged otherwise.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, dashboards.ErrNotFound) {
		http.Error(w, "Not found", http.StatusNotFound)
		return
	}
	h.cfg.Logger.Error("dashweb: request failed", "request_id", web.RequestID(r), "err", err)
	http.Error(w, "Something went wrong", http.StatusInternalServerError)
}

type navItem struct {
	Title, URL string
	Current    bool
}

type panelLink struct{ Name, Title, URL string }

type pageData struct {
	Title   string
	Process *dashboards.Process
	Nav     []navItem
	Filters bool
	F       map[string]string
	Panels  []panelLink
	Live    string
	Public  bool
	CSRF    string
	Asset   func(string) string
	Own     func(string) string
	Publish []string // publishable panels (for officials' form)
	Alerts  bool     // show the officials' alert-rule form
	Rules   []dashboards.AlertRule
	L       *i18n.Localizer // the decision forms' texts (catalog/)
}

func (h *Handlers) base(r *http.Request, p *dashboards.Process, title string) pageData {
	return pageData{L: pick(formTexts, r), Title: title, Process: p, CSRF: csrf.Token(r), Asset: h.cfg.Assets.AssetURL, Own: h.own}
}

func filterMap(f dashboards.Filter) map[string]string {
	m := map[string]string{}
	for k, v := range f.Values() {
		m[k] = v[0]
	}
	for _, k := range []string{"from", "to", "phase", "component", "region", "bucket"} {
		if _, ok := m[k]; !ok {
			m[k] = ""
		}
	}
	return m
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request) {
	db := dashboards.Find(mux.Vars(r)["dashboard"])
	if db == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	p, err := h.cfg.Dash.Process(r.Context(), processID(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	f := dashboards.ParseFilter(p.ID, r.URL.Query())
	q := f.Values().Encode()
	if q != "" {
		q = "?" + q
	}
	d := h.base(r, p, db.Title)
	d.Filters, d.F = true, filterMap(f)
	prefix := fmt.Sprintf("/staff/p/%d/dashboards/", p.ID)
	for _, x := range dashboards.All() {
		d.Nav = append(d.Nav, navItem{x.Title, prefix + x.Name + q, x == db})
	}
	for _, pn := range db.Panels {
		d.Panels = append(d.Panels, panelLink{pn.Name, pn.Title, prefix + db.Name + "/panels/" + pn.Name + q})
		if pn.Publishable {
			d.Publish = append(d.Publish, pn.Name)
		}
	}
	d.Alerts = db == dashboards.Monitor
	if d.Alerts {
		if d.Rules, err = h.cfg.Dash.AlertRules(r.Context(), p.ID); err != nil {
			h.fail(w, r, err)
			return
		}
	}
	if db == dashboards.Monitor && h.cfg.Live != nil {
		d.Live = prefix + db.Name + "/live"
	}
	h.render(w, "page", d)
}

func (h *Handlers) render(w http.ResponseWriter, name string, data any) {
	var buf bytes.Buffer
	if err := h.tpl.ExecuteTemplate(&buf, name, data); err != nil {
		h.cfg.Logger.Error("dashweb: template failed", "template", name, "err", err)
		http.Error(w, "Something went wrong", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(buf.Bytes())
}

type cellView struct{ Text, Class, Link, Target string }

type resultView struct {
	R      *dashboards.Result
	Rows   [][]cellView
	MapURL string
	CSV    string
	Heat   bool
	Parts  []resultView
	// Officials' forms on a staff fragment (nil elsewhere).
	Themes   *themeForms
	Counting *countingForm
}

func (h *Handlers) view(r *dashboards.Result, drill string, csvURL string) resultView {
	rv := resultView{R: r, MapURL: h.own("regions.geojson"), CSV: csvURL, Heat: r.Sections != nil}
	var peak float64
	if rv.Heat {
		for _, row := range r.Table.Rows {
			for j := 1; j < len(row); j++ {
				peak = max(peak, row[j].Num)
			}
		}
	}
	for i, row := range r.Table.Rows {
		cells := make([]cellView, len(row))
		for j, c := range row {
			cv := cellView{Text: r.Table.Format(i, j)}
			if c.Flag {
				cv.Class = "flag"
			} else if r.Table.Columns[j].Kind == dashboards.Text {
				cv.Class = "text"
			}
			if rv.Heat && j > 0 && peak > 0 && !c.Suppressed {
				cv.Class = fmt.Sprintf("h%d", int(c.Num/peak*3.999)+1)
				if c.Num == 0 {
					cv.Class = ""
				}
			}
			if rv.Heat && j == 0 && drill != "" && i < len(r.Sections) {
				cv.Link, cv.Target = drill+strconv.FormatInt(r.Sections[i], 10), "#panel-section-comments > div"
			}
			if !rv.Heat && j == 0 && drill != "" && i < len(r.Themes) {
				cv.Link, cv.Target = drill+strconv.FormatInt(r.Themes[i].ID, 10), "#panel-theme-detail > div"
			}
			cells[j] = cv
		}
		rv.Rows = append(rv.Rows, cells)
	}
	for _, p := range r.Parts {
		rv.Parts = append(rv.Parts, h.view(p, "", ""))
	}
	return rv
}

func (h *Handlers) runPanel(r *http.Request) (*dashboards.Dashboard, *dashboards.Panel, *dashboards.Result, dashboards.Filter, error) {
	db := dashboards.Find(mux.Vars(r)["dashboard"])
	if db == nil {
		return nil, nil, nil, dashboards.Filter{}, dashboards.ErrNotFound
	}
	pn := db.Panel(mux.Vars(r)["panel"])
	if pn == nil {
		return nil, nil, nil, dashboards.Filter{}, dashboards.ErrNotFound
	}
	f := dashboards.ParseFilter(processID(r), r.URL.Query())
	res, err := h.cfg.Dash.Run(r.Context(), pn, f)
	return db, pn, res, f, err
}

func (h *Handlers) panel(w http.ResponseWriter, r *http.Request) {
	db, pn, res, f, err := h.runPanel(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	base := fmt.Sprintf("/staff/p/%d/dashboards/%s/panels/", f.Process, db.Name)
	drill := ""
	if pn.Name == "document-sections" {
		g := f
		g.Section = 0
		q := g.Values()
		q.Del("section")
		drill = base + "section-comments?" + q.Encode()
		if len(q) > 0 {
			drill += "&"
		}
		drill += "section="
	}
	if pn.Name == "themes" {
		drill = base + "theme-detail?" + drillQuery(f, "theme")
	}
	rv := h.view(res, drill, base+pn.Name+"/csv?"+f.Values().Encode())
	h.officialsForms(r, &rv, pn, f)
	h.render(w, "fragment", rv)
}

func (h *Handlers) csv(w http.ResponseWriter, r *http.Request) {
	_, pn, res, _, err := h.runPanel(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%d.csv"`, pn.Name, processID(r)))
	w.Header().Set("Cache-Control", "no-store")
	if err := dashboards.WriteCSV(w, res); err != nil {
		h.cfg.Logger.Error("dashweb: csv failed", "err", err)
	}
}

// live streams the names of the monitor's panels that changed, as SSE
// events named after the panels (hx-trigger="sse:<panel>").
func (h *Handlers) live(w http.ResponseWriter, r *http.Request) {
	db := dashboards.Find(mux.Vars(r)["dashboard"])
	if db == nil || h.cfg.Live == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	if _, err := h.cfg.Dash.Process(r.Context(), processID(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Accel-Buffering", "no")
	// retry: the browser's reconnection delay when the stream ends.
	fmt.Fprint(w, ": connected\nretry: 1000\n\n")
	fl.Flush()
	ctx, cancel := context.WithTimeout(r.Context(), h.cfg.LiveFor)
	defer cancel()
	ch := h.cfg.Dash.Changes(ctx, h.cfg.Live, db, processID(r))
	keep := time.NewTicker(25 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
			fl.Flush()
		case names, ok := <-ch:
			if !ok {
				return
			}
			for _, n := range names {
				fmt.Fprintf(w, "event: %s\ndata: %d\n\n", n, time.Now().UnixMilli())
			}
			fl.Flush()
		}
	}
}

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

// publicProcess is the process of a public results URL; an unpublished one
// is not found.
func (h *Handlers) publicProcess(r *http.Request) (*dashboards.Process, []*dashboards.Panel, error) {
	p, err := h.cfg.Dash.Process(r.Context(), processID(r))
	if err != nil {
		return nil, nil, err
	}
	if !p.Published {
		return nil, nil, dashboards.ErrNotFound
	}
	panels, err := h.cfg.Dash.Published(r.Context(), p)
	return p, panels, err
}

func (h *Handlers) results(w http.ResponseWriter, r *http.Request) {
	p, panels, err := h.publicProcess(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d := h.base(r, p, "Results")
	d.Public = true
	for _, pn := range panels {
		d.Panels = append(d.Panels, panelLink{pn.Name, pn.Title, fmt.Sprintf("/results/%d/panels/%s", p.ID, pn.Name)})
	}
	h.render(w, "page", d)
}

// resultsPanel serves a published panel over the whole process, with every
// count under five suppressed. Filters are not taken from the URL: narrow
// slices are where small cells hide.
func (h *Handlers) resultsPanel(w http.ResponseWriter, r *http.Request) {
	p, panels, err := h.publicProcess(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	var pn *dashboards.Panel
	for _, x := range panels {
		if x.Name == mux.Vars(r)["panel"] {
			pn = x
		}
	}
	if pn == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	v := h.cfg.Dash.Resolve(p, dashboards.Filter{Process: p.ID, Bucket: "day"})
	res, err := h.cfg.Dash.RunPublic(r.Context(), pn, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	h.render(w, "fragment", h.view(res, "", ""))
}
