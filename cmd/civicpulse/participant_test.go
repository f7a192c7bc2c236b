package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb"
	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/webtest"
)

// TestParticipantEraseCLI: staff erase a participant by the email they
// registered with; the proposal goes, the profile goes, the audit log says
// so without the email, and a second request is refused as naming nobody.
func TestParticipantEraseCLI(t *testing.T) {
	t.Setenv("CIVICPULSE_SECRET", strings.Repeat("cd", 32))
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		ctx := context.Background()
		fx := webtest.New(t, b.URL)
		s := fx.Store
		p, err := s.CreateParticipant(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		secret, err := s.Register(ctx, fx.Registered.ID, p.ID, participation.Consent{NoticeVersion: 1}, participation.Profile{Name: "Achieng", Email: "achieng@example.org"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Verify(ctx, fx.Registered.ID, p.ID, secret); err != nil {
			t.Fatal(err)
		}
		pid, err := s.CreateProposal(ctx, participation.Proposal{ComponentID: fx.RegProposals, ParticipantID: p.ID, Title: "Tailoring hub", Description: "Six machines for young tailors."})
		if err != nil {
			t.Fatal(err)
		}

		var out bytes.Buffer
		args := []string{"--database-url", b.URL, "--email", "achieng@example.org", "--remove-contributions"}
		if err := runParticipantErase(ctx, &out, args); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "1 profiles deleted, 1 proposals and 0 comments taken down") {
			t.Fatalf("output %q", out.String())
		}
		if _, err := s.GetProposal(ctx, pid); !participation.IsNotFound(err) {
			t.Fatalf("the proposal is still public: %v", err)
		}
		if ids, _ := s.ParticipantsByEmail(ctx, "achieng@example.org"); len(ids) != 0 {
			t.Fatalf("still found by email: %v", ids)
		}
		if err := runParticipantErase(ctx, &out, args); err == nil || !strings.Contains(err.Error(), "no participant") {
			t.Fatalf("a second erasure: %v", err)
		}

		db, err := sqldb.Open(ctx, b.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		svc, err := staff.Open(ctx, db, staff.WithSecretKey(staffKey([]byte(strings.Repeat("cd", 32)))))
		if err != nil {
			t.Fatal(err)
		}
		recs, _, err := svc.ListAudit(ctx, staff.AuditFilter{Action: "participant.erase"})
		if err != nil || len(recs) != 1 || recs[0].ActorID != 0 || !strings.Contains(recs[0].Target, "participant ") {
			t.Fatalf("audit %+v %v", recs, err)
		}
		if strings.Contains(string(recs[0].After)+recs[0].Target, "achieng") || !strings.Contains(string(recs[0].After), `"proposals":1`) {
			t.Fatalf("audit entry %s %s", recs[0].Target, recs[0].After)
		}
	})
}
