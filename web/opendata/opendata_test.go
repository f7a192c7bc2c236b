package opendata_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/opendata"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

type stack struct {
	ing  *ingest.Ingester
	dash *dashboards.Dashboards
}

// withOpenData mounts the open data as serve does, over a real warehouse
// fed by the ingester from the fixture's store.
func withOpenData(t *testing.T, st *stack) staffwebtest.Mount {
	return func(f *staffwebtest.Fixture) func(r *mux.Router, reg web.Registrar) {
		ctx := context.Background()
		wh, err := warehouse.Open(t.TempDir() + "/warehouse.duckdb")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { wh.Close() })
		if st.ing, err = ingest.New(f.Store, wh, ingest.Options{Key: bytes.Repeat([]byte{9}, 32), Workers: 1}); err != nil {
			t.Fatal(err)
		}
		if err := st.ing.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if st.dash, err = dashboards.New(ctx, wh.Read(), nil); err != nil {
			t.Fatal(err)
		}
		return opendata.New(opendata.Config{Dash: st.dash, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Routes
	}
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, b
}

func TestOpenDataIsSuppressedAndLicensed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		st := &stack{}
		fx := staffwebtest.New(t, b.URL, withOpenData(t, st))
		ctx := context.Background()
		// The officials publish every panel that may be published.
		published := 0
		for _, db := range dashboards.All() {
			for _, pn := range db.Panels {
				if pn.Publishable {
					if _, err := fx.Store.PublishPanel(ctx, fx.ProcessA, pn.Name, fx.People["admin"].ID); err != nil {
						t.Fatal(err)
					}
					published++
				}
			}
		}
		if err := st.ing.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		fx.WalkRoutes(t, nil) // public routes answer everyone alike

		res, body := get(t, fmt.Sprintf("%s/api/v1/processes/%d/open-data.json", fx.URL, fx.ProcessA))
		if res.StatusCode != http.StatusOK {
			t.Fatalf("open data: %d %s", res.StatusCode, body)
		}
		var doc opendata.Document
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Licence.ID != "CC-BY-4.0" || !strings.HasPrefix(doc.Licence.URL, "https://creativecommons.org/") || doc.Threshold != dashboards.SmallCell {
			t.Errorf("licence %+v, threshold %d", doc.Licence, doc.Threshold)
		}
		if len(doc.Tables) < published/2 {
			t.Fatalf("%d tables for %d published panels", len(doc.Tables), published)
		}
		// No count under the threshold, anywhere; and the fixture is small
		// enough that some were hidden (else this proves nothing).
		hidden := 0
		for _, tb := range doc.Tables {
			for _, row := range tb.Rows {
				for j, v := range row {
					if tb.Columns[j].Kind != "count" {
						continue
					}
					switch x := v.(type) {
					case float64:
						if x < dashboards.SmallCell {
							t.Errorf("%s %q: a count of %v is published", tb.Panel, tb.Columns[j].Label, x)
						}
					case string:
						if x != "<5" && x != "*" {
							t.Errorf("%s %q: count cell %q", tb.Panel, tb.Columns[j].Label, x)
						}
						hidden++
					}
				}
			}
		}
		if hidden == 0 {
			t.Error("no count was hidden: the fixture cannot tell whether suppression runs")
		}
		// The CSV says the same, a licence on every line.
		res, body = get(t, fmt.Sprintf("%s/api/v1/processes/%d/open-data.csv", fx.URL, fx.ProcessA))
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d", res.StatusCode)
		}
		recs, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		csvHidden := 0
		for i, r := range recs[1:] {
			if r[9] != "CC-BY-4.0" {
				t.Errorf("line %d without its licence: %q", i+2, r)
			}
			if r[6] == "count" && (r[8] == "<5" || r[8] == "*") {
				csvHidden++
			}
			if r[6] == "count" && r[8] != "<5" && r[8] != "*" && r[8] != "" {
				var n float64
				fmt.Sscan(r[8], &n)
				if n < dashboards.SmallCell {
					t.Errorf("csv line %d publishes a count of %s", i+2, r[8])
				}
			}
		}
		if csvHidden != hidden {
			t.Errorf("csv hides %d counts, json %d", csvHidden, hidden)
		}
		// An unpublished or unknown process has no open data.
		for _, id := range []int64{fx.Draft.ID, 999999} {
			if res, _ := get(t, fmt.Sprintf("%s/api/v1/processes/%d/open-data.json", fx.URL, id)); res.StatusCode != http.StatusNotFound ||
				res.Header.Get("Content-Type") != "application/problem+json" {
				t.Errorf("process %d: %d %s", id, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	})
}

// TestOpenAPIOpenData holds the routes to web/openapi.json: both are
// described, and real answers match the document.
func TestOpenAPIOpenData(t *testing.T) {
	st := &stack{}
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), withOpenData(t, st))
	ctx := context.Background()
	for _, panel := range []string{"regions", "survey-questions"} {
		if _, err := fx.Store.PublishPanel(ctx, fx.ProcessA, panel, fx.People["admin"].ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.ing.CatchUp(ctx); err != nil {
		t.Fatal(err)
	}
	doc := webtest.OpenAPI(t, fx.URL)
	n := 0
	for _, r := range fx.Server.Routes() {
		if !strings.Contains(r.Path, "/open-data.") {
			continue
		}
		n++
		item := doc.Paths.Find(webtest.OpenAPIPath(r.Path))
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("%s %s is not in openapi.json", r.Method, r.Path)
		}
	}
	if n != 2 {
		t.Fatalf("%d open-data routes", n)
	}
	doc.Servers = openapi3.Servers{{URL: fx.URL}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path   string
		status int
	}{
		{fmt.Sprintf("/api/v1/processes/%d/open-data.json", fx.ProcessA), 200},
		{fmt.Sprintf("/api/v1/processes/%d/open-data.csv", fx.ProcessA), 200},
		{fmt.Sprintf("/api/v1/processes/%d/open-data.json", fx.Draft.ID), 404},
	} {
		req, _ := http.NewRequest(http.MethodGet, fx.URL+c.path, nil)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s: not in the document: %v", c.path, err)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.status {
			t.Fatalf("%s: %d, want %d: %s", c.path, res.StatusCode, c.status, raw)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
		out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		out.SetBodyBytes(raw)
		if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
			t.Errorf("%s: the answer does not match the document: %v\n%s", c.path, err, raw)
		}
	}
}
