package dashweb

import (
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
)

// regionMap serves the map a process's choropleths draw on: its region
// set's own GeoJSON, each area named as the charts name it; Kenya's
// built-in county map for the ready-made Kenya set without a map of its
// own; an empty collection for a set without a map (the chart draws no
// areas; the panels' tables still hold every figure). The public route
// serves published processes only.
func (h *Handlers) regionMap(w http.ResponseWriter, r *http.Request) {
	public := strings.HasPrefix(r.URL.Path, "/results/")
	kenya := func() { http.Redirect(w, r, h.own("regions.geojson"), http.StatusFound) }
	if h.cfg.Regions == nil {
		kenya()
		return
	}
	p, err := h.cfg.Regions.GetProcess(r.Context(), processID(r), public)
	if participation.IsNotFound(err) {
		h.fail(w, r, dashboards.ErrNotFound)
		return
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if p.RegionSetID == 0 {
		w.Header().Set("Content-Type", "application/geo+json")
		w.Write([]byte(`{"type":"FeatureCollection","features":[]}`))
		return
	}
	rs, err := h.cfg.Regions.GetRegionSet(r.Context(), p.RegionSetID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	geo, err := participation.NamedGeoJSON(rs)
	switch {
	case err != nil:
		h.fail(w, r, err)
	case geo == nil && participation.KenyaCounties(rs):
		kenya()
	case geo == nil:
		geo = []byte(`{"type":"FeatureCollection","features":[]}`)
		fallthrough
	default:
		w.Header().Set("Content-Type", "application/geo+json")
		w.Header().Set("Cache-Control", "private, max-age=300")
		w.Write(geo)
	}
}
