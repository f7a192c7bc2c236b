package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/civicpulse/civicpulse/web/webtest"
)

// consentSpec is the GovStack Consent BB's OpenAPI file, as published.
func consentSpec(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromFile("../testdata/govstack/consent-openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The published examples do not all match the schemas (README there).
	if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
		t.Fatalf("the Consent BB file does not load: %v", err)
	}
	return doc
}

// okSchema is the 200 JSON schema of the Consent BB operation with this id.
func okSchema(t *testing.T, doc *openapi3.T, operationID string) *openapi3.Schema {
	t.Helper()
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.OperationID == operationID {
				return op.Responses.Status(200).Value.Content.Get("application/json").Schema.Value
			}
		}
	}
	t.Fatalf("no operation %s in the Consent BB file", operationID)
	return nil
}

// validates checks body against the schema and that its list is not empty,
// so that an empty answer cannot pass for a valid one.
func validates(t *testing.T, s *openapi3.Schema, body []byte, list string, n int) map[string][]map[string]any {
	t.Helper()
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatal(err)
	}
	if err := s.VisitJSON(v); err != nil {
		t.Fatalf("not a Consent BB answer: %v\n%s", err, body)
	}
	var typed map[string][]map[string]any
	if err := json.Unmarshal(body, &typed); err != nil || len(typed[list]) != n {
		t.Fatalf("want %d %s, got %s (%v)", n, list, body, err)
	}
	return typed
}

// The data agreements and the caller's consent records read as the Consent
// BB's own LIST answers; a withdrawn record reads optIn false; a process
// citizens cannot see answers 404 like an unknown one.
func TestConsentAPIIsGovStackShaped(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		doc := consentSpec(t)
		n := publishAgreement(t, fx)
		a := newAPI(t, fx)
		res := a.call("GET", fmt.Sprintf("/api/v1/processes/%d/data-agreements", fx.Registered.ID), nil)
		want(t, res.Status, http.StatusOK, res.Body)
		got := validates(t, okSchema(t, doc, "configDataAgreementList"), res.Body, "dataAgreement", 2)
		cur := got["dataAgreement"][0]
		if cur["version"] != "2" || cur["active"] != true || cur["lawfulBasis"] != "public_task" || cur["revisionHash"] != n.Hash ||
			cur["policy"].(map[string]any)["dataRetentionPeriodDays"] != float64(90) || len(cur["dataAttributes"].([]any)) != 3 ||
			got["dataAgreement"][1]["active"] != false {
			t.Fatalf("agreements %s", res.Body)
		}
		for _, path := range []string{fmt.Sprintf("/api/v1/processes/%d/data-agreements", fx.Draft.ID), "/api/v1/processes/999999/data-agreements"} {
			if res := a.call("GET", path, nil); res.Status != http.StatusNotFound {
				t.Fatalf("%s: %d", path, res.Status)
			}
		}

		// The API caller registers through the API (consent and fields in
		// one request, as before) and reads their records.
		res = a.call("POST", fmt.Sprintf("/api/v1/processes/%d/registration", fx.Registered.ID), map[string]any{"consent": true, "notice_version": 2, "name": "Kamau", "email": "kamau@example.org"})
		want(t, res.Status, http.StatusAccepted, res.Body)
		records := okSchema(t, doc, "serviceIndividualConsentRecordList")
		res = a.call("GET", "/api/v1/me/consent-records", nil)
		want(t, res.Status, http.StatusOK, res.Body)
		rec := validates(t, records, res.Body, "consentRecords", 1)["consentRecords"][0]
		if rec["optIn"] != true || rec["dataAgreementRevisionHash"] != n.Hash || rec["dataAgreement"].(map[string]any)["version"] != "2" {
			t.Fatalf("record %s", res.Body)
		}
		id, _ := strconv.ParseInt(strings.SplitN(a.token, ".", 2)[0], 10, 64)
		if err := fx.Store.WithdrawConsent(context.Background(), fx.Registered.ID, id); err != nil {
			t.Fatal(err)
		}
		res = a.call("GET", "/api/v1/me/consent-records", nil)
		rec = validates(t, records, res.Body, "consentRecords", 1)["consentRecords"][0]
		if rec["optIn"] != false || rec["withdrawnAt"] == nil {
			t.Fatalf("withdrawn record %s", res.Body)
		}
		if res := newAPI(t, fx).call("GET", "/api/v1/me/consent-records", nil); res.Status != http.StatusOK || len(res.Body) == 0 {
			t.Fatalf("a participant without records: %d %s", res.Status, res.Body)
		}
	})
}
