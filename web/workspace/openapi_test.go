package workspace_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestOpenAPIStaffRoutes holds the staff API (staff area and workspace) to
// /api/v1/openapi.json: every staff API route is documented with the staff
// bearer scheme, nothing documented is unserved, and real answers match.
func TestOpenAPIStaffRoutes(t *testing.T) {
	fx := newFixture(t, sqliteURLFor(t))
	doc := webtest.OpenAPI(t, fx.URL)
	served := map[string]bool{}
	for _, r := range fx.Server.Routes() {
		if !r.API || !strings.HasPrefix(r.Path, "/api/v1/staff") {
			continue
		}
		path := webtest.OpenAPIPath(r.Path)
		served[r.Method+" "+path] = true
		item := doc.Paths.Find(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			t.Errorf("staff route %s %s (%s) is not in openapi.json", r.Method, path, r.Name)
			continue
		}
		o := item.GetOperation(r.Method)
		if o.Security == nil || len(*o.Security) != 1 || (*o.Security)[0]["staff"] == nil {
			t.Errorf("%s %s: want the staff bearer scheme", r.Method, path)
		}
	}
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, "/api/v1/staff") {
			continue
		}
		for method := range item.Operations() {
			if !served[method+" "+path] {
				t.Errorf("openapi.json describes %s %s, which no route serves", method, path)
			}
		}
	}
	if len(served) < 20 {
		t.Fatalf("only %d staff API routes; is the workspace mounted?", len(served))
	}

	doc.Servers = openapi3.Servers{{URL: fx.URL}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	tok := fx.SignIn(t, "admin").Token
	check := func(method, path string, body any, wantStatus int) map[string]any {
		t.Helper()
		var raw []byte
		if body != nil {
			raw, _ = json.Marshal(body)
		}
		req, _ := http.NewRequest(method, fx.URL+path, bytes.NewReader(raw))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Fatalf("%s %s: not in the document: %v", method, path, err)
		}
		in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && wantStatus < 400 {
			t.Fatalf("%s %s: the request does not match the document: %v", method, path, err)
		}
		req.Body = io.NopCloser(bytes.NewReader(raw))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		if res.StatusCode != wantStatus {
			t.Fatalf("%s %s: got %d, want %d: %s", method, path, res.StatusCode, wantStatus, out)
		}
		v := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		v.SetBodyBytes(out)
		if err := openapi3filter.ValidateResponse(context.Background(), v); err != nil {
			t.Errorf("%s %s → %d: the answer does not match the document: %v\n%s", method, path, res.StatusCode, err, bytes.TrimSpace(out))
		}
		var m map[string]any
		_ = json.Unmarshal(out, &m)
		return m
	}
	created := check("POST", "/api/v1/staff/processes", map[string]any{"title": "Markets 2027", "slug": "markets-2027", "level": "consult",
		"scope": "local", "mode": "open", "time_zone": "Africa/Nairobi", "languages": []string{"en", "sw"},
		"starts_at": "2026-03-01T00:00:00Z", "ends_at": "2026-05-01T00:00:00Z"}, 201)
	id := int64(created["id"].(float64))
	A := fmt.Sprintf("/api/v1/staff/processes/%d", id)
	check("POST", "/api/v1/staff/processes", map[string]any{"title": "x", "nope": 1}, 400)
	check("GET", A+"/setup", nil, 200)
	p := fx.process(t, id)
	p.Sector = "Trade"
	check("PUT", A+"/strategy", p, 200)
	comp := check("POST", A+"/components", map[string]any{"kind": "proposals", "title": "Market ideas",
		"proposals": map[string]any{"budget": true, "support_limit": 2}}, 201)
	cid := int64(comp["id"].(float64))
	check("PUT", fmt.Sprintf("%s/components/%d", A, cid), map[string]any{"title": "Market stall ideas"}, 200)
	doc2 := check("POST", A+"/components", map[string]any{"kind": "document", "title": "Market by-law"}, 201)
	did := int64(doc2["id"].(float64))
	check("PUT", fmt.Sprintf("%s/components/%d/document", A, did), map[string]any{"title": "By-law", "markdown": "# Fees\n\nLow."}, 200)
	sv := check("POST", A+"/components", map[string]any{"kind": "survey", "title": "Market survey"}, 201)
	sid := int64(sv["id"].(float64))
	check("PUT", fmt.Sprintf("%s/components/%d/survey", A, sid), map[string]any{"pages": 1, "questions": []map[string]any{
		{"page": 1, "type": "single", "prompt": "Open on Sundays?", "options": []string{"Yes", "No"}}}}, 200)
	check("POST", fmt.Sprintf("%s/components/%d/move", A, sid), map[string]any{"delta": -1}, 200)
	ph := check("POST", A+"/phases", map[string]any{"name": "Ideas", "starts_at": "2026-03-01T06:00:00Z", "ends_at": "2026-03-20T06:00:00Z",
		"open_components": []int64{cid}}, 201)
	phid := int64(ph["id"].(float64))
	check("PUT", fmt.Sprintf("%s/phases/%d", A, phid), map[string]any{"name": "Ideas", "starts_at": "2026-03-01T06:00:00Z",
		"ends_at": "2026-03-21T06:00:00Z", "open_components": []int64{cid, did, sid}}, 200)
	check("POST", A+"/phases", map[string]any{"name": "Overlap", "starts_at": "2026-03-10T06:00:00Z", "ends_at": "2026-03-30T06:00:00Z"}, 422)
	check("POST", A+"/privacy-notice", map[string]any{"text": "We keep nothing about you."}, 201)
	check("POST", A+"/privacy-notice", map[string]any{"text": "We keep nothing about you for long.", "data_agreement": map[string]any{
		"purpose": "To hear residents", "lawful_basis": "public_task", "retention_days": 30, "access": "The planning office"}}, 201)
	check("POST", A+"/privacy-notice", map[string]any{"text": "Again.", "data_agreement": map[string]any{"purpose": "", "lawful_basis": "public_task", "access": "x"}}, 422)
	check("PUT", A+"/translations", []map[string]any{{"entity": "process", "entity_id": id, "field": "title", "lang": "sw", "text": "Masoko 2027"}}, 200)
	check("POST", A+"/state", map[string]any{"to": "published"}, 409)
	check("POST", A+"/state", map[string]any{"to": "preview"}, 200)
	check("POST", A+"/state", map[string]any{"to": "published"}, 422)
	check("POST", A+"/copy", map[string]any{"slug": "markets-template", "title": "Markets template", "as_template": true}, 201)
	extra := check("POST", A+"/components", map[string]any{"kind": "proposals", "title": "Spare"}, 201)
	check("DELETE", fmt.Sprintf("%s/components/%d", A, int64(extra["id"].(float64))), nil, 422)
	check("DELETE", fmt.Sprintf("%s/components/%d?confirm=yes", A, int64(extra["id"].(float64))), nil, 204)
	spare := check("POST", A+"/phases", map[string]any{"name": "Spare", "starts_at": "2026-04-01T06:00:00Z", "ends_at": "2026-04-02T06:00:00Z"}, 201)
	check("DELETE", fmt.Sprintf("%s/phases/%d?confirm=yes", A, int64(spare["id"].(float64))), nil, 204)
	check("POST", A+"/region-set", map[string]any{"region_set_id": fx.RegionSet}, 200)
	check("GET", "/api/v1/staff/me", nil, 200)
	check("GET", A, nil, 200)
	check("GET", fmt.Sprintf("/api/v1/staff/audit?process=%d", id), nil, 200)
	check("GET", A+"/process.json", nil, 200)

	// Assessment, on the published process A with a citizen's proposal.
	AA := fmt.Sprintf("/api/v1/staff/processes/%d", fx.ProcessA)
	crit := check("POST", AA+"/criteria", map[string]any{"name": "Cost", "weight": 2, "scale_min": 1, "scale_max": 5}, 201)
	check("POST", AA+"/criteria", map[string]any{"name": "Upside down", "scale_min": 5, "scale_max": 1}, 422)
	PP := fmt.Sprintf("%s/proposals/%d", AA, fx.proposalIn(t, "Boreholes"))
	check("PUT", PP+"/scores", map[string]any{"scores": []map[string]any{{"criterion_id": crit["id"], "score": 9}}}, 422)
	check("PUT", PP+"/scores", map[string]any{"scores": []map[string]any{{"criterion_id": crit["id"], "score": 4, "note": "cheap"}}}, 200)
	check("POST", PP+"/decision", map[string]any{"from": "submitted", "to": "under_assessment"}, 200)
	check("POST", PP+"/decision", map[string]any{"from": "under_assessment", "to": "not_selected"}, 422)
	check("POST", PP+"/decision", map[string]any{"from": "under_assessment", "to": "implemented"}, 409)
	check("POST", PP+"/decision", map[string]any{"from": "under_assessment", "to": "not_selected", "reason": "No land"}, 200)
}
