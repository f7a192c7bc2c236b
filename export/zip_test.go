package export_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/civicpulse/civicpulse/export"
	"github.com/civicpulse/civicpulse/warehouse"
)

// awkward is a comment that exercises the CSV quoting: commas, quotes,
// newlines and text beyond ASCII.
const awkward = "Ada ya maji, \"ghali\" sana\nmstari wa pili — ñ 水 🚰"

// moreSurvey adds to the fixture a multiple choice and a ranking question
// answered by response 501, and the awkward comment.
func moreSurvey(t *testing.T, wh *warehouse.Warehouse) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO dim_questions VALUES (304, 30, 2, 2, 'multi', 'Which services?', false, ['Clinics', 'Markets', '=cmd'], 0, NULL, NULL),
		                                  (305, 30, 2, 3, 'ranking', 'Rank these', false, ['Roads', 'Water'], 0, NULL, NULL)`,
		`INSERT INTO survey_answers VALUES
		   (900, 501, 1, 30, 'pz-alice-7f3a', '01', 304, 0, NULL, NULL, NULL, TIMESTAMP '2025-05-06 07:08:09'),
		   (900, 501, 1, 30, 'pz-alice-7f3a', '01', 304, 2, NULL, NULL, NULL, TIMESTAMP '2025-05-06 07:08:09'),
		   (900, 501, 1, 30, 'pz-alice-7f3a', '01', 305, 1, 1, NULL, NULL, TIMESTAMP '2025-05-06 07:08:09'),
		   (900, 501, 1, 30, 'pz-alice-7f3a', '01', 305, 0, 2, NULL, NULL, TIMESTAMP '2025-05-06 07:08:09')`,
		`INSERT INTO comments VALUES (901, 204, 1, 20, 'section', 200, NULL, 'plain', '` + strings.ReplaceAll(awkward, "'", "''") + `', '', 'pz-carol-0d4e', '01', TIMESTAMP '2025-05-06 07:08:09')`,
	} {
		if _, err := wh.Read().Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// readZip opens a complete export and reads each CSV file back.
func readZip(t *testing.T, b []byte) (map[string][][]string, string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string][][]string{}
	var raw strings.Builder
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		raw.Write(body)
		rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		out[f.Name] = rows
	}
	return out, raw.String()
}

// The complete export re-read: every item, hidden ones flagged; one row
// per response with a column per question, option and rank; text with
// commas, quotes, newlines and Unicode intact; formulas escaped; a
// dictionary entry for every column; and no pseudonym anywhere.
func TestZipRoundTrip(t *testing.T) {
	wh := fixture(t)
	moreSurvey(t, wh)
	ex, err := export.New(wh.Read())
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := ex.WriteZip(context.Background(), &buf, 1); err != nil {
		t.Fatal(err)
	}
	files, raw := readZip(t, buf.Bytes())
	for _, p := range pseudonyms {
		if strings.Contains(raw, p) {
			t.Errorf("the zip holds the pseudonym %s", p)
		}
	}
	for name, n := range map[string]int{"proposals.csv": 2, "comments.csv": 4, "survey-30-responses.csv": 2} {
		if got := len(files[name]) - 1; got != n {
			t.Errorf("%s: %d rows, want %d", name, got, n)
		}
	}
	if r := rowWith(t, files["proposals.csv"], "proposal_id", "102"); r == nil || r["status"] != "hidden" || r["title"] != "SECRET hidden proposal" {
		t.Errorf("hidden proposal = %v, want it flagged, not dropped", r)
	}
	if r := rowWith(t, files["proposals.csv"], "proposal_id", "101"); r["status"] != "published" || r["supports"] != "2" {
		t.Errorf("proposal 101 = %v", r)
	}
	comments := files["comments.csv"]
	if r := rowWith(t, comments, "comment_id", "202"); r["status"] != "hidden" {
		t.Errorf("hidden comment = %v", r)
	}
	if r := rowWith(t, comments, "comment_id", "201"); r["status"] != "published" || r["section"] != "Section 1: Fees" || r["theme"] != "School fees" ||
		r["campaign_id"] != "3" || r["campaign_template"] != "true" {
		t.Errorf("comment 201 = %v", r)
	}
	if r := rowWith(t, comments, "comment_id", "203"); r["body"] != `'=HYPERLINK("http://x")` {
		t.Errorf("formula comment body = %q, want it escaped", r["body"])
	}
	if r := rowWith(t, comments, "comment_id", "204"); r["body"] != awkward {
		t.Errorf("awkward comment body = %q, want %q", r["body"], awkward)
	}

	resp := files["survey-30-responses.csv"]
	want := []string{"response_id", "region", "region_name", "started_at", "completed", "completed_at", "status",
		"q301", "q302", "q303", "q304_opt1", "q304_opt2", "q304_opt3", "q305_rank1", "q305_rank2"}
	if strings.Join(resp[0], ",") != strings.Join(want, ",") {
		t.Fatalf("survey header = %q, want %q", resp[0], want)
	}
	r := rowWith(t, resp, "response_id", "501")
	for col, v := range map[string]string{"q301": "Water", "q302": "4", "q303": "More clinics, please", "completed": "true",
		"q304_opt1": "1", "q304_opt2": "0", "q304_opt3": "1", "q305_rank1": "Water", "q305_rank2": "Roads", "region_name": "Mombasa"} {
		if r[col] != v {
			t.Errorf("response 501 %s = %q, want %q", col, r[col], v)
		}
	}
	r = rowWith(t, resp, "response_id", "502")
	for col, v := range map[string]string{"q301": "Schools", "q302": "", "q304_opt1": "", "q305_rank1": "", "completed": "false"} {
		if r[col] != v {
			t.Errorf("response 502 %s = %q, want %q", col, r[col], v)
		}
	}

	dict := map[string]map[string]bool{}
	for _, d := range files["dictionary.csv"][1:] {
		if dict[d[0]] == nil {
			dict[d[0]] = map[string]bool{}
		}
		if d[2] == "" || d[3] == "" {
			t.Errorf("dictionary entry %q has no meaning or type", d)
		}
		dict[d[0]][d[1]] = true
	}
	for name, rows := range files {
		if name == "dictionary.csv" {
			continue
		}
		for _, col := range rows[0] {
			if !dict[name][col] {
				t.Errorf("the dictionary does not describe %s %s", name, col)
			}
		}
	}
	if !strings.Contains(raw, `"question 304, ""Which services?"" (multiple choice): whether option 3, ""=cmd"", was chosen"`) {
		t.Errorf("the multiple choice option is not described")
	}

	var empty bytes.Buffer
	if err := ex.WriteZip(context.Background(), &empty, 2); err != nil {
		t.Fatal(err)
	}
	if files, _ := readZip(t, empty.Bytes()); len(files["proposals.csv"]) != 1 || len(files["comments.csv"]) != 1 {
		t.Errorf("empty process: %v", files)
	}
	if err := ex.WriteZip(context.Background(), io.Discard, 99); !errors.Is(err, export.ErrUnknownProcess) {
		t.Errorf("unknown process: %v", err)
	}
}
