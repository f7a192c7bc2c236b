package workspace_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
	"github.com/civicpulse/civicpulse/web/workspace"
)

// schedule records the workspace's calls to the job queue. The queue itself
// (package jobs) has its own tests on both stores; here only the promise
// that a phase edit or a transition tells it matters.
type schedule struct {
	mu    sync.Mutex
	calls map[int64]int
}

func (s *schedule) SchedulePhases(_ context.Context, processID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.calls == nil {
		s.calls = map[int64]int{}
	}
	s.calls[processID]++
	return nil
}

func (s *schedule) count(id int64) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[id]
}

type fixture struct {
	*staffwebtest.Fixture
	sched *schedule
	ctx   context.Context
}

// newFixture starts the site with the staff area and the workspace mounted
// over the store at dsn.
func newFixture(t *testing.T, dsn string, opts ...func(*workspace.Config)) *fixture {
	t.Helper()
	fx := &fixture{sched: &schedule{}, ctx: context.Background()}
	fx.Fixture = staffwebtest.New(t, dsn, func(f *staffwebtest.Fixture) func(*mux.Router, web.Registrar) {
		cfg := workspace.Config{Store: f.Store, Audit: f.Staff, Scheduler: fx.sched,
			Guard: f.Area.Guard, AssetURL: f.Server.AssetURL, Staff: f.Staff}
		for _, o := range opts {
			o(&cfg)
		}
		ws, err := workspace.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		f.PreviewAllowed = ws.PreviewAllowed
		// Attach, as serve does: it mounts the routes and hangs the links on
		// the staff process page.
		ws.Attach(f.Server, f.Area)
		return func(*mux.Router, web.Registrar) {}
	})
	return fx
}

// each runs f on SQLite and on Postgres (DATABASE_URL).
func each(t *testing.T, f func(t *testing.T, fx *fixture)) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) { f(t, newFixture(t, b.URL)) })
}

// browser is a signed-in staff browser that keeps the CSRF token of the
// last page it read, as a person filling in the forms would.
type browser struct {
	*staffwebtest.Client
	t    *testing.T
	tok  string
	base string
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (fx *fixture) browser(t *testing.T, who string) *browser {
	t.Helper()
	c := fx.Client(t)
	if p := c.SignIn(fx.People[who].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", who, p.Status)
	}
	return &browser{Client: c, t: t, base: fx.URL}
}

// open reads a page and wants 200.
func (b *browser) open(path string) staffwebtest.Page {
	b.t.Helper()
	p := b.Get(path)
	if p.Status != http.StatusOK {
		b.t.Fatalf("GET %s: %d\n%s", path, p.Status, p.Body)
	}
	if m := csrfRE.FindStringSubmatch(p.Body); m != nil {
		b.tok = html.UnescapeString(m[1])
	}
	return p
}

// submit posts a form from the page at from.
func (b *browser) submit(from, action string, v url.Values) staffwebtest.Page {
	b.t.Helper()
	b.open(from)
	return b.Post(action, b.tok, v)
}

// upload posts a multipart form (fields, then files) from the page at from.
func (b *browser) upload(from, action string, fields map[string]string, files map[string][]byte) staffwebtest.Page {
	b.t.Helper()
	b.open(from)
	fields["csrf_token"] = b.tok
	body, ctype := multipartBody(fields, files)
	req, _ := http.NewRequest(http.MethodPost, b.URL(action), body)
	req.Header.Set("Content-Type", ctype)
	return b.Do(req)
}

func (b *browser) URL(path string) string { return b.base + path }

func multipartBody(fields map[string]string, files map[string][]byte) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	for k, data := range files {
		w, _ := mw.CreateFormFile(k, k+".txt")
		_, _ = w.Write(data)
	}
	_ = mw.Close()
	return &buf, mw.FormDataContentType()
}

// wantRedirect checks a 303 to a path starting with prefix.
func wantRedirect(t *testing.T, p staffwebtest.Page, prefix, what string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), prefix) {
		t.Fatalf("%s: got %d → %q, want 303 to %s…\n%s", what, p.Status, p.Location(), prefix, errorsIn(p.Body))
	}
}

var fieldErrRE = regexp.MustCompile(`(?s)class="(?:field-error|error-summary)"[^>]*>(.*?)</(?:p|ul|div)>`)

// errorsIn extracts the messages of a refused form, for failure output.
func errorsIn(body string) string {
	var out []string
	for _, m := range fieldErrRE.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.TrimSpace(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[1], " ")))
	}
	return strings.Join(out, " | ")
}

// wantRefused checks a refused form: its status, a message containing msg,
// and the page shows the form again.
func wantRefused(t *testing.T, p staffwebtest.Page, status int, msg, what string) {
	t.Helper()
	if p.Status != status {
		t.Fatalf("%s: got %d, want %d\n%s", what, p.Status, status, errorsIn(p.Body))
	}
	if !strings.Contains(html.UnescapeString(p.Body), msg) {
		t.Fatalf("%s: the page does not say %q; it says: %s", what, msg, errorsIn(p.Body))
	}
}

var idAfter = regexp.MustCompile(`/(?:processes|components)/(\d+)`)

// lastID is the last numeric id in a redirect target.
func lastID(t *testing.T, loc string) int64 {
	t.Helper()
	ms := idAfter.FindAllStringSubmatch(loc, -1)
	if len(ms) == 0 {
		t.Fatalf("no id in %q", loc)
	}
	n, _ := strconv.ParseInt(ms[len(ms)-1][1], 10, 64)
	return n
}

// audited returns the audit records of a process, newest first.
func (fx *fixture) audited(t *testing.T, processID int64) []staff.Record {
	t.Helper()
	recs, _, err := fx.Staff.ListAudit(fx.ctx, staff.AuditFilter{ProcessID: processID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func (fx *fixture) process(t *testing.T, id int64) participation.Process {
	t.Helper()
	p, err := fx.Store.GetProcess(fx.ctx, id, false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// api sends a JSON request with a bearer session token.
func (fx *fixture) api(t *testing.T, token, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, fx.URL+path, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	if out == nil {
		out = map[string]any{"raw": string(raw)}
	}
	return res.StatusCode, out
}

func dump(v any) string { b, _ := json.Marshal(v); return string(b) }

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var _ = fmt.Sprint

func sqliteURLFor(t *testing.T) string { return sqldbtest.NewSQLiteURL(t) }
