// Package consoleweb serves the analysts' SQL console of a process
// (warehouse/console): a form, the result as an HTML table (htmx swaps it
// in place; without scripts the form posts and the page comes back with
// it) and the same query as a CSV download.
//
// Who: the export permission on the process (analysts and officials;
// admins). The console reads what the complete export already hands out,
// row by row, so it asks for the same permission; a moderator gets 403,
// staff of another process 404 (the staff guard).
//
// The query travels in a POST body, not the URL, so that it stays out of
// access logs, and every run is a line in the staff audit log: who, the
// process, the query's SHA-256 and length, rows, duration and outcome —
// never the text, which may hold whatever was typed. Running a query
// changes nothing, so the form answers with its result instead of
// redirecting (a redirect would have to carry the query in its URL).
//
// Mount it on the site:
//
//	site.Mount(consoleweb.New(consoleweb.Config{Console: c, Processes: store, Audit: staffService, Assets: site}).Routes)
package consoleweb

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gorilla/csrf"
	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/internal/csvcell"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/warehouse/console"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed catalog/*.json
var catalogFS embed.FS

// rule: the console is a bulk read of the process's inputs, as the
// complete export is.
var rule = web.Staff{Role: string(staff.Export)}

// Processes reads the process a console page is about (the participation
// store): its title, and 404 for one that does not exist.
type Processes interface {
	GetProcess(ctx context.Context, id int64, onlyPublished bool) (participation.Process, error)
}

// Auditor records each run in the staff audit log.
type Auditor interface {
	Audit(ctx context.Context, e staff.Entry) error
}

// Config wires the handlers.
type Config struct {
	Console   *console.Console
	Processes Processes
	Audit     Auditor // nil: runs are not recorded (tests of other packages only)
	Assets    interface{ AssetURL(string) string }
	Logger    *slog.Logger
	// CSVRows is how many rows a download carries at most (default
	// 100,000; they are buffered in a temporary file); the page shows
	// Console.Limits().MaxRows.
	CSVRows int
}

// Handlers serves the console.
type Handlers struct {
	cfg  Config
	tpl  *template.Template
	i18n *i18n.Bundle
}

// New builds the handlers; it panics on a broken embedded template or
// catalogue (a build error, caught by any test).
func New(cfg Config) *Handlers {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.CSVRows <= 0 {
		cfg.CSVRows = 100_000
	}
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		panic(err)
	}
	b, err := i18n.LoadFS(sub, "en")
	if err != nil {
		panic(err)
	}
	return &Handlers{cfg: cfg, i18n: b, tpl: template.Must(template.New("").ParseFS(templateFS, "templates/*.html"))}
}

// Catalog is the console's catalogue (for the translation tests).
func Catalog() fs.FS {
	sub, err := fs.Sub(catalogFS, "catalog")
	if err != nil {
		panic(err)
	}
	return sub
}

// Path is a process's console page.
func Path(processID int64) string { return fmt.Sprintf("/staff/p/%d/console", processID) }

// Routes registers the pages; pass it to (*web.Server).Mount.
func (h *Handlers) Routes(_ *mux.Router, reg web.Registrar) {
	reg.HandleFunc("console.page", http.MethodGet, "/staff/p/{process:[0-9]+}/console", rule, h.page)
	reg.HandleFunc("console.run", http.MethodPost, "/staff/p/{process:[0-9]+}/console", rule, h.run)
	reg.HandleFunc("console.csv", http.MethodPost, "/staff/p/{process:[0-9]+}/console.csv", rule, h.csv)
}

func (h *Handlers) loc(r *http.Request) *i18n.Localizer {
	var cookie string
	if c, err := r.Cookie("lang"); err == nil {
		cookie = c.Value
	}
	return h.i18n.Pick(r.URL.Query().Get("lang"), cookie, r.Header.Get("Accept-Language"))
}

type viewInfo struct {
	Name    string
	Columns []string
}

type pageData struct {
	L       *i18n.Localizer
	Process participation.Process
	CSRF    string
	Asset   func(string) string
	Query   string
	Views   []viewInfo
	Limits  console.Limits
	CSVRows int
	Error   string
	Result  *console.Result
}

// Seconds is the time limit as a whole number of seconds (at least 1).
func (d pageData) Seconds() int { return max(1, int(d.Limits.Timeout/time.Second)) }

// Took is how long the query ran, to the millisecond.
func (d pageData) Took() string { return d.Result.Duration.Round(time.Millisecond).String() }

func (h *Handlers) base(w http.ResponseWriter, r *http.Request) (pageData, bool) {
	id, _ := strconv.ParseInt(mux.Vars(r)["process"], 10, 64)
	p, err := h.cfg.Processes.GetProcess(r.Context(), id, false)
	if err != nil {
		if participation.IsNotFound(err) {
			http.Error(w, h.loc(r).T("console.err.not_found"), http.StatusNotFound)
			return pageData{}, false
		}
		h.cfg.Logger.Error("consoleweb: unable to read the process", "request_id", web.RequestID(r), "err", err)
		http.Error(w, h.loc(r).T("console.err.internal"), http.StatusInternalServerError)
		return pageData{}, false
	}
	d := pageData{L: h.loc(r), Process: p, CSRF: csrf.Token(r), Asset: h.cfg.Assets.AssetURL,
		Limits: h.cfg.Console.Limits(), CSVRows: h.cfg.CSVRows}
	if cols, err := h.cfg.Console.Columns(r.Context()); err == nil {
		for _, v := range console.Views {
			d.Views = append(d.Views, viewInfo{v, cols[v]})
		}
	} else {
		h.cfg.Logger.Error("consoleweb: unable to list the views' columns", "request_id", web.RequestID(r), "err", err)
	}
	return d, true
}

func (h *Handlers) page(w http.ResponseWriter, r *http.Request) {
	d, ok := h.base(w, r)
	if !ok {
		return
	}
	h.render(w, http.StatusOK, "page", d)
}

func (h *Handlers) run(w http.ResponseWriter, r *http.Request) {
	d, ok := h.base(w, r)
	if !ok {
		return
	}
	d.Query = r.PostFormValue("q")
	res, err := h.cfg.Console.Run(r.Context(), d.Process.ID, d.Query, 0)
	rows, took, truncated := 0, time.Duration(0), false
	if res != nil {
		rows, took, truncated = len(res.Rows), res.Duration, res.Truncated
	}
	h.audit(r, "console.query", d.Process.ID, d.Query, rows, took, truncated, err)
	status := http.StatusOK
	if err != nil {
		status, d.Error = h.failure(r, err)
	}
	d.Result = res
	name := "page"
	if r.Header.Get("HX-Request") == "true" {
		// htmx swaps the result in place; an error answers 200 so that it
		// is swapped in too (htmx leaves 4xx answers out by default).
		name, status = "result", http.StatusOK
	}
	h.render(w, status, name, d)
}

// csv writes the query's rows as CSV. They go to a temporary file first:
// the time limit then bounds DuckDB alone, not the analyst's network, the
// pool's slot is free before the first byte leaves, and a query stopped
// half-way (the time limit) is the page with its reason, not a file cut
// short without a word. A cut at the row limit ends the file with a line
// saying so.
func (h *Handlers) csv(w http.ResponseWriter, r *http.Request) {
	d, ok := h.base(w, r)
	if !ok {
		return
	}
	d.Query = r.PostFormValue("q")
	tmp, err := os.CreateTemp("", "civicpulse-console-*.csv")
	if err != nil {
		status, msg := h.failure(r, fmt.Errorf("consoleweb: unable to buffer a download: %w", err))
		d.Error = msg
		h.render(w, status, "page", d)
		return
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	cw := csv.NewWriter(tmp)
	rows, width := 0, 0
	stats := &console.Result{}
	err = h.cfg.Console.Stream(r.Context(), d.Process.ID, d.Query, h.cfg.CSVRows, func(cols []string) error {
		width = len(cols)
		rec := make([]string, len(cols))
		for i, c := range cols {
			rec[i] = csvcell.Safe(c)
		}
		return cw.Write(rec)
	}, func(row []console.Cell) error {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = csvcell.Safe(c.Text)
		}
		rows++
		return cw.Write(rec)
	}, stats)
	h.audit(r, "console.csv", d.Process.ID, d.Query, rows, stats.Duration, stats.Truncated, err)
	if err == nil && stats.Truncated && width > 0 {
		// As wide as the rows, so that strict readers take it.
		cut := make([]string, width)
		cut[0] = d.L.T("console.csv_cut", h.cfg.CSVRows)
		err = cw.Write(cut)
	}
	if err == nil {
		cw.Flush()
		err = cw.Error()
	}
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		status, msg := h.failure(r, err)
		d.Error = msg
		h.render(w, status, "page", d)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="process-%d-query.csv"`, d.Process.ID))
	w.Header().Set("Cache-Control", "no-store")
	if _, err := io.Copy(w, tmp); err != nil {
		h.cfg.Logger.Info("consoleweb: a download ended early", "request_id", web.RequestID(r), "err", err)
	}
}

// failure turns a run's error into the status and the text the analyst
// reads; a cause that is ours is logged, not shown.
func (h *Handlers) failure(r *http.Request, err error) (int, string) {
	loc := h.loc(r)
	var ref *console.Refusal
	if errors.As(err, &ref) {
		return http.StatusBadRequest, loc.T(ref.Key, ref.Args...)
	}
	if err == nil {
		err = errors.New("no rows and no error")
	}
	h.cfg.Logger.Error("consoleweb: query failed", "request_id", web.RequestID(r), "err", err)
	return http.StatusInternalServerError, loc.T("console.err.internal")
}

// audit records a run: the query by hash and length only.
func (h *Handlers) audit(r *http.Request, action string, process int64, query string, rows int, took time.Duration, truncated bool, err error) {
	if h.cfg.Audit == nil {
		return
	}
	u, ok := staffweb.UserFrom(r.Context())
	if !ok {
		return
	}
	outcome := "ok"
	var ref *console.Refusal
	switch {
	case console.IsTimeLimit(err):
		outcome = "time_limit"
	case errors.As(err, &ref):
		outcome = "refused: " + ref.Key
	case err != nil:
		outcome = "error"
	}
	e := staff.Entry{ActorID: u.ID, Action: action, ProcessID: process, Target: "sha256:" + console.Hash(query),
		After: map[string]any{"query_bytes": len(query), "rows": rows, "truncated": truncated,
			"duration_ms": took.Milliseconds(), "outcome": outcome}}
	// A failed line does not stop the analyst; it is logged.
	if err := h.cfg.Audit.Audit(context.WithoutCancel(r.Context()), e); err != nil {
		h.cfg.Logger.Error("consoleweb: unable to audit a query", "request_id", web.RequestID(r), "err", err)
	}
}

func (h *Handlers) render(w http.ResponseWriter, status int, name string, d pageData) {
	var buf bytes.Buffer
	if err := h.tpl.ExecuteTemplate(&buf, name, d); err != nil {
		h.cfg.Logger.Error("consoleweb: template failed", "template", name, "err", err)
		http.Error(w, d.L.T("console.err.internal"), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Language", d.L.Lang())
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
