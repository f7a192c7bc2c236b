package webtest

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// OpenAPI fetches the server's /api/v1/openapi.json from base and holds it
// to OpenAPI 3: a document that does not load or does not validate fails
// the test. The citizen API's tests and the staff API's share it, so both
// read the document the same way.
func OpenAPI(t testing.TB, base string) *openapi3.T {
	t.Helper()
	res, err := http.Get(base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI 3 document: %v", err)
	}
	return doc
}

var muxVar = regexp.MustCompile(`\{([a-z]+):[^}]+\}`)

// OpenAPIPath writes a route's path as openapi.json does: {id:[0-9]+}
// becomes {id}.
func OpenAPIPath(route string) string { return muxVar.ReplaceAllString(route, "{$1}") }
