package web

import (
	"net/http"

	"github.com/civicpulse/civicpulse/participation/processfile"
)

// processFileSchema is read once: the schema is embedded and never changes
// while the binary runs.
var processFileSchema = processfile.Schema()

// apiProcessFileSchema serves the JSON Schema of a process file, the
// document `civicpulse process export` writes and the staff API's
// /api/v1/staff/processes/apply accepts.
func apiProcessFileSchema(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/schema+json")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Write(processFileSchema)
}
