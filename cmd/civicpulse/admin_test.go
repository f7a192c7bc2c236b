package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/staff"
)

func TestAdminCreateAndGrant(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	os.WriteFile(pw, []byte("a long admin password 99\n"), 0o600)
	t.Setenv("CIVICPULSE_ADMIN_PASSWORD_FILE", pw)
	t.Setenv("CIVICPULSE_SECRET", "")
	t.Setenv("DATABASE_URL", "")
	if err := runAdmin(ctx, []string{"create", "--data", dir, "--email", "Boss@County.example", "--role", "admin"}); err != nil {
		t.Fatal(err)
	}
	if err := runAdmin(ctx, []string{"create", "--data", dir, "--email", "boss@county.example"}); err == nil {
		t.Error("a second account with the same email was created")
	}
	if err := runAdmin(ctx, []string{"create", "--data", dir, "--email", "o@county.example", "--role", "official"}); err == nil {
		t.Error("the command line created a non-admin")
	}
	os.WriteFile(pw, []byte("short\n"), 0o600)
	if err := runAdmin(ctx, []string{"create", "--data", dir, "--email", "weak@county.example"}); err == nil {
		t.Error("a weak password was accepted")
	}
	os.WriteFile(pw, []byte("another long password 1"), 0o600)
	if err := runAdmin(ctx, []string{"create", "--data", dir, "--email", "two@county.example"}); err != nil {
		t.Fatal(err)
	}
	if err := runAdmin(ctx, []string{"grant", "--data", dir, "--email", "two@county.example", "--process", "7", "--role", "analyst"}); err == nil {
		t.Error("grant without --by and two admins went through")
	}
	if err := runAdmin(ctx, []string{"grant", "--data", dir, "--by", "boss@county.example", "--email", "two@county.example", "--process", "7", "--role", "analyst"}); err != nil {
		t.Fatal(err)
	}

	// The accounts sign in with the passwords given, and the grant is
	// recorded as the named admin's act.
	db, err := sqldb.Open(ctx, "sqlite:"+filepath.Join(dir, "civicpulse.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var cfg config
	cfg.dataDir = dir
	secret, _ := cfg.secret("CIVICPULSE_SECRET", "secret.key")
	svc, err := staff.Open(ctx, db, staff.WithSecretKey(staffKey(secret)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, "boss@county.example", "a long admin password 99", ""); err != nil {
		t.Errorf("admin sign-in: %v", err)
	}
	recs, _, err := svc.ListAudit(ctx, staff.AuditFilter{Action: "role.grant"})
	if err != nil || len(recs) != 1 || recs[0].ProcessID != 7 || recs[0].ActorID != 1 {
		t.Errorf("grant audit: %+v %v", recs, err)
	}
}
