package dashweb

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/web/i18n"
)

// The public results page: the panels an official published, over the
// whole process, every small count suppressed.

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
	loc := h.loc(r)
	d := h.base(r, p, loc.T("dash.page.results"))
	d.Public = true
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
	h.render(w, "page", d)
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
	return rv, nil
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
	rv, err := h.publicView(r, p, pn)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=60")
	h.render(w, "fragment", rv)
}
