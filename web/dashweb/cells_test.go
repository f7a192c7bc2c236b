package dashweb_test

import (
	"net/http"
	"strings"
	"testing"
)

// The region filter is a choice of the process's regions, by name; a code
// the process does not have is refused with a message, on the page and on
// a panel, instead of silently showing everything.
func TestRegionFilterIsAChoiceAndRefusesUnknown(t *testing.T) {
	srv, _, _ := site(t)
	code, page := get(t, srv.URL+"/staff/p/1/dashboards/proposals?region=02")
	if code != 200 {
		t.Fatalf("region 02: %d", code)
	}
	for _, want := range []string{`<select name="region"`, `<option value="01">Mombasa</option>`, `<option value="02" selected>Kwale</option>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the filter has no %s", want)
		}
	}
	code, page = get(t, srv.URL+"/staff/p/1/dashboards/proposals?region=zz")
	if code != http.StatusBadRequest || !strings.Contains(page, "There is no region &#34;zz&#34; in this process") {
		t.Errorf("region zz on the page: %d\n%s", code, page)
	}
	code, body := get(t, srv.URL+"/staff/p/1/dashboards/proposals/panels/proposal-ranking?region=zz")
	if code != http.StatusBadRequest || !strings.Contains(body, `There is no region "zz"`) {
		t.Errorf("region zz on a panel: %d %s", code, body)
	}
	code, body = get(t, srv.URL+"/staff/p/1/dashboards/proposals/panels/proposal-ranking?region=zz&lang=sw")
	if code != http.StatusBadRequest || !strings.Contains(body, `Hakuna eneo "zz"`) {
		t.Errorf("region zz on a panel in Kiswahili: %d %s", code, body)
	}
}

// The public results page names regions too.
func TestPublicResultsNameRegions(t *testing.T) {
	srv, wh, _ := site(t)
	publish(t, wh, 1, "proposal-ranking")
	code, body := get(t, srv.URL+"/results/1/panels/proposal-ranking")
	if code != 200 || !strings.Contains(body, `<td class="text">Mombasa</td>`) || strings.Contains(body, `<td class="text">01</td>`) {
		t.Errorf("ranking on the results page: %d\n%s", code, body)
	}
}
