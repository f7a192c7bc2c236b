package staffweb_test

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web"
	"github.com/civicpulse/civicpulse/web/staffweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// signedIn returns a browser signed in through the form as who.
func signedIn(t *testing.T, fx *staffwebtest.Fixture, who string) *staffwebtest.Client {
	t.Helper()
	c := fx.Client(t)
	if p := c.SignIn(fx.People[who].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther || p.Location() != "/staff" {
		t.Fatalf("sign in as %s: %d → %q", who, p.Status, p.Location())
	}
	return c
}

// wantSignIn asserts p sends the browser to the sign-in page (the guard's
// answer to a missing, expired or revoked session).
func wantSignIn(t *testing.T, p staffwebtest.Page, what string) {
	t.Helper()
	if p.Status != http.StatusSeeOther || !strings.HasPrefix(p.Location(), "/staff/sign-in") {
		t.Fatalf("%s: got %d → %q, want a redirect to the sign-in page", what, p.Status, p.Location())
	}
}

// link waits for the next invitation or reset link the area sends.
func link(t *testing.T, fx *staffwebtest.Fixture, kind string) staffweb.Link {
	t.Helper()
	select {
	case l := <-fx.Links:
		if l.Kind != kind {
			t.Fatalf("got a %s link, want %s", l.Kind, kind)
		}
		return l
	case <-time.After(10 * time.Second): // a safety net for a hung sender, not a timing assertion
		t.Fatalf("no %s link was sent", kind)
	}
	return staffweb.Link{}
}

// pathOf turns a sent link into a path on the test server.
func pathOf(t *testing.T, l staffweb.Link) (string, string) {
	t.Helper()
	// Links start with the configured site address, never with the Host
	// the request came with (the test server's 127.0.0.1:port).
	if !strings.HasPrefix(l.URL, staffwebtest.BaseURL+"/staff/") {
		t.Fatalf("link %q does not start with the configured base URL %s", l.URL, staffwebtest.BaseURL)
	}
	u, err := url.Parse(l.URL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Path + "?" + u.RawQuery, u.Query().Get("token")
}

// The rules of the staff area's own routes, written out: changing one is a
// decision to make here too, and a new staff route must be added.
func TestStaffRouteRules(t *testing.T) {
	fx := staffwebtest.New(t, sqliteURL(t))
	want := map[string]string{
		"staff.signin": "public", "staff.signin.submit": "public", "staff.invite": "public", "staff.invite.accept": "public",
		"staff.reset.request": "public", "staff.reset.request.submit": "public", "staff.reset": "public", "staff.reset.submit": "public",
		"staff.home": "staff:signed_in", "staff.signout": "staff:signed_in", "staff.account": "staff:signed_in",
		"staff.totp.begin": "staff:signed_in", "staff.totp.confirm": "staff:signed_in", "staff.totp.disable": "staff:signed_in",
		"staff.recovery.regenerate": "staff:signed_in", "staff.session.revoke": "staff:signed_in", "staff.sessions.revoke_all": "staff:signed_in",
		"staff.password.change": "staff:signed_in",
		"staff.process":         "staff:view_dashboard", "staff.process.staff": "staff:manage_staff", "staff.process.audit": "staff:edit_process",
		"staff.admin.invites": "staff:manage_staff", "staff.admin.invite.revoke": "staff:manage_staff",
		"staff.admin.users": "staff:manage_staff", "staff.admin.invite": "staff:manage_staff", "staff.admin.user": "staff:manage_staff",
		"staff.admin.user.grant": "staff:manage_staff", "staff.admin.user.revoke": "staff:manage_staff",
		"staff.admin.user.disable": "staff:manage_staff", "staff.admin.user.enable": "staff:manage_staff",
		"staff.admin.user.totp_off": "staff:manage_staff", "staff.admin.user.signout": "staff:manage_staff",
		"staff.admin.audit":      "staff:view_audit",
		"staff.admin.deliveries": "staff:manage_staff", "staff.admin.mailbox": "staff:manage_staff", "api.staff.deliveries": "staff:manage_staff", // messages.go, mailbox.go
		"api.staff.me": "staff:signed_in", "api.staff.process": "staff:view_dashboard", "api.staff.audit": "staff:view_audit",
		"staff.process.file": "staff:edit_process", "api.staff.process.file": "staff:edit_process", // processfile.go
		"api.staff.process.apply": "staff:signed_in", "api.staff.process.apply.post": "staff:signed_in",
		"staff.admin.erase": "staff:manage_staff", "staff.admin.erase.submit": "staff:manage_staff", // erase.go
	}
	seen := map[string]bool{}
	for _, rt := range fx.Server.Routes() {
		if !strings.HasPrefix(rt.Path, "/staff") && !strings.HasPrefix(rt.Path, "/api/v1/staff") {
			if _, ok := rt.Access.(web.Staff); ok {
				t.Errorf("%s %s: a staff rule outside /staff and /api/v1/staff", rt.Method, rt.Path)
			}
			continue
		}
		seen[rt.Name] = true
		if w, ok := want[rt.Name]; !ok {
			t.Errorf("route %s (%s %s, %s) is not in this table", rt.Name, rt.Method, rt.Path, rt.Access)
		} else if rt.Access.String() != w {
			t.Errorf("route %s: rule %s, want %s", rt.Name, rt.Access, w)
		}
	}
	for name := range want {
		if !seen[name] {
			t.Errorf("route %s is not registered", name)
		}
	}
}

func TestGuardRejectsUnknownRules(t *testing.T) {
	if err := staffweb.CheckRule(web.Staff{Role: "superuser"}); err == nil {
		t.Error("CheckRule accepted an unknown rule")
	}
	for _, r := range []web.Staff{staffweb.SignedIn, staffweb.Rule(staff.Export), {Role: "official"}, {Role: "analyst"}} {
		if err := staffweb.CheckRule(r); err != nil {
			t.Errorf("CheckRule(%v): %v", r, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Guard accepted an unknown rule at registration")
		}
	}()
	(&staffweb.Area{}).Guard(web.Staff{Role: "superuser"}, http.NotFoundHandler())
}

func TestSignInAndHome(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		// Anonymous: the home sends to the sign-in page and comes back after.
		c := fx.Client(t)
		p := c.Get("/staff/processes/" + fmt.Sprint(fx.ProcessA))
		wantSignIn(t, p, "anonymous process page")
		next, _ := url.Parse(p.Location())
		if got := next.Query().Get("next"); got != fmt.Sprintf("/staff/processes/%d", fx.ProcessA) {
			t.Errorf("next = %q", got)
		}
		tok := c.Token(p.Location())
		p = c.Post("/staff/sign-in", tok, url.Values{"email": {fx.People["analyst"].Email}, "password": {staffwebtest.Password}, "next": {next.Query().Get("next")}})
		if p.Status != http.StatusSeeOther || p.Location() != fmt.Sprintf("/staff/processes/%d", fx.ProcessA) {
			t.Fatalf("sign in: %d → %q", p.Status, p.Location())
		}
		if ck := c.Cookie("cp_staff"); ck == "" {
			t.Fatal("no cp_staff cookie")
		}
		home := c.Get("/staff")
		if home.Status != 200 || !home.Has(fx.Open.Title) || home.Has(fx.Registered.Title) || !home.Has("Analyst") {
			t.Errorf("analyst home: %d, lists A=%v B=%v", home.Status, home.Has(fx.Open.Title), home.Has(fx.Registered.Title))
		}
		if home.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q", home.Header.Get("Cache-Control"))
		}
		// Swahili, from the same language switch as the citizen pages.
		if sw := c.Get("/staff?lang=sw"); !sw.Has("Michakato yako") {
			t.Error("no Kiswahili home")
		}

		admin := signedIn(t, fx, "admin")
		home = admin.Get("/staff")
		for _, title := range []string{fx.Open.Title, fx.Registered.Title, fx.Closed.Title, fx.Draft.Title} {
			if !home.Has(html.EscapeString(title)) {
				t.Errorf("admin home lacks %q", title)
			}
		}
		ob := signedIn(t, fx, "official_b").Get("/staff")
		if !ob.Has(fx.Registered.Title) || ob.Has(fx.Open.Title) {
			t.Error("official of B sees the wrong processes")
		}

		// next= never leaves the staff area.
		evil := fx.Client(t)
		for _, n := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "/p/x"} {
			// Each sign-in renews the CSRF token: take the form's new one.
			tok = evil.Token("/staff/sign-in")
			p = evil.Post("/staff/sign-in", tok, url.Values{"email": {fx.People["analyst"].Email}, "password": {staffwebtest.Password}, "next": {n}})
			if p.Location() != "/staff" {
				t.Errorf("next=%q → %q", n, p.Location())
			}
		}

		// Wrong password: the form again, email kept, password not echoed.
		tok = evil.Token("/staff/sign-in")
		p = evil.Post("/staff/sign-in", tok, url.Values{"email": {"nobody@county.example"}, "password": {"not-the-password-123"}})
		if p.Status != http.StatusUnprocessableEntity || !p.Has("nobody@county.example") || p.Has("not-the-password-123") {
			t.Errorf("bad sign-in: %d", p.Status)
		}

		// Sign-out ends the session on the server, not just the cookie.
		tokenBefore := c.Cookie("cp_staff")
		p = c.Post("/staff/sign-out", c.Token("/staff"), nil)
		if p.Status != http.StatusSeeOther || c.Cookie("cp_staff") != "" {
			t.Fatalf("sign out: %d, cookie left %q", p.Status, c.Cookie("cp_staff"))
		}
		replay := fx.Client(t)
		replay.SetCookie("cp_staff", tokenBefore)
		wantSignIn(t, replay.Get("/staff"), "signed-out token")
	})
}

func TestLockoutViaForm(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		c := fx.Client(t)
		tok := c.Token("/staff/sign-in")
		email := fx.People["official"].Email
		for i := 1; i <= 5; i++ {
			if p := c.Post("/staff/sign-in", tok, url.Values{"email": {email}, "password": {"wrong password number " + fmt.Sprint(i)}}); p.Status != http.StatusUnprocessableEntity {
				t.Fatalf("failure %d: %d", i, p.Status)
			}
		}
		p := c.Post("/staff/sign-in", tok, url.Values{"email": {email}, "password": {staffwebtest.Password}})
		if p.Status != http.StatusTooManyRequests {
			t.Fatalf("after 5 failures the right password got %d, want 429", p.Status)
		}
		if ra := p.Header.Get("Retry-After"); ra != "60" {
			t.Errorf("Retry-After %q, want 60 (one minute lock at the fixed clock)", ra)
		}
		// Unknown emails lock the same way, so the answer reveals nothing.
		for i := 1; i <= 5; i++ {
			c.Post("/staff/sign-in", tok, url.Values{"email": {"ghost@county.example"}, "password": {"wrong password"}})
		}
		if p := c.Post("/staff/sign-in", tok, url.Values{"email": {"ghost@county.example"}, "password": {"wrong password"}}); p.Status != http.StatusTooManyRequests {
			t.Errorf("unknown email after 5 failures: %d", p.Status)
		}
		fx.Clock.Advance(61 * time.Second)
		if p := c.Post("/staff/sign-in", tok, url.Values{"email": {email}, "password": {staffwebtest.Password}}); p.Status != http.StatusSeeOther {
			t.Errorf("after the lock: %d", p.Status)
		}
	})
}

var (
	secretRE = regexp.MustCompile(`<code>([A-Z2-7 ]{16,})</code>`)
	codesRE  = regexp.MustCompile(`<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>`)
)

func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enrol turns TOTP on for the signed-in browser and returns the secret and
// the recovery codes.
func enrol(t *testing.T, fx *staffwebtest.Fixture, c *staffwebtest.Client) (string, []string) {
	t.Helper()
	p := c.Post("/staff/account/totp", c.Token("/staff/account"), nil)
	m := secretRE.FindStringSubmatch(p.Body)
	if p.Status != 200 || m == nil || !p.Has(`src="data:image/png;base64,`) {
		t.Fatalf("enrolment page: %d, secret found %v", p.Status, m != nil)
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	tok := c.Token("/staff/account")
	if p := c.Post("/staff/account/totp/confirm", tok, url.Values{"code": {"000000"}}); p.Status != http.StatusUnprocessableEntity && code(t, secret, fx.Clock.Now()) != "000000" {
		t.Errorf("wrong confirmation code: %d", p.Status)
	}
	// A wrong code drops nothing: the pending secret stays until confirmed.
	p = c.Post("/staff/account/totp/confirm", tok, url.Values{"code": {code(t, secret, fx.Clock.Now())}})
	var codes []string
	for _, m := range codesRE.FindAllStringSubmatch(p.Body, -1) {
		codes = append(codes, m[1])
	}
	if p.Status != 200 || len(codes) != staff.RecoveryCodeCount {
		t.Fatalf("confirm: %d, %d recovery codes", p.Status, len(codes))
	}
	return secret, codes
}

func TestTOTPSignInWithFixedClock(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		email := fx.People["moderator"].Email
		c := signedIn(t, fx, "moderator")
		secret, codes := enrol(t, fx, c)
		if p := c.Get("/staff/account"); !p.Has(fmt.Sprintf("Recovery codes left: %d", staff.RecoveryCodeCount)) {
			t.Error("account page does not show the recovery codes left")
		}

		b := fx.Client(t)
		p := b.SignIn(email, staffwebtest.Password, "")
		if p.Status != http.StatusUnprocessableEntity || !p.Has(`aria-invalid="true"`) || !p.Has(html.EscapeString(email)) {
			t.Fatalf("no code: %d", p.Status)
		}
		// The code of the enrolment step is spent (no replay).
		if p := b.SignIn(email, staffwebtest.Password, code(t, secret, fx.Clock.Now())); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("replayed code: %d", p.Status)
		}
		fx.Clock.Advance(30 * time.Second)
		if p := b.SignIn(email, staffwebtest.Password, code(t, secret, fx.Clock.Now().Add(-2*time.Minute))); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("stale code: %d", p.Status)
		}
		if p := b.SignIn(email, staffwebtest.Password, code(t, secret, fx.Clock.Now())); p.Status != http.StatusSeeOther {
			t.Fatalf("current code: %d", p.Status)
		}
		// A recovery code works once.
		r := fx.Client(t)
		if p := r.SignIn(email, staffwebtest.Password, codes[3]); p.Status != http.StatusSeeOther {
			t.Fatalf("recovery code: %d", p.Status)
		}
		if p := fx.Client(t).SignIn(email, staffwebtest.Password, codes[3]); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("recovery code twice: %d", p.Status)
		}
		// Turning it off needs the password.
		if p := r.Post("/staff/account/totp/disable", r.Token("/staff/account"), url.Values{"password": {"wrong"}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("disable with a wrong password: %d", p.Status)
		}
		if p := r.Post("/staff/account/totp/disable", r.Token("/staff/account"), url.Values{"password": {staffwebtest.Password}}); p.Status != http.StatusSeeOther {
			t.Errorf("disable: %d", p.Status)
		}
		if p := fx.Client(t).SignIn(email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
			t.Errorf("sign in after disabling TOTP: %d", p.Status)
		}
	})
}

func TestSessionExpiryAndRevocation(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		// Idle timeout: 30 minutes.
		a := signedIn(t, fx, "official")
		fx.Clock.Advance(29 * time.Minute)
		if p := a.Get("/staff"); p.Status != 200 {
			t.Fatalf("after 29 idle minutes: %d", p.Status)
		}
		fx.Clock.Advance(31 * time.Minute)
		wantSignIn(t, a.Get("/staff"), "after 31 idle minutes")

		// Absolute limit: 12 hours however busy.
		a = signedIn(t, fx, "official")
		for i := 0; i < 12*60/20-1; i++ {
			fx.Clock.Advance(20 * time.Minute)
			if p := a.Get("/staff"); p.Status != 200 {
				t.Fatalf("active session died after %d minutes: %d", (i+1)*20, p.Status)
			}
		}
		fx.Clock.Advance(21 * time.Minute)
		wantSignIn(t, a.Get("/staff"), "after 12 hours")

		// Revocation from "my sessions": another browser's session ends.
		a = signedIn(t, fx, "official")
		b := signedIn(t, fx, "official")
		sessions, err := fx.Staff.Sessions(context.Background(), fx.People["official"].ID)
		if err != nil || len(sessions) != 2 {
			t.Fatalf("sessions: %v %d", err, len(sessions))
		}
		bID := sessions[0].ID // newest first
		acct := a.Get("/staff/account")
		if !acct.Has(fmt.Sprintf("/staff/account/sessions/%d/revoke", bID)) {
			t.Fatal("account page does not list the other session")
		}
		if p := a.Post(fmt.Sprintf("/staff/account/sessions/%d/revoke", bID), a.Token("/staff/account"), nil); p.Status != http.StatusSeeOther || p.Location() != "/staff/account?done=revoked" {
			t.Fatalf("revoke: %d → %q", p.Status, p.Location())
		}
		wantSignIn(t, b.Get("/staff"), "revoked session")
		if p := a.Get("/staff"); p.Status != 200 {
			t.Errorf("the revoking session itself: %d", p.Status)
		}
		// Someone else's session is not found, and stays alive.
		other := signedIn(t, fx, "analyst")
		os, _ := fx.Staff.Sessions(context.Background(), fx.People["analyst"].ID)
		if p := a.Post(fmt.Sprintf("/staff/account/sessions/%d/revoke", os[0].ID), a.Token("/staff/account"), nil); p.Status != http.StatusNotFound {
			t.Errorf("revoking another user's session: %d", p.Status)
		}
		if p := other.Get("/staff"); p.Status != 200 {
			t.Errorf("the other user's session: %d", p.Status)
		}
		// An admin ends all sessions of a user.
		admin := signedIn(t, fx, "admin")
		if p := admin.Post(fmt.Sprintf("/staff/admin/users/%d/sessions/revoke", fx.People["analyst"].ID), admin.Token("/staff/admin/users"), nil); p.Status != http.StatusSeeOther {
			t.Fatalf("admin revoke all: %d", p.Status)
		}
		wantSignIn(t, other.Get("/staff"), "session ended by an admin")
		// Disabling an account ends its sessions too.
		d := signedIn(t, fx, "moderator")
		if p := admin.Post(fmt.Sprintf("/staff/admin/users/%d/disable", fx.People["moderator"].ID), admin.Token("/staff/admin/users"), nil); p.Status != http.StatusSeeOther {
			t.Fatalf("disable: %d", p.Status)
		}
		wantSignIn(t, d.Get("/staff"), "disabled account")
		if p := fx.Client(t).SignIn(fx.People["moderator"].Email, staffwebtest.Password, ""); p.Status != http.StatusUnprocessableEntity || !p.Has("disabled") {
			t.Errorf("disabled sign-in: %d", p.Status)
		}
	})
}

func TestInvitationLinks(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		admin := signedIn(t, fx, "admin")
		tok := admin.Token("/staff/admin/users")
		p := admin.Post("/staff/admin/users/invite", tok, url.Values{"email": {"New.Analyst@County.example"}, fmt.Sprintf("role_%d", fx.ProcessB): {"analyst"}})
		if p.Status != 200 || !p.Has("The invitation is on its way") {
			t.Fatalf("invite: %d", p.Status)
		}
		l := link(t, fx, "invite")
		if l.Email != "new.analyst@county.example" {
			t.Errorf("invite sent to %q", l.Email)
		}
		path, token := pathOf(t, l)
		c := fx.Client(t)
		p = c.Get(path)
		if p.Status != 200 || !p.Has("new.analyst@county.example") || p.Header.Get("Referrer-Policy") != "same-origin" {
			t.Fatalf("invite page: %d, referrer policy %q", p.Status, p.Header.Get("Referrer-Policy"))
		}
		form := url.Values{"token": {token}, "name": {"Amina Njeri"}, "password": {"a new long password 42"}, "confirm": {"a new long password 42"}}
		if p := c.Post("/staff/invite", c.Token(path), url.Values{"token": {token}, "name": {"x"}, "password": {"short"}, "confirm": {"short"}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("weak password: %d", p.Status)
		}
		if p := c.Post("/staff/invite", c.Token(path), form); p.Status != http.StatusSeeOther || p.Location() != "/staff/sign-in?done=invite" {
			t.Fatalf("accept: %d → %q", p.Status, p.Location())
		}
		// Twice: gone.
		if p := c.Post("/staff/invite", c.Token("/staff/sign-in"), form); p.Status != http.StatusGone {
			t.Errorf("accept twice: %d", p.Status)
		}
		if p := c.Get(path); p.Status != http.StatusGone {
			t.Errorf("open a used invitation: %d", p.Status)
		}
		// The new analyst sees process B only.
		n := fx.Client(t)
		if p := n.SignIn("new.analyst@county.example", "a new long password 42", ""); p.Status != http.StatusSeeOther {
			t.Fatalf("new account sign-in: %d", p.Status)
		}
		if h := n.Get("/staff"); !h.Has(fx.Registered.Title) || h.Has(fx.Open.Title) {
			t.Error("new analyst's home is wrong")
		}
		// After expiry (72 h): gone.
		admin.Post("/staff/admin/users/invite", tok, url.Values{"email": {"late@county.example"}})
		l = link(t, fx, "invite")
		path, token = pathOf(t, l)
		fx.Clock.Advance(73 * time.Hour)
		if p := c.Get(path); p.Status != http.StatusGone {
			t.Errorf("expired invitation page: %d", p.Status)
		}
		form.Set("token", token)
		if p := c.Post("/staff/invite", c.Token("/staff/sign-in"), form); p.Status != http.StatusGone {
			t.Errorf("accept an expired invitation: %d", p.Status)
		}
		// Inviting an existing account is a conflict.
		admin = signedIn(t, fx, "admin")
		if p := admin.Post("/staff/admin/users/invite", admin.Token("/staff/admin/users"), url.Values{"email": {fx.People["analyst"].Email}}); p.Status != http.StatusConflict {
			t.Errorf("invite an existing account: %d", p.Status)
		}
	})
}

func TestResetLinks(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		c := fx.Client(t)
		tok := c.Token("/staff/reset")
		known := c.Post("/staff/reset", tok, url.Values{"email": {fx.People["analyst"].Email}})
		l := link(t, fx, "reset")
		unknown := c.Post("/staff/reset", tok, url.Values{"email": {"nobody@county.example"}})
		if known.Status != 200 || unknown.Status != 200 || known.Body != unknown.Body {
			t.Errorf("reset answers differ: %d vs %d, same body %v", known.Status, unknown.Status, known.Body == unknown.Body)
		}
		path, token := pathOf(t, l)
		p := c.Get(path)
		if p.Status != 200 || p.Header.Get("Referrer-Policy") != "same-origin" {
			t.Fatalf("reset page: %d", p.Status)
		}
		form := url.Values{"token": {token}, "password": {"another long password 7"}, "confirm": {"another long password 7"}}
		if p := c.Post("/staff/reset/new", c.Token(path), url.Values{"token": {token}, "password": {"another long password 7"}, "confirm": {"different"}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("mismatched passwords: %d", p.Status)
		}
		if p := c.Post("/staff/reset/new", c.Token(path), form); p.Status != http.StatusSeeOther || p.Location() != "/staff/sign-in?done=reset" {
			t.Fatalf("reset: %d → %q", p.Status, p.Location())
		}
		if p := c.Post("/staff/reset/new", c.Token(path), form); p.Status != http.StatusGone {
			t.Errorf("reset twice: %d", p.Status)
		}
		if p := fx.Client(t).SignIn(fx.People["analyst"].Email, staffwebtest.Password, ""); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("old password still works: %d", p.Status)
		}
		if p := fx.Client(t).SignIn(fx.People["analyst"].Email, "another long password 7", ""); p.Status != http.StatusSeeOther {
			t.Errorf("new password: %d", p.Status)
		}
		// After expiry (1 h): gone.
		c.Post("/staff/reset", tok, url.Values{"email": {fx.People["analyst"].Email}})
		l = link(t, fx, "reset")
		path, token = pathOf(t, l)
		fx.Clock.Advance(61 * time.Minute)
		form.Set("token", token)
		if p := c.Post("/staff/reset/new", c.Token(path), form); p.Status != http.StatusGone {
			t.Errorf("expired reset: %d", p.Status)
		}
	})
}

// Every staff form refuses a request without its CSRF token or with a
// forged one, signed in or not.
func TestCSRFOnEveryStaffForm(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		forged := make([]byte, 64)
		rand.Read(forged)
		n := 0
		for _, rt := range fx.Server.Routes() {
			if rt.API || rt.Method == http.MethodGet || !strings.HasPrefix(rt.Path, "/staff") {
				continue
			}
			n++
			path := strings.NewReplacer("{process:[0-9]+}", fmt.Sprint(fx.ProcessA), "{user:[0-9]+}", fmt.Sprint(fx.Target.ID), "{session:[0-9]+}", "1", "{invite:[0-9]+}", fmt.Sprint(fx.PendingInvite)).Replace(rt.Path)
			for _, token := range []string{"", base64.StdEncoding.EncodeToString(forged)} {
				c := fx.Client(t)
				c.SetCookie("cp_staff", fx.SignIn(t, "admin").Token)
				c.Token("/staff/sign-in") // the CSRF cookie, as a real browser has it
				p := c.Send(rt.Method, path, token, url.Values{"email": {fx.People["admin"].Email}, "password": {staffwebtest.Password}})
				if p.Status != http.StatusForbidden {
					t.Errorf("%s %s with token %v: %d, want 403", rt.Method, path, token != "", p.Status)
				}
			}
		}
		if n < 15 {
			t.Errorf("only %d staff forms found", n)
		}
		// The admin is still signed in everywhere: nothing went through.
		if ss, _ := fx.Staff.Sessions(context.Background(), fx.People["admin"].ID); len(ss) != 2*n {
			t.Errorf("%d admin sessions alive, want %d", len(ss), 2*n)
		}
	})
}

func TestAdminPagesAndAudit(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		admin := signedIn(t, fx, "admin")
		users := admin.Get("/staff/admin/users")
		for _, who := range []string{"analyst", "moderator", "official", "official_b"} {
			if !users.Has(fx.People[who].Email) {
				t.Errorf("users page lacks %s", who)
			}
		}
		uid := fx.Target.ID
		userPath := fmt.Sprintf("/staff/admin/users/%d", uid)
		tok := admin.Token(userPath)
		if p := admin.Post(userPath+"/roles", tok, url.Values{"process": {fmt.Sprint(fx.ProcessB)}, "role": {"moderator"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("grant: %d", p.Status)
		}
		if p := admin.Post(userPath+"/roles", tok, url.Values{"process": {fmt.Sprint(fx.ProcessB)}, "role": {"emperor"}}); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("grant an unknown role: %d", p.Status)
		}
		if p := admin.Post(userPath+"/roles/revoke", tok, url.Values{"process": {fmt.Sprint(fx.ProcessA)}, "role": {"analyst"}}); p.Status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", p.Status)
		}
		// The last admin cannot be demoted.
		if p := admin.Post(fmt.Sprintf("/staff/admin/users/%d/roles/revoke", fx.People["admin"].ID), tok, url.Values{"role": {"admin"}}); p.Status != http.StatusConflict {
			t.Errorf("demote the last admin: %d", p.Status)
		}
		grants, _ := fx.Staff.RolesOf(context.Background(), uid)
		if len(grants) != 1 || grants[0] != (staff.Grant{ProcessID: fx.ProcessB, Role: staff.RoleModerator}) {
			t.Errorf("roles after grant and revoke: %+v", grants)
		}
		if p := admin.Get(fmt.Sprintf("/staff/processes/%d/staff", fx.ProcessB)); !p.Has(fx.Target.Email) || !p.Has(fx.People["official_b"].Email) {
			t.Error("process B's staff page is incomplete")
		}

		// The audit log, filtered.
		p := admin.Get("/staff/admin/audit?action=role.grant")
		if p.Status != 200 || !strings.Contains(p.Body, "role.grant") || strings.Contains(p.Body, "<code>role.revoke</code>") {
			t.Errorf("audit filter by action: %d", p.Status)
		}
		p = admin.Get(fmt.Sprintf("/staff/admin/audit?process=%d", fx.ProcessA))
		if !strings.Contains(p.Body, "<code>role.revoke</code>") || strings.Contains(p.Body, "<code>role.grant</code>") && !strings.Contains(p.Body, html.EscapeString(fx.Open.Title)) {
			t.Errorf("audit filter by process")
		}
		p = admin.Get(fmt.Sprintf("/staff/admin/audit?actor=%d&from=2026-03-10&to=2026-03-10", fx.People["admin"].ID))
		if !strings.Contains(p.Body, "<code>role.grant</code>") {
			t.Error("audit filter by actor and day lost the grant")
		}
		if p := admin.Get("/staff/admin/audit?from=2026-03-11"); strings.Contains(p.Body, "<code>role.grant</code>") {
			t.Error("audit filter by date shows an earlier entry")
		}
		if p := admin.Get("/staff/admin/audit?actor=x"); p.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad filter: %d", p.Status)
		}
		// Pages: limit 2 gives a link to older entries that works.
		p = admin.Get("/staff/admin/audit?limit=2")
		m := regexp.MustCompile(`href="/staff/admin/audit\?([^"]+)"`).FindStringSubmatch(p.Body)
		if m == nil {
			t.Fatal("no link to older entries")
		}
		if older := admin.Get("/staff/admin/audit?" + html.UnescapeString(m[1])); older.Status != 200 || !older.Has("<code>") {
			t.Errorf("older entries: %d", older.Status)
		}

		// The staff API: the same guard with a bearer token.
		api := fx.Client(t)
		api.Bearer = fx.SignIn(t, "admin").Token
		a := api.Get("/api/v1/staff/audit?action=role.grant")
		var body struct {
			Records []struct {
				Action    string `json:"action"`
				ProcessID int64  `json:"process_id"`
			} `json:"records"`
		}
		if err := json.Unmarshal([]byte(a.Body), &body); err != nil || a.Status != 200 || len(body.Records) == 0 {
			t.Fatalf("API audit: %d %v", a.Status, err)
		}
		for _, r := range body.Records {
			if r.Action != "role.grant" {
				t.Errorf("API audit filter let %q through", r.Action)
			}
		}
		// The API takes the cookie for reads but not for writes; anonymous is problem+json.
		anon := fx.Client(t).Get("/api/v1/staff/me")
		if anon.Status != 401 || anon.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("anonymous API: %d %s", anon.Status, anon.Header.Get("Content-Type"))
		}
		if me := admin.Get("/api/v1/staff/me"); me.Status != 200 || !me.Has(`"admin":true`) {
			t.Errorf("API with the cookie: %d", me.Status)
		}
	})
}

// TestSignInRenewsSessionAndCSRF: signing in again in the same browser ends
// the session it held, and a CSRF token handed out before a sign-in does
// not work after it.
func TestSignInRenewsSessionAndCSRF(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		c := fx.Client(t)
		before := c.Token("/staff/sign-in")
		if p := c.SignIn(fx.People["official"].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", p.Status)
		}
		first := c.Cookie("cp_staff")
		if p := c.Post("/staff/account/password", before, url.Values{"current": {staffwebtest.Password}}); p.Status != http.StatusForbidden {
			t.Errorf("a form with the token from before the sign-in: %d, want 403", p.Status)
		}
		if p := c.SignIn(fx.People["analyst"].Email, staffwebtest.Password, ""); p.Status != http.StatusSeeOther {
			t.Fatalf("second sign in: %d", p.Status)
		}
		if c.Cookie("cp_staff") == first {
			t.Fatal("the second sign-in kept the first session's cookie")
		}
		old := fx.Client(t)
		old.SetCookie("cp_staff", first)
		wantSignIn(t, old.Get("/staff"), "the first session after a second sign-in in its browser")
		sessions, err := fx.Staff.Sessions(context.Background(), fx.People["official"].ID)
		if err != nil || len(sessions) != 0 {
			t.Errorf("the official's live sessions after the analyst signed in in the same browser: %d %v", len(sessions), err)
		}
	})
}
