package processfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/civicpulse/civicpulse/participation"
)

// FuzzDecode: Decode never panics, and a file it accepts survives being
// written back and read again unchanged.
func FuzzDecode(f *testing.F) {
	f.Add(fixture(f))
	f.Add([]byte(`{"version":1,"process":{"slug":"a","title":"abc","level":"inform","scope":"local","starts_at":"2027-01-01T00:00:00Z","ends_at":"2027-02-01T00:00:00Z","languages":["en"],"mode":"open"},"components":[],"phases":[]}`))
	f.Add([]byte(`{"version":1,"components":[{"key":"s","kind":"survey","title":"t","survey":{"questions":[{"type":"slider","prompt":"p"}]}}]}`))
	f.Add([]byte(`{"version":1,"phases":[{"name":"a","starts_at":"2027-01-01T00:00:00Z","ends_at":"2026-01-01T00:00:00Z","opens":["x","x"]}]}`))
	f.Add([]byte(`[1, 2, {"process": null}]`))
	f.Add([]byte(`{"version": 1e400}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if bytes.Contains(data, []byte("geojson")) {
			return // region shapes are participation.CheckGeoJSON's, fuzzed there
		}
		file, err := Decode(bytes.NewReader(data))
		if err != nil {
			var ve participation.ValidationErrors
			if !errors.As(err, &ve) || len(ve) == 0 {
				t.Fatalf("err = %v (%T), want ValidationErrors", err, err)
			}
			return
		}
		again, err := json.Marshal(file)
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("an accepted file, written back, is refused: %v\n%s", err, again)
		}
		a, _ := canonical(file)
		b, _ := canonical(back)
		if !bytes.Equal(a, b) {
			t.Fatalf("written back and read again, the file changed:\n%s\n%s", a, b)
		}
	})
}
