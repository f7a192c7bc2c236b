package dashweb

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/dashboards/chartsvg"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// The public results page ("what we heard, what we did"): the officials'
// summary, the key figures, every proposal's decision with its reason and
// scores, the answers to the document and the survey, the feedback-loop
// figures, the panels an official published (each drawn on the server and
// again, interactive, when scripts run) and the next steps. Every count
// goes through small-cell suppression; the page works without scripts.

type figure struct{ Value, Label string }

type resultsPage struct {
	L         *i18n.Localizer
	Title     string
	Process   *dashboards.Process
	Asset     func(string) string
	Own       func(string) string
	Preview   bool // staff preview of the page, draft or not
	Published bool // the report is public
	Report    bool // the report's parts show (published, or previewed)
	R         *reportView
	Figures   []figure
	Feedback  []string
	Panels    []panelLink
	Share     resultsShare
}

// resultsShare is the page's Open Graph and Twitter-card tags (as on the
// citizen pages, web/share.go): the page's title, the report's first
// paragraph, the process's card.
type resultsShare struct {
	Title, Description, URL, Image string
}

func (h *Handlers) shareOfResults(r *http.Request, d resultsPage) resultsShare {
	// The tags leave the site with every shared link: they name the
	// configured address, never the request's Host header (which anyone
	// can set); only a bare test server without one falls back to it.
	base := strings.TrimRight(h.cfg.BaseURL, "/")
	if base == "" {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		base = scheme + "://" + r.Host
	}
	sh := resultsShare{Title: d.Title + " · " + d.Process.Title, Description: d.L.T("res.share_description", d.Process.Title),
		URL: base + r.URL.Path, Image: base + "/p/" + url.PathEscape(d.Process.Slug) + "/share.png"}
	if d.Report && d.R != nil && len(d.R.Summary) > 0 {
		sh.Description = d.R.Summary[0]
	}
	if r := []rune(sh.Description); len(r) > 200 {
		sh.Description = string(r[:199]) + "…"
	}
	return sh
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
	h.renderResults(w, r, p, panels, false)
}

// previewResults shows officials the page as citizens will see it once the
// report is published, whether the process is public yet or not.
func (h *Handlers) previewResults(w http.ResponseWriter, r *http.Request) {
	if h.cfg.Results == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	p, err := h.cfg.Dash.Process(r.Context(), processID(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	pv := *p
	pv.Published = true // the panels an official chose, as they will show
	panels, err := h.cfg.Dash.Published(r.Context(), &pv)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.renderResults(w, r, p, panels, true)
}

func (h *Handlers) renderResults(w http.ResponseWriter, r *http.Request, p *dashboards.Process, panels []*dashboards.Panel, preview bool) {
	ctx := r.Context()
	loc := h.loc(r)
	d := resultsPage{L: loc, Title: loc.T("dash.page.results"), Process: p, Asset: h.cfg.Assets.AssetURL, Own: h.own, Preview: preview}
	if h.cfg.Results != nil {
		rep, v, err := report(ctx, h.cfg.Results, p.ID, loc, pick(storeTexts, r))
		if err != nil && !participation.IsNotFound(err) {
			h.fail(w, r, fmt.Errorf("dashweb: unable to read the results report: %w", err))
			return
		}
		d.R, d.Published = &v, rep.Published()
		d.Report = d.Published || preview
		if d.Report {
			d.Title = loc.T("res.title")
		}
	}
	k, err := h.cfg.Dash.KeyFigures(ctx, p.ID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	d.Figures = []figure{
		{dashboards.RoundedCount(k.Inputs), loc.T("res.inputs")},
		{dashboards.RoundedCount(k.Participants), loc.T("res.participants")},
		{loc.T("res.regions_of", k.RegionsReached, k.Regions), loc.T("res.regions_reached", dashboards.SmallCell)},
	}
	if fb, err := h.cfg.Dash.Feedback(ctx, p.ID, true); err == nil {
		d.Feedback = feedbackLines(loc, fb)
	} else if !errors.Is(err, dashboards.ErrNotFound) {
		h.fail(w, r, err)
		return
	}
	for _, pn := range panels {
		body := template.HTML("")
		if rv, err := h.publicView(r, p, pn); err == nil {
			var buf bytes.Buffer
			if err := h.tpl.ExecuteTemplate(&buf, "fragment", rv); err == nil {
				body = template.HTML(buf.String())
			}
		} else {
			_, msg := h.failure(r, err)
			body = template.HTML(`<p class="warn">` + template.HTMLEscapeString(msg) + `</p>`)
		}
		d.Panels = append(d.Panels, panelLink{Name: pn.Name, Title: pn.TitleIn(loc), URL: fmt.Sprintf("/results/%d/panels/%s", p.ID, pn.Name), Body: body})
	}
	if preview {
		w.Header().Set("X-Robots-Tag", "noindex")
	}
	d.Share = h.shareOfResults(r, d)
	h.render(w, "results", d)
}

// publicView is a published panel over the whole process, suppressed.
func (h *Handlers) publicView(r *http.Request, p *dashboards.Process, pn *dashboards.Panel) (resultView, error) {
	v := h.cfg.Dash.Resolve(p, dashboards.Filter{Process: p.ID, Bucket: "day"})
	v.L = h.loc(r)
	res, err := h.cfg.Dash.RunPublic(r.Context(), pn, v)
	if err != nil {
		return resultView{}, err
	}
	rv := h.view(res, "", "", fmt.Sprintf("/results/%d/regions.geojson", p.ID))
	rv.setLoc(v.L.(*i18n.Localizer))
	// The image names the page's language: its labels are the table's,
	// and an <img> request carries no ?lang= of its own.
	svg := fmt.Sprintf("/results/%d/charts/%s.svg?lang=%s", p.ID, pn.Name, url.QueryEscape(v.L.(*i18n.Localizer).Lang()))
	if drawable(res) {
		rv.SVG = svg
	}
	for i, part := range res.Parts {
		if i < len(rv.Parts) && drawable(part) {
			rv.Parts[i].SVG = fmt.Sprintf("%s&part=%d", svg, i)
		}
	}
	return rv, nil
}

// drawable reports whether the server draws a result's chart: maps and
// point maps need their shapes, and a chart whose every value is hidden
// has nothing to draw; their tables stand alone.
func drawable(res *dashboards.Result) bool {
	if res.Chart == nil || res.Chart.Kind == "map" || res.Chart.Kind == "geo" {
		return false
	}
	return chartsvg.Check(*res.Chart) == nil
}

// chartWidth is the width the server draws a chart at: a phone's page
// width, so that its labels stay readable there; wider screens scale it.
const chartWidth = 480

// resultsChart draws a published panel's chart (or one part's) as SVG,
// from the same suppressed result as the page.
func (h *Handlers) resultsChart(w http.ResponseWriter, r *http.Request) {
	p, pn, err := h.publishedPanel(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.cfg.Dash.Resolve(p, dashboards.Filter{Process: p.ID, Bucket: "day"})
	v.L = h.loc(r)
	res, err := h.cfg.Dash.RunPublic(r.Context(), pn, v)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if q := r.URL.Query().Get("part"); q != "" {
		i, err := strconv.Atoi(q)
		if err != nil || i < 0 || i >= len(res.Parts) {
			h.fail(w, r, dashboards.ErrNotFound)
			return
		}
		res = res.Parts[i]
	}
	if res.Chart == nil {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	svg, err := chartsvg.Render(*res.Chart, res.Title, chartsvg.Options{Width: chartWidth})
	switch {
	case errors.Is(err, chartsvg.ErrUnsupported), errors.Is(err, chartsvg.ErrNoData):
		h.fail(w, r, dashboards.ErrNotFound)
		return
	case err != nil:
		h.fail(w, r, fmt.Errorf("dashweb: unable to draw %s: %w", pn.Name, err))
		return
	}
	// An SVG document is its own page to the browser: it may style
	// itself (gonum's output uses style attributes) and nothing else.
	w.Header().Set("Content-Type", "image/svg+xml")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", "public, max-age=60")
	w.Header().Set("Content-Language", v.L.(*i18n.Localizer).Lang())
	w.Write(svg)
}

// publishedPanel is the {panel} of a public results URL, among those an
// official published.
func (h *Handlers) publishedPanel(r *http.Request) (*dashboards.Process, *dashboards.Panel, error) {
	p, panels, err := h.publicProcess(r)
	if err != nil {
		return nil, nil, err
	}
	for _, x := range panels {
		if x.Name == mux.Vars(r)["panel"] {
			return p, x, nil
		}
	}
	return nil, nil, dashboards.ErrNotFound
}

// resultsPanel serves a published panel over the whole process, with every
// count under five suppressed. Filters are not taken from the URL: narrow
// slices are where small cells hide.
func (h *Handlers) resultsPanel(w http.ResponseWriter, r *http.Request) {
	p, pn, err := h.publishedPanel(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	rv, err := h.publicView(r, p, pn)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	h.render(w, "fragment", rv)
}

// feedbackLines are the feedback-loop figures as sentences, suppressed as
// a public page shows them; a figure that may not be shown is left out.
func feedbackLines(l *i18n.Localizer, fb dashboards.FeedbackFigures) []string {
	var out []string
	// A share of a total too small to show says nothing: the line goes.
	s := fb.Shown
	if fb.Proposals > 0 {
		out = append(out, l.T("res.fb_decided", s.Decided, s.Proposals, s.DecidedShare))
	}
	if fb.MedianValid {
		out = append(out, l.T("res.fb_median", s.MedianDays))
	}
	if fb.Questions > 0 {
		out = append(out, l.T("res.fb_answered", s.Answered, s.Questions, s.AnsweredShare))
	}
	return out
}
