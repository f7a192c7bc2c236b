package web_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestOpenAPIMatchesRoutes checks the document and the route table describe
// the same API: every API route is documented and nothing else is.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	fx := webtest.New(t, sqliteURL(t))
	doc := webtest.OpenAPI(t, fx.URL)
	routes := map[string]bool{}
	for _, r := range fx.Server.Routes() {
		if !r.API {
			continue
		}
		key := r.Method + " " + webtest.OpenAPIPath(r.Path)
		routes[key] = true
		op := doc.Paths.Find(webtest.OpenAPIPath(r.Path))
		if op == nil || op.GetOperation(r.Method) == nil {
			t.Errorf("route %s (%s) is not in openapi.json", key, r.Name)
			continue
		}
		// Participant routes must say they need the bearer token.
		o := op.GetOperation(r.Method)
		needsAuth := o.Security != nil && len(*o.Security) > 0
		if needsAuth != (r.Access.String() == "participant") {
			t.Errorf("%s: security in openapi.json (%v) differs from access rule %s", key, needsAuth, r.Access)
		}
	}
	var documented []string
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			documented = append(documented, method+" "+path)
		}
	}
	sort.Strings(documented)
	mountedOps := 0
	for _, k := range documented {
		// The staff API is served by the staff area and the workspace,
		// which this fixture does not mount; their own tests hold it to
		// the document (web/workspace TestOpenAPIStaffRoutes).
		if strings.Contains(k, " /api/v1/staff/") {
			mountedOps++
			continue
		}
		// The open data is served by web/opendata over the dashboards,
		// which this fixture does not mount either (its TestOpenAPIOpenData
		// holds it to the document).
		if strings.Contains(k, "/open-data.") {
			mountedOps++
			continue
		}
		if !routes[k] {
			t.Errorf("openapi.json describes %s, which no route serves", k)
		}
	}
	if len(documented)-mountedOps != len(routes) {
		t.Errorf("%d documented operations, %d API routes", len(documented)-mountedOps, len(routes))
	}
}

// TestOpenAPIValidatesResponses sends real requests and checks request and
// response against the document.
func TestOpenAPIValidatesResponses(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		doc := webtest.OpenAPI(t, fx.URL)
		doc.Servers = openapi3.Servers{{URL: fx.URL}}
		router, err := gorillamux.NewRouter(doc)
		if err != nil {
			t.Fatal(err)
		}
		a := newAPI(t, fx)
		check := func(method, path string, body string, wantStatus int) {
			t.Helper()
			var rd io.Reader
			if body != "" {
				rd = strings.NewReader(body)
			}
			req, _ := http.NewRequest(method, fx.URL+path, rd)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Authorization", "Bearer "+a.token)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("%s %s: not in the document: %v", method, path, err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if body != "" {
				if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && wantStatus < 400 {
					t.Fatalf("%s %s: request does not match the document: %v", method, path, err)
				}
				req.Body = io.NopCloser(strings.NewReader(body))
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			raw, _ := io.ReadAll(res.Body)
			want(t, res.StatusCode, wantStatus, raw)
			out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
				Options: &openapi3filter.Options{IncludeResponseStatus: true}}
			out.SetBodyBytes(raw)
			if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
				t.Errorf("%s %s → %d: response does not match the document: %v\n%s", method, path, res.StatusCode, err, bytes.TrimSpace(raw))
			}
		}
		check("GET", "/api/v1/processes", "", 200)
		check("GET", fmt.Sprintf("/api/v1/processes/%d", fx.Open.ID), "", 200)
		check("GET", fmt.Sprintf("/api/v1/components/%d", fx.Proposals), "", 200)
		check("GET", fmt.Sprintf("/api/v1/components/%d/proposals?order=supports&limit=10", fx.Proposals), "", 200)
		check("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.Proposals), `{"title":"Clinic fence","description":"Goats keep entering the clinic yard.","tags":["health"],"lat":-1.3,"lng":36.8}`, 201)
		check("POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.Proposals), `{"title":"","description":"x"}`, 422)
		check("GET", fmt.Sprintf("/api/v1/proposals/%d", fx.Proposal), "", 200)
		check("POST", fmt.Sprintf("/api/v1/proposals/%d/support", fx.Proposal), "", 200)
		check("POST", fmt.Sprintf("/api/v1/proposals/%d/support", fx.Proposal), "", 409)
		check("POST", fmt.Sprintf("/api/v1/proposals/%d/comments", fx.Proposal), `{"body":"Good idea.","parent_id":`+fmt.Sprint(fx.Comment)+`}`, 201)
		check("GET", fmt.Sprintf("/api/v1/proposals/%d/comments", fx.Proposal), "", 200)
		check("GET", fmt.Sprintf("/api/v1/components/%d/document", fx.Document), "", 200)
		check("POST", fmt.Sprintf("/api/v1/sections/%d/comments", fx.Sections[0]), `{"kind":"amendment","body":"Cap it.","proposed_text":"Fees rise by 5%."}`, 201)
		check("PUT", fmt.Sprintf("/api/v1/comments/%d/vote", fx.SectionComm), `{"vote":"disagree"}`, 200)
		check("GET", fmt.Sprintf("/api/v1/components/%d/survey", fx.Survey), "", 200)
		check("POST", fmt.Sprintf("/api/v1/components/%d/response/pages/1", fx.Survey), fmt.Sprintf(`{"answers":[{"question_id":%d,"choices":[2]},{"question_id":%d,"number":2}]}`, fx.Questions["single"], fx.Questions["likert"]), 200)
		check("GET", fmt.Sprintf("/api/v1/components/%d/response", fx.Survey), "", 200)
		check("GET", "/api/v1/me/submissions", "", 200)
		check("GET", "/api/v1/proposals/999999", "", 404)
		check("POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID), `{"consent":true,"notice_version":1,"email":"wanjiku@example.org","name":"Wanjiku"}`, 202)
		check("GET", "/api/v1/me/data", "", 200)
		check("GET", "/api/v1/me/consent-records", "", 200)
		check("GET", fmt.Sprintf("/api/v1/processes/%d/data-agreements", fx.Registered.ID), "", 200)
		check("GET", fmt.Sprintf("/api/v1/processes/%d/data-agreements", fx.Draft.ID), "", 404)
		check("DELETE", "/api/v1/me", `{"contributions":"sideways"}`, 422)
		check("DELETE", "/api/v1/me", `{"contributions":"keep"}`, 200)
		check("DELETE", "/api/v1/me?contributions=keep", "", 401) // the token went with the erasure
	})
}
