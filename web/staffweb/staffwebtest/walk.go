package staffwebtest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
)

// policy is the authorisation table written out again, on purpose
// independently of the staff package: which permission each per-process
// role holds. Admins hold everything; global permissions (routes without
// {process}) are theirs alone; no role on the process is 404.
var policy = map[string][]string{
	"official":  {"view_dashboard", "export", "moderate", "edit_process"},
	"moderator": {"view_dashboard", "moderate"},
	"analyst":   {"view_dashboard", "export"},
}

// roleRules: a rule naming a role means the permission that role is for.
var roleRules = map[string]string{"analyst": "view_dashboard", "moderator": "moderate", "official": "edit_process", "admin": "manage_staff"}

// Expect is the answer the walk expects of a staff route for who:
// 0 means "allowed" (2xx for reads; for writes anything but a refusal).
func Expect(rule web.Staff, who string, hasProcess bool) int {
	switch who {
	case "anonymous", "citizen":
		return http.StatusUnauthorized
	case "admin":
		return 0
	}
	if rule == staffweb.SignedIn {
		return 0
	}
	perm := rule.Role
	if p, ok := roleRules[perm]; ok {
		perm = p
	}
	if !hasProcess {
		return http.StatusForbidden
	}
	if who == "official_b" {
		return http.StatusNotFound
	}
	if slices.Contains(policy[who], perm) {
		return 0
	}
	return http.StatusForbidden
}

var varRE = regexp.MustCompile(`\{([a-zA-Z_]+)(?::[^}]*)?\}`)

// Vars lists the variable names of a mux path template.
func Vars(path string) []string {
	var out []string
	for _, m := range varRE.FindAllStringSubmatch(path, -1) {
		out = append(out, m[1])
	}
	return out
}

// fill substitutes the path variables; ok is false when one has no value.
func fill(path string, values map[string]string) (string, string, bool) {
	missing := ""
	out := varRE.ReplaceAllStringFunc(path, func(m string) string {
		name := varRE.FindStringSubmatch(m)[1]
		v, ok := values[name]
		if !ok {
			missing = name
			return "1"
		}
		return v
	})
	return out, missing, missing == ""
}

// WalkRoutes requests every route of the server as each of Who and checks
// the answer against the route's declared rule:
//
//   - Staff routes: page forms (not GET, not the API) refuse a post
//     without its CSRF token with 403, even an admin's;
//     anonymous callers and citizens are sent to the sign-in
//     page (401 on the API); staff get what the policy table says — 2xx for
//     allowed reads, no refusal for allowed writes, 403 for a role too weak,
//     404 on a process they have no role on. Path variables are filled with
//     real ids ({process} is process A); a staff route with a variable the
//     walk has no value for fails, as does a rule the guard does not know.
//   - Participant API routes: 401 without the citizen's bearer token, not
//     401 with it.
//   - Public reads answer everyone alike and never 401/403.
//
// extra adds values for path variables of mounted routes.
func (f *Fixture) WalkRoutes(t *testing.T, extra map[string]string) {
	t.Helper()
	base := map[string]string{
		"process": fmt.Sprint(f.ProcessA),
		"user":    fmt.Sprint(f.Target.ID),
		"invite":  fmt.Sprint(f.PendingInvite),
		"slug":    f.Open.Slug,
		"cid":     fmt.Sprint(f.Proposals),
		"id":      fmt.Sprint(f.Proposal),
	}
	for k, v := range extra {
		base[k] = v
	}
	routes := f.Server.Routes()
	if len(routes) == 0 {
		t.Fatal("empty route table")
	}
	staffRoutes := 0
	for _, rt := range routes {
		switch rule := rt.Access.(type) {
		case web.Staff:
			staffRoutes++
			if err := staffweb.CheckRule(rule); err != nil {
				t.Errorf("%s %s: %v", rt.Method, rt.Path, err)
				continue
			}
			f.walkStaff(t, rt, rule, base)
		default:
			switch rt.Access {
			case web.Public:
				f.walkPublic(t, rt, base)
			case web.Participant:
				f.walkParticipant(t, rt, base)
			default:
				t.Errorf("%s %s: access rule %v is unknown to the walk", rt.Method, rt.Path, rt.Access)
			}
		}
	}
	t.Logf("walked %d routes, %d of them staff routes, as %d kinds of caller", len(routes), staffRoutes, len(Who))
	if staffRoutes == 0 {
		t.Error("no staff route in the table: is the staff area mounted?")
	}
}

// caller returns a client acting as who, signed in afresh (a route may end
// its own session), and that session's id.
func (f *Fixture) caller(t *testing.T, who string, api bool) (*Client, int64) {
	c := f.Client(t)
	switch who {
	case "anonymous":
		return c, 0
	case "citizen":
		if api {
			c.Bearer = f.Citizen
		} else {
			// A citizen's own cookie: made by following a proposal.
			path := fmt.Sprintf("/p/%s/proposals/%d", f.Open.Slug, f.Proposal)
			tok := c.Token(path)
			if p := c.Post(path+"/follow", tok, nil); p.Status >= 400 || c.Cookie("cp_session") == "" {
				t.Fatalf("citizen cookie: status %d", p.Status)
			}
		}
		return c, 0
	}
	s := f.SignIn(t, who)
	if api {
		c.Bearer = s.Token
	} else {
		c.SetCookie("cp_staff", s.Token)
	}
	return c, s.ID
}

func (f *Fixture) request(t *testing.T, c *Client, rt web.RouteInfo, path string) Page {
	t.Helper()
	if rt.API || rt.Method == http.MethodGet || rt.Method == http.MethodHead {
		req, _ := http.NewRequest(rt.Method, f.URL+path, nil)
		if rt.API && rt.Method != http.MethodGet {
			req.Header.Set("Content-Type", "application/json")
			req.Body = http.NoBody
		}
		return c.Do(req)
	}
	// A page form: the browser has the CSRF cookie and token from a page.
	tok := c.Token("/staff/sign-in")
	return c.Send(rt.Method, path, tok, nil)
}

func (f *Fixture) walkStaff(t *testing.T, rt web.RouteInfo, rule web.Staff, base map[string]string) {
	t.Helper()
	hasProcess := slices.Contains(Vars(rt.Path), "process")
	if !rt.API && rt.Method != http.MethodGet && rt.Method != http.MethodHead {
		// Every staff form refuses a post without its CSRF token, even from
		// an admin whose browser holds the CSRF cookie.
		c, session := f.caller(t, "admin", false)
		values := map[string]string{"session": fmt.Sprint(session)}
		for k, v := range base {
			values[k] = v
		}
		if path, _, ok := fill(rt.Path, values); ok {
			c.Token("/staff/sign-in")
			if p := c.Send(rt.Method, path, "", nil); p.Status != http.StatusForbidden {
				t.Errorf("%s %s as admin without a CSRF token: got %d, want 403", rt.Method, path, p.Status)
			}
		}
	}
	for _, who := range Who {
		c, session := f.caller(t, who, rt.API)
		values := map[string]string{"session": fmt.Sprint(session)}
		for k, v := range base {
			values[k] = v
		}
		path, missing, ok := fill(rt.Path, values)
		if !ok {
			t.Errorf("%s %s: the walk has no value for {%s}; add one (WalkRoutes extra)", rt.Method, rt.Path, missing)
			return
		}
		p := f.request(t, c, rt, path)
		want := Expect(rule, who, hasProcess)
		label := fmt.Sprintf("%s %s (%s) as %s", rt.Method, path, rule, who)
		switch {
		case want == http.StatusUnauthorized && !rt.API:
			if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/staff/sign-in") || strings.Contains(p.Location(), "done=") {
				t.Errorf("%s: got %d → %q, want 303 to the sign-in page", label, p.Status, p.Location())
			}
		case want != 0:
			if p.Status != want {
				t.Errorf("%s: got %d, want %d", label, p.Status, want)
			}
		case rt.Method == http.MethodGet:
			if p.Status < 200 || p.Status > 299 {
				t.Errorf("%s: got %d, want 2xx", label, p.Status)
			}
		default:
			refused := p.Status == 401 || p.Status == 403 || p.Status == 404 || p.Status >= 500 ||
				(p.Status == http.StatusSeeOther && p.Location() == "/staff/sign-in") ||
				strings.HasPrefix(p.Location(), "/staff/sign-in?next=")
			if refused {
				t.Errorf("%s: got %d → %q, want the guard to let it through", label, p.Status, p.Location())
			}
		}
	}
}

func (f *Fixture) walkPublic(t *testing.T, rt web.RouteInfo, base map[string]string) {
	t.Helper()
	path, _, _ := fill(rt.Path, base)
	if rt.Method != http.MethodGet {
		c, _ := f.caller(t, "anonymous", rt.API)
		if p := f.request(t, c, rt, path); p.Status == 401 || p.Status == 403 {
			t.Errorf("public %s %s as anonymous: got %d", rt.Method, path, p.Status)
		}
		return
	}
	var first int
	for i, who := range Who {
		c, _ := f.caller(t, who, rt.API)
		p := f.request(t, c, rt, path)
		if p.Status == 401 || p.Status == 403 {
			t.Errorf("public %s %s as %s: got %d", rt.Method, path, who, p.Status)
		}
		if i == 0 {
			first = p.Status
		} else if p.Status != first {
			t.Errorf("public %s %s: %s got %d, anonymous %d", rt.Method, path, who, p.Status, first)
		}
	}
}

func (f *Fixture) walkParticipant(t *testing.T, rt web.RouteInfo, base map[string]string) {
	t.Helper()
	if !rt.API {
		return // pages make an anonymous participant on the first write
	}
	path, _, _ := fill(rt.Path, base)
	for _, who := range []string{"anonymous", "citizen", "admin"} {
		c, _ := f.caller(t, who, true)
		if who == "admin" {
			c.Bearer = "" // a staff session is no citizen credential
			c.SetCookie("cp_staff", f.SignIn(t, "admin").Token)
		}
		p := f.request(t, c, rt, path)
		if who == "citizen" && p.Status == http.StatusUnauthorized {
			t.Errorf("participant %s %s as citizen: got 401", rt.Method, path)
		}
		if who != "citizen" && p.Status != http.StatusUnauthorized {
			t.Errorf("participant %s %s as %s: got %d, want 401", rt.Method, path, who, p.Status)
		}
	}
}
