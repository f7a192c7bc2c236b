package consoleweb_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/ingest"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/warehouse"
	"github.com/civicpulse/civicpulse/warehouse/console"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/consoleweb"
	"github.com/civicpulse/civicpulse/web/i18n"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// secretOfB is a proposal of process B that no query on A may show.
const secretOfB = "Poultry co-operative for Githurai"

// withConsole mounts the console as serve does, over a real warehouse file
// into which the fixture's store (with one proposal added to process B) is
// ingested. The limits are small so a test can reach them.
func withConsole(t *testing.T) staffwebtest.Mount {
	return func(f *staffwebtest.Fixture) func(r *mux.Router, reg web.Registrar) {
		ctx := context.Background()
		wh, err := warehouse.Open(t.TempDir() + "/warehouse.duckdb")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { wh.Close() })
		ing, err := ingest.New(f.Store, wh, ingest.Options{Key: bytes.Repeat([]byte{9}, 32), Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := ing.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		// B's proposal, as the ingester writes one (B only lets registered
		// participants propose, which the fixture has none of).
		if _, err := wh.Read().Exec(`INSERT INTO proposals VALUES (1000000, 1000000, ?, ?, 'p:b', '022', ?, 'Eggs.', 0, [], NULL, NULL, TIMESTAMP '2026-03-02 10:00:00')`,
			f.Registered.ID, f.RegProposals, secretOfB); err != nil {
			t.Fatal(err)
		}
		con, err := console.New(wh.Read(), console.Limits{Timeout: 500 * time.Millisecond, MaxRows: 2})
		if err != nil {
			t.Fatal(err)
		}
		return consoleweb.New(consoleweb.Config{Console: con, Processes: f.Store, Audit: f.Staff, Assets: f.Server, CSVRows: 3,
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}).Routes
	}
}

func TestConsoleThroughTheStaffGuard(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		fx := staffwebtest.New(t, b.URL, withConsole(t))
		// Every route against the policy: analysts, officials and admins
		// in, the moderator (no export) 403, official_b 404.
		fx.WalkRoutes(t, nil)

		page := consoleweb.Path(fx.ProcessA)
		c := fx.Client(t)
		c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
		p := c.Get(page)
		if p.Status != http.StatusOK || !p.Has("<code>survey_answers</code>") || !p.Has("<code>budget_minor</code>") {
			t.Fatalf("console page: %d\n%s", p.Status, p.Body)
		}
		tok := c.Token(page)
		run := func(q string) staffwebtest.Page {
			t.Helper()
			return c.Post(page, tok, url.Values{"q": {q}})
		}

		// A's rows, never B's, whatever the query names.
		p = run("SELECT title FROM proposals UNION ALL SELECT title FROM PROPOSALS")
		if p.Status != http.StatusOK || !p.Has("Borehole for Kiambu market") || p.Has(secretOfB) {
			t.Errorf("A's proposals: %d\n%s", p.Status, p.Body)
		}
		for q, says := range map[string]string{
			"SELECT title FROM main.proposals":                                            "is not one of this process",
			"SELECT * FROM read_csv('/etc/passwd')":                                       "read_csv",
			"SELECT * FROM read_parquet('/tmp/x.parquet')":                                "read_parquet",
			"SELECT * FROM glob('/*')":                                                    "glob",
			"COPY proposals TO '/tmp/console-test.csv'":                                   "Only a SELECT query runs here",
			"ATTACH '/tmp/console-test.duckdb' AS other":                                  "Only a SELECT query runs here",
			"INSTALL httpfs":                                                              "Only a SELECT query runs here",
			"SELECT sum(a.range * b.range) FROM range(1000000000) a, range(1000000000) b": "stopped after 500ms",
		} {
			p := run(q)
			if p.Status != http.StatusBadRequest || !p.Has(says) || p.Has(secretOfB) {
				t.Errorf("%s: %d, want 400 saying %q\n%s", q, p.Status, says, p.Body)
			}
			// What was typed stays in the form.
			if !p.Has(">" + template(q) + "</textarea>") {
				t.Errorf("%s: the form lost the query", q)
			}
		}
		// The row limit says so.
		p = run("SELECT * FROM range(5)")
		if p.Status != http.StatusOK || !p.Has("Cut at 2 rows") || strings.Count(p.Body, "<tr>") != 3 {
			t.Errorf("row limit: %d\n%s", p.Status, p.Body)
		}
		// htmx gets the result alone, errors included.
		req, _ := http.NewRequest(http.MethodPost, fx.URL+page, strings.NewReader(url.Values{"q": {"SELECT getenv('HOME')"}, "csrf_token": {tok}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("HX-Request", "true")
		if p := c.Do(req); p.Status != http.StatusOK || p.Has("<html") || !p.Has("getenv") {
			t.Errorf("htmx fragment: %d\n%s", p.Status, p.Body)
		}
		// Kiswahili.
		c.SetCookie("lang", "sw")
		if p := run("SELECT * FROM main.proposals"); !p.Has("si mmoja wa mionekano ya mchakato huu") {
			t.Errorf("Kiswahili error: %s", p.Body)
		}
		c.SetCookie("lang", "en")

		// CSV: formula cells escaped, the cut said in the file.
		p = c.Post(page+".csv", tok, url.Values{"q": {"SELECT '=1+1' AS f, 'a,b\nc' AS g FROM range(5)"}})
		if p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s\n%s", p.Status, p.Header.Get("Content-Type"), p.Body)
		}
		recs, err := csv.NewReader(strings.NewReader(p.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 5 || recs[1][0] != "'=1+1" || recs[1][1] != "a,b\nc" || !strings.Contains(recs[4][0], "cut at 3 rows") {
			t.Errorf("csv records %q", recs)
		}
		if p := c.Post(page+".csv", tok, url.Values{"q": {"SELECT * FROM read_csv('/etc/passwd')"}}); p.Status != http.StatusBadRequest || !p.Has("read_csv") {
			t.Errorf("refused csv: %d", p.Status)
		}
		// A download stopped at the time limit is the page with the reason,
		// not a file cut short.
		long := "SELECT a.range FROM range(1000000000) a, range(1000000000) b ORDER BY a.range * b.range"
		if p := c.Post(page+".csv", tok, url.Values{"q": {long}}); p.Status != http.StatusBadRequest || !p.Has("stopped after 500ms") {
			t.Errorf("a long download: %d %s", p.Status, p.Header.Get("Content-Type"))
		}

		// Others: the moderator may not, official_b does not see A at all.
		for who, want := range map[string]int{"moderator": http.StatusForbidden, "official_b": http.StatusNotFound} {
			o := fx.Client(t)
			o.SetCookie("cp_staff", fx.SignIn(t, who).Token)
			if p := o.Get(page); p.Status != want {
				t.Errorf("%s on A's console: %d, want %d", who, p.Status, want)
			}
			otok := o.Token("/staff/sign-in")
			if p := o.Post(page, otok, url.Values{"q": {"SELECT title FROM proposals"}}); p.Status != want || p.Has("Borehole") {
				t.Errorf("%s running on A: %d, want %d", who, p.Status, want)
			}
		}

		// Every run is in the audit log, by hash and length, without its text.
		// (The walk's runs, by the official and the admin, are there too.)
		analyst := fx.People["analyst"].ID
		recs2, _, err := fx.Staff.ListAudit(context.Background(), staff.AuditFilter{ActorID: analyst, ProcessID: fx.ProcessA, Action: "console.query", Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(recs2) < 10 {
			t.Fatalf("%d console.query audit lines, want one per run", len(recs2))
		}
		q := "SELECT * FROM range(5)"
		found := false
		for _, r := range recs2 {
			if !strings.HasPrefix(r.Target, "sha256:") {
				t.Errorf("audit line %+v", r)
			}
			if strings.Contains(string(r.After), "range") || strings.Contains(r.Target, "range") {
				t.Errorf("the query text is in the audit log: %s", r.After)
			}
			if r.Target == "sha256:"+console.Hash(q) && strings.Contains(string(r.After), `"rows":2`) &&
				strings.Contains(string(r.After), `"truncated":true`) && strings.Contains(string(r.After), fmt.Sprintf(`"query_bytes":%d`, len(q))) {
				found = true
			}
		}
		if !found {
			t.Errorf("no audit line for %q with its rows and length", q)
		}
		csvLines, _, err := fx.Staff.ListAudit(context.Background(), staff.AuditFilter{ActorID: analyst, ProcessID: fx.ProcessA, Action: "console.csv"})
		if err != nil || len(csvLines) < 3 { // the walk posted one as the analyst too
			t.Errorf("console.csv audit lines: %d, %v", len(csvLines), err)
		}
	})
}

// template escapes as html/template writes text in the page.
func template(s string) string {
	r := strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")
	return r.Replace(s)
}

func TestConsoleCataloguesMatch(t *testing.T) {
	b, err := i18n.LoadFS(consoleweb.Catalog(), "en")
	if err != nil {
		t.Fatal(err)
	}
	en, sw := b.Keys("en"), b.Keys("sw")
	slices.Sort(en)
	slices.Sort(sw)
	if strings.Join(en, ",") != strings.Join(sw, ",") {
		t.Errorf("en and sw catalogues differ:\n%v\n%v", en, sw)
	}
	// Every refusal the console can give has its text.
	for _, k := range []string{"empty", "not_select", "one_statement", "syntax", "table", "table_function", "function",
		"parameter", "with_name", "construct", "too_long", "busy", "time_limit", "query"} {
		if !b.For("sw").Has("console.err." + k) {
			t.Errorf("console.err.%s has no text", k)
		}
	}
}
