package export_test

import (
	"archive/zip"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/warehouse"
)

// Pseudonyms of the fixture: distinctive so that a leak is found by a
// plain substring search.
var pseudonyms = []string{"pz-alice-7f3a", "pz-bob-91c2", "pz-carol-0d4e"}

func ptr[T any](v T) *T { return &v }

// fixture fills a real warehouse file: process 1 with two proposals (one
// hidden by a moderator), three comments on a document section (one
// hidden, one starting like a formula), votes and supports, a survey with
// a choice, a likert and an open question (one page saved twice), and
// insight rows as the insights jobs write them; process 2 exists but has
// no inputs.
func fixture(t *testing.T) *warehouse.Warehouse {
	t.Helper()
	ctx := context.Background()
	wh, err := warehouse.Open(filepath.Join(t.TempDir(), "warehouse.duckdb"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wh.Close() })
	at := time.Date(2025, 5, 6, 7, 8, 9, 0, time.UTC)
	start := at.Add(-24 * time.Hour)
	var seq int64
	next := func() int64 { seq++; return seq }
	b := &warehouse.Batch{Dimensions: warehouse.Dimensions{
		Processes: []warehouse.ProcessDim{
			{ProcessID: 1, Slug: "budget", Title: "Budget 2025", TimeZone: "UTC", RegionSetID: 1, Currency: "KES", Published: true, StartsAt: &start,
				Components: []warehouse.ComponentDim{{ComponentID: 10, Kind: "proposals", Title: "Ideas"}, {ComponentID: 20, Kind: "document", Title: "Draft bill"}, {ComponentID: 30, Kind: "survey", Title: "Priorities"}}},
			{ProcessID: 2, Slug: "empty", Title: "Empty", TimeZone: "UTC", RegionSetID: 1, StartsAt: &start},
		},
		RegionSets: []warehouse.RegionSetDim{{RegionSetID: 1, Regions: []warehouse.RegionDim{{Code: "01", Name: "Mombasa", Population: 1000}, {Code: "02", Name: "Kwale", Population: 500}}}},
		Documents:  []warehouse.DocumentDim{{ComponentID: 20, Sections: []warehouse.SectionDim{{SectionID: 200, Version: 1, Position: 1, Heading: "Section 1: Fees"}}}},
		Surveys: []warehouse.SurveyDim{{ComponentID: 30, Questions: []warehouse.QuestionDim{
			{QuestionID: 301, Page: 1, Position: 1, Type: "single", Prompt: "Which first?", Options: []string{"Roads", "Water", "Schools"}},
			{QuestionID: 302, Page: 1, Position: 2, Type: "likert", Prompt: "Fees are fair"},
			{QuestionID: 303, Page: 2, Position: 1, Type: "text", Prompt: "Anything else?"},
		}}},
	}}
	event := func(typ string, component, entity int64, who, region string) int64 {
		s := next()
		b.Events = append(b.Events, warehouse.Event{Seq: s, Type: typ, ProcessID: 1, ComponentID: component, EntityID: entity, Participant: who, RegionCode: region, OccurredAt: at})
		return s
	}
	for i, title := range []string{"Tarmac the market road", "SECRET hidden proposal"} {
		id := int64(101 + i)
		s := event("proposal.created", 10, id, pseudonyms[i], "01")
		b.Proposals = append(b.Proposals, warehouse.Proposal{Seq: s, ProposalID: id, ProcessID: 1, ComponentID: 10, Participant: pseudonyms[i], RegionCode: "01",
			Title: title, Description: "Because", BudgetMinor: 250000, Tags: []string{"roads", "market"}, Lat: ptr(-4.05), Lng: ptr(39.66), OccurredAt: at})
	}
	for _, who := range pseudonyms {
		s := event("support.added", 10, 101, who, "02")
		b.Supports = append(b.Supports, warehouse.Support{Seq: s, ProposalID: 101, ProcessID: 1, ComponentID: 10, Participant: who, RegionCode: "02", Delta: 1, OccurredAt: at})
	}
	s := event("support.removed", 10, 101, pseudonyms[2], "02")
	b.Supports = append(b.Supports, warehouse.Support{Seq: s, ProposalID: 101, ProcessID: 1, ComponentID: 10, Participant: pseudonyms[2], RegionCode: "02", Delta: -1, OccurredAt: at})
	for i, body := range []string{"Fees are too high", "SECRET hidden comment", "=HYPERLINK(\"http://x\")"} {
		id := int64(201 + i)
		s := event("comment.created", 20, id, pseudonyms[i], "02")
		b.Comments = append(b.Comments, warehouse.Comment{Seq: s, CommentID: id, ProcessID: 1, ComponentID: 20, TargetKind: "section", TargetID: 200,
			Kind: "plain", Body: body, Participant: pseudonyms[i], RegionCode: "02", OccurredAt: at})
	}
	vote := func(who, v, prev string) {
		s := event("comment.voted", 20, 201, who, "02")
		b.Votes = append(b.Votes, warehouse.Vote{Seq: s, CommentID: 201, ProcessID: 1, ComponentID: 20, Participant: who, RegionCode: "02", Vote: v, Previous: prev, OccurredAt: at})
	}
	vote(pseudonyms[0], "agree", "")
	vote(pseudonyms[1], "disagree", "")
	vote(pseudonyms[1], "pass", "disagree") // changed their mind
	for _, m := range []struct {
		kind   string
		id     int64
		status string
	}{{"proposal", 102, "hidden"}, {"comment", 202, "hidden"}, {"comment", 201, "hidden"}, {"comment", 201, "published"}} {
		s := next()
		b.Moderation = append(b.Moderation, warehouse.Moderation{Seq: s, ProcessID: 1, ComponentID: 20, EntityKind: m.kind, EntityID: m.id, Status: m.status, OccurredAt: at})
	}
	// Response 501 saves page 1 twice (the second save changes the choice)
	// and completes page 2; response 502 stops after page 1.
	page := func(resp int64, who string, page int, done bool, answers ...warehouse.SurveyAnswer) {
		s := event("survey.page_saved", 30, resp, who, "01")
		b.SurveyPages = append(b.SurveyPages, warehouse.SurveyPage{Seq: s, ResponseID: resp, ProcessID: 1, ComponentID: 30, Participant: who, RegionCode: "01", Page: page, Completed: done, OccurredAt: at})
		for _, a := range answers {
			a.Seq, a.ResponseID, a.ProcessID, a.ComponentID, a.Participant, a.RegionCode, a.OccurredAt = s, resp, 1, 30, who, "01", at
			b.SurveyAnswers = append(b.SurveyAnswers, a)
		}
	}
	page(501, pseudonyms[0], 1, false, warehouse.SurveyAnswer{QuestionID: 301, Choice: ptr(0)}, warehouse.SurveyAnswer{QuestionID: 302, Number: ptr(4.0)})
	page(501, pseudonyms[0], 1, false, warehouse.SurveyAnswer{QuestionID: 301, Choice: ptr(1)}, warehouse.SurveyAnswer{QuestionID: 302, Number: ptr(4.0)})
	page(501, pseudonyms[0], 2, true, warehouse.SurveyAnswer{QuestionID: 303, Text: ptr("More clinics, please")})
	page(502, pseudonyms[1], 1, false, warehouse.SurveyAnswer{QuestionID: 301, Choice: ptr(2)})
	b.Consumed = seq
	b.To = warehouse.Cursor{Seq: seq}
	if err := wh.Write(ctx, b); err != nil {
		t.Fatal(err)
	}
	// The insights jobs' tables, as they write them (their own tests cover
	// how the rows are found); the opinion run stores pseudonyms, which an
	// export must never copy.
	for _, q := range []string{
		`INSERT INTO themes VALUES (1, 'component', 20, 7, 1, 'School fees', ['fee', 'school'], true, 0, 0, 2), (1, 'component', 20, 8, 1, 'folded', ['x'], false, 0, 7, 1)`,
		`INSERT INTO theme_members VALUES (1, 'component', 20, 'comment', 201, 0, 7, 1, 'fit', 1), (1, 'component', 20, 'comment', 202, 0, 7, 0, 'fit', 2), (1, 'component', 20, 'comment', 203, 0, 7, 2, 'fit', 3)`,
		`INSERT INTO campaigns VALUES (1, 3, 'Fees are too high', 'comment', 201, 0, 2, 2, TIMESTAMP '2025-05-06 07:08:09', TIMESTAMP '2025-05-06 08:08:09', 2, '[{"region":"02","copies":2}]', TIMESTAMP '2025-05-07 00:00:00')`,
		`INSERT INTO campaign_members VALUES (1, 3, 'comment', 201, 0, true), (1, 3, 'comment', 202, 0, false), (1, 3, 'comment', 203, 0, false)`,
		`INSERT INTO opinion_runs VALUES (1, 1, 20, 2, 2, 1, 2, 0.5, 9, TIMESTAMP '2025-05-07 00:00:00', 30, 30, 1, 1), (2, 1, 20, 2, 2, 1, 2, 0.6, 12, TIMESTAMP '2025-05-08 00:00:00', 30, 28, 0.9, 0.7)`,
		`INSERT INTO opinion_participants VALUES (2, 1, 20, 'pz-alice-7f3a', 0.1, 0.2, 1, 0), (2, 1, 20, 'pz-bob-91c2', -0.1, 0.3, 2, 1)`,
		`INSERT INTO opinion_groups VALUES (1, 1, 20, 0, 9, 0, 0), (2, 1, 20, 0, 1, 0.1, 0.2), (2, 1, 20, 1, 1, -0.1, 0.3)`,
		`INSERT INTO opinion_repness VALUES (2, 1, 20, 0, 1, 'comment', 201, 'agree', 1, 1, 0.67, 2.5, 1.9), (2, 1, 20, 1, 1, 'comment', 202, 'disagree', 1, 1, 0.67, 2.5, 1.9)`,
	} {
		if _, err := wh.Read().ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return wh
}

// tables reads an export back, whatever its format, as rows of strings
// (the header first), by table.
func tables(t *testing.T, db *sql.DB, format string, files []export.File) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, f := range files {
		switch format {
		case export.CSV:
			fh, err := os.Open(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(fh).ReadAll()
			fh.Close()
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			out[f.Table] = rows
		case export.XLSX:
			wb, err := excelize.OpenFile(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			for _, sheet := range wb.GetSheetList() {
				rows, err := wb.GetRows(sheet, excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				out[sheet] = rows
			}
			wb.Close()
		case export.Parquet:
			rows, err := db.Query(`SELECT * FROM read_parquet(?)`, f.Path)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			cols, _ := rows.Columns()
			got := [][]string{cols}
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for rows.Next() {
				if err := rows.Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				rec := make([]string, len(vals))
				for i, v := range vals {
					if v != nil {
						rec[i] = fmt.Sprint(v)
					}
				}
				got = append(got, rec)
			}
			rows.Close()
			out[f.Table] = got
		}
	}
	return out
}

// rowWith finds the row of table whose column col holds want.
func rowWith(t *testing.T, tab [][]string, col, want string) map[string]string {
	t.Helper()
	if len(tab) == 0 {
		t.Fatalf("no header")
	}
	j := slices.Index(tab[0], col)
	if j < 0 {
		t.Fatalf("no column %s in %q", col, tab[0])
	}
	for _, row := range tab[1:] {
		if j < len(row) && row[j] == want {
			m := map[string]string{}
			for k, h := range tab[0] {
				if k < len(row) {
					m[h] = row[k]
				}
			}
			return m
		}
	}
	return nil
}

// rawBytes is every byte an analyst could read in the files: the CSV text,
// the uncompressed XML parts of a workbook; Parquet pages are compressed,
// so their values are checked through tables instead.
func rawBytes(t *testing.T, files []export.File) string {
	t.Helper()
	var sb strings.Builder
	for _, f := range files {
		if strings.HasSuffix(f.Path, ".xlsx") {
			zr, err := zip.OpenReader(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			for _, part := range zr.File {
				rc, err := part.Open()
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(rc)
				rc.Close()
				sb.Write(b)
			}
			zr.Close()
			continue
		}
		b, err := os.ReadFile(f.Path)
		if err != nil {
			t.Fatal(err)
		}
		sb.Write(b)
	}
	return sb.String()
}

func TestEveryFormatHoldsTheSameFactsAndNoPseudonym(t *testing.T) {
	wh := fixture(t)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{export.CSV, export.XLSX, export.Parquet} {
		t.Run(format, func(t *testing.T) {
			files, err := ex.Write(context.Background(), export.Options{Process: 1, Format: format, Dir: filepath.Join(t.TempDir(), "out")})
			if err != nil {
				t.Fatal(err)
			}
			got := tables(t, wh.Read(), format, files)
			for _, tab := range export.Tables {
				if len(got[tab.Name]) == 0 {
					t.Errorf("no %s", tab.Name)
				}
			}
			all := fmt.Sprint(got) + rawBytes(t, files)
			for _, p := range pseudonyms {
				if strings.Contains(all, p) {
					t.Errorf("pseudonym %s in the export", p)
				}
			}
			if strings.Contains(all, "SECRET") {
				t.Errorf("a hidden text is in the export")
			}

			props := got["proposals"]
			if len(props) != 2 {
				t.Errorf("proposals: %d rows, want the header and one", len(props))
			}
			p := rowWith(t, props, "proposal_id", "101")
			if p == nil || p["supports"] != "2" || p["region_name"] != "Mombasa" || p["component"] != "Ideas" || p["tags"] != "roads; market" || p["budget_minor"] != "250000" || p["lat"] != "-4.05" {
				t.Errorf("proposal 101 = %v", p)
			}
			c := rowWith(t, got["comments"], "comment_id", "201")
			if c == nil || c["agree"] != "1" || c["disagree"] != "0" || c["pass"] != "1" || c["section"] != "Section 1: Fees" {
				t.Errorf("comment 201 (hidden, then published again) = %v", c)
			}
			formula := rowWith(t, got["comments"], "comment_id", "203")
			wantBody := `=HYPERLINK("http://x")`
			if format == export.CSV {
				wantBody = "'" + wantBody // the spreadsheet guard
			}
			if formula == nil || formula["body"] != wantBody {
				t.Errorf("comment 203 body = %q, want %q", formula["body"], wantBody)
			}

			ans := got["survey_answers"]
			if len(ans) != 5 {
				t.Errorf("survey answers: %d rows, want header + 4 (the page saved again replaces its answers): %q", len(ans), ans)
			}
			if a := rowWith(t, ans, "answer_label", "Water"); a == nil || a["completed"] != map[string]string{export.CSV: "true", export.XLSX: "1", export.Parquet: "true"}[format] || a["question"] != "Which first?" {
				t.Errorf("the second save's choice = %v", a)
			}
			if a := rowWith(t, ans, "answer_label", "Roads"); a != nil {
				t.Errorf("the first save's answer is still there: %v", a)
			}
			if a := rowWith(t, ans, "answer_label", "Agree"); a == nil || a["answer_number"] != "4" {
				t.Errorf("likert answer = %v", a)
			}
			if a := rowWith(t, ans, "answer_text", "More clinics, please"); a == nil || a["question_type"] != "text" {
				t.Errorf("open answer = %v", a)
			}
			if a := rowWith(t, ans, "answer_label", "Schools"); a == nil || a["completed"] != map[string]string{export.CSV: "false", export.XLSX: "0", export.Parquet: "false"}[format] {
				t.Errorf("an unfinished response = %v", a)
			}

			if th := got["themes"]; len(th) != 2 || rowWith(t, th, "label", "School fees")["size"] != "2" {
				t.Errorf("themes (the folded one left out) = %q", th)
			}
			if m := got["theme_members"]; len(m) != 3 || rowWith(t, m, "entity_id", "202") != nil {
				t.Errorf("theme members (the hidden comment left out) = %q", m)
			}
			if m := got["campaign_members"]; len(m) != 3 || rowWith(t, m, "entity_id", "202") != nil {
				t.Errorf("campaign members = %q", m)
			}
			if cp := got["campaigns"]; len(cp) != 2 || rowWith(t, cp, "campaign_id", "3")["copies"] != "2" {
				t.Errorf("campaigns = %q", cp)
			}
			if g := got["opinion_groups"]; len(g) != 3 || rowWith(t, g, "group_id", "0")["members"] != "1" {
				t.Errorf("opinion groups (newest run only) = %q", g)
			}
			if r := got["opinion_representatives"]; len(r) != 2 || rowWith(t, r, "text", "Fees are too high") == nil {
				t.Errorf("representatives (the hidden one left out) = %q", r)
			}
		})
	}
}

// A workbook is what an analyst opens: a bold header, numbers as numbers,
// times as dates.
func TestWorkbookCellsAreTyped(t *testing.T) {
	wh := fixture(t)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	files, err := ex.Write(context.Background(), export.Options{Process: 1, Format: export.XLSX, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || filepath.Base(files[0].Path) != "process-1.xlsx" {
		t.Fatalf("files = %+v", files)
	}
	wb, err := excelize.OpenFile(files[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var names []string
	for _, tab := range export.Tables {
		names = append(names, tab.Name)
	}
	if got := wb.GetSheetList(); !slices.Equal(got, names) {
		t.Errorf("sheets = %q, want %q", got, names)
	}
	style, err := wb.GetCellStyle("proposals", "A1")
	if err != nil {
		t.Fatal(err)
	}
	s, err := wb.GetStyle(style)
	if err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style = %+v, %v", s, err)
	}
	rows, _ := wb.GetRows("proposals")
	col := func(name string) string {
		j := slices.Index(rows[0], name)
		cell, _ := excelize.CoordinatesToCellName(j+1, 2)
		return cell
	}
	for _, name := range []string{"proposal_id", "budget_minor", "lat", "supports"} {
		if typ, _ := wb.GetCellType("proposals", col(name)); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s is not a number: type %v", name, typ)
		}
		raw, _ := wb.GetCellValue("proposals", col(name), excelize.Options{RawCellValue: true})
		if raw == "" || strings.ContainsAny(raw, `"' `) {
			t.Errorf("%s = %q", name, raw)
		}
	}
	when, _ := wb.GetCellValue("proposals", col("created_at"))
	if when != "2025-05-06 07:08:09" {
		t.Errorf("created_at shows %q, want a date", when)
	}
	if raw, _ := wb.GetCellValue("proposals", col("created_at"), excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "45783.") {
		t.Errorf("created_at is stored as %q, want an Excel date number", raw)
	}
	// A formula-like comment stays text.
	if f, _ := wb.GetCellFormula("comments", "I4"); f != "" {
		t.Errorf("a comment became a formula: %q", f)
	}
}

func TestEmptyProcessGivesHeadersAndUnknownProcessFails(t *testing.T) {
	wh := fixture(t)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, format := range []string{export.CSV, export.XLSX, export.Parquet} {
		files, err := ex.Write(ctx, export.Options{Process: 2, Format: format, Dir: t.TempDir()})
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		for name, rows := range tables(t, wh.Read(), format, files) {
			if len(rows) != 1 || len(rows[0]) < 3 {
				t.Errorf("%s %s: %q, want a header only", format, name, rows)
			}
		}
	}
	dir := filepath.Join(t.TempDir(), "never")
	if _, err := ex.Write(ctx, export.Options{Process: 99, Format: export.CSV, Dir: dir}); !errors.Is(err, export.ErrUnknownProcess) {
		t.Errorf("process 99: %v", err)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files written for an unknown process: %v", ents)
	}
	if _, err := ex.Write(ctx, export.Options{Process: 1, Format: "json", Dir: t.TempDir()}); err == nil || !strings.Contains(err.Error(), "unknown format") {
		t.Errorf("json: %v", err)
	}
	if _, err := ex.Write(ctx, export.Options{Process: 1, Format: export.CSV, Dir: "out\nx"}); err == nil {
		t.Error("a folder with a newline was accepted")
	}
	file := filepath.Join(t.TempDir(), "file")
	os.WriteFile(file, nil, 0o600)
	if _, err := ex.Write(ctx, export.Options{Process: 1, Format: export.CSV, Dir: file}); err == nil {
		t.Error("a file was accepted as the output folder")
	}
}

// A folder with a quote in its name is a path like any other: DuckDB gets
// it as a parameter.
func TestParquetIntoAFolderWithAQuote(t *testing.T) {
	wh := fixture(t)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), `it's "here"; DROP TABLE proposals`)
	files, err := ex.Write(context.Background(), export.Options{Process: 1, Format: export.Parquet, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != len(export.Tables) || filepath.Dir(files[0].Path) != dir || files[0].Rows != 1 {
		t.Errorf("files = %+v", files)
	}
	if got := tables(t, wh.Read(), export.Parquet, files)["proposals"]; len(got) != 2 {
		t.Errorf("proposals = %q", got)
	}
}

// A table past a sheet's rows goes on in further sheets, each with the
// header, in order and with no row lost or repeated: with a limit of one
// row the two proposals fill proposals and proposals_2.
func TestWorkbookSplitsATableAcrossSheets(t *testing.T) {
	wh := fixture(t)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	whole, err := ex.Write(context.Background(), export.Options{Process: 1, Format: export.XLSX, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	restore := export.SetSheetRows(1)
	defer restore()
	split, err := ex.Write(context.Background(), export.Options{Process: 1, Format: export.XLSX, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if whole[0].Rows != split[0].Rows {
		t.Errorf("rows: %d split, %d whole", split[0].Rows, whole[0].Rows)
	}
	a, err := excelize.OpenFile(whole[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := excelize.OpenFile(split[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	// Every table comes back whole from its parts, in order.
	sheets := b.GetSheetList()
	for _, tab := range export.Tables {
		want, _ := a.GetRows(tab.Name)
		got, _ := b.GetRows(tab.Name)
		if len(got) == 0 || !slices.Equal(got[0], want[0]) {
			t.Errorf("%s: header %q, want %q", tab.Name, got, want)
			continue
		}
		for part := 2; part < len(want); part++ {
			name := fmt.Sprintf("%s_%d", tab.Name, part)
			rows, err := b.GetRows(name)
			if err != nil || len(rows) != 2 || !slices.Equal(rows[0], want[0]) {
				t.Errorf("%s = %q, %v; want the header and one row", name, rows, err)
				continue
			}
			got = append(got, rows[1])
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s split = %q, want %q", tab.Name, got, want)
		}
	}
	if i := slices.Index(sheets, "comments"); i < 0 || i+1 >= len(sheets) || sheets[i+1] != "comments_2" {
		t.Errorf("sheets = %q, want comments split", sheets)
	}
}
