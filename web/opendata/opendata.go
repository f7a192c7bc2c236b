// Package opendata serves a published process's results as open data (issue
// 15): the key figures and every panel the officials published, exactly as
// the public results page shows them — through the same small-cell and
// complementary suppression (dashboards.RunPublic) — as JSON and CSV, each
// with its licence.
//
// A suppressed count is the string "<5", a count hidden so that a small
// one cannot be worked out is "*"; totals are rounded as on the page. The
// data carries no row the page does not show, so it gives away no more than
// the page does (TestPublicResultsResistAnAdversary holds the page to it).
//
// Mount it on the site:
//
//	site.Mount(opendata.New(opendata.Config{Dash: d}).Routes)
package opendata

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/csvcell"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// Licence is the terms the data is published under.
type Licence struct {
	ID   string `json:"id"`   // SPDX identifier
	Name string `json:"name"` // as people read it
	URL  string `json:"url"`
}

// DefaultLicence is Creative Commons Attribution 4.0, the licence open
// government data portals use most (Kenya's among them).
var DefaultLicence = Licence{ID: "CC-BY-4.0", Name: "Creative Commons Attribution 4.0 International",
	URL: "https://creativecommons.org/licenses/by/4.0/"}

// Config wires the handlers.
type Config struct {
	Dash    *dashboards.Dashboards
	Licence Licence // zero: DefaultLicence
	Logger  *slog.Logger
	Now     func() time.Time
}

// Handlers serves the open data.
type Handlers struct {
	cfg  Config
	i18n *i18n.Bundle
}

// New builds the handlers.
func New(cfg Config) *Handlers {
	if cfg.Licence == (Licence{}) {
		cfg.Licence = DefaultLicence
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	b, err := i18n.LoadFS(dashboards.Catalog(), "en")
	if err != nil {
		panic(err) // the embedded catalogue is broken: a build error
	}
	return &Handlers{cfg: cfg, i18n: b}
}

// Routes registers the API routes; pass it to (*web.Server).Mount.
func (h *Handlers) Routes(_ *mux.Router, reg web.Registrar) {
	reg.HandleFunc("api.open_data.json", http.MethodGet, "/api/v1/processes/{id:[0-9]+}/open-data.json", web.Public, h.json)
	reg.HandleFunc("api.open_data.csv", http.MethodGet, "/api/v1/processes/{id:[0-9]+}/open-data.csv", web.Public, h.csv)
}

// Document is the JSON answer.
type Document struct {
	Process     ProcessRef  `json:"process"`
	Licence     Licence     `json:"licence"`
	Generated   time.Time   `json:"generated_at"`
	Threshold   int         `json:"suppression_threshold"`
	Suppression string      `json:"suppression"`
	KeyFigures  KeyFigures  `json:"key_figures"`
	Tables      []TableData `json:"tables"`
}

// ProcessRef names the process.
type ProcessRef struct {
	ID      int64  `json:"id"`
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Results string `json:"results_url"`
}

// KeyFigures are the results page's headline numbers, rounded as there.
type KeyFigures struct {
	Inputs         string `json:"inputs"`
	Participants   string `json:"participants"`
	RegionsReached int64  `json:"regions_reached"`
	Regions        int64  `json:"regions"`
}

// TableData is one published table (a panel, or a part of one such as a
// survey question).
type TableData struct {
	Panel   string       `json:"panel"`
	Title   string       `json:"title"`
	Columns []ColumnData `json:"columns"`
	Rows    [][]any      `json:"rows"` // string, number, null, "<5" or "*"
}

// ColumnData heads a column; kind is text, count, derived, number or money.
type ColumnData struct {
	Label string `json:"label"`
	Kind  string `json:"kind"`
	Unit  string `json:"unit,omitempty"`
}

const suppressionNote = `Counts under the threshold (zero included) are "<5"; "*" is a count hidden so that a small one cannot be worked out from the others; shares and rates of a hidden count are hidden with it; totals are rounded to the nearest ten.`

var kinds = map[dashboards.ColumnKind]string{dashboards.Text: "text", dashboards.Count: "count", dashboards.Derived: "derived",
	dashboards.Number: "number", dashboards.Money: "money"}

// build reads the published, suppressed results of a process; an unknown
// or unpublished process is dashboards.ErrNotFound.
func (h *Handlers) build(r *http.Request) (*Document, error) {
	ctx := r.Context()
	id, _ := strconv.ParseInt(mux.Vars(r)["id"], 10, 64)
	p, err := h.cfg.Dash.Process(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.Published {
		return nil, dashboards.ErrNotFound
	}
	loc := h.i18n.Pick(r.URL.Query().Get("lang"), "", r.Header.Get("Accept-Language"))
	k, err := h.cfg.Dash.KeyFigures(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	doc := &Document{
		Process:     ProcessRef{ID: p.ID, Slug: p.Slug, Title: p.Title, Results: fmt.Sprintf("/results/%d", p.ID)},
		Licence:     h.cfg.Licence,
		Generated:   h.cfg.Now().UTC().Truncate(time.Second),
		Threshold:   dashboards.SmallCell,
		Suppression: suppressionNote,
		KeyFigures: KeyFigures{Inputs: dashboards.RoundedCount(k.Inputs), Participants: dashboards.RoundedCount(k.Participants),
			RegionsReached: k.RegionsReached, Regions: k.Regions},
		Tables: []TableData{},
	}
	panels, err := h.cfg.Dash.Published(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, pn := range panels {
		v := h.cfg.Dash.Resolve(p, dashboards.Filter{Process: p.ID, Bucket: "day"})
		v.L = loc
		res, err := h.cfg.Dash.RunPublic(ctx, pn, v)
		if err != nil {
			return nil, err
		}
		doc.Tables = appendTables(doc.Tables, pn.Name, res)
	}
	return doc, nil
}

func appendTables(out []TableData, panel string, r *dashboards.Result) []TableData {
	if len(r.Table.Columns) > 0 {
		t := TableData{Panel: panel, Title: r.Title, Rows: [][]any{}}
		for _, c := range r.Table.Columns {
			t.Columns = append(t.Columns, ColumnData{Label: c.Label, Kind: kinds[c.Kind], Unit: c.Unit})
		}
		for i, row := range r.Table.Rows {
			cells := make([]any, len(row))
			for j := range row {
				cells[j] = value(&r.Table, i, j)
			}
			t.Rows = append(t.Rows, cells)
		}
		out = append(out, t)
	}
	for _, part := range r.Parts {
		out = appendTables(out, panel, part)
	}
	return out
}

// value is a suppressed table's cell as data: the marks as the page shows
// them, text as text, numbers as numbers, no value as null.
func value(t *dashboards.Table, row, col int) any {
	c := t.Rows[row][col]
	switch {
	case c.Secondary:
		return dashboards.SecondaryMark
	case c.Suppressed:
		return fmt.Sprintf("<%d", dashboards.SmallCell)
	case c.Text != "" || t.Columns[col].Kind == dashboards.Text:
		return c.Text
	case c.Null || math.IsNaN(c.Num) || math.IsInf(c.Num, 0):
		return nil
	}
	return c.Num
}

func (h *Handlers) json(w http.ResponseWriter, r *http.Request) {
	doc, err := h.build(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="license"`, doc.Licence.URL))
	json.NewEncoder(w).Encode(doc)
}

// csv writes every table in one long ("tidy") file: a line per cell, each
// with its panel, table, row, column, value and the licence, so that the
// terms travel with any line copied out of it.
func (h *Handlers) csv(w http.ResponseWriter, r *http.Request) {
	doc, err := h.build(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="process-%d-open-data.csv"`, doc.Process.ID))
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="license"`, doc.Licence.URL))
	cw := csv.NewWriter(w)
	cw.Write([]string{"process_id", "panel", "table", "row", "row_label", "column", "kind", "unit", "value", "licence"})
	pid := strconv.FormatInt(doc.Process.ID, 10)
	for _, t := range doc.Tables {
		for i, row := range t.Rows {
			label := ""
			if len(row) > 0 {
				if s, ok := row[0].(string); ok {
					label = s
				}
			}
			for j, v := range row {
				c := t.Columns[j]
				cw.Write([]string{pid, t.Panel, csvcell.Safe(t.Title), strconv.Itoa(i + 1), csvcell.Safe(label),
					csvcell.Safe(c.Label), c.Kind, c.Unit, csvValue(v), doc.Licence.ID})
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		h.cfg.Logger.Error("opendata: csv failed", "request_id", web.RequestID(r), "err", err)
	}
}

func csvValue(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if x == dashboards.SecondaryMark || x == fmt.Sprintf("<%d", dashboards.SmallCell) {
			return x
		}
		return csvcell.Safe(x)
	}
	return fmt.Sprint(v)
}

type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance"`
}

// fail answers as the rest of the API does (problem+json): 404 for an
// unknown or unpublished process, 500 with the cause logged otherwise.
func (h *Handlers) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	if errors.Is(err, dashboards.ErrNotFound) {
		status = http.StatusNotFound
	}
	if status == http.StatusInternalServerError {
		h.cfg.Logger.Error("opendata: request failed", "request_id", web.RequestID(r), "err", err)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Instance: r.URL.Path})
}
