package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/civicpulse/civicpulse/report"
	"github.com/civicpulse/civicpulse/report/reporttest"
	"github.com/civicpulse/civicpulse/warehouse"
)

func ptr[T any](v T) *T { return &v }

// fixture fills a real warehouse: process 1 with proposals in two themes
// and one in none (one hidden), a document of two versions whose sections
// carry comments, themes with representative comments (one of them
// hidden) and amendments (one hidden), and a survey with a single choice,
// a Likert, a numeric and an open question.
func fixture(t *testing.T) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	wh, err := warehouse.Open(filepath.Join(t.TempDir(), "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	at := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	var seq int64
	next := func() int64 { seq++; return seq }
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{{ProcessID: 1, Slug: "budget", Title: "Bajeti ya Kaunti 2026", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", BudgetMinor: 5_000_000_00, Published: true,
			Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Title: "Ideas"}, {ComponentID: 20, Kind: "document", Title: "Draft finance bill"}, {ComponentID: 30, Kind: "survey", Title: "Priorities"}}}},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}}}},
		Documents: []warehouse.DocumentDim{{ComponentID: 20, Sections: []warehouse.SectionDim{
			{SectionID: 200, Version: 1, Position: 1, Heading: "Section 1: Market fees"},
			{SectionID: 201, Version: 1, Position: 2, Heading: "Section 2: Old parking rules"},
			{SectionID: 210, Version: 2, Position: 1, Heading: "Section 1: Market fees (revised)"},
			{SectionID: 211, Version: 2, Position: 2, Heading: "Section 2: Ushuru wa maegesho"},
		}}},
		Surveys: []warehouse.SurveyDim{{ComponentID: 30, Questions: []warehouse.QuestionDim{
			{QuestionID: 301, Page: 1, Position: 1, Type: "single", Prompt: "Which first?", Options: []string{"Roads", "Water", "Schools"}},
			{QuestionID: 302, Page: 1, Position: 2, Type: "likert", Prompt: "Fees are fair"},
			{QuestionID: 303, Page: 1, Position: 3, Type: "numeric", Prompt: "How many km to the market?"},
			{QuestionID: 304, Page: 2, Position: 1, Type: "text", Prompt: "Anything else?"},
		}}},
	}}
	event := func(typ string, component, entity int64) int64 {
		s := next()
		b.Events = append(b.Events, warehouse.Event{Seq: s, Type: typ, ProcessID: 1, ComponentID: component, EntityID: entity, Participant: "pz-1", RegionCode: "01", OccurredAt: at})
		return s
	}
	for i, title := range []string{"Tarmac the market road", "Boreholes for Gĩthũngũri", "SECRET hidden proposal", "Street lights on Moi Avenue"} {
		id := int64(101 + i)
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: event("proposal.created", 10, id), ProposalID: id, ProcessID: 1, ComponentID: 10, Participant: "pz-1", RegionCode: "01",
			Title: title, Description: "Because " + title, BudgetMinor: 250000, Tags: []string{}, OccurredAt: at})
	}
	comment := func(id, section int64, kind, body, proposed string) {
		b.Comments = append(b.Comments, warehouse.Comment{Seq: event("comment.created", 20, id), CommentID: id, ProcessID: 1, ComponentID: 20, TargetKind: "section", TargetID: section,
			Kind: kind, Body: body, ProposedText: proposed, Participant: "pz-1", RegionCode: "01", OccurredAt: at})
	}
	comment(401, 200, "comment", "Fees are too high for hawkers", "")
	comment(402, 200, "comment", "SECRET hidden comment", "")
	comment(403, 200, "amendment", "Halve the fee", "The fee is 50 shillings a day.")
	comment(404, 210, "amendment", "SECRET hidden amendment", "SECRET proposed text")
	comment(405, 210, "question", "Who collects it?", "")
	for _, m := range []struct {
		kind string
		id   int64
	}{{"proposal", 103}, {"comment", 402}, {"comment", 404}} {
		b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: next(), ProcessID: 1, ComponentID: 20, EntityKind: m.kind, EntityID: m.id, Status: "hidden", OccurredAt: at})
	}
	page := func(resp int64, done bool, answers ...warehouse.SurveyAnswer) {
		s := event("survey.page_saved", 30, resp)
		b.SurveyPages = append(b.SurveyPages, warehouse.SurveyPage{Seq: s, ResponseID: resp, ProcessID: 1, ComponentID: 30, Participant: "pz-1", RegionCode: "01", Page: 1, Completed: done, OccurredAt: at})
		for _, a := range answers {
			a.Seq, a.ResponseID, a.ProcessID, a.ComponentID, a.Participant, a.RegionCode, a.OccurredAt = s, resp, 1, 30, "pz-1", "01", at
			b.SurveyAnswers = append(b.SurveyAnswers, a)
		}
	}
	page(501, true, warehouse.SurveyAnswer{QuestionID: 301, Choice: ptr(0)}, warehouse.SurveyAnswer{QuestionID: 302, Number: ptr(4.0)}, warehouse.SurveyAnswer{QuestionID: 303, Number: ptr(2.5)})
	page(502, true, warehouse.SurveyAnswer{QuestionID: 301, Choice: ptr(1)}, warehouse.SurveyAnswer{QuestionID: 302, Number: ptr(5.0)}, warehouse.SurveyAnswer{QuestionID: 303, Number: ptr(7.0)})
	page(503, false, warehouse.SurveyAnswer{QuestionID: 301, Choice: ptr(1)}, warehouse.SurveyAnswer{QuestionID: 304, Text: ptr("More clinics")})
	b.Consumed = seq
	b.To = warehouse.Cursor{Seq: seq}
	if err := wh.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO themes VALUES (1, 'component', 10, 1, 1, 'Roads', ['road'], true, 0, 0, 2), (1, 'component', 10, 2, 1, 'Water', ['water'], true, 0, 0, 1),
		 (1, 'section', 200, 7, 1, 'Fees for hawkers', ['fee'], true, 0, 0, 2), (1, 'section', 200, 8, 1, 'folded away', ['x'], false, 0, 7, 1)`,
		`INSERT INTO theme_members VALUES (1, 'component', 10, 'proposal', 101, 0, 1, 0, 'fit', 1), (1, 'component', 10, 'proposal', 104, 0, 1, 0, 'fit', 2),
		 (1, 'component', 10, 'proposal', 102, 0, 2, 0, 'fit', 3),
		 (1, 'section', 200, 'comment', 401, 0, 7, 1, 'fit', 4), (1, 'section', 200, 'comment', 402, 0, 7, 2, 'fit', 5)`,
	} {
		if _, err := wh.Read().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return wh
}

func write(t *testing.T, r *report.Reporter, kind, format string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := r.Write(context.Background(), &buf, 1, kind, format); err != nil {
		t.Fatalf("%s.%s: %v", kind, format, err)
	}
	if format == report.PDF {
		return reporttest.PDFText(t, buf.Bytes())
	}
	return buf.String()
}

// Each document holds what it must, in both formats, and never a hidden
// item's text.
func TestDocuments(t *testing.T) {
	r, err := report.New(fixture(t).Read(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		report.Ideas: {"All ideas", "Bajeti ya Kaunti 2026", "Key figures", "Theme: Roads", "Theme: Water", "Tarmac the market road", "Street lights on Moi Avenue",
			"Boreholes for Gĩthũngũri", "Not in a theme", "#103", "KES 2,500", "Mombasa", "Submitted"},
		report.Comments: {"Draft finance bill", "Section 1: Market fees", "Section 1: Market fees (revised)", "Section 2: Ushuru wa maegesho",
			"Theme: Fees for hawkers (2 comments)", "Fees are too high for hawkers", "The fee is 50 shillings a day.", "hidden by moderation",
			"No official response to this section yet."},
		report.Survey: {"Priorities", "Which first?", "Fees are fair", "How many km to the market?", "Anything else?", "3 responses started, 2 completed.",
			"Water", "66.7 %", "Mean 4.50"},
	}
	for kind, texts := range want {
		for _, format := range []string{report.PDF, report.HTML} {
			got := write(t, r, kind, format)
			if format == report.HTML {
				got = strings.ReplaceAll(got, "&#39;", "'")
			}
			for _, s := range texts {
				if !strings.Contains(reporttest.Squeeze(got), reporttest.Squeeze(s)) {
					t.Errorf("%s.%s lacks %q", kind, format, s)
				}
			}
			if strings.Contains(got, "SECRET") || strings.Contains(got, "folded away") {
				t.Errorf("%s.%s prints a hidden or merged item", kind, format)
			}
			// A section of the old version nobody commented on is left out.
			if kind == report.Comments && strings.Contains(got, "Old parking rules") {
				t.Errorf("%s.%s lists an uncommented section of an old version", kind, format)
			}
		}
	}
	// Charts: drawn on the server, embedded in both.
	var pdf bytes.Buffer
	if err := r.Write(context.Background(), &pdf, 1, report.Survey, report.PDF); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(pdf.Bytes(), []byte("/Subtype /Image")) {
		t.Error("the survey PDF has no chart image")
	}
	if html := write(t, r, report.Survey, report.HTML); strings.Count(html, `src="data:image/png;base64,`) != 3 {
		t.Errorf("the survey page has %d charts, want 3 (choice, Likert, numeric)", strings.Count(html, `src="data:image/png;base64,`))
	}
}

func TestUnknownProcessAndKind(t *testing.T) {
	r, err := report.New(fixture(t).Read(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.Write(context.Background(), &buf, 99, report.Ideas, report.PDF); !errors.Is(err, report.ErrUnknownProcess) || buf.Len() > 0 {
		t.Errorf("unknown process: %v, %d bytes written", err, buf.Len())
	}
	if err := r.Write(context.Background(), &buf, 1, "everything", report.PDF); !errors.Is(err, report.ErrUnknownKind) {
		t.Errorf("unknown kind: %v", err)
	}
}

// The catalogues have the same keys with the same verbs, and every key
// the code names is in them.
func TestCatalogues(t *testing.T) {
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
	verbs := regexp.MustCompile(`%[vdsq%]`)
	for k, v := range en {
		s, ok := sw[k]
		if !ok {
			t.Errorf("sw lacks %s", k)
		} else if len(verbs.FindAllString(v, -1)) != len(verbs.FindAllString(s, -1)) {
			t.Errorf("%s: verbs differ between en and sw", k)
		} else if s == v && !strings.Contains(k, "likert") {
			t.Logf("%s reads the same in both: %q", k, s)
		}
	}
	for k := range sw {
		if _, ok := en[k]; !ok {
			t.Errorf("en lacks %s", k)
		}
	}
	files, _ := filepath.Glob("*.go")
	tpl, _ := filepath.Glob("templates/*.html")
	key := regexp.MustCompile(`"(report\.[a-z_.0-9]*[a-z0-9])"`)
	for _, f := range append(files, tpl...) {
		b, _ := os.ReadFile(f)
		for _, m := range key.FindAllStringSubmatch(string(b), -1) {
			if _, ok := en[m[1]]; !ok {
				t.Errorf("%s names %s, which the catalogue lacks", f, m[1])
			}
		}
	}
}
