package dashweb_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/internal/sqldb/sqldbtest"
	"github.com/civicpulse/civicpulse/participation"
	"github.com/civicpulse/civicpulse/report/reporttest"
	"github.com/civicpulse/civicpulse/staff"
	"github.com/civicpulse/civicpulse/web/dashweb"
	"github.com/civicpulse/civicpulse/web/staffweb/staffwebtest"
)

// The overview documents over HTTP, on both stores: the analyst of
// process A downloads each as PDF and as printable HTML, and every
// proposal's title, every section's heading and every question's prompt
// the warehouse holds is in its text, while the hidden proposal is
// counted but its title is not printed; the moderator (no export
// permission) gets 403, B's official 404, anonymous callers nothing.
func TestOverviewDocumentsOverHTTP(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, b sqldbtest.Backend) {
		var st stack
		fx := staffwebtest.New(t, b.URL, fullStack(t, 0, &st))
		ctx := context.Background()
		author, err := fx.Store.CreateParticipant(ctx, "047")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fx.Store.CreateProposal(ctx, participation.Proposal{ProcessID: fx.ProcessA, ComponentID: fx.Proposals, ParticipantID: author.ID,
			Title: "Maji safi kwa soko la Gĩthũngũri", Description: "Kisima kipya", BudgetMinor: 120_000_00, RegionCode: "022"}); err != nil {
			t.Fatal(err)
		}
		hidden, err := fx.Store.CreateProposal(ctx, participation.Proposal{ProcessID: fx.ProcessA, ComponentID: fx.Proposals, ParticipantID: author.ID,
			Title: "SECRET hidden idea", Description: "SECRET text", RegionCode: "022"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fx.Store.Moderate(ctx, participation.ModerationDecision{Ref: participation.ContributionRef{Kind: participation.ContribProposal, ID: hidden},
			Action: participation.ActHide, Reason: "off-topic", StaffID: 1}); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.Store.CreateComment(ctx, participation.Comment{ProcessID: fx.ProcessA, ComponentID: fx.Document, TargetKind: participation.TargetSection,
			TargetID: fx.Sections[len(fx.Sections)-1], ParticipantID: author.ID, Kind: participation.CommentAmendment,
			Body: "Say who pays", ProposedText: "The county pays for the market's water."}); err != nil {
			t.Fatal(err)
		}
		// What officials decided, from the store: a score on a criterion, the
		// proposal's state and the response to a section.
		official := fx.People["official"].ID
		crit, err := fx.Store.SaveCriterion(ctx, participation.Criterion{ProcessID: fx.ProcessA, Name: "Value for money", Weight: 1, ScaleMin: 1, ScaleMax: 5, StaffID: official})
		if err != nil {
			t.Fatal(err)
		}
		if err := fx.Store.SaveScore(ctx, participation.Score{ProposalID: fx.Proposal, CriterionID: crit.ID, StaffID: official, Score: 4}); err != nil {
			t.Fatal(err)
		}
		if _, err := fx.Store.Decide(ctx, fx.Proposal, participation.AssessSubmitted, participation.AssessUnderAssessment, "", official); err != nil {
			t.Fatal(err)
		}
		if err := fx.Store.SaveSectionResponse(ctx, participation.SectionResponse{ComponentID: fx.Document, SectionID: fx.Sections[0],
			Changed: "Parking fees are halved for market traders.", Why: "Most comments asked for it.", StaffID: official}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, st, func(n int64) bool { return n == 1 }, `SELECT count(*) FROM moderation WHERE entity_kind = 'proposal' AND entity_id = ?`, hidden)
		waitFor(t, st, func(n int64) bool { return n == 1 }, `SELECT count(*) FROM proposal_decisions WHERE proposal_id = ?`, fx.Proposal)
		waitFor(t, st, func(n int64) bool { return n >= 1 }, `SELECT count(*) FROM comments WHERE kind = 'amendment' AND process_id = ?`, fx.ProcessA)

		want := map[string][]string{}
		read := func(kind, q string) {
			rows, err := st.wh.Read().QueryContext(ctx, q, fx.ProcessA)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var s string
				if err := rows.Scan(&s); err != nil {
					t.Fatal(err)
				}
				want[kind] = append(want[kind], s)
			}
		}
		read("ideas", `SELECT DISTINCT title FROM proposals WHERE process_id = ? AND title <> 'SECRET hidden idea'`)
		read("comments", `SELECT heading FROM dim_sections s JOIN dim_components c USING (component_id) WHERE c.process_id = ?`)
		read("comments", `SELECT proposed_text FROM comments WHERE kind = 'amendment' AND process_id = ?`)
		read("survey", `SELECT prompt FROM dim_questions q JOIN dim_components c USING (component_id) WHERE c.process_id = ?`)
		want["ideas"] = append(want["ideas"], "Value for money", "4.0 / 5", "Under assessment")
		want["comments"] = append(want["comments"], "Parking fees are halved for market traders.", "Most comments asked for it.")
		if len(want["ideas"]) < 2 || len(want["comments"]) < 2 || len(want["survey"]) == 0 {
			t.Fatalf("the fixture lacks the inputs to check: %v", want)
		}

		c := fx.Client(t)
		c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
		for _, kind := range []string{"ideas", "comments", "survey"} {
			for _, format := range []string{"pdf", "html"} {
				path := dashweb.ReportPath(kind, format)(fx.ProcessA)
				p := c.Get(path)
				if p.Status != http.StatusOK {
					t.Fatalf("analyst on %s: %d %s", path, p.Status, p.Body)
				}
				var text string
				if format == "pdf" {
					if p.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(p.Body, "%PDF-") {
						t.Fatalf("%s is not a PDF: %v", path, p.Header)
					}
					text = reporttest.PDFText(t, []byte(p.Body))
				} else {
					if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") || !strings.Contains(p.Body, "@media print") {
						t.Fatalf("%s is not printable HTML: %v", path, p.Header)
					}
					text = html.UnescapeString(p.Body)
				}
				for _, s := range append(want[kind], "County budget 2026/27") {
					if !strings.Contains(reporttest.Squeeze(text), reporttest.Squeeze(s)) {
						t.Errorf("%s lacks %q", path, s)
					}
				}
				if strings.Contains(text, "SECRET") {
					t.Errorf("%s prints a hidden item's text", path)
				}
				if kind == "ideas" && !strings.Contains(text, fmt.Sprintf("#%d", hidden)) {
					t.Errorf("%s does not count the hidden proposal", path)
				}
			}
		}
		if recs, _, err := fx.Staff.ListAudit(ctx, staff.AuditFilter{ProcessID: fx.ProcessA, Action: "report.download"}); err != nil || len(recs) != 6 {
			t.Errorf("audit of the downloads = %d entries, %v; want 6", len(recs), err)
		}

		path := dashweb.ReportPath("ideas", "pdf")(fx.ProcessA)
		for who, code := range map[string]int{"moderator": http.StatusForbidden, "official_b": http.StatusNotFound} {
			o := fx.Client(t)
			o.SetCookie("cp_staff", fx.SignIn(t, who).Token)
			for _, p := range []string{path, dashweb.ReportPath("survey", "html")(fx.ProcessA)} {
				if got := o.Get(p); got.Status != code {
					t.Errorf("%s on %s: %d, want %d", who, p, got.Status, code)
				}
			}
		}
		if p := fx.Client(t).Get(path); p.Status == http.StatusOK || strings.HasPrefix(p.Body, "%PDF") {
			t.Errorf("anonymous caller got the report")
		}
	})
}

// In a process whose language is Kiswahili the documents are in
// Kiswahili, whatever the reader's browser asks for.
func TestOverviewDocumentsInTheProcessLanguage(t *testing.T) {
	var st stack
	fx := staffwebtest.New(t, sqldbtest.NewSQLiteURL(t), fullStack(t, 0, &st))
	ctx := context.Background()
	p, err := fx.Store.GetProcess(ctx, fx.ProcessA, false)
	if err != nil {
		t.Fatal(err)
	}
	p.Languages = []string{"sw", "en"}
	if err := fx.Store.UpdateProcess(ctx, p); err != nil {
		t.Fatal(err)
	}
	c := fx.Client(t)
	c.SetCookie("cp_staff", fx.SignIn(t, "analyst").Token)
	for path, want := range map[string][]string{
		dashweb.ReportPath("ideas", "pdf")(fx.ProcessA):    {"Mawazo yote", "Takwimu muhimu", "Washiriki"},
		dashweb.ReportPath("ideas", "html")(fx.ProcessA):   {"Mawazo yote", "Takwimu muhimu", `lang="sw"`},
		dashweb.ReportPath("comments", "pdf")(fx.ProcessA): {"Maoni yote kuhusu waraka"},
		dashweb.ReportPath("survey", "html")(fx.ProcessA):  {"Matokeo ya dodoso"},
	} {
		got := c.Get(path)
		if got.Status != http.StatusOK {
			t.Fatalf("%s: %d", path, got.Status)
		}
		text := got.Body
		if strings.HasSuffix(path, ".pdf") {
			text = reporttest.PDFText(t, []byte(got.Body))
		}
		for _, w := range want {
			if !strings.Contains(reporttest.Squeeze(text), reporttest.Squeeze(w)) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
		if strings.Contains(text, "All ideas") || strings.Contains(text, "Key figures") {
			t.Errorf("%s has English UI text in a Kiswahili process", path)
		}
	}
}
