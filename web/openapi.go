package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
)

//go:embed openapi.json
var openAPIJSON []byte

// openAPIDocument checks at start-up that the embedded document is JSON;
// the tests check it against the route table and real responses.
func openAPIDocument() ([]byte, error) {
	if !json.Valid(openAPIJSON) {
		return nil, fmt.Errorf("web: openapi.json is not valid JSON")
	}
	return openAPIJSON, nil
}
