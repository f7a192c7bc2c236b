package civicpulse

import (
	"encoding/json"
	"testing"
)

func TestKenyaCounties(t *testing.T) {
	var fc struct {
		Type     string `json:"type"`
		Features []struct {
			Properties struct {
				Name string `json:"name"`
				Code int    `json:"county_code"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(KenyaCountiesGeoJSON, &fc); err != nil {
		t.Fatal(err)
	}
	codes := map[int]bool{}
	for _, f := range fc.Features {
		if f.Properties.Name == "" {
			t.Errorf("county %d has no name", f.Properties.Code)
		}
		codes[f.Properties.Code] = true
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 47 || len(codes) != 47 || !codes[1] || !codes[47] {
		t.Errorf("%s with %d features, codes %v", fc.Type, len(fc.Features), codes)
	}
}
