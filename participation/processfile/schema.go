package processfile

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed schema.json
var schemaJSON []byte

// SchemaID is the schema's $id.
const SchemaID = "urn:civicpulse:schema:process-file:1"

// Schema returns the JSON Schema (draft 2020-12) of a process file, as
// served at /api/v1/schemas/process-file.json. Decode checks every file
// against it before anything else, so the schema is the format.
func Schema() []byte { return bytes.Clone(schemaJSON) }

var compiled = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, fmt.Errorf("processfile: the embedded schema is not JSON: %w", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	if err := c.AddResource(SchemaID, doc); err != nil {
		return nil, fmt.Errorf("processfile: unable to load the schema: %w", err)
	}
	s, err := c.Compile(SchemaID)
	if err != nil {
		return nil, fmt.Errorf("processfile: unable to compile the schema: %w", err)
	}
	return s, nil
})
