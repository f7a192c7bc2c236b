package dashweb_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestChoroplethUsesTheProcessMap: a process with its own region set and
// map gets that map (areas named as the charts name them), on the staff
// route and, once published, the public one; the panels point at it.
func TestChoroplethUsesTheProcessMap(t *testing.T) {
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 200*time.Millisecond))
	ctx := context.Background()
	geo := `{"type":"FeatureCollection","features":[
		{"type":"Feature","properties":{"code":"W1"},"geometry":{"type":"Polygon","coordinates":[[[34.5,0.5],[34.6,0.5],[34.6,0.6],[34.5,0.5]]]}},
		{"type":"Feature","properties":{"code":"W2"},"geometry":{"type":"Polygon","coordinates":[[[34.1,0.4],[34.2,0.4],[34.2,0.5],[34.1,0.4]]]}}]}`
	norm, err := participation.CheckGeoJSON([]byte(geo), []string{"W1", "W2"}, 0)
	if err != nil {
		t.Fatal(err)
	}
	id, err := fx.Store.CreateRegionSet(ctx, participation.RegionSet{Name: "Western", GeoJSON: norm,
		Regions: []participation.Region{{Code: "W1", Name: "Kakamega", Population: 1_867_579}, {Code: "W2", Name: "Busia", Population: 893_681}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := fx.Store.GetProcess(ctx, fx.ProcessA, false)
	if err != nil {
		t.Fatal(err)
	}
	p.RegionSetID = id
	if err := fx.Store.UpdateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
	m := c.Get(fmt.Sprintf("/staff/p/%d/regions.geojson", fx.ProcessA))
	if m.Status != http.StatusOK || !strings.Contains(m.Body, `"name":"Kakamega"`) || !strings.Contains(m.Body, `"name":"Busia"`) {
		t.Fatalf("the process's map: %d %.300s", m.Status, m.Body)
	}
	panel := c.Get(fmt.Sprintf("/staff/p/%d/dashboards/monitor/panels/regions", fx.ProcessA))
	if !panel.Has(fmt.Sprintf(`data-map-url="/staff/p/%d/regions.geojson"`, fx.ProcessA)) {
		t.Errorf("the regions panel does not draw on the process's map:\n%.2000s", panel.Body)
	}
	// Process A is published (the public map follows), B is not (404).
	if !p.Published {
		t.Fatal("the fixture's process A is not published")
	}
	if public := fx.Client(t).Get(fmt.Sprintf("/results/%d/regions.geojson", fx.ProcessA)); public.Status != http.StatusOK || !strings.Contains(public.Body, "Kakamega") {
		t.Errorf("the public map: %d", public.Status)
	}
	now := time.Now().UTC()
	draft, err := fx.Store.CreateProcess(ctx, participation.Process{Title: "Draft plan", Slug: "western-draft-2031", Languages: []string{"en"},
		Level: participation.LevelConsult, Scope: participation.ScopeLocal, Mode: participation.ModeOpen, State: participation.StateDraft,
		RegionSetID: id, StartsAt: now, EndsAt: now.AddDate(0, 1, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if hidden := fx.Client(t).Get(fmt.Sprintf("/results/%d/regions.geojson", draft)); hidden.Status != http.StatusNotFound {
		t.Errorf("the public map of a draft: %d", hidden.Status)
	}
}
