package staffweb_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// TestSecretsStayOutOfLogsAndAudit goes through every flow that handles a
// secret — invitation, password, reset, TOTP enrolment, recovery codes,
// session cookies, password change — and then searches the captured logs (server, staff
// service, staff area) and the whole audit log for each of them.
func TestSecretsStayOutOfLogsAndAudit(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		var secrets []string
		admin := signedIn(t, fx, "admin")
		secrets = append(secrets, admin.Cookie("cp_staff"), staffwebtest.Password)

		admin.Post("/staff/admin/users/invite", admin.Token("/staff/admin/users"), url.Values{"email": {"sec@county.example"}})
		path, token := pathOf(t, link(t, fx, "invite"))
		const pw1, pw2 = "first secret password 1", "second secret password 2"
		secrets = append(secrets, token, pw1, pw2)
		c := fx.Client(t)
		if p := c.Post("/staff/invite", c.Token(path), url.Values{"token": {token}, "name": {"Sec"}, "password": {pw1}, "confirm": {pw1}}); p.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d", p.Status)
		}
		// A failed sign-in with a password typed in the wrong field.
		c.SignIn("sec@county.example", pw2, "")

		c.Post("/staff/reset", c.Token("/staff/reset"), url.Values{"email": {"sec@county.example"}})
		path, token = pathOf(t, link(t, fx, "reset"))
		secrets = append(secrets, token)
		if p := c.Post("/staff/reset/new", c.Token(path), url.Values{"token": {token}, "password": {pw2}, "confirm": {pw2}}); p.Status != http.StatusSeeOther {
			t.Fatalf("reset: %d", p.Status)
		}
		if p := c.SignIn("sec@county.example", pw2, ""); p.Status != http.StatusSeeOther {
			t.Fatalf("sign in: %d", p.Status)
		}
		secrets = append(secrets, c.Cookie("cp_staff"))
		secret, codes := enrol(t, fx, c)
		secrets = append(secrets, secret, strings.ToLower(secret))
		secrets = append(secrets, codes...)
		fx.Clock.Advance(30 * time.Second)
		totpCode := code(t, secret, fx.Clock.Now())
		if p := fx.Client(t).SignIn("sec@county.example", pw2, totpCode); p.Status != http.StatusSeeOther {
			t.Fatalf("TOTP sign-in: %d", p.Status)
		}
		if p := fx.Client(t).SignIn("sec@county.example", pw2, codes[0]); p.Status != http.StatusSeeOther {
			t.Fatalf("recovery sign-in: %d", p.Status)
		}
		regen := c.Post("/staff/account/recovery-codes", c.Token("/staff/account"), nil)
		for _, m := range codesRE.FindAllStringSubmatch(regen.Body, -1) {
			secrets = append(secrets, m[1])
		}

		// Changing the password: refused once (wrong current), then done.
		const pw3 = "third secret password 3"
		secrets = append(secrets, pw3)
		c.Post("/staff/account/password", c.Token("/staff/account"), url.Values{"current": {pw3}, "password": {pw3 + "x"}, "confirm": {pw3 + "x"}})
		if p := c.Post("/staff/account/password", c.Token("/staff/account"), url.Values{"current": {pw2}, "password": {pw3}, "confirm": {pw3}}); p.Status != http.StatusSeeOther {
			t.Fatalf("change password: %d", p.Status)
		}

		recs, _, err := fx.Staff.ListAudit(context.Background(), staff.AuditFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		audit, _ := json.Marshal(recs)
		logs := fx.Logs.String()
		if !strings.Contains(logs, "staff.invite.accept") || len(recs) < 5 {
			t.Fatalf("nothing captured: %d log bytes, %d audit records", len(logs), len(recs))
		}
		for _, s := range secrets {
			if len(s) < 6 {
				t.Fatalf("secret %q too short to search for", s)
			}
			if strings.Contains(logs, s) {
				t.Errorf("a secret (%d chars) is in the logs", len(s))
			}
			if strings.Contains(string(audit), s) {
				t.Errorf("a secret (%d chars) is in the audit log", len(s))
			}
		}
		for _, personal := range []string{"sec@county.example", "127.0.0.1"} {
			if strings.Contains(logs, personal) {
				t.Errorf("personal data %q in the logs", personal)
			}
		}
	})
}

// TestRefusalsAreLogged: the guard's refusals reach the log with who (by
// id) asked for what (ASVS 16.3.2), and the caller still sees a plain 404.
func TestRefusalsAreLogged(t *testing.T) {
	each(t, func(t *testing.T, fx *staffwebtest.Fixture) {
		off := signedIn(t, fx, "official_b")
		if p := off.Get(fmt.Sprintf("/staff/processes/%d/audit", fx.ProcessA)); p.Status != http.StatusNotFound {
			t.Fatalf("another process's audit: %d, want 404", p.Status)
		}
		want := fmt.Sprintf("user_id=%d", fx.People["official_b"].ID)
		for _, line := range strings.Split(fx.Logs.String(), "\n") {
			if strings.Contains(line, "staffweb: access refused") && strings.Contains(line, want) &&
				strings.Contains(line, fmt.Sprintf("process_id=%d", fx.ProcessA)) {
				if strings.Contains(line, fx.People["official_b"].Email) {
					t.Fatalf("the refusal names the email: %s", line)
				}
				return
			}
		}
		t.Fatalf("no refusal logged for %s:\n%s", want, fx.Logs.String())
	})
}
