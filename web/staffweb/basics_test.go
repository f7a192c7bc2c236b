package staffweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// Change password end to end: each mistake refused with its message in the
// user's language and nothing typed echoed back; the change then works, the
// old password does not, and every other session is gone.
func TestChangePasswordOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		const next = "a brand new passphrase 4"
		here := signedIn(t, fx, "analyst")
		there := signedIn(t, fx, "analyst")
		api := fx.Client(t)
		api.Bearer = fx.SignIn(t, "analyst").Token
		tok := here.Token("/staff/account")
		if p := here.Get("/staff/account"); !p.Has(`action="/staff/account/password"`) || !p.Has(`autocomplete="current-password"`) {
			t.Fatal("the account page has no change-password form")
		}
		for _, c := range []struct {
			name, current, pw, confirm, want string
		}{
			{"wrong current", "not my password at all", next, next, "The current password is not right"},
			{"no current", "", next, next, "Enter your current password"},
			{"mismatch", staffwebtest.Password, next, next + "x", "The two passwords are not the same"},
			{"too short", staffwebtest.Password, "short one", "short one", "at least 12 characters"},
			{"unchanged", staffwebtest.Password, staffwebtest.Password, staffwebtest.Password, "must differ from the current one"},
		} {
			p := here.Post("/staff/account/password", tok, url.Values{"current": {c.current}, "password": {c.pw}, "confirm": {c.confirm}})
			if p.Status != http.StatusUnprocessableEntity || !p.Has(c.want) || !p.Has(`aria-invalid="true"`) {
				t.Errorf("%s: %d, message shown %v", c.name, p.Status, p.Has(c.want))
			}
			for _, typed := range []string{c.current, c.pw, c.confirm} {
				if typed != "" && p.Has(typed) {
					t.Errorf("%s: the page echoes what was typed", c.name)
				}
			}
		}
		// The same refusal in Kiswahili (a browser of its own: ?lang= sets the language cookie).
		sw := signedIn(t, fx, "analyst")
		p := sw.Post("/staff/account/password?lang=sw", sw.Token("/staff/account"), url.Values{"current": {"not my password at all"}, "password": {next}, "confirm": {next}})
		if p.Status != http.StatusUnprocessableEntity || !p.Has("Nenosiri la sasa si sahihi") || !p.Has(`lang="sw"`) {
			t.Errorf("Kiswahili refusal: %d", p.Status)
		}
		// Nothing changed yet: the other sessions live, the old password works.
		if p := there.Get("/staff"); p.Status != http.StatusOK {
			t.Fatalf("a refused change ended another session: %d", p.Status)
		}
		// No CSRF token: refused, nothing changed.
		if p := here.Post("/staff/account/password", "", url.Values{"current": {staffwebtest.Password}, "password": {next}, "confirm": {next}}); p.Status != http.StatusForbidden {
			t.Errorf("without CSRF: %d", p.Status)
		}

		p = here.Post("/staff/account/password", tok, url.Values{"current": {staffwebtest.Password}, "password": {next}, "confirm": {next}})
		if p.Status != http.StatusSeeOther || p.Location() != "/staff/account?done=password" {
			t.Fatalf("change: %d → %q", p.Status, p.Location())
		}
		if p := here.Get(p.Location()); p.Status != http.StatusOK || !p.Has("Your password was changed") {
			t.Errorf("this session after the change: %d", p.Status)
		}
		wantSignIn(t, there.Get("/staff"), "another browser after the change")
		if p := api.Get("/api/v1/staff/me"); p.Status != http.StatusUnauthorized {
			t.Errorf("an API session after the change: %d", p.Status)
		}
		email := fx.People["analyst"].Email
		if p := fx.Client(t).SignIn(email, staffwebtest.Password, ""); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("old password: %d", p.Status)
		}
		if p := fx.Client(t).SignIn(email, next, ""); p.Status != http.StatusSeeOther {
			t.Errorf("new password: %d", p.Status)
		}
		recs, _, _ := fx.Staff.ListAudit(context.Background(), staff.AuditFilter{Action: "password.change", ActorID: fx.People["analyst"].ID})
		if len(recs) != 1 {
			t.Errorf("%d password.change audit entries, want 1", len(recs))
		}
	})
}

func TestRevokedInvitationOverHTTP(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		admin := signedIn(t, fx, "admin")
		admin.Post("/staff/admin/users/invite", admin.Token("/staff/admin/users"), url.Values{"email": {"withdrawn@county.example"}, fmt.Sprintf("role_%d", fx.ProcessA): {"official"}})
		path, token := pathOf(t, link(t, fx, "invite"))

		list := admin.Get("/staff/admin/invitations")
		if list.Status != http.StatusOK || !list.Has("withdrawn@county.example") || !list.Has("pending@county.example") || !list.Has(html.EscapeString(fx.Open.Title)) {
			t.Fatalf("invitations page: %d", list.Status)
		}
		if list.Has(token) {
			t.Error("the invitations page shows a token")
		}
		m := regexp.MustCompile(`action="(/staff/admin/invitations/(\d+)/revoke)"[^<]*<input[^>]*>\s*<button[^>]*aria-label="[^"]*withdrawn@county.example`).FindStringSubmatch(list.Body)
		if m == nil {
			t.Fatal("no revoke form for the invitation")
		}
		tok := admin.Token("/staff/admin/invitations")
		if p := admin.Post(m[1], tok, nil); p.Status != http.StatusSeeOther || p.Location() != "/staff/admin/invitations?done=revoked" {
			t.Fatalf("revoke: %d → %q", p.Status, p.Location())
		}
		if p := admin.Get("/staff/admin/invitations?done=revoked"); !p.Has("The invitation was revoked") || p.Has("withdrawn@county.example") {
			t.Error("the list still shows the revoked invitation")
		}
		if p := admin.Post(m[1], tok, nil); p.Status != http.StatusConflict || !p.Has("no longer pending") {
			t.Errorf("revoke twice: %d", p.Status)
		}
		if p := admin.Post("/staff/admin/invitations/999999/revoke", tok, nil); p.Status != http.StatusNotFound {
			t.Errorf("revoke an unknown invitation: %d", p.Status)
		}

		// The invitee's link says it was withdrawn, in either language, and accepts nothing.
		c := fx.Client(t)
		if p := c.Get(path); p.Status != http.StatusGone || !p.Has("withdrawn by an administrator") {
			t.Errorf("revoked invitation page: %d", p.Status)
		}
		if p := fx.Client(t).Get(path + "&lang=sw"); p.Status != http.StatusGone || !p.Has("Mwaliko huu uliondolewa") {
			t.Errorf("revoked invitation page in Kiswahili: %d", p.Status)
		}
		form := url.Values{"token": {token}, "name": {"Late Comer"}, "password": {"a perfectly fine password"}, "confirm": {"a perfectly fine password"}}
		if p := c.Post("/staff/invite", c.Token("/staff/sign-in"), form); p.Status != http.StatusGone || !p.Has("withdrawn by an administrator") {
			t.Errorf("accept a revoked invitation: %d", p.Status)
		}
		if p := fx.Client(t).SignIn("withdrawn@county.example", "a perfectly fine password", ""); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("an account came out of a revoked invitation: %d", p.Status)
		}
		// Audited, with the change readable.
		p := admin.Get("/staff/admin/audit?action=staff.invite_revoke")
		if !p.Has("<code>staff.invite_revoke</code>") || !p.Has("<code>state</code>") || !p.Has(html.EscapeString(`"revoked"`)) {
			t.Error("the revocation is not on the audit page with its change")
		}
		// Officials cannot list or revoke.
		off := signedIn(t, fx, "official")
		if p := off.Get("/staff/admin/invitations"); p.Status != http.StatusForbidden {
			t.Errorf("official lists invitations: %d", p.Status)
		}
	})
}

// Before/after of an entry another package records: stored, shown as a
// compact diff on the admin page, the API and the process's own history —
// the latter for that process's officials only.
func TestAuditBeforeAfterShown(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		ctx := context.Background()
		official := fx.People["official"].ID
		before := map[string]any{"title": "County budget", "summary": "Unchanged text", "budget_minor": 100}
		after := map[string]any{"title": "County budget 2026/27", "summary": "Unchanged text", "budget_minor": 250,
			"contact": map[string]any{"name": "Wanjiru Kamau", "email": "wanjiru@mail.example"}}
		if err := fx.Staff.Audit(ctx, staff.Entry{ActorID: official, Action: "process.update", ProcessID: fx.ProcessA,
			Target: fmt.Sprintf("process:%d", fx.ProcessA), Before: before, After: after}); err != nil {
			t.Fatal(err)
		}
		if err := fx.Staff.Audit(ctx, staff.Entry{ActorID: fx.People["official_b"].ID, Action: "process.update", ProcessID: fx.ProcessB,
			Before: map[string]any{"title": "Youth fund"}, After: map[string]any{"title": "Secret B rename"}}); err != nil {
			t.Fatal(err)
		}
		titleChange := "<code>title</code>: <span class=\"sr\">before</span> <del>" + html.EscapeString(`"County budget"`) + "</del>"
		admin := signedIn(t, fx, "admin")
		p := admin.Get("/staff/admin/audit?action=process.update")
		if p.Status != http.StatusOK || !p.Has(titleChange) || !p.Has(html.EscapeString(`"County budget 2026/27"`)) || !p.Has("<code>budget_minor</code>") {
			t.Errorf("admin audit page lacks the diff: %d", p.Status)
		}
		if p.Has("<code>summary</code>") {
			t.Error("an unchanged key is listed as a change")
		}
		for _, personal := range []string{"Wanjiru", "wanjiru@mail.example"} {
			if p.Has(personal) {
				t.Errorf("%q reached the audit page", personal)
			}
		}

		api := fx.Client(t)
		api.Bearer = fx.SignIn(t, "admin").Token
		var body struct {
			Records []struct {
				ProcessID int64          `json:"process_id"`
				Before    map[string]any `json:"before"`
				Changes   []staff.Change `json:"changes"`
			} `json:"records"`
		}
		a := api.Get(fmt.Sprintf("/api/v1/staff/audit?action=process.update&process=%d", fx.ProcessA))
		if err := json.Unmarshal([]byte(a.Body), &body); err != nil || len(body.Records) != 1 {
			t.Fatalf("API: %d %v %s", a.Status, err, a.Body)
		}
		rec := body.Records[0]
		if rec.Before["title"] != "County budget" {
			t.Errorf("API before: %v", rec.Before)
		}
		keys := map[string]staff.Change{}
		for _, c := range rec.Changes {
			keys[c.Key] = c
		}
		if c := keys["title"]; c.Before != `"County budget"` || c.After != `"County budget 2026/27"` {
			t.Errorf("API title change: %+v", c)
		}
		if c := keys["contact.email"]; c.After != `"[personal]"` {
			t.Errorf("API contact email change: %+v", c)
		}
		if _, ok := keys["summary"]; ok || len(rec.Changes) != 4 {
			t.Errorf("API changes: %+v", rec.Changes)
		}

		// The process's history: its official sees A's entries only, by name.
		path := fmt.Sprintf("/staff/processes/%d/audit", fx.ProcessA)
		off := signedIn(t, fx, "official")
		p = off.Get(path + fmt.Sprintf("?process=%d", fx.ProcessB))
		if p.Status != http.StatusOK || !p.Has(titleChange) || !p.Has("Staff official@county.example") {
			t.Errorf("official's process history: %d", p.Status)
		}
		if p.Has("Secret B rename") {
			t.Error("process A's history shows process B's entry")
		}
		if p := off.Get(fmt.Sprintf("/staff/processes/%d", fx.ProcessA)); !p.Has(`href="` + path + `"`) {
			t.Error("the process page does not link its history")
		}
		if p := signedIn(t, fx, "official_b").Get(path); p.Status != http.StatusNotFound {
			t.Errorf("official of another process: %d, want 404", p.Status)
		}
		if p := signedIn(t, fx, "analyst").Get(path); p.Status != http.StatusForbidden {
			t.Errorf("analyst: %d, want 403", p.Status)
		}
		if p := off.Get(path + "?from=yesterday"); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad filter: %d", p.Status)
		}
	})
}

// The process page lists the workspace's links under their own heading and
// only the pages whose tool the process has.
func TestProcessPageLinksFollowComponents(t *testing.T) {
	links := func(f *staffwebtest.Fixture) func(*mux.Router, web.Registrar) {
		for _, l := range []staffweb.ProcessLink{
			{Label: "Survey statistics", Perm: staff.ViewDashboard, Needs: participation.KindSurvey, Path: func(id int64) string { return fmt.Sprintf("/x/%d/survey", id) }},
			{Label: "Proposals overview", Perm: staff.ViewDashboard, Needs: participation.KindProposals, Path: func(id int64) string { return fmt.Sprintf("/x/%d/proposals", id) }},
			{Label: "Live monitor", Perm: staff.ViewDashboard, Path: func(id int64) string { return fmt.Sprintf("/x/%d/monitor", id) }},
			{Label: "Set up", Perm: staff.EditProcess, Group: staffweb.GroupWorkspace, Path: func(id int64) string { return fmt.Sprintf("/x/%d/setup", id) }},
		} {
			f.Area.AddProcessLink(l)
		}
		return func(*mux.Router, web.Registrar) {}
	}
	fx := staffwebtest.New(t, sqliteURL(t), links)
	off := signedIn(t, fx, "official")
	a := off.Get(fmt.Sprintf("/staff/processes/%d", fx.ProcessA))
	for _, want := range []string{"/survey", "/proposals", "/monitor", "/setup", "/audit"} {
		if !a.Has(fmt.Sprintf(`href="/x/%d%s"`, fx.ProcessA, want)) && !a.Has(fmt.Sprintf(`href="/staff/processes/%d%s"`, fx.ProcessA, want)) {
			t.Errorf("process A lacks %s", want)
		}
	}
	ws := strings.Index(a.Body, `id="workspace-heading"`)
	pages := strings.Index(a.Body, `id="pages-heading"`)
	setup := strings.Index(a.Body, "/setup")
	if ws < 0 || pages < 0 || !(ws < setup && setup < pages) || strings.Index(a.Body, "/monitor") < pages {
		t.Errorf("groups: workspace at %d, set-up at %d, pages at %d", ws, setup, pages)
	}
	// Process B has proposals and no survey.
	b := signedIn(t, fx, "official_b")
	p := b.Get(fmt.Sprintf("/staff/processes/%d", fx.ProcessB))
	if p.Has("/survey") || !p.Has(fmt.Sprintf("/x/%d/proposals", fx.ProcessB)) || !p.Has(fmt.Sprintf("/x/%d/setup", fx.ProcessB)) {
		t.Errorf("survey-less process page: survey link %v", p.Has("/survey"))
	}
	if h := b.Get("/staff"); h.Has("/survey") || !h.Has(fmt.Sprintf("/x/%d/proposals", fx.ProcessB)) {
		t.Error("the staff home links a survey dashboard for a survey-less process")
	}
	// An analyst of A sees the dashboards, not the workspace.
	an := signedIn(t, fx, "analyst").Get(fmt.Sprintf("/staff/processes/%d", fx.ProcessA))
	if an.Has("/setup") || an.Has("/audit") || !an.Has("/survey") || !an.Has("The set-up of this process appears here.") {
		t.Error("analyst's process page shows workspace links")
	}
}

// Every key the staff templates and handlers use is in both catalogues,
// and the two have the same keys with the same verbs.
func TestStaffCatalogues(t *testing.T) {
	load := func(lang string) map[string]string {
		raw, err := os.ReadFile("catalog/" + lang + ".json")
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	en, sw := load("en"), load("sw")
	verbs := regexp.MustCompile(`%[vdsq]`)
	for k, v := range en {
		s, ok := sw[k]
		if !ok {
			t.Errorf("sw lacks %s", k)
			continue
		}
		if len(verbs.FindAllString(v, -1)) != len(verbs.FindAllString(s, -1)) {
			t.Errorf("%s: verbs differ between en and sw", k)
		}
	}
	for k := range sw {
		if _, ok := en[k]; !ok {
			t.Errorf("en lacks %s", k)
		}
	}
	used := map[string]bool{}
	for _, glob := range []string{"templates/*.html", "*.go"} {
		files, _ := filepath.Glob(glob)
		// Templates name keys in .T calls; handlers as string literals with
		// a catalogue prefix (a prefix joined to a variable part ends in "_").
		re := regexp.MustCompile(`\.T "([a-z_.0-9]+)"`)
		if strings.HasSuffix(glob, ".go") {
			re = regexp.MustCompile(`"((?:err|password|invites|history|account|audit|process|users|user|totp|signin|form)\.[a-z_0-9]*[a-z0-9])"`)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			raw, _ := os.ReadFile(f)
			for _, m := range re.FindAllStringSubmatch(string(raw), -1) {
				used[m[1]] = true
			}
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d keys in use: the pattern no longer matches", len(used))
	}
	for k := range used {
		if _, ok := en[k]; !ok {
			t.Errorf("key %s is used but not in the catalogue", k)
		}
	}
}
