package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// FuzzAPIBodies posts any body to each write route of the API, through
// the real server on a real SQLite store (cheap enough to run for the
// fuzzer): a body is the client's mistake or accepted, never a 5xx, and
// every answer is JSON. Seeds are the bodies of TestAPIEndToEnd.
func FuzzAPIBodies(f *testing.F) {
	fx := webtest.New(f, sqldbtest.NewSQLiteURL(f))
	serve := func(method, path string, body []byte, token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		rec := httptest.NewRecorder()
		fx.Server.ServeHTTP(rec, req)
		return rec
	}
	rec := serve("POST", "/api/v1/participants", nil, "")
	var p struct{ Token string }
	if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &p) != nil {
		f.Fatalf("create participant: %d %s", rec.Code, rec.Body)
	}
	routes := []struct{ method, path string }{
		{"POST", "/api/v1/participants"},
		{"POST", fmt.Sprintf("/api/v1/components/%d/proposals", fx.Proposals)},
		{"POST", fmt.Sprintf("/api/v1/proposals/%d/comments", fx.Proposal)},
		{"POST", fmt.Sprintf("/api/v1/sections/%d/comments", fx.Sections[1])},
		{"PUT", fmt.Sprintf("/api/v1/comments/%d/vote", fx.SectionComm)},
		{"POST", fmt.Sprintf("/api/v1/components/%d/response/pages/1", fx.Survey)},
		{"POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID)},
		{"POST", fmt.Sprintf("/api/v1/processes/%d/verification", fx.Registered.ID)},
	}
	seed := func(route int, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(route), b)
	}
	seed(0, map[string]any{"region_code": "001"})
	seed(1, map[string]any{"title": "Solar street lights", "description": "Lights along Moi Avenue for night traders.",
		"budget_minor": 90000000, "tags": []string{"lighting"}, "region_code": "001", "latitude": -4.05, "longitude": 39.66})
	seed(2, map[string]any{"body": "Which wards first?", "parent_id": fx.Comment})
	seed(3, map[string]any{"kind": "question", "body": "Which wards?"})
	seed(4, map[string]any{"vote": "agree"})
	seed(5, map[string]any{"answers": []map[string]any{
		{"question_id": fx.Questions["single"], "choices": []int{0}},
		{"question_id": fx.Questions["likert"], "number": 5},
		{"question_id": fx.Questions["text"], "text": "Thanks"},
	}})
	seed(6, map[string]any{"consent": true, "notice_version": 1, "name": "Kamau", "email": "kamau@example.org"})
	seed(7, map[string]any{"secret": "nope"})
	f.Add(uint8(1), []byte(`{"title": "x", "images": [{"data": "iVBORw0KGgo="}]} `))
	f.Add(uint8(5), []byte(`{"answers": [{"question_id": 1e400}]}`))
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		r := routes[int(route)%len(routes)]
		rec := serve(r.method, r.path, body, p.Token)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", r.method, r.path, body, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusNoContent && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s %q: %d, not JSON: %q", r.method, r.path, body, rec.Code, rec.Body)
		}
	})
}
