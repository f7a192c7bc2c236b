package workspace_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
)

// TestProcessThroughTheAPI does the set-up and the life of a process
// through the staff JSON API, refusals included.
func TestProcessThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		tok := fx.SignIn(t, "admin").Token
		call := func(method, path string, body any) (int, map[string]any) {
			t.Helper()
			return fx.api(t, tok, method, path, body)
		}
		want := func(status int, got int, body map[string]any, what string) {
			t.Helper()
			if got != status {
				t.Fatalf("%s: got %d, want %d: %s", what, got, status, dump(body))
			}
		}

		// A misspelt field is refused, not dropped.
		st, body := call("POST", "/api/v1/staff/processes", map[string]any{"title": "Roads 2027", "slugg": "x"})
		want(http.StatusBadRequest, st, body, "create with an unknown field")
		if !strings.Contains(dump(body), "slugg") {
			t.Fatalf("the refusal does not name the field: %s", dump(body))
		}
		st, body = call("POST", "/api/v1/staff/processes", map[string]any{"title": "Roads 2027", "slug": "roads-2027",
			"summary": "Which roads first?", "objective": "Rank 30 roads.", "level": "consult", "scope": "local",
			"time_zone": "Africa/Nairobi", "languages": []string{"en", "sw"}, "mode": "open",
			"starts_at": "2026-03-01T00:00:00Z", "ends_at": "2026-05-01T00:00:00Z",
			"expected_outcome": "A ranked list.", "feedback_method": "A report."})
		want(http.StatusCreated, st, body, "create")
		id := int64(body["id"].(float64))
		A := fmt.Sprintf("/api/v1/staff/processes/%d", id)

		// Strategy: registered mode without a reason for a field is refused.
		p := fx.process(t, id)
		p.Mode, p.PersonalFields = participation.ModeRegistered, []participation.PersonalField{participation.FieldAgeBand}
		st, body = call("PUT", A+"/strategy", p)
		want(http.StatusUnprocessableEntity, st, body, "registered without a reason")
		if fx.process(t, id).Mode != participation.ModeOpen {
			t.Fatal("a refused strategy was saved")
		}
		p.FieldReasons = map[participation.PersonalField]string{participation.FieldAgeBand: "To see whether the young take part."}
		p.Sector = "Roads"
		st, body = call("PUT", A+"/strategy", p)
		want(http.StatusOK, st, body, "strategy")

		// Region set: a bad CSV is refused whole; a good one is used.
		st, body = fx.upload(t, tok, A+"/region-set", map[string]string{"name": "Wards"}, map[string][]byte{"csv": []byte("code,name,population\nN,North,-1\n")})
		want(http.StatusUnprocessableEntity, st, body, "negative population")
		if !strings.Contains(dump(body), "must not be negative") {
			t.Fatalf("the refusal does not say why: %s", dump(body))
		}
		st, body = fx.upload(t, tok, A+"/region-set", map[string]string{"name": "Wards"}, map[string][]byte{"csv": []byte(goodCSV), "geojson": []byte(goodGeoJSON)})
		want(http.StatusOK, st, body, "region set")
		if fx.process(t, id).RegionSetID == 0 {
			t.Fatal("the region set is not the process's")
		}

		// Components and their content.
		add := func(kind participation.ComponentKind, title string) int64 {
			st, body := call("POST", A+"/components", map[string]any{"kind": kind, "title": title})
			want(http.StatusCreated, st, body, "add "+string(kind))
			return int64(body["id"].(float64))
		}
		props, doc, survey := add(participation.KindProposals, "Road ideas"), add(participation.KindDocument, "Road plan"), add(participation.KindSurvey, "Road survey")
		st, body = call("PUT", fmt.Sprintf("%s/components/%d/document", A, doc), map[string]any{"title": "Road plan", "markdown": "# One\n\nFirst.\n\n# Two\n\nSecond."})
		want(http.StatusOK, st, body, "document")
		if secs, _ := body["sections"].([]any); len(secs) != 2 {
			t.Fatalf("document sections: %s", dump(body))
		}
		st, body = call("PUT", fmt.Sprintf("%s/components/%d/survey", A, survey), map[string]any{"pages": 1, "questions": []map[string]any{
			{"page": 1, "type": "single", "prompt": "Which road?", "options": []string{"A1", "B2"}, "required": true},
			{"page": 1, "type": "bogus", "prompt": "?"}}})
		want(http.StatusUnprocessableEntity, st, body, "survey with an unknown question type")
		st, body = call("PUT", fmt.Sprintf("%s/components/%d/survey", A, survey), map[string]any{"pages": 1, "questions": []map[string]any{
			{"page": 1, "type": "single", "prompt": "Which road?", "options": []string{"A1", "B2"}, "required": true},
			{"page": 1, "type": "text", "prompt": "Why?", "show_if": map[string]any{"question_position": 1, "choices": []int{1}}}}})
		want(http.StatusOK, st, body, "survey")
		st, body = call("POST", fmt.Sprintf("%s/components/%d/move", A, survey), map[string]any{"delta": -2})
		want(http.StatusOK, st, body, "move the survey first")
		if got := fx.process(t, id); got.Components[0].ID != survey {
			t.Fatalf("component order: %v", titles(got.Components))
		}

		// Phases: overlap and backwards dates refused.
		day := func(d int) time.Time { return time.Date(2026, 3, d, 6, 0, 0, 0, time.UTC) }
		before := fx.sched.count(id)
		st, body = call("POST", A+"/phases", map[string]any{"name": "Vote", "starts_at": day(1), "ends_at": day(20), "open_components": []int64{props, doc, survey}})
		want(http.StatusCreated, st, body, "phase")
		if fx.sched.count(id) <= before {
			t.Fatal("adding a phase did not schedule the phase jobs")
		}
		st, body = call("POST", A+"/phases", map[string]any{"name": "Overlap", "starts_at": day(10), "ends_at": day(25)})
		want(http.StatusUnprocessableEntity, st, body, "overlapping phase")
		st, body = call("POST", A+"/phases", map[string]any{"name": "Backwards", "starts_at": day(28), "ends_at": day(22)})
		want(http.StatusUnprocessableEntity, st, body, "phase ending before it starts")
		if got := fx.process(t, id); len(got.Phases) != 1 {
			t.Fatalf("refused phases were saved: %d", len(got.Phases))
		}

		// The set-up lists what is missing; publishing is refused until it is done.
		st, body = call("GET", A+"/setup", nil)
		want(http.StatusOK, st, body, "setup")
		missing, _ := body["missing"].([]any)
		if len(missing) == 0 {
			t.Fatal("the set-up lists nothing untranslated")
		}
		st, body = call("POST", A+"/state", map[string]any{"to": "published"})
		want(http.StatusConflict, st, body, "draft → published")
		st, body = call("POST", A+"/state", map[string]any{"to": "preview"})
		want(http.StatusOK, st, body, "to preview")
		st, body = call("POST", A+"/state", map[string]any{"to": "published"})
		if st != http.StatusUnprocessableEntity || !strings.Contains(dump(body), "not translated into sw") || !strings.Contains(dump(body), "privacy notice") {
			t.Fatalf("publish untranslated, without a notice: %d %s", st, dump(body))
		}
		st, body = call("POST", A+"/privacy-notice", map[string]any{"text": "We keep your age band for one year."})
		want(http.StatusCreated, st, body, "privacy notice")
		var tr []participation.Translation
		for _, m := range missing {
			mm := m.(map[string]any)
			tr = append(tr, participation.Translation{Entity: participation.EntityKind(mm["entity"].(string)), EntityID: int64(mm["entity_id"].(float64)),
				Field: mm["field"].(string), Lang: "sw", Text: "Kiswahili " + mm["field"].(string)})
		}
		tr = append(tr, participation.Translation{Entity: participation.EntityProcess, EntityID: id, Field: "privacy_notice", Lang: "sw", Text: "Tunahifadhi umri wako kwa mwaka mmoja."})
		st, body = call("PUT", A+"/translations", tr)
		want(http.StatusOK, st, body, "translations")
		if left, _ := body["missing"].([]any); len(left) != 0 {
			t.Fatalf("still untranslated: %s", dump(left))
		}
		before = fx.sched.count(id)
		st, body = call("POST", A+"/state", map[string]any{"to": "published"})
		want(http.StatusOK, st, body, "publish")
		if fx.process(t, id).State != participation.StatePublished || fx.sched.count(id) <= before {
			t.Fatal("not published, or the phases were not scheduled")
		}

		// Deleting a component with contributions is refused; without them
		// it needs confirm=yes.
		st, body = call("DELETE", fmt.Sprintf("/api/v1/staff/processes/%d/components/%d?confirm=yes", fx.ProcessA, fx.Proposals), nil)
		want(http.StatusConflict, st, body, "delete a component with contributions")
		st, body = call("DELETE", fmt.Sprintf("%s/components/%d", A, doc), nil)
		want(http.StatusUnprocessableEntity, st, body, "delete without confirm")
		// A component of another process through this process's path: 404.
		st, body = call("PUT", fmt.Sprintf("%s/components/%d", A, fx.Proposals), map[string]any{"title": "Hijack"})
		want(http.StatusNotFound, st, body, "another process's component")

		// Close with a reason, archive; illegal moves are refused.
		st, body = call("POST", A+"/state", map[string]any{"to": "closed"})
		want(http.StatusUnprocessableEntity, st, body, "close early without a reason")
		st, body = call("POST", A+"/state", map[string]any{"to": "closed", "reason": "Budget moved to next year"})
		want(http.StatusOK, st, body, "close")
		st, body = call("POST", A+"/state", map[string]any{"to": "published"})
		want(http.StatusConflict, st, body, "closed → published")
		st, body = call("POST", A+"/state", map[string]any{"to": "archived"})
		want(http.StatusOK, st, body, "archive")

		// Save as template, and a new process from it.
		st, body = call("POST", A+"/copy", map[string]any{"slug": "roads-template", "title": "Roads template", "as_template": true})
		want(http.StatusCreated, st, body, "save as template")
		tpl := int64(body["id"].(float64))
		st, body = call("POST", "/api/v1/staff/processes", map[string]any{"template": tpl, "slug": "roads-2028", "title": "Roads 2028"})
		want(http.StatusCreated, st, body, "new from template")
		copied := fx.process(t, int64(body["id"].(float64)))
		if copied.State != participation.StateDraft || len(copied.Components) != 3 || len(copied.Phases) != 1 || copied.IsTemplate {
			t.Fatalf("copy from template: %s, %d components, %d phases, template %v", copied.State, len(copied.Components), len(copied.Phases), copied.IsTemplate)
		}

		// Every API write is audited with before and after.
		seen := map[string]int{}
		for _, r := range fx.audited(t, id) {
			seen[r.Action]++
			if r.Action == "process.state" && (len(r.Before) == 0 || len(r.After) == 0) {
				t.Errorf("state change audited without before/after")
			}
		}
		for _, a := range []string{"process.create", "process.strategy", "region_set.create", "component.add", "document.publish",
			"survey.set", "component.move", "phase.add", "process.privacy_notice", "process.translations", "process.state"} {
			if seen[a] == 0 {
				t.Errorf("no audit record %q", a)
			}
		}
		if seen["process.state"] != 4 {
			t.Errorf("%d state changes audited, want 4 (refusals are not changes)", seen["process.state"])
		}
	})
}

// upload posts a multipart form to the API with a bearer token.
func (fx *fixture) upload(t *testing.T, token, path string, fields map[string]string, files map[string][]byte) (int, map[string]any) {
	t.Helper()
	body, ctype := multipartBody(fields, files)
	req, _ := http.NewRequest(http.MethodPost, fx.URL+path, body)
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&out); err != nil {
		out = map[string]any{"raw": string(raw)}
	}
	return res.StatusCode, out
}
