package workspace_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// walkers are the callers of the walk (staffwebtest.Who without the
// citizen, whom the staff area's own walk covers).
var walkers = []string{"anonymous", "analyst", "moderator", "official", "official_b", "admin"}

// fresh makes new targets in process A for one request, so that a delete
// or a move by one caller leaves the next caller something to act on. It
// makes only those the route's path names: process A grows with every
// request, and each page reads all of it.
func (fx *fixture) fresh(t *testing.T, n int, path string) map[string]string {
	t.Helper()
	ctx := fx.ctx
	vars := map[string]string{"process": fmt.Sprint(fx.ProcessA), "lang": "sw"}
	if strings.Contains(path, "{component") || strings.Contains(path, "{question") {
		comp, err := fx.Store.AddComponent(ctx, participation.Component{ProcessID: fx.ProcessA, Kind: participation.KindSurvey,
			Title: fmt.Sprintf("Walk survey %d", n)})
		must(t, err)
		must(t, fx.Store.SetSurvey(ctx, participation.Survey{ComponentID: comp, Pages: 1, Questions: []participation.Question{
			{Page: 1, Type: participation.QText, Prompt: "Anything else?"}}}))
		sv, err := fx.Store.GetSurvey(ctx, comp)
		must(t, err)
		vars["component"], vars["question"] = fmt.Sprint(comp), fmt.Sprint(sv.Questions[0].ID)
	}
	if strings.Contains(path, "{phase") {
		start := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2*n)
		ph, err := fx.Store.AddPhase(ctx, participation.Phase{ProcessID: fx.ProcessA, Name: fmt.Sprintf("Walk phase %d", n),
			StartsAt: start, EndsAt: start.Add(24 * time.Hour)})
		must(t, err)
		vars["phase"] = fmt.Sprint(ph)
	}
	if strings.Contains(path, "{criterion") {
		cr, err := fx.Store.SaveCriterion(ctx, participation.Criterion{ProcessID: fx.ProcessA, Name: fmt.Sprintf("Walk criterion %d", n)})
		must(t, err)
		vars["criterion"] = fmt.Sprint(cr.ID)
	}
	if strings.Contains(path, "{link") {
		l, _, err := fx.Store.CreateCampaignLink(ctx, participation.CampaignLink{ProcessID: fx.ProcessA, Channel: "radio", Campaign: fmt.Sprintf("Walk %d", n)})
		must(t, err)
		vars["link"] = fmt.Sprint(l.ID)
	}
	if strings.Contains(path, "{proposal") {
		vars["proposal"] = fmt.Sprint(fx.proposalIn(t, fmt.Sprintf("Walk idea %d", n)))
	}
	if strings.Contains(path, "{inquiry") {
		asker, err := fx.Store.CreateParticipant(ctx, "")
		must(t, err)
		q, err := fx.Store.Ask(ctx, participation.Inquiry{ProcessID: fx.ProcessA, ParticipantID: asker.ID,
			Question: fmt.Sprintf("Walk question %d?", n)})
		must(t, err)
		vars["inquiry"] = fmt.Sprint(q.ID)
	}
	return vars
}

// TestRoleRouteWalk requests every workspace route (pages and staff API) as
// every kind of caller and checks the guard's answer against the rule in
// routes.go: anonymous → sign-in page (401 on the API); an official of
// another process → 404; analysts and moderators → 403; the process's own
// official and admins pass (2xx for reads; a write with an empty form may
// be refused as invalid, never as forbidden or failed); a page form
// without its CSRF token → 403, even for an admin.
func TestRoleRouteWalk(t *testing.T) {
	each(t, func(t *testing.T, fx *fixture) {
		// Process A speaks Kiswahili too, so its translations page exists.
		p := fx.process(t, fx.ProcessA)
		p.Languages = []string{"en", "sw"}
		must(t, fx.Store.UpdateProcess(fx.ctx, p))

		routes := 0
		n := 0
		for _, rt := range fx.Server.Routes() {
			if !strings.HasPrefix(rt.Name, "ws.") && !strings.HasPrefix(rt.Name, "api.ws.") {
				continue
			}
			routes++
			if rt.Access == web.Public {
				fx.walkStatic(t, rt)
				continue
			}
			rule, ok := rt.Access.(web.Staff)
			if !ok {
				t.Errorf("%s %s: access %v, want a staff rule", rt.Method, rt.Path, rt.Access)
				continue
			}
			// Written out again on purpose: every workspace route needs
			// edit_process on its process, or create_process (held by
			// admins and officials) to open one, so analysts and
			// moderators never change a set-up.
			wantRule := staffweb.Rule(staff.EditProcess)
			if !strings.Contains(rt.Path, "{process") && (rt.Name == "ws.new" || rt.Name == "ws.create" || rt.Name == "api.ws.create") {
				wantRule = staffweb.Rule(staff.CreateProcess)
			}
			// The moderation queue and its decisions need moderate:
			// moderators pass, analysts get 403 (the queue's settings are
			// set-up, edit_process, like the rest).
			if strings.HasPrefix(rt.Name, "ws.moderate.") || strings.HasPrefix(rt.Name, "api.ws.moderate.") {
				wantRule = staffweb.Rule(staff.Moderate)
			}
			if rule != wantRule {
				t.Errorf("%s %s: rule %v, want %v", rt.Method, rt.Path, rule, wantRule)
			}
			hasProcess := strings.Contains(rt.Path, "{process")
			write := rt.Method != http.MethodGet && rt.Method != http.MethodHead
			if write && !rt.API {
				n++
				path := fill(t, rt.Path, fx.fresh(t, n, rt.Path))
				c := fx.signedIn(t, "admin", false)
				c.Token("/staff/sign-in") // the CSRF cookie, but no token in the form
				if pg := c.Send(rt.Method, path, "", nil); pg.Status != http.StatusForbidden {
					t.Errorf("%s %s as admin without a CSRF token: got %d, want 403", rt.Method, path, pg.Status)
				}
			}
			for _, who := range walkers {
				n++
				path := fill(t, rt.Path, fx.fresh(t, n, rt.Path))
				c := fx.signedIn(t, who, rt.API)
				var pg staffwebtest.Page
				switch {
				case rt.API:
					req, _ := http.NewRequest(rt.Method, fx.URL+path, nil)
					if write {
						req.Header.Set("Content-Type", "application/json")
						req.Body = http.NoBody
					}
					pg = c.Do(req)
				case write:
					pg = c.Send(rt.Method, path, c.Token("/staff/sign-in"), nil)
				default:
					pg = c.Get(path)
				}
				want := staffwebtest.Expect(rule, who, hasProcess)
				label := fmt.Sprintf("%s %s (%s) as %s", rt.Method, path, rt.Name, who)
				switch {
				case want == http.StatusUnauthorized && !rt.API:
					if pg.Status != http.StatusSeeOther || !strings.HasPrefix(pg.Location(), "/staff/sign-in") {
						t.Errorf("%s: got %d → %q, want 303 to the sign-in page", label, pg.Status, pg.Location())
					}
				case want != 0:
					if pg.Status != want {
						t.Errorf("%s: got %d, want %d", label, pg.Status, want)
					}
				case !write:
					if pg.Status < 200 || pg.Status > 299 {
						t.Errorf("%s: got %d, want 2xx", label, pg.Status)
					}
				default:
					switch pg.Status {
					case http.StatusOK, http.StatusCreated, http.StatusNoContent, http.StatusSeeOther,
						http.StatusBadRequest, http.StatusConflict, http.StatusUnprocessableEntity:
					default:
						t.Errorf("%s: got %d, want the guard to let it through and the handler to answer", label, pg.Status)
					}
					if pg.Status == http.StatusSeeOther && strings.HasPrefix(pg.Location(), "/staff/sign-in") {
						t.Errorf("%s: sent to sign in", label)
					}
				}
			}
		}
		if routes < 40 {
			t.Fatalf("walked %d workspace routes; is the workspace mounted?", routes)
		}
		t.Logf("walked %d workspace routes as %d callers", routes, len(walkers))
	})
}

func (fx *fixture) walkStatic(t *testing.T, rt web.RouteInfo) {
	page := fx.browser(t, "official").Get(fmt.Sprintf("/staff/processes/%d/setup", fx.ProcessA))
	i := strings.Index(page.Body, "/ws-static/")
	if i < 0 {
		t.Fatal("the workspace pages do not link their stylesheet")
	}
	href := page.Body[i : i+strings.IndexByte(page.Body[i:], '"')]
	c := fx.Client(t)
	if p := c.Get(href); p.Status != http.StatusOK || !strings.HasPrefix(p.Header.Get("Content-Type"), "text/css") ||
		!strings.Contains(p.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("GET %s: %d %q %q", href, p.Status, p.Header.Get("Content-Type"), p.Header.Get("Cache-Control"))
	}
	if p := c.Get("/ws-static/0000/ws.css"); p.Status != http.StatusNotFound {
		t.Errorf("a stale stylesheet hash: %d, want 404", p.Status)
	}
}

// signedIn is a client with a fresh session of who (none for anonymous):
// the cookie for pages, the bearer token for the API.
func (fx *fixture) signedIn(t *testing.T, who string, api bool) *staffwebtest.Client {
	c := fx.Client(t)
	if who == "anonymous" {
		return c
	}
	s := fx.SignIn(t, who)
	if api {
		c.Bearer = s.Token
	} else {
		c.SetCookie("cp_staff", s.Token)
	}
	return c
}

func fill(t *testing.T, path string, v map[string]string) string {
	t.Helper()
	out := path
	for _, name := range staffwebtest.Vars(path) {
		val, ok := v[name]
		if !ok {
			t.Fatalf("%s: no value for {%s}", path, name)
		}
		i := strings.Index(out, "{"+name)
		j := i + strings.IndexByte(out[i:], '}')
		out = out[:i] + val + out[j+1:]
	}
	return out
}
