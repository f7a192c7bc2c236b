package staff_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/staff"
)

func TestAuditLogIsAppendOnlyAndFilterable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		admin := e.admin(t) // audits staff.create_admin
		ctx := context.Background()
		start := e.clock.Now()
		for i := 0; i < 7; i++ {
			e.clock.Advance(time.Minute)
			err := e.svc.Audit(ctx, staff.Entry{ActorID: admin.ID, Action: "process.update", ProcessID: int64(1 + i%2),
				Target: fmt.Sprintf("process:%d", 1+i%2), Before: map[string]any{"title": i}, After: map[string]any{"title": i + 1}})
			if err != nil {
				t.Fatal(err)
			}
		}
		if err := e.svc.Audit(ctx, staff.Entry{ActorID: admin.ID}); !errors.Is(err, staff.ErrInvalid) {
			t.Fatalf("entry without action: %v", err)
		}

		for _, stmt := range []string{
			"UPDATE staff_audit SET action = 'nothing'",
			"UPDATE staff_audit SET after_json = NULL WHERE id = 2",
			"DELETE FROM staff_audit",
			"DELETE FROM staff_audit WHERE id = 1",
		} {
			if _, err := e.db.ExecContext(ctx, stmt); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refusal", stmt, err)
			}
		}
		if b.Name == "postgres" {
			if _, err := e.db.ExecContext(ctx, "TRUNCATE staff_audit"); err == nil {
				t.Error("TRUNCATE accepted")
			}
		}

		all, next, err := e.svc.ListAudit(ctx, staff.AuditFilter{})
		if err != nil || len(all) != 8 || next != 0 {
			t.Fatalf("all: %d records, next %d, %v", len(all), next, err)
		}
		if all[0].Action != "process.update" || all[7].Action != "staff.create_admin" || all[7].ActorID != 0 {
			t.Fatalf("order or content: first %+v last %+v", all[0], all[7])
		}
		var after map[string]int
		if err := json.Unmarshal(all[0].After, &after); err != nil || after["title"] != 7 {
			t.Fatalf("after = %s, %v", all[0].After, err)
		}
		count := func(f staff.AuditFilter) int {
			t.Helper()
			rs, _, err := e.svc.ListAudit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return len(rs)
		}
		for name, c := range map[string]struct {
			f    staff.AuditFilter
			want int
		}{
			"process 1":      {staff.AuditFilter{ProcessID: 1}, 4},
			"process 2":      {staff.AuditFilter{ProcessID: 2}, 3},
			"actor":          {staff.AuditFilter{ActorID: admin.ID}, 7},
			"action":         {staff.AuditFilter{Action: "staff.create_admin"}, 1},
			"time range":     {staff.AuditFilter{From: start.Add(2 * time.Minute), To: start.Add(5 * time.Minute)}, 3},
			"combined":       {staff.AuditFilter{ProcessID: 1, Action: "process.update", From: start.Add(3 * time.Minute)}, 3},
			"unknown action": {staff.AuditFilter{Action: "nope"}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%s: %d records, want %d", name, got, c.want)
			}
		}
		// Pages of three walk the whole log once.
		var seen []int64
		f := staff.AuditFilter{Limit: 3}
		for {
			page, next, err := e.svc.ListAudit(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				seen = append(seen, r.ID)
			}
			if next == 0 {
				break
			}
			f.BeforeID = next
		}
		if len(seen) != 8 || seen[0] != all[0].ID || seen[7] != all[7].ID {
			t.Fatalf("paged ids %v", seen)
		}
	})
}

func TestSecretKeyNames(t *testing.T) {
	for k, want := range map[string]bool{
		"password": true, "new_password": true, "PasswordHash": true, "totp_secret": true, "TOTPSecret": true,
		"resetToken": true, "invite-token": true, "recovery_codes": true, "totp_code": true, "otp": true,
		"api_key": true, "apiKey": true, "Cookie": true,
		"email": false, "title": false, "region_code": false, "footprint": false, "process_id": false,
		"session_id": false, "sessions": false, "tokenizer_language": false, "budget": false,
	} {
		if got := staff.SecretKey(k); got != want {
			t.Errorf("SecretKey(%q) = %v, want %v", k, got, want)
		}
	}
}

// TestNoSecretInAuditOrLogs runs every flow that handles a secret, audits
// a careless entry full of them, then searches the whole audit table and all
// log output for each secret in clear.
func TestNoSecretInAuditOrLogs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		e := newEnv(t, b)
		ctx := context.Background()
		var secrets []string
		keep := func(s ...string) { secrets = append(secrets, s...) }

		admin := e.admin(t)
		keep(adminPassword)
		inv, err := e.svc.Invite(ctx, admin.ID, "mod@example.org", []staff.Grant{{ProcessID: 5, Role: staff.RoleModerator}})
		if err != nil {
			t.Fatal(err)
		}
		keep(inv)
		mod, err := e.svc.AcceptInvite(ctx, inv, "Mo Derator", "moderator's password")
		if err != nil {
			t.Fatal(err)
		}
		keep("moderator's password")
		enr, err := e.svc.BeginTOTP(ctx, mod.ID)
		if err != nil {
			t.Fatal(err)
		}
		keep(enr.Secret)
		opts := totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
		c1, _ := totp.GenerateCodeCustom(enr.Secret, e.clock.Now(), opts)
		codes, err := e.svc.ConfirmTOTP(ctx, mod.ID, c1)
		if err != nil {
			t.Fatal(err)
		}
		keep(codes...)
		e.clock.Advance(30 * time.Second)
		c2, _ := totp.GenerateCodeCustom(enr.Secret, e.clock.Now(), opts)
		s1, err := e.svc.Authenticate(ctx, mod.Email, "moderator's password", c2)
		if err != nil {
			t.Fatal(err)
		}
		keep(s1.Token)
		s2, err := e.svc.Authenticate(ctx, mod.Email, "moderator's password", codes[3])
		if err != nil {
			t.Fatal(err)
		}
		keep(s2.Token)
		for i := 0; i < 6; i++ { // a lock-out, logged and audited
			e.svc.Authenticate(ctx, mod.Email, "a wrong guess 123", "")
		}
		keep("a wrong guess 123")
		r, err := e.svc.RequestReset(ctx, mod.Email)
		if err != nil {
			t.Fatal(err)
		}
		keep(r.Token)
		if err := e.svc.ResetPassword(ctx, r.Token, "moderator's new password"); err != nil {
			t.Fatal(err)
		}
		keep("moderator's new password")
		if err := e.svc.Revoke(ctx, admin.ID, s2.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.DisableTOTP(ctx, admin.ID, mod.ID); err != nil {
			t.Fatal(err)
		}
		// A careless caller puts secrets into an entry.
		careless := staff.Entry{ActorID: admin.ID, Action: "staff.update", ProcessID: 5, Target: userTarget(mod.ID),
			Before: map[string]any{"password": adminPassword, "profile": map[string]any{"totpSecret": enr.Secret}},
			After: struct {
				Name     string
				Password string
				Sessions []map[string]string `json:"sessions"`
			}{"Mo", "moderator's new password", []map[string]string{{"session_token": s1.Token, "reset_token": r.Token}}}}
		if err := e.svc.Audit(ctx, careless); err != nil {
			t.Fatal(err)
		}
		// The secret also must not be recoverable from its stored hash.
		var hashes []string
		if err := e.db.SelectContext(ctx, &hashes, "SELECT token_hash FROM staff_sessions"); err != nil {
			t.Fatal(err)
		}
		keep(hashes...)
		var stored []string
		if err := e.db.SelectContext(ctx, &stored, "SELECT password_hash FROM staff_users"); err != nil {
			t.Fatal(err)
		}
		keep(stored...)

		dump := auditDump(t, e)
		logs := e.logs.String()
		if !strings.Contains(dump, "staff.update") {
			t.Fatalf("the careless entry is missing from the dump:\n%s", dump)
		}
		if !strings.Contains(dump, staff.Redacted) {
			t.Errorf("nothing was redacted:\n%s", dump)
		}
		if !strings.Contains(logs, "signed in") || !strings.Contains(logs, "locked") {
			t.Fatalf("the logs miss the events this test expects:\n%s", logs)
		}
		for _, s := range secrets {
			if strings.Contains(dump, s) {
				t.Errorf("secret %q is in the audit log", s)
			}
			if strings.Contains(logs, s) {
				t.Errorf("secret %q is in the logs", s)
			}
		}
		// And no personal data in the logs.
		for _, p := range []string{mod.Email, admin.Email, "Mo Derator"} {
			if strings.Contains(logs, p) {
				t.Errorf("personal data %q is in the logs", p)
			}
		}
		// The TOTP secret is sealed at rest.
		var sealed []string
		if err := e.db.SelectContext(ctx, &sealed, "SELECT COALESCE(totp_secret, '') || COALESCE(totp_pending, '') FROM staff_users"); err != nil {
			t.Fatal(err)
		}
		for _, s := range sealed {
			if strings.Contains(s, enr.Secret) {
				t.Error("TOTP secret stored in clear")
			}
		}
	})
}

func userTarget(id int64) string { return fmt.Sprintf("user:%d", id) }

// auditDump renders every column of every audit row as text.
func auditDump(t *testing.T, e env) string {
	t.Helper()
	rows, err := e.db.QueryxContext(context.Background(), "SELECT * FROM staff_audit ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var sb strings.Builder
	for rows.Next() {
		vals, err := rows.SliceScan()
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&sb, "%v\t", v)
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}
