package dashweb_test

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/dashboards"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation/sqlstore"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/dashweb"
)

// site serves the dashboards with a guard that stands in for the staff
// layer: the caller is an official of process 1 only, so any other
// process's staff page answers 404, as staff.Authorize does for a process
// without a role.
func site(t *testing.T) (*httptest.Server, *warehouse.Warehouse, *dashboards.Dashboards) {
	t.Helper()
	now := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	start := now.Add(-72 * time.Hour)
	b := &warehouse.Batch{Consumed: 3, To: warehouse.Cursor{Seq: 3}, Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{
			{ProcessID: 1, Slug: "a", Title: "Process A", TimeZone: "UTC", RegionSetID: 1, Published: true, StartsAt: &start,
				Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Title: "Ideas"}}},
			{ProcessID: 2, Slug: "b", Title: "Process B", TimeZone: "UTC", RegionSetID: 1, Published: false, StartsAt: &start},
		},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}, {Code: "02", Name: "Kwale", Population: 1000}}}},
	}}
	for i := int64(1); i <= 3; i++ {
		at := start.Add(time.Duration(i) * time.Hour)
		b.Events = append(b.Events, warehouse.Event{Seq: i, Type: "proposal.created", ProcessID: 1, ComponentID: 10, EntityID: 100 + i, Participant: "p" + strconv.FormatInt(i, 10), RegionCode: "01", OccurredAt: at})
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: i, ProposalID: 100 + i, ProcessID: 1, ComponentID: 10, Participant: "p" + strconv.FormatInt(i, 10), RegionCode: "01", Title: "Idea </script><b>x</b>", Tags: []string{"roads"}, OccurredAt: at})
	}
	return serveBatch(t, b, now)
}

// serveBatch serves the dashboards over a warehouse holding b, behind
// site's stand-in guard (process 1 only).
func serveBatch(t *testing.T, b *warehouse.Batch, now time.Time) (*httptest.Server, *warehouse.Warehouse, *dashboards.Dashboards) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, sqldbtest.NewSQLiteURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	wh, err := warehouse.Open("")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	if err := wh.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	d, err := dashboards.New(ctx, wh.Read(), func() time.Time { return now })
	if err != nil {
		t.Fatal(err)
	}
	guard := func(rule web.Staff, next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if mux.Vars(r)["process"] != "1" {
				http.NotFound(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	s, err := web.New(web.Config{Store: store, SecretKey: []byte(strings.Repeat("k", 32)), StaffGuard: guard, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	s.Mount(dashweb.New(dashweb.Config{Dash: d, Live: wh, Assets: s}).Routes)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv, wh, d
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestStaffPagesOfAnotherProcessAre404(t *testing.T) {
	srv, _, _ := site(t)
	for _, path := range []string{"/dashboards/monitor", "/dashboards/monitor/panels/inputs", "/dashboards/proposals/panels/proposal-ranking/csv", "/dashboards/monitor/live"} {
		if code, _ := get(t, srv.URL+"/staff/p/2"+path); code != http.StatusNotFound {
			t.Errorf("process 2 %s: %d, want 404", path, code)
		}
	}
	code, body := get(t, srv.URL+"/staff/p/1/dashboards/monitor")
	if code != 200 || !strings.Contains(body, `hx-get="/staff/p/1/dashboards/monitor/panels/inputs"`) || !strings.Contains(body, `sse:inputs`) {
		t.Fatalf("monitor page: %d\n%s", code, body)
	}
	// Staff pages lead back to the staff area and sign out; public ones don't.
	if !strings.Contains(body, `action="/staff/sign-out"`) || !strings.Contains(body, `href="/staff/processes/1"`) {
		t.Errorf("the monitor page has no way back to the staff area or to sign out")
	}
	if code, _ := get(t, srv.URL+"/staff/p/1/dashboards/nope"); code != 404 {
		t.Errorf("unknown dashboard: %d", code)
	}
}

func TestPanelFragmentEscapesParticipantText(t *testing.T) {
	srv, _, _ := site(t)
	code, body := get(t, srv.URL+"/staff/p/1/dashboards/proposals/panels/proposal-ranking")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	if strings.Contains(body, "</script>") || strings.Contains(body, "<b>x</b>") {
		t.Errorf("participant text unescaped:\n%s", body)
	}
	if !strings.Contains(body, `class="chart"`) || !strings.Contains(body, "<table") {
		t.Errorf("no chart or table fallback:\n%s", body)
	}
	code, csv := get(t, srv.URL+"/staff/p/1/dashboards/proposals/panels/proposal-ranking/csv")
	if code != 200 || !strings.HasPrefix(csv, "Proposal,Region,Budget,Supports,Supporters\n") {
		t.Errorf("csv: %d %q", code, csv)
	}
}

// The public results page shows only published panels of published
// processes, and every count under 5 as "<5".
func TestPublicResultsSuppressSmallCells(t *testing.T) {
	srv, wh, _ := site(t)
	ctx := context.Background()
	if code, _ := get(t, srv.URL+"/results/1/panels/regions"); code != 404 {
		t.Errorf("an unpublished panel answers %d", code)
	}
	// Published as the ingester writes an official's decision (the forms'
	// path through the store is TestDecisionsThroughTheForms).
	b := &warehouse.Batch{Consumed: 5, To: warehouse.Cursor{Seq: 8}}
	for i, name := range []string{"regions", "inputs", "proposal-ranking", "proposal-budget-tags"} {
		b.Decisions = append(b.Decisions, warehouse.Decision{Seq: int64(4 + i), Op: warehouse.PublishPanel, ProcessID: 1, Panel: name, At: time.Now()})
	}
	b.Decisions = append(b.Decisions, warehouse.Decision{Seq: 8, Op: warehouse.PublishPanel, ProcessID: 2, Panel: "regions", At: time.Now()})
	if err := wh.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	if code, _ := get(t, srv.URL+"/results/2"); code != 404 {
		t.Errorf("an unpublished process's results answer %d", code)
	}
	code, page := get(t, srv.URL+"/results/1")
	if code != 200 || !strings.Contains(page, `id="panel-regions"`) || !strings.Contains(page, `<caption>Engagement rate per region</caption>`) {
		t.Fatalf("results page: %d\n%s", code, page)
	}
	if strings.Contains(page, "/staff/sign-out") {
		t.Error("the public results page offers a staff sign-out")
	}
	for _, name := range []string{"regions", "inputs", "proposal-ranking", "proposal-budget-tags"} {
		code, body := get(t, srv.URL+"/results/1/panels/"+name)
		if code != 200 {
			t.Fatalf("%s: %d", name, code)
		}
		// Three participants in Mombasa, three proposals: every count is small.
		for _, bad := range []string{"<td>1</td>", "<td>2</td>", "<td>3</td>", "<td>3.00</td>"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s shows %s:\n%s", name, bad, body)
			}
		}
		if name == "proposal-budget-tags" {
			// Three authors stand behind "roads": a public page does not
			// name the tag at all.
			if strings.Contains(body, "roads") {
				t.Errorf("%s lists a tag of three authors:\n%s", name, body)
			}
			continue
		}
		if !strings.Contains(body, "&lt;5") {
			t.Errorf("%s shows no suppressed cell:\n%s", name, body)
		}
	}
}

func TestLiveMonitorSendsChangedPanels(t *testing.T) {
	srv, wh, _ := site(t)
	resp, err := http.Get(srv.URL + "/staff/p/1/dashboards/monitor/live")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("content type %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	if line, _ := r.ReadString('\n'); !strings.HasPrefix(line, ": connected") {
		t.Fatalf("first line %q", line)
	}
	at := time.Date(2024, 3, 3, 12, 0, 0, 0, time.UTC)
	if err := wh.Write(context.Background(), &warehouse.Batch{Consumed: 1, To: warehouse.Cursor{Seq: 4},
		Events: []warehouse.Event{{Seq: 4, Type: "support.added", ProcessID: 1, ComponentID: 10, EntityID: 101, Participant: "p9", RegionCode: "02", OccurredAt: at}}}); err != nil {
		t.Fatal(err)
	}
	var events []string
	for len(events) < 2 {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "event: "); ok {
			events = append(events, name)
		}
	}
	if events[0] != "inputs" || events[1] != "participants" {
		t.Errorf("events = %v", events)
	}
}
