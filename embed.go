// Package civicpulse carries the repository's data files that the binary
// needs at run time (go:embed cannot reach testdata/ from a sub-package).
package civicpulse

import _ "embed"

// KenyaCountiesGeoJSON holds the boundaries of Kenya's 47 counties, the demo's
// region set, for the engagement-rate choropleth: a FeatureCollection in
// WGS84 whose features carry properties.name (the county name exactly as the
// region set writes it, so echarts.registerMap works as is) and
// properties.county_code (an integer 1–47; the region set's codes are the
// same numbers zero-padded, "01"…"47"). Show KenyaBoundariesAttribution with
// every map drawn from it. Source and caveats: testdata/kenya/SOURCES.md.
//
//go:embed testdata/kenya/kenya_counties.geojson
var KenyaCountiesGeoJSON []byte

// KenyaBoundariesAttribution is the credit geoBoundaries asks for.
const KenyaBoundariesAttribution = "Boundaries: geoBoundaries (Runfola, D. et al. 2020, geoBoundaries: A global database of " +
	"political administrative boundaries, PLoS ONE 15(4): e0231866), KEN-ADM1-32016919, source RCMRD GeoPortal / " +
	"Africa GeoPortal, Public Domain. Simplified."
