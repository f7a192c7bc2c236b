package web_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// While every decode slot is taken, a picture upload is answered 503 with a
// Retry-After (in the citizen's language) instead of queueing without bound,
// and nothing is stored; once a slot frees, the same request succeeds.
func TestUploadsBusyAnswer503(t *testing.T) {
	each(t, func(t *testing.T, fx *webtest.Fixture) {
		a := newAPI(t, fx)
		create := fmt.Sprintf("/api/v1/components/%d/proposals", fx.Proposals)
		body := map[string]any{"title": "Bus shelter", "description": "A shelter at the Thika road stage.",
			"images": []map[string]any{{"data": photoWithExif(t, 40, 30)}}}
		release := web.HoldImageDecodes()
		res := a.call("POST", create, body)
		release()
		want(t, res.Status, http.StatusServiceUnavailable, res.Body)
		if res.Header.Get("Retry-After") == "" {
			t.Fatal("503 without Retry-After")
		}
		if p := res.problem(t); len(p.Errors) != 1 || p.Errors[0].Field != "images" {
			t.Fatalf("busy problem %+v", p)
		}
		res = a.call("POST", create, body)
		want(t, res.Status, http.StatusCreated, res.Body)
	})
}
