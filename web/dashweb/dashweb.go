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
	"maps"
	"net/http"
	"slices"
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
	"github.com/civicpulse/civicpulse/web/staffweb"
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
	// exportRule: a whole panel as a file is a bulk copy of the inputs,
	// which moderators (who read them one by one) are not given.
	exportRule = web.Staff{Role: "export"}
)

// Config wires the handlers.
type Config struct {
	Dash *dashboards.Dashboards
	// BaseURL is the site's public address, for the absolute links the
	// public results page shares (serve's --base-url).
	BaseURL string
	Live    dashboards.Source // the warehouse; nil: no live updates
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
	// Authorize is the staff service's check (staff.Service.Authorize); the
	// panels offer their downloads only to those who may export. nil: offered
	// to all (the routes' guard still refuses).
	Authorize func(ctx context.Context, u staff.User, perm staff.Permission, processID int64) error
	// Regions gives the maps the choropleths draw: the process's own
	// region set (the participation store). nil: an empty map.
	Regions Regions
	// Results reads the officials' report and decisions for the public
	// results page (the participation store). nil: the page shows the
	// figures and panels only.
	Results ResultsStore
	// Exports serves the complete export of a process (export.zip). nil:
	// the route answers 404.
	Exports Exports
	// Reports writes the overview documents (report/ideas.pdf, …). nil:
	// the routes answer 404.
	Reports Reports
}

// Regions reads a process's region set and its map.
type Regions interface {
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
	GetRegionSet(ctx context.Context, id int64) (participation.RegionSet, error)
}

// Handlers serves the dashboards.
type Handlers struct {
	cfg    Config
	tpl    *template.Template
	static map[string]asset
	i18n   *i18n.Bundle // the dashboards' catalogue (dashboards.Catalog)
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
	b, err := i18n.LoadFS(dashboards.Catalog(), "en")
	if err != nil {
		panic(err) // the embedded catalogue is broken: a build error, caught by any test
	}
	h.i18n = b
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
	reg.HandleFunc("dash.csv", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/panels/{panel}/csv", exportRule, h.csv)
	reg.HandleFunc("dash.xlsx", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/panels/{panel}/xlsx", exportRule, h.xlsx)
	reg.HandleFunc("dash.export", http.MethodGet, "/staff/p/{process:[0-9]+}/export.zip", exportRule, h.exportZip)
	reg.HandleFunc("dash.parquet", http.MethodGet, "/staff/p/{process:[0-9]+}/export.parquet.zip", exportRule, h.exportParquet)
	reg.HandleFunc("dash.report", http.MethodGet, "/staff/p/{process:[0-9]+}/report/{kind:ideas|comments|survey}.{format:pdf|html}", exportRule, h.overview)
	reg.HandleFunc("dash.live", http.MethodGet, "/staff/p/{process:[0-9]+}/dashboards/{dashboard}/live", viewRule, h.live)
	reg.HandleFunc("dash.alert.add", http.MethodPost, "/staff/p/{process:[0-9]+}/alerts", editRule, h.addAlert)
	reg.HandleFunc("dash.alert.delete", http.MethodPost, "/staff/p/{process:[0-9]+}/alerts/delete", editRule, h.deleteAlert)
	reg.HandleFunc("dash.publish", http.MethodPost, "/staff/p/{process:[0-9]+}/publish", editRule, h.publish)
	reg.HandleFunc("dash.theme.rename", http.MethodPost, "/staff/p/{process:[0-9]+}/themes/rename", editRule, h.editTheme)
	reg.HandleFunc("dash.theme.merge", http.MethodPost, "/staff/p/{process:[0-9]+}/themes/merge", editRule, h.editTheme)
	reg.HandleFunc("dash.theme.split", http.MethodPost, "/staff/p/{process:[0-9]+}/themes/split", editRule, h.editTheme)
	reg.HandleFunc("dash.counting", http.MethodPost, "/staff/p/{process:[0-9]+}/campaign-counting", editRule, h.setCounting)
	reg.HandleFunc("dash.results", http.MethodGet, "/results/{process:[0-9]+}", web.Public, h.results)
	reg.HandleFunc("dash.results.preview", http.MethodGet, "/staff/p/{process:[0-9]+}/results/preview", editRule, h.previewResults)
	reg.HandleFunc("dash.results.panel", http.MethodGet, "/results/{process:[0-9]+}/panels/{panel}", web.Public, h.resultsPanel)
	reg.HandleFunc("dash.results.chart", http.MethodGet, "/results/{process:[0-9]+}/charts/{panel:[a-z0-9-]+}.svg", web.Public, h.resultsChart)
	reg.HandleFunc("dash.map", http.MethodGet, "/staff/p/{process:[0-9]+}/regions.geojson", viewRule, h.regionMap)
	reg.HandleFunc("dash.results.map", http.MethodGet, "/results/{process:[0-9]+}/regions.geojson", web.Public, h.regionMap)
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

// loc picks the language as the staff and citizen pages do: ?lang=, the
// lang cookie (the choice a person made on any page), then
// Accept-Language.
func (h *Handlers) loc(r *http.Request) *i18n.Localizer {
	var cookie string
	if c, err := r.Cookie("lang"); err == nil {
		cookie = c.Value
	}
	return h.i18n.Pick(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"))
}

func processID(r *http.Request) int64 {
	n, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	return n
}

// fail answers an error once, in the viewer's language: 400 with the
// reason for a request the dashboards refuse (a region not the process's),
// 404 for what does not exist (or is not published), 500 with the cause
// logged otherwise.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := h.failure(r, err)
	w.Header().Set("Content-Language", h.loc(r).Lang())
	http.Error(w, msg, status)
}

func (h *Handlers) failure(r *http.Request, err error) (int, string) {
	loc := h.loc(r)
	var ref *dashboards.Refusal
	switch {
	case errors.As(err, &ref):
		return http.StatusBadRequest, loc.T(ref.Key, ref.Args...)
	case errors.Is(err, dashboards.ErrNotFound):
		return http.StatusNotFound, loc.T("dash.err.not_found")
	}
	h.cfg.Logger.Error("dashweb: request failed", "request_id", web.RequestID(r), "err", err)
	return http.StatusInternalServerError, loc.T("dash.err.internal")
}

type navItem struct {
	Title, URL string
	Current    bool
}

// panelLink is a panel of a page, with its first view rendered on the
// server (Body), so the page shows its numbers without JavaScript.
type panelLink struct {
	Name, Title, URL string
	Body             template.HTML
}

// nav links the dashboards the process has (none for a tool it lacks).
func (h *Handlers) nav(p *dashboards.Process, loc *i18n.Localizer, current *dashboards.Dashboard, q string) []navItem {
	var out []navItem
	for _, x := range dashboards.All() {
		if x.For(p) {
			out = append(out, navItem{x.TitleIn(loc), fmt.Sprintf("/staff/p/%d/dashboards/%s%s", p.ID, x.Name, q), x == current})
		}
	}
	return out
}

type pageData struct {
	L       *i18n.Localizer
	Error   string // why the view was refused (shown instead of the panels)
	Regions []regionOption
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
	Publish []panelChoice // publishable panels (for officials' form)
	Alerts  bool          // show the officials' alert-rule form
	Rules   []dashboards.AlertRule
}

// panelChoice is a panel of the publish form: its name, shown by title.
type panelChoice struct{ Name, Title string }

// regionOption is one region of the filter's choice.
type regionOption struct{ Code, Name string }

func regionOptions(p *dashboards.Process) []regionOption {
	var out []regionOption
	for code, name := range p.RegionNames {
		out = append(out, regionOption{code, name})
	}
	slices.SortFunc(out, func(a, b regionOption) int { return strings.Compare(a.Name, b.Name) })
	return out
}

func (h *Handlers) base(r *http.Request, p *dashboards.Process, title string) pageData {
	return pageData{L: h.loc(r), Title: title, Process: p, CSRF: csrf.Token(r), Asset: h.cfg.Assets.AssetURL, Own: h.own}
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
	loc := h.loc(r)
	f := dashboards.ParseFilter(p.ID, r.URL.Query())
	d := h.base(r, p, db.TitleIn(loc))
	if !db.For(p) {
		// No dead end: the page says what is missing and leads on.
		d.Error = loc.T("dash.err.no_tool." + db.Needs)
		d.Nav = h.nav(p, loc, nil, "")
		h.renderStatus(w, http.StatusNotFound, "page", d)
		return
	}
	d.Filters, d.Regions = true, regionOptions(p)
	status := http.StatusOK
	v := h.cfg.Dash.Resolve(p, f)
	v.L = loc
	if err := v.Check(); err != nil {
		// The refused choice is dropped from the form and the links; the
		// page says why instead of showing panels for another view.
		status, d.Error = h.failure(r, err)
		f.Region = ""
	}
	d.F = filterMap(f)
	q := f.Values().Encode()
	if q != "" {
		q = "?" + q
	}
	prefix := fmt.Sprintf("/staff/p/%d/dashboards/", p.ID)
	d.Nav = h.nav(p, loc, db, q)
	for _, pn := range db.Panels {
		if d.Error == "" {
			d.Panels = append(d.Panels, panelLink{Name: pn.Name, Title: pn.TitleIn(loc), URL: prefix + db.Name + "/panels/" + pn.Name + q,
				Body: h.firstView(r, db, pn, f, v)})
		}
		if pn.Publishable {
			d.Publish = append(d.Publish, panelChoice{pn.Name, pn.TitleIn(loc)})
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
	h.renderStatus(w, status, "page", d)
}

// firstView renders a panel's fragment for the page itself; a panel that
// fails says so in its place (the rest of the page still shows).
func (h *Handlers) firstView(r *http.Request, db *dashboards.Dashboard, pn *dashboards.Panel, f dashboards.Filter, v dashboards.View) template.HTML {
	res, err := h.cfg.Dash.RunView(r.Context(), pn, v)
	if err != nil {
		_, msg := h.failure(r, err)
		return template.HTML(`<p class="warn">` + template.HTMLEscapeString(msg) + `</p>`)
	}
	rv := h.staffView(r, db, pn, res, f)
	var buf bytes.Buffer
	if err := h.tpl.ExecuteTemplate(&buf, "fragment", rv); err != nil {
		h.cfg.Logger.Error("dashweb: template failed", "template", "fragment", "err", err)
		return ""
	}
	return template.HTML(buf.String())
}

func (h *Handlers) render(w http.ResponseWriter, name string, data any) {
	h.renderStatus(w, http.StatusOK, name, data)
}

func (h *Handlers) renderStatus(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.tpl.ExecuteTemplate(&buf, name, data); err != nil {
		h.cfg.Logger.Error("dashweb: template failed", "template", name, "err", err)
		http.Error(w, "Something went wrong", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

type cellView struct{ Text, Class, Link, Target string }

// Short says the table is shortened ("Showing 20 of 1,234."); the
// template links the full download beside it.
func (v resultView) Short() string {
	if v.L == nil {
		return v.R.ShortNote(nil)
	}
	return v.R.ShortNote(v.L)
}

// setLoc gives a view and its parts the viewer's language.
func (v *resultView) setLoc(l *i18n.Localizer) {
	v.L = l
	for i := range v.Parts {
		v.Parts[i].setLoc(l)
	}
}

// pickForm is where a panel's pickers send their choice: the dashboard
// page (without JavaScript) or the panel (htmx), with the view's other
// filters as hidden fields.
type pickForm struct {
	Page, Panel string
	Hidden      [][2]string
}

func pickerForm(f dashboards.Filter, page, panel string) *pickForm {
	q := f.Values()
	for _, k := range dashboards.PickerParams {
		q.Del(k)
	}
	pf := &pickForm{Page: page, Panel: panel}
	for _, k := range slices.Sorted(maps.Keys(q)) {
		pf.Hidden = append(pf.Hidden, [2]string{k, q.Get(k)})
	}
	return pf
}

type resultView struct {
	L      *i18n.Localizer
	R      *dashboards.Result
	Pick   *pickForm
	Rows   [][]cellView
	MapURL string
	// SVG is the chart drawn on the server (public pages: without
	// scripts it is the chart; with them the interactive one replaces it).
	SVG   string
	CSV   string
	Heat  bool
	Parts []resultView
	// Officials' forms on a staff fragment (nil elsewhere).
	Themes   *themeForms
	Counting *countingForm
}

func (h *Handlers) view(r *dashboards.Result, drill, csvURL, mapURL string) resultView {
	rv := resultView{R: r, MapURL: mapURL, CSV: csvURL, Heat: r.Sections != nil}
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
		rv.Parts = append(rv.Parts, h.view(p, "", "", mapURL))
	}
	return rv
}

// runPanel builds the panel of the route; full asks for every row (a
// download), not the page's shortened table.
func (h *Handlers) runPanel(r *http.Request, full bool) (*dashboards.Dashboard, *dashboards.Panel, *dashboards.Result, dashboards.Filter, error) {
	db := dashboards.Find(mux.Vars(r)["dashboard"])
	if db == nil {
		return nil, nil, nil, dashboards.Filter{}, dashboards.ErrNotFound
	}
	pn := db.Panel(mux.Vars(r)["panel"])
	if pn == nil {
		return nil, nil, nil, dashboards.Filter{}, dashboards.ErrNotFound
	}
	f := dashboards.ParseFilter(processID(r), r.URL.Query())
	p, err := h.cfg.Dash.Process(r.Context(), f.Process)
	if err != nil {
		return nil, nil, nil, f, err
	}
	v := h.cfg.Dash.Resolve(p, f)
	v.L = h.loc(r)
	v.Full = full
	res, err := h.cfg.Dash.RunView(r.Context(), pn, v)
	return db, pn, res, f, err
}

func (h *Handlers) panel(w http.ResponseWriter, r *http.Request) {
	db, pn, res, f, err := h.runPanel(r, false)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.render(w, "fragment", h.staffView(r, db, pn, res, f))
}

// staffView is a staff panel's fragment: drill-down links, pickers, CSV and
// the officials' forms.
func (h *Handlers) staffView(r *http.Request, db *dashboards.Dashboard, pn *dashboards.Panel, res *dashboards.Result, f dashboards.Filter) resultView {
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
	csv := base + pn.Name + "/csv?" + f.Values().Encode()
	if !h.mayExport(r, f.Process) {
		csv = ""
	}
	rv := h.view(res, drill, csv, fmt.Sprintf("/staff/p/%d/regions.geojson", f.Process))
	rv.setLoc(h.loc(r))
	rv.Pick = pickerForm(f, fmt.Sprintf("/staff/p/%d/dashboards/%s", f.Process, db.Name), base+pn.Name)
	h.officialsForms(r, &rv, pn, f)
	return rv
}

// mayExport reports whether the caller may download the process's panels.
func (h *Handlers) mayExport(r *http.Request, processID int64) bool {
	if h.cfg.Authorize == nil {
		return true
	}
	u, ok := staffweb.UserFrom(r.Context())
	return ok && h.cfg.Authorize(r.Context(), u, staff.Export, processID) == nil
}

func (h *Handlers) csv(w http.ResponseWriter, r *http.Request) {
	_, pn, res, _, err := h.runPanel(r, true)
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
