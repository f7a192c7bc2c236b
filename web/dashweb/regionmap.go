package dashweb

import (
	"net/http"
	"strings"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/participation"
)

// regionMap serves the map a process's choropleths draw on: its region
// set's own GeoJSON, each area named as the charts name it, or an empty
// collection for a set without a map (the chart draws no areas; the panels'
// tables still hold every figure). Every set is served the same way: the
// ready-made Kenya set carries the built-in county map from its creation.
// The public route serves published processes only.
func (h *Handlers) regionMap(w http.ResponseWriter, r *http.Request) {
	public := strings.HasPrefix(r.URL.Path, "/results/")
	if h.cfg.Regions == nil {
		writeRegionMap(w, nil)
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
		writeRegionMap(w, nil)
		return
	}
	rs, err := h.cfg.Regions.GetRegionSet(r.Context(), p.RegionSetID)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	geo, err := participation.NamedGeoJSON(rs)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "private, max-age=300")
	writeRegionMap(w, geo)
}

// writeRegionMap answers geo, or an empty collection when there is none.
func writeRegionMap(w http.ResponseWriter, geo []byte) {
	if geo == nil {
		geo = []byte(`{"type":"FeatureCollection","features":[]}`)
	}
	w.Header().Set("Content-Type", "application/geo+json")
	w.Write(geo)
}
