package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// mappedProcess adds an open process over Kenya's 47 counties with their
// map, whose proposals component takes a map point; it returns the
// component.
func mappedProcess(t *testing.T, fx *webtest.Fixture) int64 {
	t.Helper()
	ctx := context.Background()
	f, err := os.Open("../testdata/kenya/kenya_county_population_2019.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	geo, err := os.ReadFile("../testdata/kenya/kenya_counties.geojson")
	if err != nil {
		t.Fatal(err)
	}
	rs := participation.RegionSet{Name: "Kenya counties", Source: "KNBS 2019 census", GeoJSON: geo}
	for _, r := range rows[1:] {
		n, _ := strconv.Atoi(r[0])
		pop, _ := strconv.ParseInt(r[2], 10, 64)
		rs.Regions = append(rs.Regions, participation.Region{Code: strconv.Itoa(100 + n)[1:], Name: r[1], Population: pop})
	}
	fail := func(what string, err error) {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	set, err := fx.Store.CreateRegionSet(ctx, rs)
	fail("region set", err)
	p := fx.Open
	p.ID, p.Slug, p.Title, p.RegionSetID = 0, "bridges-2026", "Footbridges 2026", set
	pid, err := fx.Store.CreateProcess(ctx, p)
	fail("process", err)
	comp, err := fx.Store.AddComponent(ctx, participation.Component{ProcessID: pid, Kind: participation.KindProposals, Title: "Where to build",
		Proposals: &participation.ProposalSettings{MapPoint: true}})
	fail("component", err)
	day := func(d int) time.Time { return time.Date(2026, 3, d, 0, 0, 0, 0, time.UTC) }
	_, err = fx.Store.AddPhase(ctx, participation.Phase{ProcessID: pid, Name: "Ideas", StartsAt: day(1), EndsAt: day(31), OpenComponents: []int64{comp}})
	fail("phase", err)
	fail("publish", fx.Store.SetPublished(ctx, pid, true))
	return comp
}

// TestMapPicker: the new-proposal form draws the process's own region map
// (on the server, areas named) when its set has one and only the two
// fields otherwise; a point outside every region is refused with the form
// kept; the proposal's page shows its point on the same map.
func TestMapPicker(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		comp := mappedProcess(t, fx)
		b := newBrowser(t, fx)

		plain := b.get(fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals))
		want(t, plain.Status, http.StatusOK, plain.Body)
		if !plain.has(`name="lat"`) || plain.has("<svg") || plain.has("citizen.js") {
			t.Fatalf("a set without a map: the form should have the fields and no map\n%s", plain.Body)
		}

		form := fmt.Sprintf("/p/bridges-2026/c/%d/new", comp)
		p := b.get(form)
		want(t, p.Status, http.StatusOK, p.Body)
		for _, s := range []string{`<svg class="region-map"`, `role="img" aria-labelledby="map-label"`, "<title>Nairobi City</title>",
			"<title>Mombasa</title>", `data-west="`, `data-kx="`, `aria-live="polite"`, "citizen.js", `id="map-tap" hidden`,
			`<label for="f-lat">Latitude</label>`, `name="lng"`, "Map of the regions of this process."} {
			if !p.has(s) {
				t.Fatalf("the form lacks %q", s)
			}
		}
		if p.has(`class="marker"`) {
			t.Fatal("a marker before any point was given")
		}
		if n := strings.Count(p.Body, "<path "); n != 47 {
			t.Fatalf("%d areas drawn, want 47", n)
		}
		svg := between(t, p.Body, "<svg", "</svg>")
		t.Logf("the form's map: %d bytes", len(svg)+len("<svg</svg>"))
		if len(svg) > 20_000 {
			t.Fatalf("the map takes %d bytes", len(svg))
		}

		send := func(lat, lng string) page {
			return b.post(fmt.Sprintf("/p/bridges-2026/c/%d/proposals", comp), b.token(form), url.Values{
				"title": {"A footbridge at the river"}, "description": {"Children cross the river to school every day."},
				"tags": {"schools, bridges"}, "lat": {lat}, "lng": {lng}})
		}
		p = send("-4.3", "40.2") // the Indian Ocean off Mombasa
		want(t, p.Status, http.StatusUnprocessableEntity, p.Body)
		for _, s := range []string{"This point is outside the process&#39;s regions", `value="A footbridge at the river"`,
			"Children cross the river to school every day.", `value="schools, bridges"`, `value="-4.3"`, `value="40.2"`,
			`aria-invalid="true" aria-describedby="e-lat"`, `href="#f-lat"`, `class="marker"`} {
			if !p.has(s) {
				t.Fatalf("the refusal lacks %q\n%s", s, p.Body)
			}
		}
		b.get("/?lang=sw")
		if p = send("-4.3", "40.2"); !p.has("Mahali hapa hapako ndani ya maeneo ya mchakato huu") || !p.has("Ramani ya maeneo ya mchakato huu.") {
			t.Fatalf("the refusal is not in Kiswahili\n%s", p.Body)
		}
		b.get("/?lang=en")

		p = send("-1.2864", "36.8172") // Nairobi
		want(t, p.Status, http.StatusSeeOther, p.Body)
		at := p.Header.Get("Location")
		p = b.get(at)
		want(t, p.Status, http.StatusOK, p.Body)
		for _, s := range []string{`<figure class="proposal-map">`, `<svg class="region-map"`, `class="marker" cx="`,
			`aria-labelledby="map-caption"`, "The proposal&#39;s place: Nairobi City (latitude -1.2864, longitude 36.8172)."} {
			if !p.has(s) {
				t.Fatalf("the proposal's page lacks %q\n%s", s, p.Body)
			}
		}
		if p.has("data-west") || p.has("citizen.js") {
			t.Fatal("the proposal's page carries the picker")
		}

		// Without a point, no map; on a set without a map, the point in words.
		p = b.post(fmt.Sprintf("/p/bridges-2026/c/%d/proposals", comp), b.token(form), url.Values{
			"title": {"Any footbridge at all"}, "description": {"Wherever the county thinks best."}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if p = b.get(p.Header.Get("Location")); p.has("<svg") {
			t.Fatal("a proposal without a point shows a map")
		}
		p = b.post(fmt.Sprintf("/p/budget-2026/c/%d/proposals", fx.Proposals), b.token(fmt.Sprintf("/p/budget-2026/c/%d/new", fx.Proposals)), url.Values{
			"title": {"Street lights in Kiambu town"}, "description": {"The market street is dark after six."}, "lat": {"-1.17"}, "lng": {"36.83"}})
		want(t, p.Status, http.StatusSeeOther, p.Body)
		if p = b.get(p.Header.Get("Location")); p.has("<svg") || !p.has("The proposal&#39;s place: latitude -1.17, longitude 36.83.") {
			t.Fatalf("a point on a set without a map\n%s", p.Body)
		}
	})
}
